// Faults in worker processes, on real `newswatch start --role scrape,analyze,alert,deliver`
// children, the real Redis (own prefix) and a real verifying webhook receiver, with the seed pair.
//
// Broken: a worker is SIGKILLed while it holds a job (scrape, analyze or deliver), or sent
// SIGTERM while it holds one; a fresh worker process is started after it. What each kill
// interrupts:
// - scrape: the job's article page request is in flight (the page answers 1.5 s late);
// - deliver: a deliver job is active (anywhere between reading the alert and acknowledging it);
// - analyze, at the lock: the second article's analyze job is active and waiting for the
//   analysis lock (`<prefix>mutex:analyze`), which the test holds as another process would;
//   the kill lands before analysis read or wrote the event base;
// - analyze, mid-write: worker A reaches Redis through a proxy (test/support/redis-proxy.ts) that
//   passes on the command closing the expected meeting's expectation (the script taking its
//   `...:closed` gate) and holds back everything after it; A is killed once the gate is in Redis, so
//   analysis dies half-written: gate set, expectation record still open, no alert job queued,
//   analysis lock still held (it lapses after its 30 s TTL).
// - SIGTERM while a job cannot finish (its page answers after 20 s): the shutdown deadline
//   (SHUTDOWN_TIMEOUT_MS, 1 s here) exits 1 naming the step, and the job stays active for
//   stalled-job recovery rather than being dropped.
// Checked not lost: the killed job comes back through BullMQ's stalled-job recovery and
// completes; the run ends with the `expectation.fulfilled` alert delivered (after the mid-write
// kill also: the expectation reads fulfilled); every completed deliver job reached the receiver;
// no job failed or stayed active.
// Checked not doubled: the fulfilled alert arrives under exactly one webhook-id, and no
// webhook-id arrives twice with a different body.
// The mid-write kill is what found analysis unsafe to re-run after a partial write (the re-run
// took its own gate and event for someone else's and raised no alert); src/store/event-base.ts
// and src/pipeline/analyze.ts now treat them as theirs.
//
// A receiver down for a stretch and an SMTP relay down are in receivers-down.test.ts.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { QueueName } from '../../src/queue/queues';
import { RedisLock } from '../../src/store/lock';
import { connectRedis } from '../../src/store/redis';
import { startRedisProxy, type RedisProxy } from '../support/redis-proxy';
import { stopProcess } from '../support/worker-processes';
import {
  checkQueues,
  checkReceipts,
  kindOf,
  startSeedRun,
  whenActive,
  whenPageInFlight,
  type SeedRun,
} from './seed-run';

let run: SeedRun | undefined;
afterEach(async () => {
  await run?.close();
  run = undefined;
}, 60_000);

/**
 * Runs the seed pair on worker A; `signal` goes to A the first time a `target` job is active.
 * Then worker B takes over and the run is driven to the end. Returns what was seen.
 */
async function seedWithFault(target: QueueName, signal: NodeJS.Signals, pageDelayMs?: number) {
  run = await startSeedRun(`fault-${target}-${signal.toLowerCase()}`, { pageDelayMs });
  const a = run.spawnWorker();
  await a.ready;
  let hit: string[] | undefined;
  let slot = 0;
  let published = false;
  while (!hit && slot < 2) {
    if (slot === 1) {
      run.publishSecond();
      published = true;
    }
    slot += 1;
    await run.poll(slot);
    hit = await whenActive(run, target);
  }
  if (!hit) throw new Error(`never saw an active ${target} job to interrupt`);
  // A scrape is interrupted while its page is being fetched (the page answers slowly).
  if (target === 'scrape') expect(await whenPageInFlight(run), 'article page request in flight').toBe(true);
  a.child.kill(signal);
  const exit = await a.exited;
  const activeAfterExit = await run.queues[target].getActive();

  const b = run.spawnWorker();
  await b.ready;
  await run.settle();
  if (!published) {
    run.publishSecond();
    await run.poll(slot + 1);
    await run.settle();
  }
  await run.receiver.waitFor((r) => kindOf(r) === 'expectation.fulfilled', 30_000);
  const ids = checkReceipts(run.receiver.received);
  await checkQueues(run, ids);
  // The interrupted jobs finished in the end (completed jobs of these queues are kept a day).
  for (const id of hit) expect(await run.queues[target].getJobState(id), `job ${id}`).toBe('completed');
  await stopProcess(b);
  return { exit, hit, activeAfterExit };
}

