// Security headers, from outside: every answer (pages, the JSON API, bull-board, the API docs,
// even a 401) carries a Content-Security-Policy that allows this origin only and no framing,
// X-Frame-Options: DENY, X-Content-Type-Options: nosniff and Referrer-Policy: same-origin; the
// pages hold no inline script or style for the policy to refuse. Then in a real Chromium (Debian's,
// through playwright-core): another site that frames the login page gets nothing; and an
// operator going through every page, bull-board and the API docs makes no request to any host
// but the service (bull-board's template linked Google Fonts, which an offline deployment cannot
// reach) and meets no Content-Security-Policy violation.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { load } from 'cheerio';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpectationRecord } from '../../src/domain/types';
import { startOperatorService, type OperatorService } from '../support/operator';
import { CHROMIUM_OPTIONS } from '../support/chromium';

let svc: OperatorService;
let profile: string;
let browser: BrowserContext;
let attacker: Server;
let attackerUrl: string;

const expectation: ExpectationRecord = {
  id: 'xp_headers',
  types: ['meeting'],
  participants: ['kuwait', 'nato'],
  due: { from: '2026-02-01', to: '2026-02-28' },
  horizon: 'near future',
  text: 'ومن المتوقع أن يعقد الجانبان اجتماعات أخرى في المستقبل القريب',
  state: 'open',
  source: {
    articleId: 'ar_headers',
    url: 'https://news.example/headers',
    title: 'Kuwait and NATO',
    published: '2026-01-20T08:00:00Z',
    lang: 'ar',
  },
};

beforeAll(async () => {
  svc = await startOperatorService('hostile-headers', ['http']);
  await svc.service.ctx.stores.events.createExpectation(expectation);
  // Another origin (another port on loopback) with a page that frames the service.
  attacker = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><title>Win a prize</title><iframe id="victim" src="${svc.url}/login"></iframe>`);
  });
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve));
  attackerUrl = `http://127.0.0.1:${(attacker.address() as AddressInfo).port}/`;
  profile = await mkdtemp(join(tmpdir(), 'nw-chromium-'));
  browser = await chromium.launchPersistentContext(profile, CHROMIUM_OPTIONS);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (profile) await rm(profile, { recursive: true, force: true });
  await new Promise((resolve) => attacker?.close(resolve));
  await svc?.close();
});

function expectSecurityHeaders(headers: Headers) {
  const csp = headers.get('content-security-policy') ?? '';
  expect(csp).toContain("default-src 'self'");
  expect(csp).toContain("script-src 'self'");
  expect(csp).toContain("style-src 'self'");
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain('unsafe-inline');
  expect(csp).not.toContain('unsafe-eval');
  expect(headers.get('x-frame-options')).toBe('DENY');
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('referrer-policy')).toBe('same-origin');
}

describe('the headers of every answer', () => {
  const PAGES = [
    '/',
    '/expectations',
    '/timeline?entities=kuwait,nato',
    '/alerts',
    '/subscribers',
    '/pages/given-up',
    '/admin/queues',
    '/docs/',
  ];
  it.each(PAGES)('%s', async (path) => {
    const res = await svc.call('GET', path);
    expect(res.status).toBe(200);
    expectSecurityHeaders(res.headers);
  });

  it.each([
    ['the login page', '/login', null],
    ['the unsubscribe page', '/unsubscribe?token=forged', null],
    ['the JSON API', '/api/feeds', undefined],
    ['the stylesheet', '/assets/newswatch.css', null],
    ['a request without the token', '/api/feeds', null],
    ['a route that does not exist', '/nosuch', undefined],
  ] as const)('%s (%s)', async (_what, path, token) => {
    const res = await svc.call('GET', path, undefined, { token });
    expectSecurityHeaders(res.headers);
  });
});

describe('the operator pages', () => {
  const PAGES = [
    '/',
    '/expectations',
    '/timeline?entities=kuwait,nato',
    '/alerts',
    '/subscribers',
    '/pages/given-up',
    '/login',
  ];
  it.each(PAGES)('%s hold no inline script or style: one stylesheet from this origin', async (path) => {
    const res = await svc.call('GET', path);
    const $ = load(res.text);
    expect($('script').length).toBe(0);
    expect($('style').length).toBe(0);
    expect($('[style]').length).toBe(0);
    const handlers = $('*')
      .toArray()
      .flatMap((el) => Object.keys($(el).attr() ?? {}).filter((name) => name.startsWith('on')));
    expect(handlers).toEqual([]);
    expect($('link[rel=stylesheet]').attr('href')).toBe('/assets/newswatch.css');
  });
});

describe('in a real browser', () => {
  it('another site framing the login page gets an empty frame', async () => {
    const page = await browser.newPage();
    try {
      await page.goto(attackerUrl);
      const frame = await (await page.waitForSelector('#victim')).contentFrame();
      await page.waitForTimeout(500); // the frame's navigation settles, blocked or not
      // Blocked, the frame shows Chromium's error page, never the login form.
      expect(await frame!.locator('input[name=token]').count()).toBe(0);
      expect(frame!.url()).not.toBe(`${svc.url}/login`);
    } finally {
      await page.close();
    }
  });

  it('every page, bull-board and the API docs load from the service alone, with no CSP violation', async () => {
    const origin = new URL(svc.url).origin;
    const elsewhere: string[] = [];
    const violations: string[] = [];
    browser.on('request', (request) => {
      const url = new URL(request.url());
      if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && url.origin !== origin)
        elsewhere.push(request.url());
    });
    const page: Page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text()))
        violations.push(`${page.url()}: ${message.text()}`);
    });
    // Outside the page's own scripts (which the policy governs): the browser's report of each violation.
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        console.error(
          `Content Security Policy: ${e.violatedDirective} refused ${e.blockedURI} (${e.sample || e.sourceFile})`,
        ),
      );
    });
    try {
      await page.goto(`${svc.url}/login`);
      await page.fill('input[name=token]', svc.token);
      await page.click('button[type=submit]');
      await page.waitForURL(`${svc.url}/`);
      expect(await page.locator('h1').innerText()).toBe('Dashboard');
      // The stylesheet applies: the header is dark, as layout's CSS says.
      expect(await page.locator('header').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(
        'rgb(29, 35, 48)',
      );

      for (const path of [
        '/expectations',
        '/timeline?entities=kuwait,nato',
        '/alerts',
        '/subscribers',
        '/pages/given-up',
      ]) {
        await page.goto(`${svc.url}${path}`);
        await page.waitForLoadState('networkidle');
      }
      await expect
        .poll(async () => {
          await page.goto(`${svc.url}/expectations`);
          return page
            .locator('article.expectation .sentence')
            .evaluate((el) => getComputedStyle(el).direction);
        })
        .toBe('rtl');

      await page.goto(`${svc.url}/admin/queues`);
      await expect.poll(() => page.locator('body').innerText(), { timeout: 15_000 }).toContain('deliver');
      await page.goto(`${svc.url}/admin/queues/queue/poll`);
      await expect.poll(() => page.locator('body').innerText(), { timeout: 15_000 }).toContain('poll');
      await page.waitForLoadState('networkidle');

      await page.goto(`${svc.url}/docs`);
      await expect.poll(() => page.locator('body').innerText(), { timeout: 15_000 }).toContain('/api/feeds');
      await page.waitForLoadState('networkidle');
    } finally {
      await page.close();
    }
    expect(elsewhere).toEqual([]);
    expect(violations).toEqual([]);
  }, 90_000);
});
