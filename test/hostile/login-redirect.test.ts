// Where logging in sends the browser, and what the log keeps of it (issue 13, findings 2 and 3).
// `next=/\t/host` passed the old check ("a slash not followed by / or \"), and a browser, which
// drops tabs and newlines from URLs, read the redirect as `//host` and left the site. A `next`
// in Arabic, or with CR/LF, made the redirect throw: a 500 whose error line printed the request
// URL, `?token=` and all. Here the hostile nexts go through the form and the link over real HTTP,
// and one through a real Chromium towards an "attacker" on another loopback port; then every log
// line of the run, a 500 included, is searched for the token.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { recordingLogger } from '../support/logs';
import { startOperatorService, type OperatorService } from '../support/operator';
import { CHROMIUM_OPTIONS } from '../support/chromium';

const logs = recordingLogger();
let svc: OperatorService;
let attacker: FixtureServer;

beforeAll(async () => {
  svc = await startOperatorService('hostile-login-redirect', ['http'], {}, {}, logs.log);
  attacker = await startFixtureServer({
    '/landed': {
      contentType: 'text/html',
      body: '<!doctype html><title>attacker</title>',
      conditional: false,
    },
  });
});

afterAll(async () => {
  await attacker?.close();
  await svc?.close();
});

/** Where a browser goes from a Location header: resolved against the service, as the browser does. */
const landing = (location: string | null) => new URL(location ?? '', `${svc.url}/login`);

async function formLogin(next: string, token = svc.token): Promise<Response> {
  return fetch(`${svc.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: svc.url },
    body: new URLSearchParams({ token, next }).toString(),
    redirect: 'manual',
  });
}

async function linkLogin(next: string, token = svc.token): Promise<Response> {
  return fetch(`${svc.url}/login?token=${encodeURIComponent(token)}&next=${encodeURIComponent(next)}`, {
    redirect: 'manual',
  });
}

describe('the page after logging in', () => {
  const elsewhere = () => new URL(attacker.baseUrl).host; // 127.0.0.1:<attacker port>
  const HOSTILE = (): string[] => [
    `/\t/${elsewhere()}/landed`,
    `/\n/${elsewhere()}/landed`,
    `/\r\n/${elsewhere()}/landed`,
    `\t//${elsewhere()}/landed`,
    ` //${elsewhere()}/landed`,
    `//${elsewhere()}/landed`,
    `///${elsewhere()}/landed`,
    `/\\${elsewhere()}/landed`,
    `\\\\${elsewhere()}/landed`,
    `/.//${elsewhere()}/landed`,
    `/%2e//${elsewhere()}/landed`,
    `/a/..//${elsewhere()}/landed`,
    `${attacker.baseUrl}/landed`,
    `https://evil.example/`,
    'javascript:alert(document.cookie)',
    'data:text/html,<script>alert(1)</script>',
  ];

  it('stays on the service for every hostile next, by the form and by the link', async () => {
    for (const next of HOSTILE()) {
      for (const [how, res] of [
        ['form', await formLogin(next)],
        ['link', await linkLogin(next)],
      ] as const) {
        expect(res.status, `${how} ${JSON.stringify(next)}`).toBe(303);
        const location = res.headers.get('location');
        expect(landing(location).origin, `${how} ${JSON.stringify(next)} -> ${location}`).toBe(svc.url);
        expect(location, `${how} ${JSON.stringify(next)}`).toMatch(/^\/(?![/\\])/);
      }
    }
    expect(attacker.hits.get('/landed') ?? 0).toBe(0);
  });

  it('keeps a next that stays on the service, and only its path', async () => {
    const cases: [string, string][] = [
      ['/alerts', '/alerts'],
      ['/expectations?state=open#list', '/expectations?state=open#list'],
      [`${svc.url}/timeline?entities=kuwait,nato`, '/timeline?entities=kuwait,nato'],
      ['alerts', '/alerts'],
      ['/a/../alerts', '/alerts'],
    ];
    for (const [next, location] of cases) {
      expect((await formLogin(next)).headers.get('location'), next).toBe(location);
      expect((await linkLogin(next)).headers.get('location'), next).toBe(location);
    }
  });

  it('renders the login form with a next that can only lead back to the service', async () => {
    for (const next of HOSTILE()) {
      const res = await fetch(`${svc.url}/login?next=${encodeURIComponent(next)}`);
      expect(res.status).toBe(200);
      const value = /name="next" value="([^"]*)"/.exec(await res.text())?.[1] ?? '';
      expect(
        landing(
          value.replace(/&#(\d+);/g, (_, c: string) => String.fromCharCode(Number(c))).replace(/&amp;/g, '&'),
        ).origin,
      ).toBe(svc.url);
    }
  });

  it('takes a real Chromium back to the service, not to the page on another port', async () => {
    const profile = await mkdtemp(join(tmpdir(), 'nw-redirect-chromium-'));
    let browser: BrowserContext | undefined;
    try {
      browser = await chromium.launchPersistentContext(profile, CHROMIUM_OPTIONS);
      const page = browser.pages()[0] ?? (await browser.newPage());
      page.setDefaultTimeout(10_000);
      await page.goto(`${svc.url}/login?next=${encodeURIComponent(`/\t/${elsewhere()}/landed`)}`);
      await page.fill('input[name=token]', svc.token);
      await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
      await page.waitForLoadState();
      expect(new URL(page.url()).origin).toBe(svc.url);
      expect(await page.title()).not.toBe('attacker');
      expect(attacker.hits.get('/landed') ?? 0).toBe(0);
    } finally {
      await browser?.close();
      await rm(profile, { recursive: true, force: true });
    }
  });
});

