// The /watches page in a real browser (Debian's Chromium through playwright-core) against the
// service listening on 127.0.0.1 with every role: an operator logs in, is refused beside the field
// for a bad watch, creates one by keyword and one with the entity picker, deletes a third; then the
// feeds publish, are polled, and the watches' article.match alerts arrive at the subscriber by
// signed webhook and by email (a real SMTP server, read back).
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertData } from '../../src/domain/alert-payload';
import { generateWebhookSecret } from '../../src/notify/webhook';
import { launchChromium, type Chromium } from '../support/chromium';
import { waitForIdle } from '../../src/demo/idle';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/demo/webhook-receiver';
import { enqueuePoll } from '../../workers/scheduler';
import { startOperatorService, type OperatorService } from '../support/operator';
import {
  ARABIC_KUWAIT,
  ARABIC_OTHER,
  ENGLISH_KUWAIT_NATO,
  startWatchSite,
  type WatchSite,
} from '../support/watch-site';

let site: WatchSite;
let smtp: TestSmtpServer;
let hook: WebhookReceiver;
let svc: OperatorService;
let chrome: Chromium | undefined;
let page: Page;
const secret = generateWebhookSecret();

async function pollAll(slot: number) {
  for (const feed of site.feeds) await enqueuePoll(svc.service.ctx, feed.id, slot);
  await waitForIdle(Object.values(svc.service.ctx.queues), 60_000);
}

beforeAll(async () => {
  site = await startWatchSite();
  smtp = await startSmtpServer();
  hook = await startWebhookReceiver({ secret });
  svc = await startOperatorService(
    'e2e-watches',
    ['poll', 'scrape', 'analyze', 'alert', 'deliver', 'http'],
    {
      feeds: site.feeds,
      subscribers: [
        {
          id: 'gulf-desk',
          name: 'Gulf desk',
          email: ['desk@example.org'],
          webhook: { url: hook.url, secrets: [secret] },
          filters: { kinds: ['expectation.fulfilled'] },
        },
      ],
    },
    { SMTP_URL: smtp.url, MAIL_FROM: 'newswatch <alerts@newswatch.test>' },
  );
  await pollAll(1); // empty feeds: no backlog
  chrome = await launchChromium();
  ({ page } = chrome);
}, 90_000);

afterAll(async () => {
  await chrome?.close();
  await svc?.close();
  await Promise.all([site?.close(), smtp?.close(), hook?.close()]);
});

const form = '#add-watch';

describe('the /watches page', () => {
  it('is reached from the navigation after logging in, and lists no watch yet', async () => {
    await page.goto(`${svc.url}/watches`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=token]', svc.token);
    await page.click('button[type=submit]');
    await page.waitForURL(`${svc.url}/watches`);
    await page.goto(`${svc.url}/`);
    await page.click('header a[href="/watches"]');
    await page.waitForURL(`${svc.url}/watches`);
    expect(await page.locator('h1').innerText()).toBe('Watches');
    expect(await page.locator('#watches').innerText()).toContain('No watch yet');
  });

  it('refuses a bad watch beside the fields at fault, keeping what was typed', async () => {
    await page.selectOption(`${form} select[name=subscriberId]`, 'gulf-desk');
    await page.fill(`${form} textarea[name=keywords]`, 'الكويت\n"unclosed phrase');
    await page.click(`${form} button[type=submit]`);
    await expect.poll(() => page.locator('#name-error').innerText()).toContain('must not be empty');
    expect(await page.locator('#keywords-error').innerText()).toContain('line 2: has a quotation mark');
    expect(await page.locator(`${form} textarea[name=keywords]`).inputValue()).toBe(
      'الكويت\n"unclosed phrase',
    );
    expect(await page.locator(`${form} select[name=subscriberId]`).inputValue()).toBe('gulf-desk');
    expect(await page.locator('tr[data-watch]').count()).toBe(0);
  });

  it('creates a watch by keyword and one with the entity picker, and lists both', async () => {
    await page.fill(`${form} input[name=name]`, 'الكويت');
    await page.fill(`${form} textarea[name=keywords]`, 'الكويت\n');
    await page.click(`${form} button[type=submit]`);
    await page.waitForURL(/\/watches#wt_/);
    const arabic = page.locator('tr[data-watch]', { hasText: 'الكويت' });
    expect(await arabic.locator('.keywords li').allInnerTexts()).toEqual(['الكويت']);
    expect(await arabic.locator('td').nth(1).innerText()).toContain('Gulf desk');

    await page.selectOption(`${form} select[name=subscriberId]`, 'gulf-desk');
    await page.fill(`${form} input[name=name]`, 'Kuwait and NATO in English');
    await page.selectOption(`${form} select[name=entities]`, ['kuwait', 'nato']);
    await page.selectOption(`${form} select[name=entityMatch]`, 'all');
    await page.selectOption(`${form} select[name=language]`, 'en');
    await page.click(`${form} button[type=submit]`);
    await page.waitForURL(/\/watches#wt_/);
    const english = page.locator('tr[data-watch]', { hasText: 'Kuwait and NATO in English' });
    expect(await english.locator('td').nth(2).innerText()).toBe('Kuwait and NATO');
    expect(await english.locator('td').nth(4).innerText()).toBe('en');
    expect(await page.locator('tr[data-watch]').count()).toBe(2);
  });

  it('deletes a watch with its button', async () => {
    await page.selectOption(`${form} select[name=subscriberId]`, 'gulf-desk');
    await page.fill(`${form} input[name=name]`, 'Oman');
    await page.fill(`${form} textarea[name=keywords]`, 'عمان');
    await page.click(`${form} button[type=submit]`);
    await page.waitForURL(/\/watches#wt_/);
    expect(await page.locator('tr[data-watch]').count()).toBe(3);
    await page
      .locator('tr[data-watch]', { hasText: 'Oman' })
      .locator('button', { hasText: 'Delete' })
      .click();
    await page.waitForURL(`${svc.url}/watches`);
    expect(await page.locator('tr[data-watch]').count()).toBe(2);
    expect(await page.locator('tr[data-watch]', { hasText: 'Oman' }).count()).toBe(0);
  });

  it("delivers the watches' article.match by webhook and email once the feeds publish", async () => {
    site.publish(ARABIC_KUWAIT, ARABIC_OTHER, ENGLISH_KUWAIT_NATO);
    await pollAll(2);
    const got = hook
      .accepted()
      .filter((d) => d.verified)
      .map((d) => (d.payload as { type: string; data: AlertData }).data);
    expect(got.map((a) => [a.kind, a.watch?.name, a.sources[0]?.url]).sort()).toEqual(
      [
        ['article.match', 'Kuwait and NATO in English', site.urlOf(ENGLISH_KUWAIT_NATO)],
        ['article.match', 'الكويت', site.urlOf(ARABIC_KUWAIT)],
      ].sort(),
    );
    expect(
      smtp
        .accepted()
        .map((m) => m.parsed.subject)
        .sort(),
    ).toEqual(
      [`Kuwait and NATO in English: ${ENGLISH_KUWAIT_NATO.title}`, `الكويت: ${ARABIC_KUWAIT.title}`].sort(),
    );
    // The deleted watch («عمان») met the Oman article, and raised nothing.
    expect(got.some((a) => a.sources[0]?.url === site.urlOf(ARABIC_OTHER))).toBe(false);
  }, 90_000);
});
