// The scheduler role: a node-cron task per feed that enqueues a poll job whose id names the
// feed and the minute slot, so however many instances tick, each feed is polled once a slot.
import { schedule, type ScheduledTask } from 'node-cron';
import { jobId } from '../src/queue/queues';
import type { Context } from './context';

export const slotOf = (date: Date) => Math.floor(date.getTime() / 60_000);

export async function enqueuePoll(ctx: Context, feedId: string, slot: number) {
  const data = { feedId, slot };
  return ctx.queues.poll.add('poll', data, { jobId: jobId.poll(data) });
}

export function startScheduler(ctx: Context): { stop(): Promise<void> } {
  const tasks: ScheduledTask[] = ctx.feeds
    .filter((f) => f.enabled)
    .map((feed) =>
      schedule(feed.schedule, async () => {
        try {
          await enqueuePoll(ctx, feed.id, slotOf(ctx.now()));
        } catch (err) {
          ctx.log.error({ feed: feed.id, err: (err as Error).message }, 'could not enqueue poll');
        }
      }),
    );
  ctx.log.info({ feeds: tasks.length }, 'scheduler started');
  return {
    async stop() {
      await Promise.all(tasks.map((t) => t.stop()));
    },
  };
}
