// Redis restarting under the pipeline: a private redis-server with append-only persistence
// (`--appendonly yes`, its own port and folder), two real `newswatch start` children on it (the
// poll role, `--role scheduler,poll`, and a worker with the other stages), the seed pair, a real
// verifying webhook receiver. This process runs no role: it only watches.
//
// Broken: redis-server is stopped (SIGTERM) while a scrape job is active and started again on
// the same port and folder a second later.
// Checked not lost: what Redis acknowledged before the stop is there after it (the first
// article's deliveries, the queues' jobs); both children reconnect by themselves (neither is
// restarted): the poll child's own scheduler, feed watch and poll worker poll a feed added after
// the restart, and the run completes with the `expectation.fulfilled` alert delivered; no job
// failed or is left active; both children then stop gracefully (exit 0).
// Checked not doubled: the fulfilled alert arrives under exactly one webhook-id, and no
// webhook-id arrives twice with a different body.
//
// Trials: NEWSWATCH_FAULT_TRIALS=N runs it N times (CI runs it once, about 15 s). Counted on the
// 2-CPU machine, 2026-12-03: with the poll role in its own child, the poll child polled again after
// the restart in 39 of 39 trials and the run completed; in 38 of them both children then exited 0,
// in one a child's graceful stop exited 1 (its log was not kept; README, the fault suite).
// Before, with the poll role in the test process, its connections answered again in 30 of 31
// trials (2026-11-22); 40 more such trials and 60 restarts of a scheduler+poll process under load
// all recovered, so that miss was not reproduced.
import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { FeedStore } from '../../src/store/feeds';
import { connectRedis } from '../../src/store/redis';
import { startPrivateRedis, stopProcess, type PrivateRedis } from '../support/worker-processes';
import { checkQueues, checkReceipts, kindOf, startSeedRun, whenActive, type SeedRun } from './seed-run';

const TRIALS = Math.max(1, Number(process.env.NEWSWATCH_FAULT_TRIALS ?? 1));
const SECOND_FEED = 'seed-wire';

let run: SeedRun | undefined;
let redis: PrivateRedis | undefined;
afterEach(async () => {
  await run?.close();
  await redis?.remove();
  run = undefined;
  redis = undefined;
}, 60_000);

describe('Redis restart mid-run (private redis-server, append-only)', () => {
  for (let trial = 1; trial <= TRIALS; trial++)
    it(`keeps what was acknowledged, both children reconnect by themselves, and the run completes${TRIALS > 1 ? ` (trial ${trial})` : ''}`, async () => {
      redis = await startPrivateRedis();
      run = await startSeedRun('fault-redis', { redisUrl: redis.url, pageDelayMs: 1500, pollRole: 'child' });
      const worker = run.spawnWorker();
      const poller = run.spawnPoller();
      const children = [worker, poller];
      const logs = () => `\n${children.map((c) => c.stderr().slice(-3000)).join('\n---\n')}`;
      await step('children ready', Promise.all([worker.ready, poller.ready]));

      // First article end to end: the poll child's scheduler polls the feed at start; its alerts
      // are delivered and acknowledged by Redis.
      await step('first article settles', run.settle(30_000), 40_000);
      const before = checkSnapshot(run);
      expect(before.size, logs()).toBeGreaterThan(0);
      const probe = connectRedis(redis.url);
      // Keys with no expiry: volatile ones (rate windows, stalled-check markers) may lapse meanwhile.
      const keysBefore: string[] = [];
      await step(
        'keys before',
        (async () => {
          for (const k of await probe.keys(`${run!.prefix}*`))
            if ((await probe.pttl(k)) === -1) keysBefore.push(k);
        })(),
      );
      probe.disconnect();

      // Second article: the poll child polls it; Redis stops while its scrape is in flight and
      // starts again a second later.
      run.publishSecond();
      await run.poll(2);
      const hit = await whenActive(run, 'scrape');
      expect(hit, 'a scrape job active when Redis stops').toBeDefined();
      await step('redis-server stop', redis.stop());
      await new Promise((r) => setTimeout(r, 1000));
      await step('redis-server start', redis.start());

      const after = connectRedis(redis.url);
      const keysAfter = new Set(await step('keys after', after.keys(`${run.prefix}*`)));
      // Every key Redis held before the second poll survived the restart (append-only file).
      expect(keysBefore.filter((k) => !keysAfter.has(k))).toEqual([]);

      // A feed added after the restart, as the API in another process would: the poll child hears
      // of it through its own connections (feed watch), its scheduler polls it at once and its
      // poll worker fetches it. It carries the same two articles, so it must add nothing.
      const wire = await readFile(new URL('../../data/demo/feed-2.xml', import.meta.url), 'utf8');
      run.fixtures.setRoute('/wire.xml', {
        body: (base) => wire.replaceAll('{{BASE}}', base),
        contentType: 'application/rss+xml; charset=utf-8',
      });
      const at = new Date().toISOString();
      await new FeedStore(after, run.prefix).create({
        origin: 'runtime',
        id: SECOND_FEED,
        definition: {
          id: SECOND_FEED,
          name: 'Seed wire',
          url: `${run.fixtures.baseUrl}/wire.xml`,
          type: 'rss',
          language: 'ar',
          region: ['gulf', 'nato'],
          schedule: '*/5 * * * *',
          enabled: true,
        },
        addedAt: at,
        updatedAt: at,
      });
      after.disconnect();

      // Watched from here through a fresh connection of this process: what is tested is the children.
      run.watchAfresh();
      const polled = await step(
        'the poll child polls the added feed',
        whenPolled(run, SECOND_FEED),
        40_000,
      ).catch((err: Error) => {
        throw new Error(`${err.message}${logs()}`);
      });
      expect(polled, logs()).toMatchObject({ status: 'polled', items: 2 });
      await step('settle after restart', run.settle(60_000), 70_000);
      await run.receiver.waitFor((r) => kindOf(r) === 'expectation.fulfilled', 30_000);
      const ids = checkReceipts(run.receiver.received);
      await step('queues checked', checkQueues(run, ids));
      for (const id of before) expect(ids.has(id)).toBe(true);
      // The same two processes did it all: they reconnected rather than died.
      for (const c of children) expect(c.child.exitCode, logs()).toBeNull();
      // SIGTERM after the restart: a graceful stop of each, within its deadline (SHUTDOWN_TIMEOUT_MS).
      for (const [name, c] of [
        ['worker', worker],
        ['poll', poller],
      ] as const) {
        const exit = await step(
          `${name} child stops`,
          stopProcess(c).then(() => c.exited),
          45_000,
        ).catch((err: Error) => {
          throw new Error(`${err.message}\nlog:\n${c.stderr().slice(-3000)}`);
        });
        expect(exit.code, `${name} child's exit code; its log:\n${c.stderr().slice(-3000)}`).toBe(0);
      }
    }, 150_000);
});

function checkSnapshot(run: SeedRun): Set<string> {
  return new Set(run.receiver.received.map((r) => r.id));
}

/** Waits (up to `timeoutMs`) until a poll job of `feedId` has completed; returns its outcome. */
async function whenPolled(run: SeedRun, feedId: string, timeoutMs = 35_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const done = await run.queues.poll.getCompleted();
    const job = done.find((j) => (j.data as { feedId: string }).feedId === feedId);
    if (job) return job.returnvalue;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no poll of ${feedId} completed within ${timeoutMs} ms`);
}

/** Names the step that did not finish in time, instead of the test's own timeout. */
async function step<T>(name: string, p: Promise<T>, ms = 20_000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: not done within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}
