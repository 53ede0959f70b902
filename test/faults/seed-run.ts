// The seed pair (test/fixtures/seed) run through `newswatch start` worker child processes, for
// fault tests: a fixture server, a verifying webhook receiver, feeds/subscribers files for the
// children, and this process running only the poll role (its queues drive and watch the run).
import type { Queue } from 'bullmq';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config/env';
import { createLogger } from '../../src/log';
import { generateWebhookSecret } from '../../src/notify/webhook';
import type { QueueName } from '../../src/queue/queues';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import type { FixtureServer } from '../../src/testing/fixture-server';
import { waitForIdle } from '../../src/testing/idle';
import { runPrefix, startSeedSite } from '../../src/testing/seed-scenario';
import {
  startWebhookReceiver,
  type ReceivedWebhook,
  type WebhookReceiver,
} from '../../src/testing/webhook-receiver';
import {
  spawnNewswatch,
  writeRunFiles,
  type NewswatchProcess,
  type RunFiles,
} from '../../src/testing/worker-processes';
import { startService, type Service } from '../../workers/service';
import { enqueuePoll } from '../../workers/scheduler';
import { LOOPBACK } from '../support/config';

export const WORKER_ROLES = 'scrape,analyze,alert,deliver';

export interface SeedRun {
  prefix: string;
  env: Record<string, string>;
  fixtures: FixtureServer;
  receiver: WebhookReceiver;
  poller: Service;
  queues: Record<QueueName, Queue>;
  /** a worker child (scrape, analyze, alert, deliver) on this run's Redis and files */
  spawnWorker(): NewswatchProcess;
  /** polls the feed in slot `slot` */
  poll(slot: number): Promise<void>;
  publishSecond(): void;
  /** waits until no queue holds waiting, active or delayed work, riding out Redis going away */
  settle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface SeedRunOptions {
  redisUrl?: string;
  /** the article pages answer only after this long, so scrape jobs stay active a while */
  pageDelayMs?: number;
}

export async function startSeedRun(label: string, opts: SeedRunOptions = {}): Promise<SeedRun> {
  const redisUrl = opts.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = runPrefix(label);
  const { fixtures, feed, publishSecond } = await startSeedSite({ pageDelayMs: opts.pageDelayMs });
  const secret = generateWebhookSecret();
  const receiver = await startWebhookReceiver({ secret });
  const files: RunFiles = await writeRunFiles(
    [feed],
    [
      {
        id: 'fault-analyst',
        name: 'Fault analyst',
        webhook: { url: receiver.url, secret },
        filters: { entities: ['kuwait', 'nato'] },
      },
    ],
  );
  const env: Record<string, string> = {
    ...files.env,
    REDIS_URL: redisUrl,
    NEWSWATCH_PREFIX: prefix,
    FETCH_ALLOW_PRIVATE: LOOPBACK,
    HOST_MIN_DELAY_MS: '0',
    // A killed worker's job lock lapses after 4 s and a live worker looks every second.
    WORKER_LOCK_MS: '4000',
    WORKER_STALLED_INTERVAL_MS: '1000',
    DELIVERY_BACKOFF_MS: '200',
    // A worker killed while fetching robots.txt holds that origin's robots lock for
    // HOST_MAX_WAIT_MS + FETCH_TIMEOUT_MS + 5 s (80 s by default); kept short here.
    FETCH_TIMEOUT_MS: '3000',
    HOST_MAX_WAIT_MS: '3000',
    LOG_LEVEL: 'info',
  };
  const poller = await startService(loadConfig(env), createLogger('error'), ['poll'], { feeds: [feed] });
  const queues = poller.ctx.queues;
  const children: NewswatchProcess[] = [];
  return {
    prefix,
    env,
    fixtures,
    receiver,
    poller,
    queues,
    spawnWorker() {
      const p = spawnNewswatch(WORKER_ROLES, env);
      children.push(p);
      return p;
    },
    async poll(slot) {
      await enqueuePoll(poller.ctx, feed.id, slot);
    },
    publishSecond,
    async settle(this: SeedRun, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          await waitForIdle(Object.values(this.queues), Math.max(1000, deadline - Date.now()));
          return;
        } catch (err) {
          if (Date.now() > deadline) {
            const counts = await Promise.all(
              Object.entries(this.queues).map(
                async ([n, q]) => `${n} ${JSON.stringify(await q.getJobCounts())}`,
              ),
            );
            const logs = children.map((c) => c.stderr().slice(-3000)).join('\n---\n');
            throw new Error(`${(err as Error).message}\n${counts.join('\n')}\nworker logs:\n${logs}`);
          }
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
    async close() {
      for (const c of children)
        if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
      await Promise.all(children.map((c) => c.exited));
      // After a Redis restart this process's poll-role connections may not close cleanly (an open
      // finding: see the README's fault-suite note); bound the wait so cleanup still happens.
      await Promise.race([poller.stop(), new Promise((r) => setTimeout(r, 10_000))]);
      const redis = connectRedis(redisUrl);
      await deleteKeys(redis, prefix);
      redis.disconnect();
      await Promise.all([fixtures.close(), receiver.close(), files.remove()]);
    },
  };
}

/**
 * Polls the queue until it holds an active job or the whole pipeline is idle; returns the active
 * jobs' ids, or undefined when the cascade ended before any showed up.
 */
export async function whenActive(
  run: SeedRun,
  queue: QueueName,
  timeoutMs = 30_000,
): Promise<string[] | undefined> {
  const deadline = Date.now() + timeoutMs;
  let quiet = 0;
  while (Date.now() < deadline) {
    const active = await run.queues[queue].getActive();
    if (active.length > 0) return active.map((j) => j.id!);
    const counts = await Promise.all(
      Object.values(run.queues).map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized')),
    );
    const pending = counts.reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
    quiet = pending === 0 ? quiet + 1 : 0;
    if (quiet >= 3) return undefined;
    await new Promise((r) => setTimeout(r, 2));
  }
  throw new Error(`no active ${queue} job within ${timeoutMs} ms`);
}

/** Waits (up to `timeoutMs`) until the fixture server has an article page request in flight. */
export async function whenPageInFlight(run: SeedRun, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (run.fixtures.log.some((r) => r.path.startsWith('/news/') && r.finishedAt === undefined)) return true;
    await new Promise((r) => setTimeout(r, 5));
  }
  return false;
}

const kindOf = (r: ReceivedWebhook) => (r.payload as { data?: { kind?: string } }).data?.kind;

/**
 * What "nothing lost, nothing doubled" means at the receiver: every request verified, a webhook-id
 * never arrives twice with a different body, and the fulfilled alert arrives under exactly one id.
 * Returns the distinct ids received.
 */
export function checkReceipts(received: readonly ReceivedWebhook[]): Set<string> {
  const bodies = new Map<string, string>();
  for (const r of received) {
    expect(r.verified, `webhook ${r.id} verified`).toBe(true);
    const body = JSON.stringify(r.payload);
    const earlier = bodies.get(r.id);
    if (earlier !== undefined) expect(body, `webhook ${r.id} sent twice with different bodies`).toBe(earlier);
    bodies.set(r.id, body);
  }
  const fulfilled = new Set(received.filter((r) => kindOf(r) === 'expectation.fulfilled').map((r) => r.id));
  expect(fulfilled.size, 'distinct expectation.fulfilled webhook ids').toBe(1);
  return new Set(bodies.keys());
}

/** Nothing failed, nothing left active, and every deliver job that completed reached the receiver. */
export async function checkQueues(run: SeedRun, receivedIds: Set<string>): Promise<void> {
  for (const [name, q] of Object.entries(run.queues)) {
    const c = await q.getJobCounts('active', 'failed', 'waiting', 'delayed');
    expect(c, `${name} queue at the end`).toEqual({ active: 0, failed: 0, waiting: 0, delayed: 0 });
  }
  const delivered = await run.queues.deliver.getCompleted();
  expect(delivered.length, 'completed deliver jobs = distinct webhook ids received').toBe(receivedIds.size);
}

export { kindOf };
