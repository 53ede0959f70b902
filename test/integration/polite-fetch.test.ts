// Polite fetching against real HTTP servers on 127.0.0.1 and the real Redis: per-host slots and
// spacing hold across two "processes" (two gates on two Redis connections), Retry-After holds a
// host for every worker, and robots.txt is read once per site and obeyed for article pages.
import type { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { fetchResource, HttpStatusError } from '../../src/ingest/fetch';
import {
  politeFetcher,
  RobotsDisallowedError,
  RobotsUnavailableError,
  type Fetcher,
} from '../../src/ingest/polite-fetch';
import { DEFAULT_ROBOTS_TIMING, type RobotsTiming } from '../../src/ingest/robots';
import type { FeedDefinition } from '../../src/feeds/schema';
import { pollFeed } from '../../src/pipeline/poll';
import { scrapeItem } from '../../src/pipeline/scrape';
import { ArticleStore } from '../../src/store/articles';
import { FeedStateStore } from '../../src/store/feed-state';
import { HostBusyError, HostGate, type HostGateOptions } from '../../src/store/host-gate';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { RobotsCache } from '../../src/store/robots-cache';
import {
  startFixtureServer,
  type FixtureRequest,
  type FixtureRoute,
  type FixtureServer,
} from '../../src/demo/fixture-server';
import { runPrefix } from '../../src/demo/seed-scenario';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const UA = 'newswatch/0.1.0 (+https://newswatch.test/contact)';
/** Short, so the tests run quickly; the service's defaults are 2 slots and 1000 ms. */
const GATE: HostGateOptions = { concurrency: 2, minDelayMs: 300, maxWaitMs: 20_000, leaseMs: 10_000 };

interface Proc {
  redis: Redis;
  gate: HostGate;
  fetch: Fetcher;
}

let prefix: string;
let procs: Proc[] = [];
let servers: FixtureServer[] = [];

afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
  if (procs[0]) await deleteKeys(procs[0].redis, prefix);
  for (const p of procs) p.redis.disconnect();
  procs = [];
});

/** One worker process: its own Redis connection, gate and robots cache, sharing the key prefix. */
function startProcess(gate: Partial<HostGateOptions> = {}, robotsTiming?: RobotsTiming): Proc {
  const redis = connectRedis(REDIS_URL);
  const hostGate = new HostGate(redis, prefix, { ...GATE, ...gate });
  const proc: Proc = {
    redis,
    gate: hostGate,
    fetch: politeFetcher({
      gate: hostGate,
      robots: new RobotsCache(redis, prefix),
      fetch: (url, req = {}) =>
        fetchResource(url, { ...req, userAgent: UA, timeoutMs: 5_000, allowPrivate: ['127.0.0.0/8'] }),
      ...(robotsTiming ? { robotsTiming } : {}),
    }),
  };
  procs.push(proc);
  return proc;
}

function startProcesses(n: number, gate: Partial<HostGateOptions> = {}, timing?: RobotsTiming): Proc[] {
  prefix = runPrefix('polite');
  return Array.from({ length: n }, () => startProcess(gate, timing));
}

async function serve(routes: Record<string, FixtureRoute>): Promise<FixtureServer> {
  const server = await startFixtureServer(routes);
  servers.push(server);
  return server;
}

const page = (text: string, extra: Partial<FixtureRoute> = {}): FixtureRoute => ({
  body: `<html><body><p>${text}</p></body></html>`,
  contentType: 'text/html; charset=utf-8',
  ...extra,
});

/** The most requests the server was answering at one moment. */
function maxInFlight(log: FixtureRequest[]): number {
  // At one millisecond, a finish counts before an arrival: the next turn follows a release.
  const events = log.flatMap((r) => [
    { at: r.arrivedAt, step: 1 },
    { at: r.finishedAt ?? Infinity, step: -1 },
  ]);
  events.sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let most = 0;
  for (const e of events) most = Math.max(most, (now += e.step));
  return most;
}

const arrivals = (log: FixtureRequest[], pathPrefix = '/') =>
  log.filter((r) => r.path.startsWith(pathPrefix)).map((r) => r.arrivedAt);

function gaps(times: number[]): number[] {
  const sorted = [...times].sort((a, b) => a - b);
  return sorted.slice(1).map((t, i) => t - sorted[i]!);
}

