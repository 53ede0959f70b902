// The scheduler's per-feed cron tasks, re-planned whenever the feeds change (added, paused,
// resumed, rescheduled, removed at run time), with no restart. A feed that starts being scheduled
// after start-up (added or resumed) is polled at once rather than at its first tick.
import { schedule, type ScheduledTask } from 'node-cron';
import type { FeedDefinition } from '../src/feeds/schema';
import type { Context } from './context';

export function startFeedTicks(
  ctx: Context,
  poll: (feedId: string) => Promise<void>,
): { count(): number; stop(): Promise<void> } {
  const tasks = new Map<string, { schedule: string; task: ScheduledTask }>();
  const tick = (feedId: string) => async () => {
    try {
      await poll(feedId);
    } catch (err) {
      ctx.log.error({ feed: feedId, err: (err as Error).message }, 'could not enqueue poll');
    }
  };

  /** Returns the feeds that were not scheduled before. */
  const plan = (feeds: readonly FeedDefinition[]): string[] => {
    const wanted = new Map(feeds.filter((f) => f.enabled).map((f) => [f.id, f]));
    const fresh: string[] = [];
    for (const [id, t] of tasks) {
      if (wanted.get(id)?.schedule === t.schedule) continue;
      void t.task.stop();
      tasks.delete(id);
      if (wanted.has(id)) ctx.log.info({ feed: id, schedule: wanted.get(id)!.schedule }, 'feed rescheduled');
      else ctx.log.info({ feed: id }, 'feed no longer scheduled');
    }
    for (const [id, feed] of wanted) {
      if (tasks.has(id)) continue;
      tasks.set(id, { schedule: feed.schedule, task: schedule(feed.schedule, tick(id)) });
      fresh.push(id);
    }
    return fresh;
  };

  plan(ctx.feeds);
  const stopListening = ctx.feedRegistry.onChange((feeds) => {
    const before = new Set(tasks.keys());
    for (const id of plan(feeds.filter((f) => !f.removedAt))) {
      if (before.has(id)) continue; // a new schedule for a feed already polled: its next tick will do
      ctx.log.info({ feed: id }, 'feed scheduled');
      void tick(id)();
    }
  });
  return {
    count: () => tasks.size,
    async stop() {
      stopListening();
      await Promise.all([...tasks.values()].map((t) => t.task.stop()));
      tasks.clear();
    },
  };
}
