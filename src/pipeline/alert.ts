// The alert stage: record an alert once and fan it out to the subscribers whose filters want
// it: one delivery job per (alert, subscriber, channel) for instant subscribers, a place in the
// period's buffer for digest subscribers. A paused subscriber gets neither: each of its channels
// is logged as skipped, and nothing is buffered for its digest.
import { channelsOf, subscriberWants, type FilterFacts, type Subscriber } from '../domain/alerts';
import type { Alert } from '../domain/types';
import type { DeliverJob } from '../queue/queues';
import type { AlertStore } from '../store/alerts';
import type { DigestStore } from '../store/digests';
import type { SubscriberStore } from '../store/subscribers';

export interface AlertDeps {
  alerts: AlertStore;
  subscribers: () => readonly Subscriber[] | Promise<readonly Subscriber[]>;
  enqueueDeliver: (jobs: DeliverJob[]) => Promise<void>;
  /** paused subscribers, unsubscribed or disabled channels are skipped (and the skip logged) */
  channelState: Pick<SubscriberStore, 'channelState' | 'pauseState'>;
  digests: Pick<DigestStore, 'add'>;
  /** what the region filter needs: the region tags of each feed */
  facts?: FilterFacts | undefined;
  now?: () => Date;
}

export async function fanOut(deps: AlertDeps, alert: Alert): Promise<DeliverJob[]> {
  // Saved with NX: a re-run finds it and enqueues the same deterministic job ids, which BullMQ ignores.
  await deps.alerts.save(alert);
  const at = (deps.now?.() ?? new Date()).toISOString();
  const wanting = (await deps.subscribers()).filter((s) => subscriberWants(s, alert, deps.facts));
  const jobs: DeliverJob[] = [];
  const skip = (subscriberId: string, channel: string, error: string) =>
    deps.alerts.logAttempt(alert.id, { subscriberId, channel, at, outcome: 'skipped', error });
  for (const sub of wanting) {
    const paused = await deps.channelState.pauseState(sub.id);
    if (paused) {
      for (const channel of channelsOf(sub)) await skip(sub.id, channel, `subscriber paused at ${paused.at}`);
      continue;
    }
    if (sub.mode === 'digest') {
      await deps.digests.add(sub.id, alert.id, alert.createdAt);
      continue;
    }
    for (const channel of channelsOf(sub)) {
      const state = await deps.channelState.channelState(sub.id, channel);
      const stopped = state.unsubscribedAt
        ? `unsubscribed at ${state.unsubscribedAt}`
        : state.disabled && `channel disabled at ${state.disabled.at}: ${state.disabled.reason}`;
      if (stopped) {
        await skip(sub.id, channel, stopped);
        continue;
      }
      jobs.push({ alertId: alert.id, subscriberId: sub.id, channel });
    }
  }
  if (jobs.length > 0) await deps.enqueueDeliver(jobs);
  return jobs;
}
