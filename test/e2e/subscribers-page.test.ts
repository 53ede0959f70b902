// The /subscribers page in a real browser (Debian's Chromium driven by playwright-core) against
// the operator app listening on 127.0.0.1 over real Redis: log in, add a subscriber through the
// form (a bad email refused beside the field), edit it, pause it and see it shown paused, find
// an unsubscribed recipient and subscribe it again with a consent note, delete the subscriber.
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../src/domain/alerts';
import { createLogger } from '../../src/log';
import { generateWebhookSecret } from '../../src/notify/webhook';
import { deleteKeys } from '../../src/store/redis';
import { launchChromium, type Chromium } from '../support/chromium';
import { createContext, type Context } from '../../workers/context';
import { testConfig } from '../support/config';
import { operatorApp } from '../support/operator';

const config = testConfig('e2e-subscribers', {
  OPERATOR_TOKEN: 'subscribers-page-operator-token-0123456789',
  EVENTS_FILE: 'test/no-events.yml',
});
/** Declared in subscribers.yml: read-only here, but it can be paused and subscribed again. */
const declared: Subscriber = {
  id: 'gulf-desk',
  name: 'مكتب الخليج',
  email: ['desk@example.org'],
  filters: {},
};
const secret = generateWebhookSecret();
const ARABIC_NAME = 'محللة شؤون الخليج';

let ctx: Context;
let app: FastifyInstance;
let base: string;
let chrome: Chromium | undefined;
let page: Page;

beforeAll(async () => {
  ctx = await createContext(config, createLogger('silent'), { feeds: [], subscribers: [declared] });
  // Its recipient followed the unsubscribe link of an email.
  await ctx.delivery.stores.subscribers.unsubscribe('gulf-desk', 'email', new Date('2026-11-30T08:15:00Z'));
  app = await operatorApp(config, ctx);
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  chrome = await launchChromium();
  ({ page } = chrome);
}, 90_000);

afterAll(async () => {
  await chrome?.close();
  await app?.close();
  if (ctx) {
    await deleteKeys(ctx.redis, config.prefix);
    await ctx.close();
  }
});

const row = (id: string) => page.locator(`tr[data-subscriber="${id}"]`);
const store = () => ctx.delivery.stores.subscribers;