/**
 * The gate spaces the moments it grants turns; each request then travels (Redis reply, socket)
 * before the server logs it, and on a busy machine that travel varies between requests.
 * A gate that did not space requests would show gaps near zero.
 */
const TRAVEL_JITTER_MS = 100;

describe('per-host slots and spacing across processes', () => {
  it('keeps one host to 2 requests in flight and starts 300 ms apart, while another host goes on', async () => {
    const [p1, p2] = startProcesses(2);
    const slow = Object.fromEntries(
      [1, 2, 3, 4, 5, 6].map((i) => [`/a/${i}`, page(`a${i}`, { delayMs: 1_000 })]),
    );
    const a = await serve(slow);
    const b = await serve({ '/b/1': page('b1'), '/b/2': page('b2'), '/b/3': page('b3') });

    const results = await Promise.all([
      ...[1, 2, 3, 4, 5, 6].map((i) => (i % 2 ? p1! : p2!).fetch(`${a.baseUrl}/a/${i}`)),
      ...[1, 2, 3].map((i) => (i % 2 ? p2! : p1!).fetch(`${b.baseUrl}/b/${i}`)),
    ]);

    expect(results.map((r) => r.status)).toEqual(Array(9).fill(200));
    expect(a.log).toHaveLength(6);
    expect(maxInFlight(a.log)).toBeLessThanOrEqual(2);
    for (const gap of gaps(arrivals(a.log))) expect(gap).toBeGreaterThanOrEqual(300 - TRAVEL_JITTER_MS);
    for (const gap of gaps(arrivals(b.log))) expect(gap).toBeGreaterThanOrEqual(300 - TRAVEL_JITTER_MS);
    // The other host was served between the first host's requests, not after them.
    const aTimes = arrivals(a.log);
    expect(Math.max(...arrivals(b.log))).toBeLessThan(Math.max(...aTimes));
    expect(arrivals(b.log).some((t) => t > Math.min(...aTimes))).toBe(true);
    expect(new Set([...a.log, ...b.log].map((r) => r.userAgent))).toEqual(new Set([UA]));
  });

  it('fails a fetch that cannot get a turn within the wait limit, without sending it', async () => {
    const [p1, p2] = startProcesses(2, { concurrency: 1, minDelayMs: 0, maxWaitMs: 200 });
    const server = await serve({ '/slow': page('slow', { delayMs: 1_500 }), '/next': page('next') });
    const first = p1!.fetch(`${server.baseUrl}/slow`);
    await until(() => server.log.length === 1);
    const err = await p2!.fetch(`${server.baseUrl}/next`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostBusyError);
    expect((err as Error).message).toMatch(
      new RegExp(
        `^${escape(server.baseUrl)}/next: every slot at 127\\.0\\.0\\.1:\\d+ stayed in use for the 0.2 s wait limit; retry later$`,
      ),
    );
    expect((await first).status).toBe(200);
    expect(server.log.map((r) => r.path)).toEqual(['/slow']);
  });
});

