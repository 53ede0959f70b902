// Cross-site request forgery from the same site (issue 13, finding 1). Browsers count every port
// of a host as one site, so SameSite=Strict sends the operator's cookie with a form that a page on
// 127.0.0.1:<another port> posts to the service. The attacker here is a real server on another
// loopback port whose pages auto-submit the dashboard's own forms (pause, remove, add feed,
// logout) and fetch the JSON API with the browser's cookie, in a real Chromium logged in to the
// service; then the same forgeries over plain HTTP for every state-changing route, with every
// spelling of "elsewhere" (another origin, `null`, Sec-Fetch-Site same-site or cross-site, no
// Origin at all). Nothing may change; the service's own pages and a Bearer client still work.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feedSchema, type FeedDefinition } from '../../src/feeds/schema';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { recordingLogger } from '../support/logs';
import { startOperatorService, type OperatorService } from '../support/operator';
import { launchChromium, type Chromium } from '../support/chromium';

const FEEDS = ['gulf-wire', 'nato-desk'];

/** Feeds declared as in feeds.yml; with no scheduler running they are never polled. */
const declared: FeedDefinition[] = FEEDS.map((id) =>
  feedSchema.parse({
    id,
    name: `Feed ${id}`,
    url: `http://127.0.0.1:9/${id}.xml`,
    type: 'rss',
    language: 'en',
    region: ['gulf'],
    schedule: '0 0 1 1 *',
  }),
);

const logs = recordingLogger();
let svc: OperatorService;
let attacker: FixtureServer;
let chrome: Chromium | undefined;
let page: Page;

const autoSubmit = (action: string, fields: Record<string, string> = {}) =>
  `<!doctype html><html><body><form method="post" action="${action}">${Object.entries(fields)
    .map(([k, v]) => `<input type="hidden" name="${k}" value="${v}">`)
    .join('')}</form><script>document.forms[0].submit()</script></body></html>`;

/** What the attacker's pages do, each aimed at the service on its own port. */
const FORGERIES: [name: string, target: string, body: () => string][] = [
  ['pause', '/feeds/gulf-wire/pause', () => autoSubmit(`${svc.url}/feeds/gulf-wire/pause`)],
  // The confirmation page's own form, confirm=yes and all.
  [
    'remove',
    '/feeds/nato-desk/remove',
    () => autoSubmit(`${svc.url}/feeds/nato-desk/remove`, { confirm: 'yes' }),
  ],
  [
    'add-feed',
    '/feeds',
    () => autoSubmit(`${svc.url}/feeds`, { url: `http://127.0.0.1:9/planted.xml`, name: 'Planted' }),
  ],
  ['logout', '/logout', () => autoSubmit(`${svc.url}/logout`)],
];

beforeAll(async () => {
  svc = await startOperatorService('hostile-csrf', ['http'], { feeds: declared }, {}, logs.log);
  const routes: Parameters<typeof startFixtureServer>[0] = {};
  for (const [name, , body] of FORGERIES)
    routes[`/${name}`] = { contentType: 'text/html; charset=utf-8', body, conditional: false };
  routes['/api-fetch'] = {
    contentType: 'text/html; charset=utf-8',
    conditional: false,
    // A cross-origin fetch may not read the answer, but with no-cors it is still sent, cookie and all.
    body: () =>
      `<!doctype html><html><body><script>fetch('${svc.url}/api/feeds/gulf-wire/pause',{method:'POST',mode:'no-cors',credentials:'include'}).finally(()=>{document.title='sent'})</script></body></html>`,
  };
  attacker = await startFixtureServer(routes);
  chrome = await launchChromium();
  ({ page } = chrome);
}, 60_000);

afterAll(async () => {
  await chrome?.close();
  await attacker?.close();
  await svc?.close();
});

/** The feeds as a Bearer client reads them: enabled and not removed, unless something changed them. */
async function feedStates(): Promise<Record<string, { enabled: boolean; removed: boolean }>> {
  const res = await svc.call('GET', '/api/feeds?removed=true');
  expect(res.status).toBe(200);
  const feeds = res.body.feeds as { id: string; enabled: boolean; removedAt?: string }[];
  return Object.fromEntries(feeds.map((f) => [f.id, { enabled: f.enabled, removed: Boolean(f.removedAt) }]));
}

const UNTOUCHED = Object.fromEntries(FEEDS.map((id) => [id, { enabled: true, removed: false }]));

