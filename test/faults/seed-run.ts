// The seed pair (data/demo) run through `newswatch start` worker child processes, for
// fault tests: a fixture server, a verifying webhook receiver (which can be taken down and
// brought back on the same port), feeds/subscribers files for the children (one subscriber, by
// webhook, email or both), and the poll role: in this process by default (its queues drive and
// watch the run), or in a child of its own (`pollRole: 'child'`, the scheduler and poll roles)
// while this process only watches through a plain connection.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import type { Job, Queue } from 'bullmq';
import { expect } from 'vitest';
import { loadConfig } from '../../src/config/env';
import { createQueues } from '../../src/queue/bull';
import { createLogger } from '../../src/log';
import { generateWebhookSecret } from '../../src/notify/webhook';
import type { QueueName } from '../../src/queue/queues';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import type { FixtureServer } from '../../src/demo/fixture-server';
import { waitForIdle } from '../../src/demo/idle';
import { runPrefix, startSeedSite } from '../../src/demo/seed-scenario';
import {
  startWebhookReceiver,
  type ReceivedWebhook,
  type WebhookReceiver,
} from '../../src/demo/webhook-receiver';
import {
  spawnNewswatch,
  writeRunFiles,
  type NewswatchProcess,
  type RunFiles,
} from '../support/worker-processes';
import { startService, type Service } from '../../workers/service';
import { enqueuePoll } from '../../workers/scheduler';
import { LOOPBACK } from '../support/config';

export const WORKER_ROLES = 'scrape,analyze,alert,deliver';
/** a poll-role child: its scheduler polls every feed at start and each feed added at run time */
export const POLL_ROLES = 'scheduler,poll';
/** the one subscriber of a seed run */
export const SUBSCRIBER_ID = 'fault-analyst';

