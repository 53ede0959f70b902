// The alert stage: record an alert once and fan it out, one delivery job per subscriber and
// channel whose filters want it.
import { subscriberWants, type Subscriber } from '../domain/alerts';
import type { Alert } from '../domain/types';
import type { DeliverJob } from '../queue/queues';
import type { AlertStore } from '../store/alerts';

export interface AlertDeps {
  alerts: AlertStore;
  subscribers: () => readonly Subscriber[];
  enqueueDeliver: (jobs: DeliverJob[]) => Promise<void>;
}

export async function fanOut(deps: AlertDeps, alert: Alert): Promise<DeliverJob[]> {
  // Saved with NX: a re-run finds it and enqueues the same deterministic job ids, which BullMQ ignores.
  await deps.alerts.save(alert);
  const jobs: DeliverJob[] = deps
    .subscribers()
    .filter((s) => s.webhook && subscriberWants(s, alert))
    .map((s) => ({ alertId: alert.id, subscriberId: s.id, channel: 'webhook' }));
  if (jobs.length > 0) await deps.enqueueDeliver(jobs);
  return jobs;
}