describe('a logged-in Chromium visiting pages on another loopback port', () => {
  it('logs in through the form, and its own dashboard buttons act (same origin)', async () => {
    await page.goto(`${svc.url}/login`);
    await page.fill('input[name=token]', svc.token);
    await page.click('button[type=submit]');
    await page.waitForURL(`${svc.url}/`);
    await page.click('tr[data-feed="gulf-wire"] button:has-text("Pause")');
    await page.waitForURL(`${svc.url}/#feeds`);
    expect((await feedStates())['gulf-wire']).toEqual({ enabled: false, removed: false });
    await page.click('tr[data-feed="gulf-wire"] button:has-text("Resume")');
    await page.waitForLoadState();
    await expect.poll(async () => (await feedStates())['gulf-wire']?.enabled).toBe(true);
  });

  it.each(FORGERIES.map(([name, target]) => [name, target]))(
    'an auto-submitted %s form (POST %s) is refused with 403 and changes nothing',
    async (name, target) => {
      const answered = page.waitForResponse(
        (r) => r.url().startsWith(`${svc.url}${target}`) && r.request().method() === 'POST',
      );
      await page.goto(`${attacker.baseUrl}/${name}`);
      const response = await answered;
      expect(response.status()).toBe(403);
      // The browser did send the session cookie: only the origin check stood in the way.
      expect(await response.request().headerValue('cookie')).toMatch(/nw_session=/);
      expect(await feedStates()).toEqual(UNTOUCHED);
    },
  );

  it("a no-cors fetch to the JSON API with the browser's cookie is refused", async () => {
    const path = '/api/feeds/gulf-wire/pause';
    const refusals = () =>
      logs.lines().filter((l) => l.msg === 'cross-site request refused' && l.path === path).length;
    const before = refusals();
    // The browser may withhold the answer from the attacker's page (Cross-Origin-Resource-Policy),
    // so the request is watched to its end, answered or not, and the refusal read from the log.
    const ended = Promise.race([
      page.waitForEvent('requestfinished', (r) => r.url() === `${svc.url}${path}`),
      page.waitForEvent('requestfailed', (r) => r.url() === `${svc.url}${path}`),
    ]);
    await page.goto(`${attacker.baseUrl}/api-fetch`);
    await ended;
    await page.waitForFunction(() => document.title === 'sent');
    expect(refusals()).toBe(before + 1);
    expect(await feedStates()).toEqual(UNTOUCHED);
  });

  it('leaves the operator logged in, with no feed planted', async () => {
    await page.goto(`${svc.url}/`);
    expect(new URL(page.url()).pathname).toBe('/');
    expect(await page.locator('h1').innerText()).toBe('Dashboard');
    expect(Object.keys(await feedStates()).sort()).toEqual([...FEEDS].sort());
    // Each refusal was logged with the client's address and the foreign origin.
    const refused = logs.lines().filter((l) => l.msg === 'cross-site request refused');
    expect(refused.length).toBeGreaterThanOrEqual(FORGERIES.length + 1);
    expect(refused[0]).toMatchObject({ client: '127.0.0.1', origin: attacker.baseUrl });
  });
});

