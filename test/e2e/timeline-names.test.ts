// The timeline asked for by name, in a real browser (Debian's Chromium driven by playwright-core)
// after the seed scenario has run: an operator types «الكويت» or "Kuwait" rather than the id
// `kuwait`, picks names from the list the form offers, is told what a misspelt name may have
// meant, and on the alerts page reads the fulfilment's two articles each on its own labelled line.
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log';
import { launchChromium, type Chromium } from '../support/chromium';
import { startSeedScenario, type SeedScenario } from '../../src/demo/seed-scenario';
import { testConfig } from '../support/config';
import { operatorApp } from '../support/operator';

const config = testConfig('e2e-timeline-names', {
  OPERATOR_TOKEN: 'timeline-names-operator-token-0123456789',
  EVENTS_FILE: 'test/no-events.yml',
  HOST_MIN_DELAY_MS: '0',
});

let scenario: SeedScenario;
let app: FastifyInstance;
let base: string;
let chrome: Chromium | undefined;
let page: Page;

beforeAll(async () => {
  scenario = await startSeedScenario(config, createLogger('silent'));
  await scenario.poll();
  await scenario.publishSecond();
  await scenario.poll();
  app = await operatorApp(config, scenario.service.ctx);
  base = await app.listen({ host: '127.0.0.1', port: 0 });
  chrome = await launchChromium();
  ({ page } = chrome);
  await page.goto(`${base}/login`);
  await page.fill('input[name=token]', config.operatorToken);
  await page.click('button[type=submit]');
  await page.waitForURL(`${base}/`);
}, 90_000);

afterAll(async () => {
  await chrome?.close();
  await app?.close();
  await scenario?.close();
});

/** Types into the timeline form as an operator would, and submits it. */
async function showTimeline(typed: string): Promise<void> {
  await page.goto(`${base}/timeline`);
  await page.locator('input[name=entities]').fill(typed);
  await page.locator('form[action="/timeline"] button[type=submit]').click();
  await page.waitForURL((url) => url.pathname === '/timeline' && url.search !== '');
}

/** The rows of the timeline: date, type and parties as shown. */
async function rows(): Promise<{ date: string; type: string; parties: string }[]> {
  return page.locator('tr[data-event]').evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => (td as HTMLElement).innerText.trim());
      return { date: cells[0]!, type: cells[1]!, parties: cells[2]! };
    }),
  );
}

describe('the timeline by name', () => {
  it('offers the known entities by their names in both languages', async () => {
    await page.goto(`${base}/timeline`);
    const list = await page.locator('input[name=entities]').getAttribute('list');
    const values = await page
      .locator(`datalist#${list} option`)
      .evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
    expect(values).toContain('Kuwait');
    expect(values).toContain('الكويت');
    expect(values).toContain('NATO');
    expect(values).toContain('الناتو');
  });

  it.each([['الكويت'], ['Kuwait'], ['كويت'], ['الكويت، الناتو'], ['Kuwait and NATO']])(
    'typing %s shows the Kuwait–NATO events, dated in words',
    async (typed) => {
      await showTimeline(typed);
      expect(await page.locator('h1').innerText()).toMatch(/^Timeline: Kuwait( – NATO)?$/);
      const kuwaitNato = (await rows()).filter((r) => /Kuwait/.test(r.parties) && /NATO/.test(r.parties));
      // The seed pair: the meeting of 14 January, the dialogue of 28 January, and the history.
      expect(kuwaitNato.map((r) => r.date)).toEqual(
        expect.arrayContaining(['reported 14 Jan 2026', '28 Jan 2026']),
      );
      expect(kuwaitNato.find((r) => r.date === '28 Jan 2026')!.type).toBe('dialogue');
      // What was typed stays in the field, and nothing leaks as an id or an ISO day.
      expect(await page.locator('input[name=entities]').inputValue()).toBe(typed);
      const body = await page.locator('main').innerText();
      expect(body).not.toMatch(/\d{4}-\d\d-\d\d/);
      expect(body).not.toContain('kuwait-city');
    },
  );

  it('answers a name it does not know with the names it may have meant, each a link that works', async () => {
    await showTimeline('Kuwiat, NATO');
    const error = page.locator('#entities-error');
    expect(await error.innerText()).toContain('"Kuwiat" is not a known entity name or id');
    expect(await page.locator('input[name=entities]').getAttribute('aria-invalid')).toBe('true');
    const suggestion = page.locator('.suggestions a', { hasText: 'Kuwait' }).first();
    expect(await suggestion.innerText()).toBe('Kuwait (الكويت)');
    await suggestion.click();
    await page.waitForURL((url) => url.searchParams.get('entities') === 'Kuwait, NATO');
    expect(await page.locator('h1').innerText()).toBe('Timeline: Kuwait – NATO');
    expect((await rows()).length).toBeGreaterThan(0);
  });
});

describe('the fulfilment on the alerts page', () => {
  it('shows the article that expected it and the one that reported it, labelled, each on its own line', async () => {
    await page.goto(`${base}/alerts`);
    const row = page.locator('tr[data-alert]', { has: page.locator('[data-kind="expectation.fulfilled"]') });
    expect(await row.count()).toBe(1);
    expect(await row.locator('[data-kind]').innerText()).toBe('Expectation fulfilled');
    const expected = row.locator('li[data-role="expected"]');
    const reported = row.locator('li[data-role="reported"]');
    expect(await expected.innerText()).toMatch(
      /^Expected in: .+ \(Seed fixture feed, \d+ Jan 2026, \d\d:\d\d UTC\)$/,
    );
    expect(await reported.innerText()).toMatch(
      /^Reported in: .+ \(Seed fixture feed, \d+ Jan 2026, \d\d:\d\d UTC\)$/,
    );
    expect(new URL((await expected.locator('a').getAttribute('href'))!).pathname).toBe(
      '/news/nato-kuwait-partner.html',
    );
    expect(new URL((await reported.locator('a').getAttribute('href'))!).pathname).toBe(
      '/news/kuwait-nato-dialogue.html',
    );
    // Two lines, not two Arabic titles run together on one.
    const [a, b] = [(await expected.boundingBox())!, (await reported.boundingBox())!];
    expect(b.y).toBeGreaterThanOrEqual(a.y + a.height);
    // Each Arabic title is set right-to-left inside its line.
    const title = expected.locator('a span');
    expect(await title.innerText()).toMatch(/[\u0621-\u064A]/);
    expect(await title.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
  });
});
