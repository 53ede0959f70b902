// `newswatch start` as deployed here: the real feeds.yml, whose live URLs cannot be reached from
// this machine. The service must come up, report each failing feed in its health, and stop
// cleanly on SIGTERM.
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { FeedStateStore } from '../../src/store/feed-state';
import { runPrefix } from '../../src/demo/seed-scenario';

const bin = new URL('../../bin/newswatch', import.meta.url).pathname;
const root = new URL('../../', import.meta.url).pathname;
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

async function until<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`gave up after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function withoutToken(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.OPERATOR_TOKEN;
  return env;
}

describe('newswatch start with unreachable live feeds', () => {
  const prefix = runPrefix('start');
  const redis = connectRedis(redisUrl);
  afterAll(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('serves /healthz and /readyz, records each feed failure with its URL, and exits 0 on SIGTERM', async () => {
    const child = spawn(process.execPath, [bin, 'start'], {
      cwd: root,
      env: {
        ...process.env,
        REDIS_URL: redisUrl,
        NEWSWATCH_PREFIX: prefix,
        PORT: '0',
        HOST: '127.0.0.1',
        OPERATOR_TOKEN: 'test-operator-token-0123456789',
        FETCH_TIMEOUT_MS: '3000',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const url = await until(async () => /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(stderr)?.[1], 20_000);
      const health = await fetch(`${url}/healthz`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok' });
      // Every role of a plain `start` runs: Redis, the five stage workers and the scheduler.
      const ready = await fetch(`${url}/readyz`);
      expect(ready.status).toBe(200);
      const report = (await ready.json()) as { checks: { name: string; ok: boolean }[] };
      expect(report.checks.filter((c) => c.ok).map((c) => c.name)).toEqual([
        'redis',
        'worker:poll',
        'worker:scrape',
        'worker:analyze',
        'worker:alert',
        'worker:deliver',
        'scheduler',
      ]);
      expect((await fetch(`${url}/admin/queues`)).status).toBe(401);

      const feeds = new FeedStateStore(redis, prefix);
      const state = await until(async () => {
        const s = await feeds.get('nato-newsroom');
        return s.lastError ? s : undefined;
      }, 20_000);
      expect(state.errorStreak).toBe(1);
      expect(state.lastError).toContain('nato.int');
      expect(Date.parse(state.nextPollAt!)).toBeGreaterThan(Date.now());
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).not.toContain('test-operator-token-0123456789');
  }, 60_000);

  it('without OPERATOR_TOKEN, writes the generated token to a file only its user reads, and logs the path, not the token', async () => {
    const own = `${prefix}notoken:`;
    const child = spawn(process.execPath, [bin, 'start', '--role', 'http'], {
      cwd: root,
      env: {
        ...withoutToken(),
        REDIS_URL: redisUrl,
        NEWSWATCH_PREFIX: own,
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    let token = '';
    try {
      const file = await until(async () => /"file":"([^"]+operator-token)"/.exec(stderr)?.[1], 20_000);
      const url = /"url":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(stderr)![1];
      expect((await stat(file)).mode & 0o777).toBe(0o600);
      token = (await readFile(file, 'utf8')).trim();
      expect(token.length).toBeGreaterThanOrEqual(24);
      const login = await fetch(`${url}/login?token=${encodeURIComponent(token)}`, { redirect: 'manual' });
      expect(login.status).toBe(303);
      expect(login.headers.get('set-cookie')).toContain('nw_session=');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).not.toContain(token);
  }, 60_000);
});
