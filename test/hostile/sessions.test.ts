// The session cookie as a stolen credential (issue 13, finding 7). It used to be HMAC(token):
// the same value at every login, valid after logout, never expiring, so a cookie read once off a
// browser, a proxy log or a backup opened the pages for good. Here: the cookie is a random id
// whose Redis entry (under the service's prefix) is all that makes it valid; a logged-out cookie
// replayed is refused; a session ends SESSION_TTL after login; behind a TLS proxy with
// TRUST_PROXY the cookie is Secure, and without TRUST_PROXY a forged X-Forwarded-Proto changes
// nothing. All over real HTTP against the running service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOperatorService, type OperatorService } from '../support/operator';

let plain: OperatorService; // reached directly, TRUST_PROXY unset
let proxied: OperatorService; // behind a proxy on loopback, short sessions

beforeAll(async () => {
  plain = await startOperatorService('hostile-sessions', ['http']);
  proxied = await startOperatorService(
    'hostile-sessions-proxy',
    ['http'],
    {},
    {
      TRUST_PROXY: '127.0.0.1',
      SESSION_TTL: '2s',
    },
  );
});

afterAll(async () => {
  await plain?.close();
  await proxied?.close();
});

interface Login {
  /** `nw_session=<id>` */
  cookie: string;
  id: string;
  /** the whole Set-Cookie header */
  setCookie: string;
}

async function login(svc: OperatorService, headers: Record<string, string> = {}): Promise<Login> {
  const res = await fetch(`${svc.url}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: svc.url, ...headers },
    body: new URLSearchParams({ token: svc.token, next: '/' }).toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  const setCookie = res.headers.get('set-cookie') ?? '';
  const cookie = setCookie.split(';')[0]!;
  return { cookie, id: cookie.slice(cookie.indexOf('=') + 1), setCookie };
}

/** What the cookie opens: the dashboard page (200, or 303 to /login) and the JSON API (200 or 401). */
async function opens(svc: OperatorService, cookie: string): Promise<{ page: number; api: number }> {
  const page = await fetch(`${svc.url}/`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' });
  const api = await fetch(`${svc.url}/api/feeds`, { headers: { cookie } });
  return { page: page.status, api: api.status };
}

const attributes = (setCookie: string) =>
  setCookie
    .split(';')
    .slice(1)
    .map((a) => a.trim().toLowerCase());

describe('the session cookie', () => {
  it('is a fresh random id at each login, HttpOnly, SameSite=Strict, with SESSION_TTL as Max-Age', async () => {
    const [a, b] = [await login(plain), await login(plain)];
    for (const s of [a, b]) {
      expect(s.cookie).toMatch(/^nw_session=[A-Za-z0-9_-]{43}$/);
      expect(attributes(s.setCookie)).toEqual(
        expect.arrayContaining(['httponly', 'samesite=strict', 'path=/', `max-age=${12 * 3600}`]),
      );
      expect(attributes(s.setCookie)).not.toContain('secure'); // plain HTTP: a Secure cookie would never come back
      expect(s.id).not.toContain(plain.token);
      expect(await opens(plain, s.cookie)).toEqual({ page: 200, api: 200 });
    }
    expect(a.id).not.toBe(b.id);
  });

  it("is kept in Redis under the service's prefix as a hash, with the session's lifetime", async () => {
    const s = await login(plain);
    const redis = plain.service.ctx.redis;
    const keys = await redis.keys(`${plain.config.prefix}session:*`);
    expect(keys.length).toBeGreaterThanOrEqual(1);
    for (const key of keys) {
      expect(key).not.toContain(s.id);
      expect(await redis.get(key)).not.toContain(s.id);
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(12 * 3600 * 1000);
    }
  });

  it('is refused once that session logged out: the old cookie replayed opens nothing', async () => {
    const s = await login(plain);
    const other = await login(plain); // another browser's session
    expect(await opens(plain, s.cookie)).toEqual({ page: 200, api: 200 });
    const out = await fetch(`${plain.url}/logout`, {
      method: 'POST',
      headers: { cookie: s.cookie, origin: plain.url },
      redirect: 'manual',
    });
    expect(out.status).toBe(303);
    expect(out.headers.get('location')).toBe('/login');
    expect(out.headers.get('set-cookie')).toMatch(/^nw_\w+=;/); // the browser is told to forget it
    // The browser forgot the cookie; whoever copied it replays it:
    expect(await opens(plain, s.cookie)).toEqual({ page: 303, api: 401 });
    const act = await fetch(`${plain.url}/feeds/any/pause`, {
      method: 'POST',
      headers: { cookie: s.cookie, origin: plain.url },
      redirect: 'manual',
    });
    expect(act.status).toBe(401);
    // Logging out one session leaves the others alone.
    expect(await opens(plain, other.cookie)).toEqual({ page: 200, api: 200 });
  });

  it('is refused when made up, or when it is the old HMAC-of-the-token cookie', async () => {
    const { createHmac } = await import('node:crypto');
    const old = createHmac('sha256', plain.token).update('newswatch operator session v1').digest('base64url');
    for (const cookie of [
      `nw_token=${old}`,
      `nw_session=${old}`,
      `nw_session=${'A'.repeat(43)}`,
      'nw_session=',
    ])
      expect(await opens(plain, cookie), cookie).toEqual({ page: 303, api: 401 });
  });

  it('ends SESSION_TTL after login (fixed: use does not extend it)', async () => {
    const s = await login(proxied);
    expect(attributes(s.setCookie)).toContain('max-age=2');
    expect(await opens(proxied, s.cookie)).toEqual({ page: 200, api: 200 });
    await new Promise((r) => setTimeout(r, 1200));
    expect(await opens(proxied, s.cookie)).toEqual({ page: 200, api: 200 }); // used half way
    await new Promise((r) => setTimeout(r, 1200));
    expect(await opens(proxied, s.cookie)).toEqual({ page: 303, api: 401 });
  });

  it('is Secure when a trusted proxy says the client came over HTTPS (TRUST_PROXY)', async () => {
    // The browser's page is https://nw.example, so that is its Origin, and through the proxy the service's own.
    const s = await login(proxied, {
      origin: 'https://nw.example',
      'x-forwarded-proto': 'https',
      'x-forwarded-host': 'nw.example',
    });
    expect(attributes(s.setCookie)).toEqual(
      expect.arrayContaining(['secure', 'httponly', 'samesite=strict']),
    );
    const out = await fetch(`${proxied.url}/logout`, {
      method: 'POST',
      headers: {
        cookie: s.cookie,
        origin: 'https://nw.example',
        'x-forwarded-proto': 'https',
        'x-forwarded-host': 'nw.example',
      },
      redirect: 'manual',
    });
    expect(out.status).toBe(303);
    expect(attributes(out.headers.get('set-cookie') ?? '')).toContain('secure');
    expect(await opens(proxied, s.cookie)).toEqual({ page: 303, api: 401 });
  });

  it('ignores X-Forwarded-Proto from a client when TRUST_PROXY is unset', async () => {
    const s = await login(plain, { 'x-forwarded-proto': 'https' });
    expect(attributes(s.setCookie)).not.toContain('secure');
    // Nor does a forged X-Forwarded-Host make another origin the service's own.
    const forged = await fetch(`${plain.url}/feeds/any/pause`, {
      method: 'POST',
      headers: { cookie: s.cookie, origin: 'https://nw.example', 'x-forwarded-host': 'nw.example' },
      redirect: 'manual',
    });
    expect(forged.status).toBe(403);
  });
});
