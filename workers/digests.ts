// The digest side of the scheduler: a node-cron task per digest subscriber, in that subscriber's
// time zone, closing its period on each tick. Run-time subscribers come and go, so the tasks
// are re-read once a minute. Safe on many instances: a period closes once (src/store/digests.ts)
// and its delivery jobs have deterministic ids.
import { schedule, type ScheduledTask } from 'node-cron';
import type { Subscriber } from '../src/domain/alerts';
import { closeDigestPeriod } from '../src/pipeline/digest';
import { jobId } from '../src/queue/queues';
import type { Context } from './context';

/** The tick's scheduled minute: instances whose clocks differ by seconds still name one period. */
const periodOf = (date: Date) => new Date(Math.round(date.getTime() / 60_000) * 60_000);

export async function closeDigest(ctx: Context, sub: Subscriber, at: Date) {
  return closeDigestPeriod(
    {
      digests: ctx.delivery.stores.digests,
      paused: async (id) => (await ctx.delivery.stores.subscribers.pauseState(id)) !== undefined,
      enqueueDeliver: async (jobs) => {
        await ctx.queues.deliver.addBulk(
          jobs.map((d) => ({ name: 'deliver', data: d, opts: { jobId: jobId.deliver(d) } })),
        );
      },
    },
    sub,
    periodOf(at),
  );
}

export function startDigestScheduler(ctx: Context): { stop(): Promise<void> } {
  const tasks = new Map<string, { key: string; task: ScheduledTask }>();
  const sync = async () => {
    const subs = (await ctx.delivery.subscribers()).filter((s) => s.mode === 'digest' && s.digest);
    const wanted = new Map(subs.map((s) => [s.id, s]));
    for (const [id, t] of tasks) {
      const sub = wanted.get(id);
      if (sub && `${sub.digest!.schedule}|${sub.digest!.timezone}` === t.key) continue;
      await t.task.stop();
      tasks.delete(id);
    }
    for (const sub of subs) {
      if (tasks.has(sub.id)) continue;
      const { schedule: pattern, timezone } = sub.digest!;
      const task = schedule(
        pattern,
        async (tick) => {
          try {
            // Re-read: the subscriber may have changed channels since the task was made.
            const current = await ctx.delivery.subscriber(sub.id);
            if (current) await closeDigest(ctx, current, tick.date);
          } catch (err) {
            ctx.log.error(
              { subscriber: sub.id, err: (err as Error).message },
              'could not close digest period',
            );
          }
        },
        { timezone },
      );
      tasks.set(sub.id, { key: `${pattern}|${timezone}`, task });
    }
  };
  const resync = schedule('* * * * *', async () => {
    try {
      await sync();
    } catch (err) {
      ctx.log.error({ err: (err as Error).message }, 'could not read digest subscribers');
    }
  });
  void sync().catch((err: Error) => ctx.log.error({ err: err.message }, 'could not read digest subscribers'));
  return {
    async stop() {
      await resync.stop();
      await Promise.all([...tasks.values()].map((t) => t.task.stop()));
      tasks.clear();
    },
  };
}
