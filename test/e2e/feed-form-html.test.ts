// Issue 15 on the operator pages in a real browser (Debian's Chromium driven by playwright-core)
// against the running service: a listing page (type html) added through the dashboard form with
// its CSS selectors, a wrong selector refused beside its field; the health summary above the feed
// table, schedule and next poll on one line; Remove asking first, the removed feed listed with a
// Restore button, and restored; and bull-board's link back to the dashboard.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, type Chromium } from '../support/chromium';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { enqueuePoll } from '../../workers/scheduler';
import { eventually, startOperatorService, type OperatorService } from '../support/operator';

const LISTING = (
  base: string,
) => `<!doctype html><html lang="en"><head><title>Ministry news</title></head><body>
<ul class="news">
  <li class="story"><h3>Kuwait and NATO open a political dialogue</h3><a href="${base}/news/1">More</a><span class="when">2026-02-02</span></li>
  <li class="story"><h3>GCC ministers meet in Riyadh</h3><a href="/news/2">More</a><span class="when">2026-02-01</span></li>
</ul></body></html>`;

const RSS = (base: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><title>NATO exercise in the Gulf</title><link>${base}/wire/1</link><pubDate>Mon, 02 Feb 2026 10:00:00 GMT</pubDate></item></channel></rss>`;

let fixtures: FixtureServer;
let svc: OperatorService;
let chrome: Chromium | undefined;
let page: Page;
let wireId: string;

beforeAll(async () => {
  fixtures = await startFixtureServer({
    '/ministry/news.html': { contentType: 'text/html; charset=utf-8', body: LISTING },
    '/wire.xml': { contentType: 'application/rss+xml', body: RSS },
  });
  // No scheduler: the test polls when it means to. The fixture server allowed by address and
  // port, so the probe says why a selector finds nothing (allow-ports.test.ts).
  svc = await startOperatorService('e2e-feed-form-html', ['poll', 'http'], undefined, {
    FETCH_ALLOW_PRIVATE: `127.0.0.1:${new URL(fixtures.baseUrl).port}`,
  });
  const wire = await svc.call('POST', '/api/feeds', { url: `${fixtures.baseUrl}/wire.xml`, name: 'Wire' });
  wireId = wire.body.feed.id;
  await enqueuePoll(svc.service.ctx, wireId, 1);
  await eventually('the wire to be polled', async () =>
    (await svc.call('GET', `/api/feeds/${wireId}`)).body.feed.health.lastSuccessAt ? true : undefined,
  );
  // Narrow enough that a table of nine columns would wrap its cells if it could.
  chrome = await launchChromium({ viewport: { width: 900, height: 900 } });
  ({ page } = chrome);
  await page.goto(`${svc.url}/login`);
  await page.fill('input[name=token]', svc.token);
  await page.click('button[type=submit]');
  await page.waitForURL(`${svc.url}/`);
}, 90_000);

afterAll(async () => {
  await chrome?.close();
  await svc?.close();
  await fixtures?.close();
});

const form = () => page.locator('#add-feed');
const summary = () => page.locator('#feed-summary').innerText();

describe('a listing page through the add-feed form', () => {
  it('shows the selector fields once Type "listing page" is chosen, without script', async () => {
    expect(await page.locator('main script').count()).toBe(0);
    expect(await form().locator('input[name="selectors.item"]').isVisible()).toBe(false);
    await form().locator('select[name=type]').selectOption('html');
    expect(await form().locator('input[name="selectors.item"]').isVisible()).toBe(true);
    expect(await form().locator('#listing-selectors').innerText()).toContain('Only for Type "listing page"');
  });

  it('refuses a link selector that finds no link, beside its field, keeping what was typed', async () => {
    await form().locator('input[name=url]').fill(`${fixtures.baseUrl}/ministry/news.html`);
    await form().locator('input[name=name]').fill('Ministry news');
    await form().locator('input[name="selectors.item"]').fill('li.story');
    await form().locator('input[name="selectors.link"]').fill('a.read-more');
    await form().locator('input[name="selectors.title"]').fill('h3');
    await form().locator('button[type=submit]').click();
    const error = page.locator('#selectors-link-error');
    await expect.poll(() => error.innerText()).toContain('"a.read-more" finds no link');
    expect(await error.innerText()).toContain('2 items "li.story" matches');
    const link = form().locator('input[name="selectors.link"]');
    expect(await link.getAttribute('aria-invalid')).toBe('true');
    expect(await link.getAttribute('aria-describedby')).toBe('selectors-link-error');
    // The form comes back as it was sent: a listing page, its selectors shown and filled in.
    expect(await form().locator('select[name=type]').inputValue()).toBe('html');
    expect(await form().locator('input[name="selectors.item"]').inputValue()).toBe('li.story');
    expect(await form().locator('input[name="selectors.title"]').isVisible()).toBe(true);
    expect(await page.locator('#url-error').count()).toBe(0);
    expect(await page.locator('tr[data-feed]').count()).toBe(1);
  });

  it('refuses an item selector that matches nothing beside that field', async () => {
    await form().locator('input[name="selectors.item"]').fill('article.card');
    await form().locator('input[name="selectors.link"]').fill('a');
    await form().locator('button[type=submit]').click();
    await expect
      .poll(() => page.locator('#selectors-item-error').innerText())
      .toContain('"article.card" matches nothing on the page');
    expect(await page.locator('#selectors-link-error').count()).toBe(0);
  });

  it('adds it with good selectors, shows what the probe read, and lists it as html', async () => {
    await form().locator('input[name="selectors.item"]').fill('li.story');
    await form().locator('input[name="selectors.date"]').fill('.when');
    await form().locator('button[type=submit]').click();
    const probe = page.locator('#probe-result');
    await expect.poll(() => probe.innerText()).toContain('HTML with 2 items');
    expect(await probe.locator('li').first().innerText()).toContain(
      'Kuwait and NATO open a political dialogue',
    );
    const row = page.locator('tr[data-feed="ministry-news"]');
    expect(await row.locator('td').first().innerText()).toContain('ministry-news · html · en');
    const stored = (await svc.call('GET', '/api/feeds/ministry-news')).body.feed;
    expect(stored.selectors).toEqual({ item: 'li.story', link: 'a', title: 'h3', date: '.when' });
  });
});

describe('the feed table', () => {
  it('sums up the feeds’ health in one line above it', async () => {
    await page.goto(`${svc.url}/`);
    const line = page.locator('#feeds > p#feed-summary');
    expect(await line.count()).toBe(1);
    expect(await line.evaluate((el) => (el.nextElementSibling as HTMLElement | null)?.tagName ?? '')).toBe(
      'TABLE',
    );
    expect(await summary()).toBe(
      '2 feeds: 1 ok, 0 backing off, 0 failing, 0 paused, 1 never polled; 0 removed',
    );
  });

  it('keeps the schedule and the next poll on one line', async () => {
    const row = page.locator(`tr[data-feed="${wireId}"]`);
    // An inline element broken over two lines has two client rectangles.
    const lines = (selector: string) => row.locator(selector).evaluate((el) => el.getClientRects().length);
    expect(await lines('code')).toBe(1);
    expect(await lines('td:nth-child(7) time')).toBe(1);
  });
});

describe('removing and restoring a feed', () => {
  it('asks first: Remove opens a confirmation, and Cancel removes nothing', async () => {
    await page.locator(`tr[data-feed="${wireId}"]`).locator('button', { hasText: 'Remove' }).click();
    await page.waitForURL(new RegExp(`/feeds/${wireId}/remove`));
    const confirm = page.locator('#confirm-remove');
    expect(await confirm.innerText()).toContain(`Remove Wire (${wireId})?`);
    await confirm.locator('a', { hasText: 'Cancel' }).click();
    await page.waitForURL(`${svc.url}/#feeds`);
    expect(await page.locator(`tr[data-feed="${wireId}"]`).count()).toBe(1);
    expect(await page.locator('#removed-feeds').count()).toBe(0);
  });

  it('removes it once confirmed, and lists it among the removed feeds', async () => {
    await page.locator(`tr[data-feed="${wireId}"]`).locator('button', { hasText: 'Remove' }).click();
    await page.locator('#confirm-remove button', { hasText: 'Remove feed' }).click();
    await page.waitForURL(`${svc.url}/#removed-feeds`);
    expect(await page.locator(`tr[data-feed="${wireId}"]`).count()).toBe(0);
    const removed = page.locator(`#removed-feeds tr[data-removed-feed="${wireId}"]`);
    expect(await removed.innerText()).toContain('Wire');
    expect(await removed.locator('td.num').innerText()).toBe('1'); // its items seen, kept
    expect(await summary()).toBe(
      '1 feed: 0 ok, 0 backing off, 0 failing, 0 paused, 1 never polled; 1 removed',
    );
  });

  it('restores it with its button: back in the feed table, with its history', async () => {
    await page.locator(`tr[data-removed-feed="${wireId}"] button`, { hasText: 'Restore' }).click();
    await page.waitForURL(`${svc.url}/#feeds`);
    const row = page.locator(`tr[data-feed="${wireId}"]`);
    expect(await row.locator('.state').innerText()).toBe('ok');
    expect(await row.locator('td').nth(5).innerText()).toBe('1');
    expect(await page.locator('#removed-feeds').count()).toBe(0);
    expect(await summary()).toBe(
      '2 feeds: 1 ok, 0 backing off, 0 failing, 0 paused, 1 never polled; 0 removed',
    );
  });
});

describe('bull-board', () => {
  it('is titled for newswatch and links back to the dashboard', async () => {
    await page.click('header a[href="/admin/queues"]');
    await page.waitForURL(`${svc.url}/admin/queues`);
    const header = page.locator('header').first();
    await expect.poll(() => header.innerText(), { timeout: 15_000 }).toContain('newswatch queues');
    // The header's last button opens bull-board's menu of the host application's links.
    await header.locator('ul > li:last-child button').click();
    await page.getByRole('menuitem', { name: 'newswatch dashboard' }).click();
    await page.waitForURL(`${svc.url}/`);
    expect(await page.locator('h1').innerText()).toBe('Dashboard');
  });
});
