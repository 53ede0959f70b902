// The operator pages in a real browser (Debian's Chromium driven by playwright-core) against the
// app listening on 127.0.0.1, after the seed scenario has run: log in through the form, read feed
// health, add a feed through the form (and see bad ones refused beside the field), find the
// fulfilled expectation on the board with its Arabic sentence right-to-left, open bull-board.
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PRIVATE_ADDRESS_REASON } from '../../src/feeds/probe';
import { createLogger } from '../../src/log';
import { startSeedScenario, type SeedScenario } from '../../src/demo/seed-scenario';
import { enqueuePoll } from '../../workers/scheduler';
import { jobId } from '../../src/queue/queues';
import { hashKey } from '../../src/store/articles';
import { waitForIdle } from '../../src/demo/idle';
import { testConfig } from '../support/config';
import { operatorApp } from '../support/operator';
import { launchChromium, type Chromium } from '../support/chromium';

const config = testConfig('e2e-dashboard', {
  OPERATOR_TOKEN: 'dashboard-operator-token-0123456789',
  EVENTS_FILE: 'test/no-events.yml',
  HOST_MIN_DELAY_MS: '0',
});
/** Typed by an operator as a feed's name: it must come back as text, never as markup. */
const SCRIPT_NAME = '<script>window.__injected = true</script> Extra exercises';

let scenario: SeedScenario;
let app: FastifyInstance;
let base: string;
let chrome: Chromium | undefined;
let browser: BrowserContext;
let page: Page;