describe('Retry-After on 429 and 503', () => {
  it('waits out a 429 with Retry-After: 1, and holds the host for the other process too', async () => {
    const [p1, p2] = startProcesses(2, { minDelayMs: 0 });
    const server = await serve({
      '/busy': page('finally', {
        firstResponses: [{ status: 429, headers: { 'retry-after': '1' }, body: 'slow down' }],
      }),
      '/other': page('other'),
    });
    const busy = p1!.fetch(`${server.baseUrl}/busy`);
    // Once the first process has been told, the second one waits too.
    await until(async () => (await p2!.gate.notBefore(server.baseUrl)) !== undefined);
    const notBefore = (await p2!.gate.notBefore(server.baseUrl))!.getTime();
    const other = await p2!.fetch(`${server.baseUrl}/other`);
    const res = await busy;

    expect(res.body.toString()).toContain('finally');
    expect(other.status).toBe(200);
    const [told, retried] = server.log.filter((r) => r.path === '/busy');
    expect(told!.status).toBe(429);
    expect(retried!.status).toBe(200);
    expect(retried!.arrivedAt - told!.arrivedAt).toBeGreaterThanOrEqual(1000);
    expect(server.log.find((r) => r.path === '/other')!.arrivedAt).toBeGreaterThanOrEqual(notBefore);
  });

  it('fails on a 503 with a long Retry-After, naming the URL and the wait, and the host stays held', async () => {
    const [p1, p2] = startProcesses(2);
    const server = await serve({
      '/down': page('down', { status: 503, headers: { 'retry-after': '3600' } }),
      '/later': page('later'),
    });
    const before = Date.now();
    const err = await p1!.fetch(`${server.baseUrl}/down`).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect((err as Error).message).toBe(`${server.baseUrl}/down: HTTP 503, retry after 3600 s`);

    const held = (await p2!.gate.notBefore(server.baseUrl))!.getTime();
    expect(held).toBeGreaterThanOrEqual(before + 3_595_000);
    expect(held).toBeLessThanOrEqual(Date.now() + 3_600_000 + 1000);
    const refused = await p2!.fetch(`${server.baseUrl}/later`).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HostBusyError);
    expect((refused as Error).message).toMatch(
      new RegExp(
        `^${escape(server.baseUrl)}/later: 127\\.0\\.0\\.1:\\d+ asked \\(Retry-After\\) not to be fetched for another 3\\d{3} s; retry later$`,
      ),
    );
    expect(server.log.map((r) => r.path)).toEqual(['/down']);
  });

  it('backs a feed off for a Retry-After longer than its error backoff', async () => {
    const [p1] = startProcesses(1);
    const server = await serve({
      '/feed.xml': {
        body: 'busy',
        contentType: 'text/plain',
        status: 503,
        headers: { 'retry-after': '7200' },
      },
    });
    const feed: FeedDefinition = {
      id: 'held-feed',
      name: 'Held feed',
      url: `${server.baseUrl}/feed.xml`,
      type: 'rss',
      language: 'en',
      region: [],
      schedule: '*/5 * * * *',
      enabled: true,
    };
    const state = new FeedStateStore(p1!.redis, prefix);
    const now = new Date();
    const deps = {
      feed: (id: string) => (id === feed.id ? feed : undefined),
      state,
      articles: new ArticleStore(p1!.redis, prefix),
      fetch: p1!.fetch,
      now: () => now,
      enqueueScrape: async () => undefined,
    };
    await expect(pollFeed(deps, feed.id)).rejects.toThrow(`${feed.url}: HTTP 503, retry after 7200 s`);
    const after = await state.get(feed.id);
    expect(after.errorStreak).toBe(1);
    expect(Date.parse(after.nextPollAt!)).toBe(now.getTime() + 7_200_000);
    expect(await pollFeed(deps, feed.id)).toEqual({ status: 'backing-off' });
    expect(server.log).toHaveLength(1);
  });
});

const ROBOTS = `# newswatch may read the news, not the members' area
User-agent: *
Disallow: /

User-agent: newswatch
Disallow: /members/
Allow: /
`;