describe('the same forgeries over plain HTTP', () => {
  let cookie: string;
  const elsewhere = () => attacker.baseUrl;

  beforeAll(async () => {
    // A program logging in: no Origin, the token in the form. Allowed, and it gets a cookie.
    const res = await fetch(`${svc.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: svc.token, next: '/' }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(303);
    cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  });

  const STATE_CHANGING: [method: string, path: string, body?: string][] = [
    ['POST', '/feeds/gulf-wire/pause'],
    ['POST', '/feeds/gulf-wire/resume'],
    ['POST', '/feeds/nato-desk/remove', 'confirm=yes'],
    ['POST', '/feeds/nato-desk/restore'],
    ['POST', '/feeds', 'url=http%3A%2F%2F127.0.0.1%3A9%2Fplanted.xml&name=Planted'],
    ['POST', '/expectations/ex_any/cancel'],
    ['POST', '/expectations/ex_any/reopen'],
    ['POST', '/dead-letters/dl_any/redrive'],
    ['POST', '/pages/given-up/scrape-any/redrive'],
    ['POST', '/watches', 'subscriberId=planted&name=Planted&keywords=Kuwait'],
    ['POST', '/watches/wt_any/delete'],
    ['POST', '/subscribers', 'id=planted&name=Planted&email=planted%40example.org'],
    ['POST', '/subscribers/anyone/edit', 'name=Renamed&email=planted%40example.org'],
    ['POST', '/subscribers/anyone/pause'],
    ['POST', '/subscribers/anyone/resume'],
    ['POST', '/subscribers/anyone/delete'],
    ['POST', '/subscribers/anyone/channels/email/resubscribe', 'consent=forged&by=nobody'],
    ['POST', '/logout'],
    ['POST', '/api/feeds/gulf-wire/pause'],
    ['PATCH', '/api/feeds/gulf-wire'],
    ['DELETE', '/api/feeds/nato-desk'],
    ['POST', '/api/feeds/nato-desk/restore'],
    ['POST', '/api/expectations/ex_any/cancel'],
    ['POST', '/api/dead-letters/dl_any/redrive'],
    ['POST', '/api/pages/given-up/scrape-any/redrive'],
    ['POST', '/api/watches'],
    ['DELETE', '/api/watches/wt_any'],
    ['DELETE', '/api/subscribers/anyone'],
    ['POST', '/api/subscribers/anyone/pause'],
    ['POST', '/api/subscribers/anyone/resume'],
    ['POST', '/api/subscribers/anyone/channels/email/resubscribe'],
    ['PUT', '/admin/queues/api/queues/poll/pause'],
  ];
  const MARKS: [what: string, headers: () => Record<string, string>][] = [
    ['an Origin on another port', () => ({ origin: elsewhere() })],
    ['Origin: null', () => ({ origin: 'null' })],
    ['Sec-Fetch-Site: same-site', () => ({ 'sec-fetch-site': 'same-site' })],
    ['Sec-Fetch-Site: cross-site', () => ({ 'sec-fetch-site': 'cross-site' })],
    ['our Origin but Sec-Fetch-Site: same-site', () => ({ origin: svc.url, 'sec-fetch-site': 'same-site' })],
    ['no Origin and no Sec-Fetch-Site', () => ({})],
  ];

  it.each(MARKS)('refuses the session cookie with %s on every state-changing route', async (_what, marks) => {
    for (const [method, path, body] of STATE_CHANGING) {
      const res = await fetch(`${svc.url}${path}`, {
        method,
        headers: {
          cookie,
          ...marks(),
          ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
        },
        body,
        redirect: 'manual',
      });
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(((await res.json()) as { error: string }).error).toBe('NW_CROSS_SITE');
    }
    expect(await feedStates()).toEqual(UNTOUCHED);
    expect(await svc.service.ctx.queues.poll.isPaused()).toBe(false);
    // The cookie survived every forged logout.
    const still = await fetch(`${svc.url}/`, {
      headers: { cookie, accept: 'text/html' },
      redirect: 'manual',
    });
    expect(still.status).toBe(200);
  });

  it("accepts the cookie from the service's own page (its Origin, Sec-Fetch-Site: same-origin)", async () => {
    for (const marks of [
      { origin: svc.url } as Record<string, string>,
      { 'sec-fetch-site': 'same-origin' },
      { origin: svc.url, 'sec-fetch-site': 'same-origin' },
    ]) {
      const paused = await fetch(`${svc.url}/feeds/gulf-wire/pause`, {
        method: 'POST',
        headers: { cookie, ...marks },
        redirect: 'manual',
      });
      expect(paused.status).toBe(303);
      expect((await feedStates())['gulf-wire']!.enabled).toBe(false);
      const resumed = await fetch(`${svc.url}/feeds/gulf-wire/resume`, {
        method: 'POST',
        headers: { cookie, ...marks },
        redirect: 'manual',
      });
      expect(resumed.status).toBe(303);
      expect(await feedStates()).toEqual(UNTOUCHED);
    }
  });

  it('lets a Bearer client without Origin through, and refuses one sent from another origin', async () => {
    expect((await svc.call('POST', '/api/feeds/gulf-wire/pause')).status).toBe(200);
    expect((await svc.call('POST', '/api/feeds/gulf-wire/resume')).status).toBe(200);
    const forged = await fetch(`${svc.url}/api/feeds/gulf-wire/pause`, {
      method: 'POST',
      headers: { authorization: `Bearer ${svc.token}`, origin: elsewhere() },
    });
    expect(forged.status).toBe(403);
    expect(await feedStates()).toEqual(UNTOUCHED);
  });

  it('refuses a login form posted from another origin, and sets no cookie', async () => {
    const res = await fetch(`${svc.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: elsewhere() },
      body: new URLSearchParams({ token: svc.token, next: '/' }).toString(),
      redirect: 'manual',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('set-cookie')).toBeNull();
  });
});