beforeAll(async () => {
  scenario = await startSeedScenario(config, createLogger('silent'));
  await scenario.poll();
  await scenario.publishSecond();
  await scenario.poll();
  scenario.fixtures.setRoute('/extra.xml', {
    contentType: 'application/rss+xml; charset=utf-8',
    body: (b) =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>Extra</title><item><title>NATO exercise in the Gulf</title><link>${b}/extra/1</link><pubDate>Mon, 02 Feb 2026 10:00:00 GMT</pubDate></item></channel></rss>`,
  });
  scenario.fixtures.setRoute('/not-a-feed.html', {
    contentType: 'text/html; charset=utf-8',
    body: '<!doctype html><html><head><title>Home</title></head><body>Welcome</body></html>',
  });
  app = await operatorApp(config, scenario.service.ctx);
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  chrome = await launchChromium();
  ({ browser, page } = chrome);
}, 90_000);

afterAll(async () => {
  await chrome?.close();
  await app?.close();
  await scenario?.close();
});

const row = (feedId: string) => page.locator(`tr[data-feed="${feedId}"]`);

describe('the operator pages', () => {
  it('sends a visitor without a session to the login form, refuses a wrong token there, and logs in', async () => {
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=token]', 'not-the-token');
    await page.click('button[type=submit]');
    await expect.poll(() => page.locator('#token-error').innerText()).toContain('not the operator token');

    await page.fill('input[name=token]', config.operatorToken);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/`);
    expect(await page.locator('h1').innerText()).toBe('Dashboard');
    const cookies = await browser.cookies(base);
    expect(cookies.find((c) => c.name === 'nw_session')).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
    });
  });

  it('shows each feed with its health', async () => {
    const seed = row('seed-fixture');
    await expect.poll(() => seed.locator('.state').innerText()).toBe('ok');
    const cells = await seed.locator('td').allInnerTexts();
    expect(cells[0]).toContain('Seed fixture feed');
    expect(cells[2]).toMatch(/^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC$/); // last success
    expect(cells[4]).toBe('0'); // error streak
    expect(cells[5]).toBe('2'); // items seen
  });

  it('refuses a bad URL and a page that is not a feed beside the URL field, keeping what was typed', async () => {
    await page.fill('#add-feed input[name=url]', 'ftp://example.org/feed.xml');
    await page.fill('#add-feed input[name=name]', 'Kept name');
    await page.click('#add-feed button[type=submit]');
    const error = page.locator('#url-error');
    await expect.poll(() => error.innerText()).toContain('is not an http(s) URL');
    expect(await page.locator('#add-feed input[name=url]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#add-feed input[name=name]').inputValue()).toBe('Kept name');

    await page.fill('#add-feed input[name=url]', `${scenario.fixtures.baseUrl}/not-a-feed.html`);
    await page.click('#add-feed button[type=submit]');
    // On loopback, allowed on every port here, the probe gives its one answer for private addresses.
    await expect.poll(() => page.locator('#url-error').innerText()).toContain(PRIVATE_ADDRESS_REASON);
    expect(await page.locator('tr[data-feed]').count()).toBe(1);
  });

  it('adds a feed through the form, shows what the probe read, as text, and lists the feed', async () => {
    await page.fill('#add-feed input[name=url]', `${scenario.fixtures.baseUrl}/extra.xml`);
    await page.fill('#add-feed input[name=name]', SCRIPT_NAME);
    await page.selectOption('#add-feed select[name=lang]', 'en');
    await page.fill('#add-feed input[name=schedule]', '*/15 * * * *');
    await page.click('#add-feed button[type=submit]');
    const probe = page.locator('#probe-result');
    await expect.poll(() => probe.innerText()).toContain('RSS with 1 item');
    expect(await probe.locator('li').first().innerText()).toContain('NATO exercise in the Gulf');
    expect(await probe.locator('h2').innerText()).toContain(SCRIPT_NAME);
    expect(await page.locator('main script').count()).toBe(0);
    expect(await page.evaluate(() => (window as { __injected?: boolean }).__injected)).toBeUndefined();

    const added = page.locator('tr[data-feed]', { hasText: 'Extra exercises' });
    expect(await added.locator('td').first().innerText()).toContain(SCRIPT_NAME);
    expect(await added.locator('code').innerText()).toBe('*/15 * * * *');

    // Added at run time, it is polled like any declared feed (the running scheduler does this on
    // its own; test/integration/api-feeds.test.ts shows it): its health turns ok on the page.
    const id = (await added.getAttribute('data-feed'))!;
    expect(await added.locator('.state').innerText()).toBe('never polled');
    await enqueuePoll(scenario.service.ctx, id, 1);
    await waitForIdle(Object.values(scenario.service.ctx.queues), 30_000);
    await page.reload();
    expect(await page.locator(`tr[data-feed="${id}"] .state`).innerText()).toBe('ok');
  });

  it('pauses a feed with its button', async () => {
    await page
      .locator('tr[data-feed]', { hasText: 'Extra exercises' })
      .locator('button', { hasText: 'Pause' })
      .click();
    await expect
      .poll(() => page.locator('tr[data-feed]', { hasText: 'Extra exercises' }).locator('.state').innerText())
      .toBe('paused');
  });

  it('shows the seed follow-up on the expectations board, the Arabic sentence right-to-left', async () => {
    await page.goto(`${base}/expectations?state=fulfilled`);
    const card = page.locator('article.expectation').first();
    expect(await page.locator('article.expectation').count()).toBe(1);
    const fulfilledBy = await card.locator('.fulfilled-by a').getAttribute('href');
    expect(new URL(fulfilledBy!).pathname).toBe('/news/kuwait-nato-dialogue.html');
    const sentence = card.locator('.sentence');
    expect(await sentence.innerText()).toMatch(/[\u0621-\u064A]/);
    expect(await sentence.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    const heading = await page.locator('h1').evaluate((el) => getComputedStyle(el).direction);
    expect(heading).toBe('ltr');
  });

  it('lists a page given up, with why, and re-drives it with its button once it is back', async () => {
    const { ctx } = scenario.service;
    const link = `${scenario.fixtures.baseUrl}/news/withdrawn.html`;
    scenario.fixtures.setRoute('/news/withdrawn.html', {
      contentType: 'text/html',
      status: 410,
      body: 'gone',
    });
    const id = jobId.scrape(hashKey(link));
    // What the poll stage queues for a new item of the feed.
    await ctx.queues.scrape.add(
      'scrape',
      { feedId: scenario.feed.id, item: { guid: 'withdrawn', link, title: 'Withdrawn story' } },
      { jobId: id },
    );
    await waitForIdle(Object.values(ctx.queues), 30_000);
    await page.goto(`${base}/`);
    await page.click('header a[href="/pages/given-up"]');
    await page.waitForURL(`${base}/pages/given-up`);
    const listed = page.locator(`tr[data-given-up="${id}"]`);
    expect(await listed.locator('.state').innerText()).toBe('gone');
    expect(await listed.innerText()).toContain(`${link}: HTTP 410`);
    expect(await listed.innerText()).toContain('Withdrawn story');

    scenario.fixtures.setRoute('/news/withdrawn.html', {
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><html lang="en"><head><title>Story restored</title></head><body><article><h1>Story restored</h1><p>Kuwait and NATO officials met again on Wednesday to review the partnership and agreed on a schedule of further meetings in the coming months, according to a statement.</p></article></body></html>',
    });
    await listed.locator('button', { hasText: 'Re-drive' }).click();
    await page.waitForURL(`${base}/pages/given-up`);
    expect(await page.locator(`tr[data-given-up="${id}"]`).count()).toBe(0);
    await waitForIdle(Object.values(ctx.queues), 30_000);
    const done = (await ctx.queues.scrape.getJob(id))!;
    const stored = await ctx.stores.articles.get((done.returnvalue as { articleId: string }).articleId);
    expect(stored?.title).toBe('Story restored');
  });

  it('opens bull-board with the same session', async () => {
    await page.click('header a[href="/admin/queues"]');
    await page.waitForURL(`${base}/admin/queues`);
    await expect.poll(() => page.locator('body').innerText(), { timeout: 15_000 }).toContain('deliver');
  });
});
