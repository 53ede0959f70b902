// What each finished job adds to /metrics, read from the job and what its processor returned, so
// the processors themselves stay free of counting. Counts gather in memory and go to Redis (src/metrics.ts).
import { DelayedError, type Job } from 'bullmq';
import { METRICS, type MetricsRecorder } from '../src/metrics';
import type { QueueName } from '../src/queue/queues';

type Outcome = { result: unknown } | { error: unknown };

export function recordJob(
  metrics: MetricsRecorder,
  queue: QueueName,
  job: Job,
  outcome: Outcome,
  durationMs: number,
): void {
  // Postponed (a rate-limited delivery) is neither done nor failed: it runs again later.
  if ('error' in outcome && outcome.error instanceof DelayedError) return;
  const failed = 'error' in outcome;
  const r = ('result' in outcome ? outcome.result : undefined) as Record<string, unknown> | undefined;
  const data = job.data as Record<string, unknown>;
  metrics.inc(METRICS.jobs, { queue, outcome: failed ? 'failed' : 'completed' });
  metrics.observe(METRICS.stageDuration, { queue }, durationMs / 1000);
  switch (queue) {
    case 'poll': {
      const feed = String(data.feedId);
      metrics.inc(METRICS.polls, { feed, outcome: failed ? 'failed' : String(r?.status) });
      if (typeof r?.newItems === 'number' && r.newItems > 0) metrics.inc(METRICS.items, { feed }, r.newItems);
      break;
    }
    case 'scrape': {
      const outcome = failed
        ? 'failed'
        : r?.duplicate
          ? 'duplicate'
          : r?.skipped
            ? 'skipped'
            : r?.unchanged
              ? 'unchanged'
              : r?.version
                ? 'updated'
                : 'scraped';
      metrics.inc(METRICS.articles, { feed: String(data.feedId), outcome });
      break;
    }
    case 'analyze': {
      if (failed || !r) break;
      const events = Array.isArray(r.events) ? r.events.length : 0;
      const historical = typeof r.historical === 'number' ? r.historical : 0;
      if (events - historical > 0) metrics.inc(METRICS.events, { kind: 'current' }, events - historical);
      if (historical > 0) metrics.inc(METRICS.events, { kind: 'historical' }, historical);
      if (typeof r.expectations === 'number' && r.expectations > 0)
        metrics.inc(METRICS.expectations, {}, r.expectations);
      for (const kind of Array.isArray(r.matches) ? r.matches : [])
        metrics.inc(METRICS.matches, { kind: String(kind) });
      break;
    }
    case 'alert': {
      const alert = data.alert as { kind?: string } | undefined;
      if (!failed) metrics.inc(METRICS.alerts, { kind: String(alert?.kind) });
      break;
    }
    case 'deliver': {
      const channel = String(data.channel);
      const outcome = failed ? 'failed' : String(r?.outcome);
      metrics.inc(METRICS.deliveries, { channel, outcome });
      if (outcome === 'delivered')
        metrics.observe(METRICS.deliveryLatency, { channel }, (Date.now() - job.timestamp) / 1000);
      break;
    }
  }
}