export interface SeedRun {
  prefix: string;
  env: Record<string, string>;
  fixtures: FixtureServer;
  /** the webhook receiver listening now (or the last one, while it is down) */
  receiver: WebhookReceiver;
  /** the poll role in this process (absent with `pollRole: 'child'`) */
  poller: Service;
  queues: Record<QueueName, Queue>;
  /** a worker child (scrape, analyze, alert, deliver) on this run's Redis and files; `env` overrides */
  spawnWorker(env?: Record<string, string>): NewswatchProcess;
  /** a poll-role child (scheduler, poll) on this run's Redis and files; `env` overrides */
  spawnPoller(env?: Record<string, string>): NewswatchProcess;
  /**
   * Watches through a new connection from now on (`queues`), the old one dropped: with
   * `pollRole: 'child'`, so that after a Redis restart what is tested is the children's recovery.
   */
  watchAfresh(): void;
  /** every request any of this run's receivers got, in arrival order */
  webhooks(): ReceivedWebhook[];
  /** closes the receiver: its port refuses connections until startReceiver() */
  stopReceiver(): Promise<void>;
  /** a fresh receiver (same secret) on the same port, so the subscriber's URL reaches it again */
  startReceiver(): Promise<WebhookReceiver>;
  /** polls the feed in slot `slot` */
  poll(slot: number): Promise<void>;
  publishSecond(): void;
  /** queue counts and the tail of every worker child's log, for a failure message */
  describe(): Promise<string>;
  /** waits until no queue holds waiting, active or delayed work, riding out Redis going away */
  settle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface SeedRunOptions {
  redisUrl?: string;
  /** the article pages answer only after this long, so scrape jobs stay active a while */
  pageDelayMs?: number;
  /** the subscriber's webhook to the run's receiver (default true) */
  webhook?: boolean;
  /** the subscriber's email channel: its addresses, and the SMTP relay the workers send through */
  email?: { smtpUrl: string; to: string[] };
  /**
   * 'in-process' (default): this process runs the poll role and watches through its queues.
   * 'child': no role here; spawnPoller() starts one, and this process watches through a plain
   * connection (`poller` is then absent).
   */
  pollRole?: 'in-process' | 'child';
}

export async function startSeedRun(label: string, opts: SeedRunOptions = {}): Promise<SeedRun> {
  const redisUrl = opts.redisUrl ?? process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = runPrefix(label);
  const { fixtures, feed, publishSecond } = await startSeedSite({ pageDelayMs: opts.pageDelayMs });
  const secret = generateWebhookSecret();
  let receiver = await startWebhookReceiver({ secret });
  const receiverPort = Number(new URL(receiver.url).port);
  const receivers = [receiver];
  let receiverUp = true;
  const files: RunFiles = await writeRunFiles([feed], []);
  // Written here rather than by writeRunFiles, which knows only webhook subscribers.
  const subscriber = {
    id: SUBSCRIBER_ID,
    name: 'Fault analyst',
    ...(opts.webhook === false ? {} : { webhook: { url: receiver.url, secret } }),
    ...(opts.email ? { email: opts.email.to } : {}),
    filters: { entities: ['kuwait', 'nato'] },
  };
  await writeFile(files.env.SUBSCRIBERS_FILE!, JSON.stringify({ subscribers: [subscriber] }, null, 2));
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
    ...(opts.email
      ? { SMTP_URL: opts.email.smtpUrl, UNSUBSCRIBE_SECRET: randomBytes(32).toString('base64url') }
      : {}),
  };
  const config = loadConfig(env);
  const poller =
    opts.pollRole === 'child'
      ? undefined
      : await startService(config, createLogger('error'), ['poll'], { feeds: [feed] });
  // With the poll role in a child, this process only watches, through connections of its own.
  const watchers: ReturnType<typeof connectRedis>[] = [];
  const watch = () => {
    const conn = connectRedis(redisUrl);
    conn.on('error', () => {}); // a Redis restart is expected; the children's logs tell the story
    watchers.push(conn);
    return createQueues(conn, prefix, config.delivery);
  };
  const children: NewswatchProcess[] = [];
  const spawn = (roles: string, overrides: Record<string, string>) => {
    const p = spawnNewswatch(roles, { ...env, ...overrides });
    children.push(p);
    return p;
  };
  return {
    prefix,
    env,
    fixtures,
    receiver,
    poller: poller!,
    queues: poller?.ctx.queues ?? watch(),
    spawnWorker: (overrides = {}) => spawn(WORKER_ROLES, overrides),
    spawnPoller: (overrides = {}) => spawn(POLL_ROLES, overrides),
    watchAfresh(this: SeedRun) {
      for (const q of Object.values(this.queues)) void q.close().catch(() => {});
      watchers.at(-1)?.disconnect();
      this.queues = watch();
    },
    webhooks: () => receivers.flatMap((r) => r.received),
    async stopReceiver(this: SeedRun) {
      if (!receiverUp) return;
      receiverUp = false;
      await this.receiver.close();
    },
    async startReceiver(this: SeedRun) {
      if (receiverUp) return this.receiver;
      receiver = await startWebhookReceiver({ secret, port: receiverPort });
      receivers.push(receiver);
      receiverUp = true;
      this.receiver = receiver;
      return receiver;
    },
    async poll(this: SeedRun, slot) {
      await enqueuePoll(this, feed.id, slot);
    },
    publishSecond,
    async describe(this: SeedRun) {
      const counts = await Promise.all(
        Object.entries(this.queues).map(async ([n, q]) => `${n} ${JSON.stringify(await q.getJobCounts())}`),
      );
      const logs = children.map((c) => c.stderr().slice(-3000)).join('\n---\n');
      return `${counts.join('\n')}\nworker logs:\n${logs}`;
    },
    async settle(this: SeedRun, timeoutMs = 60_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        try {
          await waitForIdle(Object.values(this.queues), Math.max(1000, deadline - Date.now()));
          return;
        } catch (err) {
          if (Date.now() > deadline) throw new Error(`${(err as Error).message}\n${await this.describe()}`);
          await new Promise((r) => setTimeout(r, 200));
        }
      }
    },
    async close(this: SeedRun) {
      for (const c of children)
        if (c.child.exitCode === null && c.child.signalCode === null) c.child.kill('SIGKILL');
      await Promise.all(children.map((c) => c.exited));
      // After a Redis restart this process's poll-role connections may not close cleanly (an open
      // finding: see the README's fault-suite note); bound the wait so cleanup still happens.
      if (poller) await Promise.race([poller.stop(), new Promise((r) => setTimeout(r, 10_000))]);
      else await Promise.all(Object.values(this.queues).map((q) => q.close().catch(() => {})));
      for (const w of watchers) w.disconnect();
      const redis = connectRedis(redisUrl);
      await deleteKeys(redis, prefix);
      redis.disconnect();
      await Promise.all([fixtures.close(), receiverUp ? receiver.close() : undefined, files.remove()]);
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

/**
 * Waits until the poll, scrape, analyze and alert stages are idle and `analyzed` analyze jobs
 * have completed: every alert of those articles has been raised and its deliveries queued.
 */
export async function whenAnalyzed(run: SeedRun, analyzed: number, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const upstream = [run.queues.poll, run.queues.scrape, run.queues.analyze, run.queues.alert];
  while (Date.now() < deadline) {
    const done = await run.queues.analyze.getCompletedCount();
    if (done >= analyzed) {
      try {
        await waitForIdle(upstream, 1000);
        return;
      } catch {
        // still busy: look again
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${analyzed} analyze jobs not completed within ${timeoutMs} ms\n${await run.describe()}`);
}

/**
 * Waits until every deliver job not yet completed has failed at least `failures` times and waits
 * for its next attempt; returns those jobs. Throws if one failed for good (dead letters).
 */
export async function whenDeliveriesRetrying(
  run: SeedRun,
  failures: number,
  timeoutMs = 30_000,
): Promise<Job[]> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < deadline) {
    const failed = await run.queues.deliver.getFailed();
    if (failed.length > 0)
      throw new Error(
        `deliveries failed for good: ${failed.map((j) => `${j.id}: ${j.failedReason}`).join('; ')}`,
      );
    const pending = await run.queues.deliver.getJobs(['waiting', 'active', 'delayed', 'prioritized']);
    last = pending.map((j) => `${j.id} attempts ${j.attemptsMade}`).join(', ');
    if (pending.length > 0 && pending.every((j) => j.attemptsMade >= failures)) return pending;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(
    `deliveries not each failed ${failures} times within ${timeoutMs} ms: ${last}\n${await run.describe()}`,
  );
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
