// Closing a digest period: the subscriber's buffered alerts become the period's batch (once,
// however many schedulers fire) and one delivery job per channel carries it, with the same
// exactly-once rules as an alert. A paused subscriber's period stays open: nothing is sent while
// it is paused, and what was buffered before the pause goes in the first digest after it.
import { channelsOf, type Subscriber } from '../domain/alerts';
import type { DeliverJob, DigestRef } from '../queue/queues';
import type { DigestStore } from '../store/digests';

export interface DigestDeps {
  digests: Pick<DigestStore, 'close' | 'lastClosed' | 'setLastClosed'>;
  enqueueDeliver: (jobs: DeliverJob[]) => Promise<void>;
  /** whether an operator paused the subscriber */
  paused?: ((subscriberId: string) => Promise<boolean>) | undefined;
}

/** `closedAt` is the scheduled time of the cron tick, the same on every instance. */
export async function closeDigestPeriod(
  deps: DigestDeps,
  sub: Subscriber,
  closedAt: Date,
): Promise<DeliverJob[]> {
  if (await deps.paused?.(sub.id)) return [];
  const period = String(Math.floor(closedAt.getTime() / 1000));
  const ids = await deps.digests.close(sub.id, period);
  if (ids.length === 0) return []; // a quiet period sends nothing
  const from = await deps.digests.lastClosed(sub.id);
  const to = closedAt.toISOString();
  const digest: DigestRef = {
    id: `dg_${sub.id}_${period}`,
    period,
    from: from === to ? undefined : from,
    to,
  };
  const jobs: DeliverJob[] = channelsOf(sub).map((channel) => ({ subscriberId: sub.id, channel, digest }));
  await deps.enqueueDeliver(jobs);
  await deps.digests.setLastClosed(sub.id, to);
  return jobs;
}