describe('a next in Arabic, or with CR/LF', () => {
  const ARABIC = '/تقرير?بلد=الكويت#الحوار';

  it('is percent-encoded into the Location, not a 500', async () => {
    const encoded =
      '/%D8%AA%D9%82%D8%B1%D9%8A%D8%B1?%D8%A8%D9%84%D8%AF=%D8%A7%D9%84%D9%83%D9%88%D9%8A%D8%AA#%D8%A7%D9%84%D8%AD%D9%88%D8%A7%D8%B1';
    for (const res of [await linkLogin(ARABIC), await formLogin(ARABIC)]) {
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe(encoded);
      expect(res.headers.get('set-cookie')).toMatch(/^nw_session=/);
    }
    // Characters above U+00FF of every kind: none reaches the header raw.
    for (const next of ['/ملف', '/\u{1F600}', '/\u2028x', '/\uFEFF', '/caf\u00e9']) {
      const res = await linkLogin(next);
      expect(res.status, JSON.stringify(next)).toBe(303);
      expect(res.headers.get('location')).toMatch(/^\/[\x21-\x7e]*$/);
    }
  });

  it('loses its CR/LF, so no header can be injected', async () => {
    for (const res of [
      await linkLogin('/alerts\r\nSet-Cookie: planted=1'),
      await formLogin('/alerts\r\nSet-Cookie: planted=1'),
    ]) {
      expect(res.status).toBe(303);
      expect(res.headers.get('location')).toBe('/alertsSet-Cookie:%20planted=1');
      expect(res.headers.getSetCookie()).toHaveLength(1);
      expect(res.headers.get('set-cookie')).not.toContain('planted');
    }
  });
});

describe('the log of all this', () => {
  it('holds no token from a query string, on the error paths too', async () => {
    const wrong = `wrong-${svc.token.slice(0, 6)}-guess-${Date.now()}`;
    // A failing login by link, with a hostile next; a wrong Bearer token.
    expect((await linkLogin('/تقرير\r\n', wrong)).status).toBe(401);
    expect(
      (await svc.call('GET', `/api/feeds?token=${encodeURIComponent(wrong)}`, undefined, { token: wrong }))
        .status,
    ).toBe(401);
    // A route asked with the token in a query it does not take (400: every route validates its
    // query), and a 500: the route's Redis key has the wrong type.
    await svc.service.ctx.redis.set(`${svc.config.prefix}dead-letters:by-time`, 'not a sorted set');
    const refused = await svc.call('GET', `/api/dead-letters?token=${encodeURIComponent(svc.token)}`);
    expect(refused.status).toBe(400);
    const failed = await svc.call('GET', `/api/dead-letters`);
    expect(failed.status).toBe(500);
    await svc.service.ctx.redis.del(`${svc.config.prefix}dead-letters:by-time`);

    const text = logs.text();
    for (const secret of [svc.token, encodeURIComponent(svc.token), wrong, svc.token.slice(4, 20)])
      expect(text.includes(secret), `the log holds ${secret}`).toBe(false);
    expect(text).not.toMatch(/[?&]token=/);
    // The run was logged: the 500 with its request (by path) and the refused tokens with the address.
    const lines = logs.lines();
    const error = lines.find((l) => l.level === 50 && l.req !== undefined);
    expect(error?.req).toEqual({
      method: 'GET',
      path: '/api/dead-letters',
      remoteAddress: '127.0.0.1',
    });
    expect(lines.filter((l) => l.msg === 'wrong operator token')).toContainEqual(
      expect.objectContaining({ client: '127.0.0.1', path: '/login' }),
    );
  });
});
