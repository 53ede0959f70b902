// Guessing the operator token (issue 13, finding 6): 300 wrong tokens in 1.4 s were all
// answered. Here bursts of wrong tokens, sent at once over real HTTP by the login form, the login
// link and the Bearer header, get no more answers than LOGIN_MAX_FAILURES before every further
// try from that address, the right token included, is answered 429 with Retry-After; the log
// names the address and never a token. Successful logins are not counted, and one address's
// lockout is not another's: with TRUST_PROXY the address is the one the proxy reports, and
// without it a client's X-Forwarded-For changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordingLogger } from '../support/logs';
import { startOperatorService, type OperatorService } from '../support/operator';

const LIMIT = 5;
const WINDOW_S = 60;

const directLog = recordingLogger();
let direct: OperatorService; // clients connect straight to it: TRUST_PROXY unset
let proxied: OperatorService; // behind a proxy on loopback

beforeAll(async () => {
  const env = { LOGIN_MAX_FAILURES: String(LIMIT), LOGIN_FAILURE_WINDOW: `${WINDOW_S}s` };
  direct = await startOperatorService('hostile-login-limit', ['http'], {}, env, directLog.log);
  proxied = await startOperatorService(
    'hostile-login-limit-proxy',
    ['http'],
    {},
    {
      ...env,
      TRUST_PROXY: 'loopback',
    },
  );
});

afterAll(async () => {
  await direct?.close();
  await proxied?.close();
});

type Way = 'form' | 'link' | 'bearer' | 'metrics';
const WAYS: Way[] = ['form', 'link', 'bearer', 'metrics'];

/** One try of `token` the way a guesser would; `from` is the X-Forwarded-For a client claims. */
async function attempt(svc: OperatorService, way: Way, token: string, from?: string): Promise<Response> {
  const headers: Record<string, string> = from ? { 'x-forwarded-for': from } : {};
  switch (way) {
    case 'form':
      return fetch(`${svc.url}/login`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token, next: '/' }).toString(),
        redirect: 'manual',
      });
    case 'link':
      return fetch(`${svc.url}/login?token=${encodeURIComponent(token)}`, { headers, redirect: 'manual' });
    case 'bearer':
      return fetch(`${svc.url}/api/feeds`, { headers: { ...headers, authorization: `Bearer ${token}` } });
    case 'metrics':
      return fetch(`${svc.url}/metrics`, { headers: { ...headers, authorization: `Bearer ${token}` } });
  }
}

const guess = (i: number) => `guess-${i}-${Math.random().toString(36).slice(2)}-not-the-token`;
const statuses = (responses: Response[]) => {
  const count: Record<number, number> = {};
  for (const r of responses) count[r.status] = (count[r.status] ?? 0) + 1;
  return count;
};
const ok = (way: Way) => (way === 'form' || way === 'link' ? 303 : 200);

describe('a burst of wrong tokens from one address', () => {
  const guesses = Array.from({ length: 300 }, (_, i) => guess(i));

  it(`gets ${LIMIT} answers; every other try is 429 with Retry-After`, async () => {
    const responses = await Promise.all(guesses.map((g, i) => attempt(direct, WAYS[i % WAYS.length]!, g)));
    expect(statuses(responses)).toEqual({ 401: LIMIT, 429: guesses.length - LIMIT });
    for (const r of responses.filter((r) => r.status === 429)) {
      const retry = Number(r.headers.get('retry-after'));
      expect(retry).toBeGreaterThan(0);
      expect(retry).toBeLessThanOrEqual(WINDOW_S);
    }
  });

  it('locks the address out: the right token too is refused until the window ends', async () => {
    for (const way of WAYS) {
      const res = await attempt(direct, way, direct.token);
      expect(res.status, way).toBe(429);
      expect(res.headers.get('set-cookie'), way).toBeNull();
    }
    const form = await attempt(direct, 'form', direct.token);
    expect(await form.text()).toContain('Too many wrong tokens from this address');
    // A client's own X-Forwarded-For is not believed without TRUST_PROXY: no way round the lockout.
    for (let i = 0; i < 5; i++)
      expect((await attempt(direct, 'bearer', guess(i), `198.51.100.${i}`)).status).toBe(429);
  });

  it('logs the client address of each refusal and never a token', async () => {
    const lines = directLog.lines();
    const wrong = lines.filter((l) => l.msg === 'wrong operator token');
    expect(wrong).toHaveLength(LIMIT);
    for (const l of wrong) expect(l).toMatchObject({ level: 40, client: '127.0.0.1' });
    const refused = lines.filter((l) => String(l.msg).startsWith('too many wrong operator tokens'));
    expect(refused.length).toBeGreaterThan(0);
    expect(refused[0]).toMatchObject({ client: '127.0.0.1', retryAfterS: expect.any(Number) });
    const text = directLog.text();
    for (const g of guesses) expect(text.includes(g), g).toBe(false);
    expect(text.includes(direct.token)).toBe(false);
  });

  it("counts in Redis under the service's prefix", async () => {
    const keys = await direct.service.ctx.redis.keys(`${direct.config.prefix}login-failures*`);
    expect(keys).toEqual([`${direct.config.prefix}login-failures:127.0.0.1`]);
  });
});

describe('behind a trusted proxy, per client address', () => {
  it('does not count successful logins against the operator', async () => {
    const operator = '203.0.113.10';
    for (let i = 0; i < 4 * LIMIT; i++)
      for (const way of WAYS)
        expect((await attempt(proxied, way, proxied.token, operator)).status).toBe(ok(way));
    // Still all LIMIT wrong tries left, answered 401, then the lockout.
    for (let i = 0; i < LIMIT; i++)
      expect((await attempt(proxied, WAYS[i % WAYS.length]!, guess(i), operator)).status).toBe(401);
    expect((await attempt(proxied, 'form', guess(99), operator)).status).toBe(429);
  });

  it("does not lock another address out with one address's guesses", async () => {
    const guesser = '198.51.100.7';
    const responses = await Promise.all(
      Array.from({ length: 50 }, (_, i) => attempt(proxied, WAYS[i % WAYS.length]!, guess(i), guesser)),
    );
    expect(statuses(responses)).toEqual({ 401: LIMIT, 429: 50 - LIMIT });
    expect((await attempt(proxied, 'form', proxied.token, guesser)).status).toBe(429);
    // Another client behind the same proxy logs in, and its wrong tries are its own.
    const neighbour = '198.51.100.8';
    for (const way of WAYS)
      expect((await attempt(proxied, way, proxied.token, neighbour)).status).toBe(ok(way));
    expect((await attempt(proxied, 'bearer', guess(1), neighbour)).status).toBe(401);
  });
});
