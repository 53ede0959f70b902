// The scheduler role: a node-cron task per feed that enqueues a poll job whose id names the
// feed and the minute slot, so however many instances tick, each feed is polled once a slot.
import { schedule, type ScheduledTask } from 'node-cron';
import { collectStalledPages } from '../src/pipeline/owed-pages';
import { sweepOverdue } from '../src/pipeline/sweep';
import { jobId } from '../src/queue/queues';
import type { Context } from './context';
import { startDigestScheduler } from './digests';
import { startFeedTicks } from './feed-ticks';

export const slotOf = (date: Date) => Math.floor(date.getTime() / 60_000);

/** Only the queues are needed: a test process with no role of its own enqueues polls too. */
export async function enqueuePoll(ctx: Pick<Context, 'queues'>, feedId: string, slot: number) {
  const data = { feedId, slot };
  return ctx.queues.poll.add('poll', data, { jobId: jobId.poll(data) });
}

/** The scheduler's heartbeat: a tick every 15 s that /readyz reads (src/domain/readiness.ts). */
export const HEARTBEAT = { cron: '*/15 * * * * *', everyMs: 15_000 };

export interface Scheduler {
  stop(): Promise<void>;
  /** what /readyz judges: whether it runs, and its last heartbeat (epoch ms; the start before the first) */
  state(): { running: boolean; lastTickAt: number; everyMs: number };
}

export function startScheduler(ctx: Context): Scheduler {
  let running = true;
  let lastTickAt = Date.now();
  // Feeds added, paused or rescheduled at run time are re-planned there, without a restart.
  const feeds = startFeedTicks(ctx, async (feedId) => {
    await enqueuePoll(ctx, feedId, slotOf(ctx.now()));
  });
  const tasks: ScheduledTask[] = [];
  tasks.push(
    schedule(ctx.config.sweep.schedule, async () => {
      try {
        await runSweep(ctx);
      } catch (err) {
        ctx.log.error({ err: (err as Error).message }, 'overdue sweep failed');
      }
      try {
        await sweepStalledPages(ctx);
      } catch (err) {
        ctx.log.error({ err: (err as Error).message }, 'stalled-page sweep failed');
      }
    }),
  );
  // The real clock, not ctx.now: readiness asks whether node-cron still fires in this process.
  tasks.push(
    schedule(HEARTBEAT.cron, () => {
      lastTickAt = Date.now();
    }),
  );
  const digests = startDigestScheduler(ctx);
  ctx.log.info({ feeds: feeds.count() }, 'scheduler started');
  return {
    state: () => ({ running, lastTickAt, everyMs: HEARTBEAT.everyMs }),
    async stop() {
      running = false;
      await feeds.stop();
      await Promise.all(tasks.map((t) => t.stop()));
      await digests.stop();
    },
  };
}

/** Marks expectations overdue and queues their alerts; safe on many instances (one gate per expectation). */
export async function runSweep(ctx: Context): Promise<number> {
  const alerts = await sweepOverdue({
    base: ctx.stores.events,
    nameOf: ctx.analyzer.nameOf,
    now: ctx.now,
    graceDays: ctx.config.sweep.graceDays,
  });
  await ctx.queues.alert.addBulk(
    alerts.map((alert) => ({ name: alert.kind, data: { alert }, opts: { jobId: jobId.alert(alert.id) } })),
  );
  if (alerts.length > 0) ctx.log.info({ overdue: alerts.length }, 'expectations overdue');
  return alerts.length;
}

/** Failed scrape jobs read per sweep: the newest; a backlog larger than this is read over several sweeps. */
const STALLED_SWEEP_DEPTH = 500;

/** Scrape jobs BullMQ failed as stalled join the given-up list (src/pipeline/owed-pages.ts). */
export async function sweepStalledPages(ctx: Pick<Context, 'queues' | 'stores' | 'log'>): Promise<number> {
  const added = await collectStalledPages({
    failed: () => ctx.queues.scrape.getFailed(0, STALLED_SWEEP_DEPTH - 1),
    givenUp: ctx.stores.givenUp,
  });
  if (added > 0) ctx.log.warn({ pages: added }, 'stalled pages given up');
  return added;
}
