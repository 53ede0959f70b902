// `newswatch feeds check` as an operator runs it, a subprocess against a fixture server with one good
// feed and one failing feed: the failing one shows its error (naming the URL) and backs off, while the
// good one keeps being polled.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedRow } from '../../src/cli/feeds';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { runPrefix } from '../../src/demo/seed-scenario';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';

const run = promisify(execFile);
const bin = new URL('../../bin/newswatch', import.meta.url).pathname;
const FEED =
  '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>' +
  '<item><title>Kuwait and NATO hold dialogue</title><link>https://news.example/1</link></item>' +
  '<item><title>GCC summit opens</title><link>https://news.example/2</link></item></channel></rss>';

describe('newswatch feeds check', () => {
  const prefix = runPrefix('e2e-feeds');
  let fixtures: FixtureServer;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    fixtures = await startFixtureServer({
      '/good.xml': { contentType: 'application/rss+xml; charset=utf-8', body: FEED },
      '/broken.xml': { contentType: 'text/html', status: 502, body: '<h1>Bad gateway</h1>' },
    });
    dir = await mkdtemp(join(tmpdir(), 'nw-feeds-check-'));
    const feeds = (id: string, path: string, extra = '') =>
      `  - id: ${id}\n    name: ${id} wire\n    url: ${fixtures.baseUrl}${path}\n    type: rss\n    language: en\n    region: [gulf]\n    schedule: '*/15 * * * *'\n${extra}`;
    await writeFile(
      join(dir, 'feeds.yml'),
      `feeds:\n${feeds('good', '/good.xml')}${feeds('broken', '/broken.xml')}${feeds('idle', '/idle.xml', '    enabled: false\n')}`,
    );
    env = {
      NEWSWATCH_PREFIX: prefix,
      FEEDS_FILE: join(dir, 'feeds.yml'),
      SUBSCRIBERS_FILE: join(dir, 'none.yml'),
      EVENTS_FILE: join(dir, 'none-events.yml'),
      HOST_MIN_DELAY_MS: '0',
      LOG_LEVEL: 'silent',
    };
  });

  afterAll(async () => {
    const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    await deleteKeys(redis, prefix);
    redis.disconnect();
    await fixtures?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function newswatch(...args: string[]) {
    const { stdout } = await run(process.execPath, [bin, 'feeds', 'check', ...args], {
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return stdout;
  }
  const rows = async (...args: string[]) => {
    const list = JSON.parse(await newswatch('--json', ...args)) as FeedRow[];
    return Object.fromEntries(list.map((r) => [r.id, r]));
  };

  it('lists every declared feed as never polled before any poll', async () => {
    const before = await rows();
    expect(Object.keys(before)).toEqual(['good', 'broken', 'idle']);
    expect(before.good!.state).toBe('never polled');
    expect(before.idle!.state).toBe('paused');
    expect(before.idle!.nextPollAt).toBeUndefined();
  }, 60_000);

  it('--now polls each feed once: the good one reads its items, the broken one records its error and backs off', async () => {
    const started = Date.now();
    const after = await rows('--now');
    expect(after.good).toMatchObject({
      state: 'ok',
      itemsSeen: 2,
      errorStreak: 0,
      polled: '2 new of 2 items',
    });
    expect(after.broken).toMatchObject({
      state: 'backing off',
      errorStreak: 1,
      polled: 'failed',
      lastError: `${fixtures.baseUrl}/broken.xml: HTTP 502`,
    });
    expect(Date.parse(after.broken!.nextPollAt!)).toBeGreaterThan(started);
    expect(after.idle).toMatchObject({ state: 'paused', polled: 'skipped: paused' });
  }, 60_000);

  it('polls the good feed again while the broken one waits out its backoff', async () => {
    const again = await rows('--now');
    expect(again.good).toMatchObject({ state: 'ok', polled: 'not modified', itemsSeen: 2 });
    expect(again.broken).toMatchObject({
      state: 'backing off',
      errorStreak: 1,
      polled: 'skipped: backing off',
    });
    expect(fixtures.hits.get('/good.xml')).toBe(2);
    expect(fixtures.hits.get('/broken.xml')).toBe(1);
    expect(fixtures.hits.get('/idle.xml')).toBeUndefined();
  }, 60_000);

  it('checks only the feeds named, and refuses an unknown id naming the known ones', async () => {
    const one = await rows('--now', 'good');
    expect(Object.keys(one)).toEqual(['good']);
    expect(fixtures.hits.get('/broken.xml')).toBe(1);
    const refused = await newswatch('nope').then(
      () => undefined,
      (err: { code: number; stderr: string }) => err,
    );
    expect(refused?.code).toBe(1);
    expect(refused?.stderr).toContain('no feed "nope"; the feeds are good, broken, idle');
  }, 60_000);

  it('prints a table with each feed state and the error naming the URL, and exits 0', async () => {
    const table = await newswatch();
    const lines = table.split('\n');
    expect(lines[0]).toMatch(
      /^FEED\s+TYPE\s+STATE\s+LAST SUCCESS\s+ERRORS\s+ITEMS\s+NEXT POLL\s+LAST ERROR$/,
    );
    expect(lines.find((l) => l.startsWith('good '))).toMatch(
      /^good\s+rss\s+ok\s+\S+Z \(\d+ s ago\)\s+0\s+2\s/,
    );
    expect(lines.find((l) => l.startsWith('broken '))).toMatch(
      new RegExp(
        `^broken\\s+rss\\s+backing off\\s+-\\s+1\\s+0\\s+.*: ${fixtures.baseUrl}/broken\\.xml: HTTP 502$`,
      ),
    );
    expect(table).toContain(`broken: broken wire <${fixtures.baseUrl}/broken.xml>`);
  }, 60_000);
});
