// The pure halves of the login and CSRF defences (src/http/same-origin.ts) and their settings
// (src/config/env.ts), as tables: which requests count as coming from another origin, where a
// `next` may send the browser, and how SESSION_TTL, LOGIN_* and TRUST_PROXY are read.
import { describe, expect, it } from 'vitest';
import { loadConfig, parseTrustProxy } from '../../src/config/env';
import { crossSiteRefusal, localRedirect } from '../../src/http/same-origin';

const OWN = 'http://127.0.0.1:8080';

describe('crossSiteRefusal', () => {
  const base = { method: 'POST', own: [OWN], allowUnmarked: false };
  it.each([
    ['our Origin', { origin: OWN }, undefined],
    ['our Origin, upper case and default port spelled out', { origin: 'HTTP://127.0.0.1:8080' }, undefined],
    ['Sec-Fetch-Site: same-origin alone', { fetchSite: 'same-origin' }, undefined],
    ['Sec-Fetch-Site: none (typed by the person)', { fetchSite: 'none' }, undefined],
    ['another port', { origin: 'http://127.0.0.1:9999' }, 'another origin'],
    ['https on our host and port', { origin: 'https://127.0.0.1:8080' }, 'another origin'],
    ['Origin: null', { origin: 'null' }, 'another origin'],
    ['an unreadable Origin', { origin: 'not a url' }, 'another origin'],
    ['same-site', { fetchSite: 'same-site' }, 'same-site'],
    ['cross-site with our Origin', { origin: OWN, fetchSite: 'cross-site' }, 'cross-site'],
    ['nothing said, cookie only', {}, 'no Origin header'],
  ])('%s', (_what, marks, refusal) => {
    const reason = crossSiteRefusal({ ...base, ...marks });
    if (refusal === undefined) expect(reason).toBeUndefined();
    else expect(reason).toContain(refusal);
  });

  it('lets reads through, and a request that brings its own credential without saying where from', () => {
    expect(crossSiteRefusal({ ...base, method: 'GET', origin: 'http://evil.example' })).toBeUndefined();
    expect(crossSiteRefusal({ ...base, allowUnmarked: true })).toBeUndefined();
    expect(crossSiteRefusal({ ...base, allowUnmarked: true, origin: 'http://evil.example' })).toBeDefined();
  });

  it("accepts PUBLIC_URL's origin as the service's own", () => {
    const own = [OWN, 'https://nw.example'];
    expect(crossSiteRefusal({ ...base, own, origin: 'https://nw.example' })).toBeUndefined();
  });
});

describe('localRedirect', () => {
  it.each([
    ['/alerts', '/alerts'],
    ['/expectations?state=open#x', '/expectations?state=open#x'],
    [`${OWN}/timeline`, '/timeline'],
    ['/تقرير', '/%D8%AA%D9%82%D8%B1%D9%8A%D8%B1'],
    ['/a\r\nSet-Cookie: x=1', '/aSet-Cookie:%20x=1'],
    ['/\t/evil.example', '/'],
    ['//evil.example', '/'],
    ['/\\evil.example', '/'],
    ['/.//evil.example', '/'],
    ['/%2e//evil.example', '/'],
    [' //evil.example', '/'],
    ['https://evil.example/x', '/'],
    ['javascript:alert(1)', '/'],
    ['', '/'],
  ])('%j -> %j', (next, to) => {
    expect(localRedirect(next, OWN, '/')).toBe(to);
  });

  it('falls back for a next that is not text, or an origin it cannot read', () => {
    expect(localRedirect(['/a', '/b'], OWN, '/board')).toBe('/board');
    expect(localRedirect('/alerts', 'http://[bad', '/board')).toBe('/board');
  });
});

describe('security settings', () => {
  it('defaults: 12 h sessions, 10 wrong tokens per 15 min, no proxy trusted', () => {
    const config = loadConfig({});
    expect(config.sessionTtlMs).toBe(12 * 3_600_000);
    expect(config.loginLimit).toEqual({ maxFailures: 10, windowMs: 15 * 60_000 });
    expect(config.trustProxy).toBe(false);
  });

  it('reads them, and names the variable of a value that cannot work', () => {
    const config = loadConfig({
      SESSION_TTL: '30m',
      LOGIN_MAX_FAILURES: '3',
      LOGIN_FAILURE_WINDOW: '1h',
      TRUST_PROXY: '10.0.0.0/8, 127.0.0.1',
    });
    expect(config.sessionTtlMs).toBe(30 * 60_000);
    expect(config.loginLimit).toEqual({ maxFailures: 3, windowMs: 3_600_000 });
    expect(config.trustProxy).toEqual(['10.0.0.0/8', '127.0.0.1']);
    expect(() => loadConfig({ SESSION_TTL: 'forever' })).toThrow(/SESSION_TTL: "forever" is not a duration/);
    expect(() => loadConfig({ SESSION_TTL: '0s' })).toThrow(/SESSION_TTL/);
    expect(() => loadConfig({ LOGIN_MAX_FAILURES: '0' })).toThrow(/LOGIN_MAX_FAILURES/);
    expect(() => loadConfig({ TRUST_PROXY: 'proxy.internal' })).toThrow(
      /TRUST_PROXY: "proxy.internal" is not an address/,
    );
  });

  it.each([
    ['', false],
    ['false', false],
    ['true', true],
    ['1', 1],
    ['loopback', ['loopback']],
    ['::1,fd00::/8', ['::1', 'fd00::/8']],
  ])('TRUST_PROXY=%j', (value, trust) => {
    expect(parseTrustProxy(value)).toEqual(trust);
  });
});