describe('the subscribers page', () => {
  it('logs in and reaches /subscribers from the navigation', async () => {
    await page.goto(`${base}/subscribers`);
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.fill('input[name=token]', config.operatorToken);
    await page.click('button[type=submit]');
    await page.waitForURL(`${base}/subscribers`);
    expect(await page.locator('h1').innerText()).toBe('Subscribers');
    expect(await page.locator('header a[aria-current=page]').innerText()).toBe('Subscribers');
    // The declared subscriber: its Arabic name right-to-left, no delete, the file named.
    const desk = row('gulf-desk');
    const name = desk.locator('td a span[dir=auto]');
    expect(await name.innerText()).toBe(declared.name);
    expect(await name.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    expect(await desk.locator('button', { hasText: 'Delete' }).count()).toBe(0);
    expect(await desk.innerText()).toContain('change it in subscribers.yml');
  });

  it('refuses a bad email beside the field, naming it, and keeps what was typed', async () => {
    const form = page.locator('#add-subscriber');
    await form.locator('input[name=id]').fill('gulf-analyst');
    await form.locator('input[name=name]').fill(ARABIC_NAME);
    await form.locator('input[name=email]').fill('analyst-at-example.org');
    await form.locator('button[type=submit]').click();
    const error = page.locator('#add-subscriber #email-error');
    await expect
      .poll(() => error.innerText())
      .toContain('email.0: "analyst-at-example.org" is not an email address');
    expect(await page.locator('#add-subscriber input[name=email]').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('#add-subscriber input[name=name]').inputValue()).toBe(ARABIC_NAME);
    expect(await row('gulf-analyst').count()).toBe(0);
    expect(await store().get('gulf-analyst')).toBeUndefined();
  });

  it('adds the subscriber through the form and lists it, its webhook secret never in full', async () => {
    const form = page.locator('#add-subscriber');
    await form.locator('input[name=email]').fill('analyst@example.org');
    await form.locator('input[name=webhookUrl]').fill('https://receiver.example.org/hook');
    await form.locator('input[name=webhookSecret]').fill(secret);
    await form.locator('input[name=kinds][value="expectation.fulfilled"]').check();
    await form.locator('input[name=entities]').fill('kuwait, nato');
    await form.locator('button[type=submit]').click();
    await page.waitForURL(/\/subscribers\?added=gulf-analyst/);
    expect(await page.locator('#notice').innerText()).toContain('Added subscriber gulf-analyst');
    const added = row('gulf-analyst');
    expect(await added.locator('td a span[dir=auto]').innerText()).toBe(ARABIC_NAME);
    expect(await added.innerText()).toContain('analyst@example.org');
    expect(await added.innerText()).toContain(`secret ${secret.slice(0, 10)}…`);
    expect(await page.content()).not.toContain(secret);
    expect(await store().get('gulf-analyst')).toMatchObject({
      email: ['analyst@example.org'],
      webhook: { url: 'https://receiver.example.org/hook', secrets: [secret] },
      filters: { kinds: ['expectation.fulfilled'], entities: ['kuwait', 'nato'] },
    });
  });

  it('edits it on its page, keeping the secret left blank', async () => {
    await row('gulf-analyst').locator('td a').first().click();
    await page.waitForURL(`${base}/subscribers/gulf-analyst`);
    const form = page.locator('#edit-subscriber');
    expect(await form.locator('input[name=webhookSecret]').inputValue()).toBe('');
    expect(await page.content()).not.toContain(secret);
    await form.locator('input[name=name]').fill('Gulf analyst');
    await form.locator('input[name=email]').fill('analyst@example.org, second@example.org');
    await form.locator('input[name=minScore]').fill('2');
    await form.locator('button[type=submit]').click();
    await expect
      .poll(() => page.locator('#edit-subscriber #minScore-error').innerText())
      .toContain('filters.minScore: must be between 0 and 1');
    await page.locator('#edit-subscriber input[name=minScore]').fill('0.6');
    await page.locator('#edit-subscriber button[type=submit]').click();
    await page.waitForURL(`${base}/subscribers/gulf-analyst?saved=true`);
    expect(await page.locator('#notice').innerText()).toBe('Saved.');
    expect(await page.locator('#subscriber h2').innerText()).toContain('Gulf analyst');
    expect(await store().get('gulf-analyst')).toMatchObject({
      name: 'Gulf analyst',
      email: ['analyst@example.org', 'second@example.org'],
      webhook: { secrets: [secret] },
      filters: { minScore: 0.6 },
    });
  });

  it('pauses it and shows it paused, then resumes it', async () => {
    await page.goto(`${base}/subscribers`);
    await row('gulf-analyst').locator('button', { hasText: 'Pause' }).click();
    await expect
      .poll(() => row('gulf-analyst').locator('.subscriber-state').innerText())
      .toMatch(/^paused\s+since /);
    expect(await store().pauseState('gulf-analyst')).toBeDefined();
    await row('gulf-analyst').locator('button', { hasText: 'Resume' }).click();
    await expect.poll(() => row('gulf-analyst').locator('.subscriber-state').innerText()).toBe('active');
    // Paused once more: the declared one may be paused too.
    await row('gulf-desk').locator('button', { hasText: 'Pause' }).click();
    await expect.poll(() => row('gulf-desk').locator('.subscriber-state').innerText()).toMatch(/^paused/);
    await row('gulf-analyst').locator('button', { hasText: 'Pause' }).click();
    await expect.poll(() => row('gulf-analyst').locator('.subscriber-state').innerText()).toMatch(/^paused/);
  });

  it('lists the unsubscribed recipient and subscribes it again only with a consent note, which its page shows', async () => {
    const listed = page.locator('tr[data-unsubscribed="gulf-desk:email"]');
    expect(await listed.innerText()).toContain('desk@example.org');
    expect(await listed.locator('time').getAttribute('datetime')).toBe('2026-11-30T08:15:00.000Z');
    await listed.locator('input[name=by]').fill('Noura');
    await listed.locator('button', { hasText: 'Subscribe again' }).click();
    const consentError = page.locator('#resubscribe-gulf-desk-email-consent-error');
    await expect.poll(() => consentError.innerText()).toContain('consent: ');
    expect(await page.locator('tr[data-unsubscribed="gulf-desk:email"] input[name=by]').inputValue()).toBe(
      'Noura',
    );
    expect((await store().channelState('gulf-desk', 'email')).unsubscribedAt).toBeDefined();

    const note = 'وافقت هاتفيا — asked by phone 2026-12-04';
    await page.locator('tr[data-unsubscribed="gulf-desk:email"] textarea[name=consent]').fill(note);
    await page
      .locator('tr[data-unsubscribed="gulf-desk:email"] button', { hasText: 'Subscribe again' })
      .click();
    await page.waitForURL(/\/subscribers\?resubscribed=gulf-desk/);
    expect(await page.locator('tr[data-unsubscribed]').count()).toBe(0);
    expect((await store().channelState('gulf-desk', 'email')).unsubscribedAt).toBeUndefined();

    await row('gulf-desk').locator('td a').first().click();
    await page.waitForURL(`${base}/subscribers/gulf-desk`);
    const consent = page.locator('#consents tr.consent');
    expect(await consent.count()).toBe(1);
    const cells = await consent.locator('td').allInnerTexts();
    expect(cells.slice(1, 4)).toEqual(['email', 'Noura', note]);
    expect(cells[4]).toBe('30 Nov 2026, 08:15 UTC');
    expect(
      await consent
        .locator('td span[dir=auto]')
        .nth(1)
        .evaluate((el) => getComputedStyle(el).direction),
    ).toBe('rtl');
    expect(await page.locator('#edit').innerText()).toContain('change it in subscribers.yml');
  });

  it('deletes the subscriber added at run time', async () => {
    await page.goto(`${base}/subscribers`);
    await row('gulf-analyst').locator('button', { hasText: 'Delete' }).click();
    await page.waitForURL(/\/subscribers\?deleted=gulf-analyst/);
    expect(await row('gulf-analyst').count()).toBe(0);
    expect(await page.locator('#notice').innerText()).toContain('Deleted subscriber gulf-analyst');
    expect(await store().get('gulf-analyst')).toBeUndefined();
    expect(await store().pauseState('gulf-analyst')).toBeUndefined();
    expect(await row('gulf-desk').count()).toBe(1);
  });
});