describe('robots.txt for article pages', () => {
  it('fetches robots.txt once for many pages and processes, skips a disallowed page, fetches the rest', async () => {
    const [p1, p2] = startProcesses(2, { minDelayMs: 50 });
    const server = await serve({
      '/robots.txt': { body: ROBOTS, contentType: 'text/plain' },
      '/news/1.html': page('one'),
      '/news/2.html': page('two'),
      '/news/3.html': page('three'),
      '/members/x.html': page('secret'),
    });
    const url = (path: string) => `${server.baseUrl}${path}`;
    const results = await Promise.all(
      ['/news/1.html', '/news/2.html', '/news/3.html', '/members/x.html'].map((path, i) =>
        (i % 2 ? p2! : p1!).fetch(url(path), { robots: true }).catch((e: unknown) => e),
      ),
    );

    expect(results.slice(0, 3).map((r) => (r as { status: number }).status)).toEqual([200, 200, 200]);
    expect(results[3]).toBeInstanceOf(RobotsDisallowedError);
    expect(results[3]).toMatchObject({
      code: 'NW_ROBOTS_DISALLOWED',
      reason: `${url('/robots.txt')} line 6 disallows /members/x.html for newswatch`,
    });
    expect(server.hits.get('/robots.txt')).toBe(1);
    expect(server.hits.get('/members/x.html')).toBeUndefined();
  });

  it('records a disallowed article as skipped with the reason, and saves nothing', async () => {
    const [p1] = startProcesses(1, { minDelayMs: 0 });
    const server = await serve({
      '/robots.txt': { body: ROBOTS, contentType: 'text/plain' },
      '/members/y.html': page('secret'),
    });
    const articles = new ArticleStore(p1!.redis, prefix);
    const link = `${server.baseUrl}/members/y.html`;
    const outcome = await scrapeItem({ articles, fetch: p1!.fetch, now: () => new Date() }, 'feed', {
      guid: link,
      link,
      title: 'Members only',
    });
    expect(outcome).toEqual({
      skipped: `${server.baseUrl}/robots.txt line 6 disallows /members/y.html for newswatch`,
    });
    expect(server.log.map((r) => r.path)).toEqual(['/robots.txt']);
    // Only politeness state was written: no article, no seen-mark.
    const keys = await p1!.redis.keys(`${prefix}*`);
    expect(keys.filter((k) => !k.startsWith(`${prefix}robots:`) && !k.startsWith(`${prefix}host:`))).toEqual(
      [],
    );
  });

  it('does not check declared feeds against robots.txt', async () => {
    const [p1] = startProcesses(1, { minDelayMs: 0 });
    const server = await serve({
      '/robots.txt': { body: 'User-agent: *\nDisallow: /\n', contentType: 'text/plain' },
      '/feed.xml': { body: '<rss version="2.0"><channel/></rss>', contentType: 'application/rss+xml' },
    });
    expect((await p1!.fetch(`${server.baseUrl}/feed.xml`)).status).toBe(200);
    expect(server.log.map((r) => r.path)).toEqual(['/feed.xml']);
  });

  it('allows everything when robots.txt is missing (404)', async () => {
    const [p1] = startProcesses(1, { minDelayMs: 0 });
    const server = await serve({ '/members/z.html': page('open') });
    expect((await p1!.fetch(`${server.baseUrl}/members/z.html`, { robots: true })).status).toBe(200);
    expect(server.log.map((r) => [r.path, r.status])).toEqual([
      ['/robots.txt', 404],
      ['/members/z.html', 200],
    ]);
  });

  it('holds pages back, retryable, while robots.txt answers 5xx, asking again only after a while', async () => {
    const [p1] = startProcesses(1, { minDelayMs: 0 });
    const server = await serve({
      '/robots.txt': { body: 'down', contentType: 'text/plain', status: 500 },
      '/news/1.html': page('one'),
      '/news/2.html': page('two'),
    });
    for (const path of ['/news/1.html', '/news/2.html']) {
      const err = await p1!.fetch(`${server.baseUrl}${path}`, { robots: true }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(RobotsUnavailableError);
      expect((err as Error).message).toBe(
        `${server.baseUrl}${path}: not fetched yet: ${server.baseUrl}/robots.txt could not be read (HTTP 500); its pages wait until it can`,
      );
      expect(err).not.toBeInstanceOf(RobotsDisallowedError); // so the queue retries it
    }
    expect(server.log.map((r) => r.path)).toEqual(['/robots.txt']);
  });

  it('keeps obeying the last good robots.txt when it later becomes unreachable', async () => {
    // Every copy is stale at once, so each page asks again; only the first ask succeeds.
    const [p1] = startProcesses(1, { minDelayMs: 0 }, { ...DEFAULT_ROBOTS_TIMING, freshMs: 0 });
    const server = await serve({
      '/robots.txt': {
        body: 'down',
        contentType: 'text/plain',
        status: 503,
        firstResponses: [{ body: ROBOTS, status: 200 }],
      },
      '/news/1.html': page('one'),
      '/news/2.html': page('two'),
      '/members/x.html': page('secret'),
    });
    const get = (path: string) =>
      p1!.fetch(`${server.baseUrl}${path}`, { robots: true }).catch((e: unknown) => e);
    expect(await get('/news/1.html')).toMatchObject({ status: 200 });
    expect(await get('/news/2.html')).toMatchObject({ status: 200 });
    expect(await get('/members/x.html')).toBeInstanceOf(RobotsDisallowedError);
    expect(server.log.map((r) => [r.path, r.status])).toEqual([
      ['/robots.txt', 200],
      ['/news/1.html', 200],
      ['/robots.txt', 503],
      ['/news/2.html', 200],
    ]);
  });
});

async function until(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