describe('worker process faults (seed pair, real processes and Redis)', () => {
  it('SIGKILL during a scrape: the stalled job is recovered by a new worker, fulfilled once', async () => {
    const { exit, hit, activeAfterExit } = await seedWithFault('scrape', 'SIGKILL', 1500);
    expect(exit.signal).toBe('SIGKILL');
    // The kill left the job active with a lock nobody renews: only stalled-job recovery can bring it back.
    expect(activeAfterExit.map((j) => j.id)).toEqual(expect.arrayContaining(hit));
  }, 120_000);

  it('SIGKILL during a delivery: redelivered under the same webhook-id, fulfilled once', async () => {
    const { exit } = await seedWithFault('deliver', 'SIGKILL');
    expect(exit.signal).toBe('SIGKILL');
  }, 120_000);

  it('SIGTERM while a job cannot finish: exits 1 at SHUTDOWN_TIMEOUT_MS naming the step, and the job is recovered', async () => {
    run = await startSeedRun('fault-shutdown-deadline', { pageDelayMs: 20_000 });
    // The page answers after 20 s and the fetch would wait 30 s: the scrape outlasts the 1 s deadline.
    const a = run.spawnWorker({ FETCH_TIMEOUT_MS: '30000', SHUTDOWN_TIMEOUT_MS: '1000' });
    await a.ready;
    await run.poll(1);
    const hit = await whenActive(run, 'scrape');
    expect(hit, 'a scrape job active').toBeDefined();
    expect(await whenPageInFlight(run), 'article page request in flight').toBe(true);
    a.child.kill('SIGTERM');
    const exit = await a.exited;
    expect(exit.code).toBe(1);
    expect(a.stderr()).toMatch(
      /"step":"workers \(running jobs finish\)".*"msg":"shutdown did not finish; exiting"/,
    );
    // Not lost: the abandoned scrape is still active with a lock nobody renews, which BullMQ's
    // stalled-job recovery hands to another worker (shown by the SIGKILL mid-scrape test above).
    expect((await run.queues.scrape.getActive()).map((j) => j.id)).toEqual(expect.arrayContaining(hit!));
  }, 120_000);

  it('SIGTERM during a scrape: exits 0 after finishing its jobs, none left active', async () => {
    const { exit, activeAfterExit } = await seedWithFault('scrape', 'SIGTERM', 1500);
    expect(exit.code).toBe(0);
    // Graceful: the running job was finished before exit, not abandoned with its lock.
    expect(activeAfterExit).toEqual([]);
  }, 120_000);
  it('SIGKILL during an analysis waiting for the analysis lock: recovered by a new worker, fulfilled once', async () => {
    run = await startSeedRun('fault-analyze-sigkill');
    const a = run.spawnWorker();
    await a.ready;
    await run.poll(1);
    await run.settle();
    const events = run.poller.ctx.stores.events;
    const baseBefore = await events.counts();
    expect(run.webhooks(), 'the first article delivered').toHaveLength(2);

    // The test holds the analysis lock, as another process in the middle of an analysis would.
    const probe = connectRedis(run.env.REDIS_URL!);
    const lock = new RedisLock(probe, run.prefix, 'analyze', { ttlMs: 30_000, acquireTimeoutMs: 5_000 });
    let release: () => void = () => {};
    let taken: () => void = () => {};
    const isTaken = new Promise<void>((r) => (taken = r));
    const held = lock.run(() => {
      taken();
      return new Promise<void>((r) => (release = r));
    });
    await Promise.race([isTaken, held]);
    expect(await probe.exists(`${run.prefix}mutex:analyze`), 'the lock the workers take').toBe(1);
    try {
      run.publishSecond();
      await run.poll(2);
      const hit = await whenActive(run, 'analyze');
      expect(hit, 'the second article analyze job active').toHaveLength(1);
      a.child.kill('SIGKILL');
      expect((await a.exited).signal).toBe('SIGKILL');
      expect((await run.queues.analyze.getActive()).map((j) => j.id)).toEqual(hit);
      // Killed before analysis touched the base: nothing of the second article is in it.
      expect(await events.counts()).toEqual(baseBefore);

      release();
      const b = run.spawnWorker();
      await b.ready;
      await run.settle();
      await run.receiver.waitFor((r) => kindOf(r) === 'expectation.fulfilled', 30_000);
      const ids = checkReceipts(run.webhooks());
      expect(ids.size, 'event.new, expectation.opened, expectation.fulfilled').toBe(3);
      await checkQueues(run, ids);
      expect(await run.queues.analyze.getJobState(hit![0]!)).toBe('completed');
      await stopProcess(b);
    } finally {
      release();
      await held.catch(() => {});
      await lock.close();
      probe.disconnect();
    }
  }, 120_000);

  // The kill lands while analysis is writing: see the header. The scenario runs once; the first
  // test checks what it left and that the pipeline recovered, the second that nothing was lost.
  describe('SIGKILL while an analysis is writing (after the expectation is closed, before its alert is queued)', () => {
    let w: SeedRun | undefined;
    let wProxy: RedisProxy | undefined;
    let seen:
      | {
          gate: string;
          expectationId: string;
          hit: string[];
          exit: { code: number | null; signal: NodeJS.Signals | null };
          stateAtKill: string | undefined;
          alertJobsAtKill: Record<string, number>;
        }
      | undefined;

    beforeAll(async () => {
      w = await startSeedRun('fault-analyze-write');
      wProxy = await startRedisProxy(w.env.REDIS_URL!);
      const a = w.spawnWorker({ REDIS_URL: wProxy.url });
      await a.ready;
      await w.poll(1);
      await w.settle();
      if (w.webhooks().length !== 2) throw new Error('the first article was not delivered');

      const gatePrefix = `${w.prefix}expectation:`;
      // `EVAL <script> 2 <prefix>expectation:<id> <prefix>expectation:<id>:closed <event id>`: the
      // script taking the gate that fulfils an expectation, if the expectation exists
      // (src/store/event-base.ts, TAKE_CLOSE_GATE); its last argument names the fulfilling event.
      const gateOf = ([cmd, , keys, , key, value]: readonly string[]) =>
        cmd?.toUpperCase() === 'EVAL' &&
        keys === '2' &&
        key?.startsWith(gatePrefix) &&
        key.endsWith(':closed') &&
        value?.startsWith('ev_')
          ? key
          : undefined;
      const closing = wProxy.holdAfter((args) => gateOf(args) !== undefined);
      w.publishSecond();
      await w.poll(2);
      const gate = gateOf(await within(closing, 60_000, 'analysis never closed an expectation'));
      const probe = connectRedis(w.env.REDIS_URL!);
      try {
        await until(async () => (await probe.exists(gate!)) === 1, 10_000, 'the gate never reached Redis');
      } finally {
        probe.disconnect();
      }
      const hit = (await w.queues.analyze.getActive()).map((j) => j.id!);
      a.child.kill('SIGKILL');
      const exit = await a.exited;
      const expectationId = gate!.slice(gatePrefix.length, -':closed'.length);
      seen = {
        gate: gate!,
        expectationId,
        hit,
        exit,
        stateAtKill: (await w.poller.ctx.stores.events.getExpectation(expectationId))?.state,
        alertJobsAtKill: await w.queues.alert.getJobCounts('waiting', 'active', 'delayed'),
      };

      const b = w.spawnWorker();
      await b.ready;
      // B waits for the dead worker's analysis lock to lapse (30 s TTL) before it can analyse.
      await w.settle(90_000);
      await stopProcess(b);
    }, 150_000);

    afterAll(async () => {
      await w?.close();
      await wProxy?.close();
    }, 60_000);

    it('lands mid-write, and the recovered job completes with nothing failed, stuck or doubled', async () => {
      const { hit, exit, stateAtKill, alertJobsAtKill } = seen!;
      expect(hit, 'the second article analyze job active at the kill').toHaveLength(1);
      expect(exit.signal).toBe('SIGKILL');
      // Half-written: the gate is in Redis, the expectation record not yet, no alert job queued.
      expect(stateAtKill).toBe('open');
      expect(alertJobsAtKill).toEqual({ waiting: 0, active: 0, delayed: 0 });
      expect(await w!.queues.analyze.getJobState(hit[0]!)).toBe('completed');
      const received = w!.webhooks();
      expect(received.every((r) => r.verified)).toBe(true);
      const ids = new Set(received.map((r) => r.id));
      expect(received, 'no webhook-id twice').toHaveLength(ids.size);
      await checkQueues(w!, ids);
    });

    // The re-run finds the close gate holding its own event (the crashed run's) and finishes the
    // close; before that was so, `expectation.fulfilled` was lost and the expectation stayed
    // open behind its gate for ever, never fulfilled nor overdue.
    it('loses no alert: expectation.fulfilled delivered once, the expectation fulfilled', async () => {
      const ids = checkReceipts(w!.webhooks());
      expect(ids.size, 'event.new, expectation.opened, expectation.fulfilled').toBe(3);
      expect((await w!.poller.ctx.stores.events.getExpectation(seen!.expectationId))?.state).toBe(
        'fulfilled',
      );
    });
  });
});

async function within<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(what)), ms))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

async function until(check: () => Promise<boolean>, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(what);
    await new Promise((r) => setTimeout(r, 10));
  }
}
