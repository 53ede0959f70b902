// Faults in worker processes, on real `newswatch start --role scrape,analyze,alert,deliver`
// children, the real Redis (own prefix) and a real verifying webhook receiver, with the seed pair.
//
// Broken: a worker is SIGKILLed while it holds a job (scrape, analyze or deliver), or sent
// SIGTERM while it holds one; a fresh worker process is started after it.
// Checked not lost: the killed job comes back through BullMQ's stalled-job recovery and
// completes; the run ends with the `expectation.fulfilled` alert delivered; every completed
// deliver job reached the receiver; no job failed or stayed active.
// Checked not doubled: the fulfilled alert arrives under exactly one webhook-id, and no
// webhook-id arrives twice with a different body.
//
// A receiver down for a stretch and an SMTP server down are covered by the delivery tests
// (test/integration/delivery.test.ts, test/integration/channel-contract.test.ts): deliveries
// retried with the same webhook-id / Message-ID once they return.
import { afterEach, describe, expect, it } from 'vitest';
import type { QueueName } from '../../src/queue/queues';
import { stopProcess } from '../../src/testing/worker-processes';
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

  it('SIGTERM during a scrape: exits 0 after finishing its jobs, none left active', async () => {
    const { exit, activeAfterExit } = await seedWithFault('scrape', 'SIGTERM', 1500);
    expect(exit.code).toBe(0);
    // Graceful: the running job was finished before exit, not abandoned with its lock.
    expect(activeAfterExit).toEqual([]);
  }, 120_000);
});
