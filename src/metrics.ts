// The service's counters and histograms, kept in Redis rather than in process memory: the
// workers that count (poll, scrape, deliver ...) may run in other processes, on other machines,
// than the HTTP role that serves /metrics. Counts gather in memory and go to Redis once a second
// in one pipeline (one HINCRBYFLOAT per changed series), not one round trip per job: at a
// hundred articles a second the per-job writes were a fifth of a worker's Redis traffic.
import type { Redis } from 'ioredis';
import { redisKeys } from './store/keys';

export interface CounterDef {
  kind: 'counter';
  name: string;
  help: string;
  labels: readonly string[];
}

export interface HistogramDef {
  kind: 'histogram';
  name: string;
  help: string;
  labels: readonly string[];
  /** upper bounds in seconds, ascending; +Inf is implied */
  buckets: readonly number[];
}

export type MetricDef = CounterDef | HistogramDef;

const counter = (name: string, help: string, labels: readonly string[]): CounterDef => ({
  kind: 'counter',
  name,
  help,
  labels,
});

/** Seconds, from a quick webhook to a delivery that waited out a day of retries. */
const LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 1800, 3600, 21600, 86400];
const STAGE_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

export const METRICS = {
  polls: counter(
    'newswatch_feed_polls_total',
    'Feed polls by feed and outcome (polled, not-modified, backing-off, disabled, unknown-feed, failed)',
    ['feed', 'outcome'],
  ),
  items: counter('newswatch_feed_items_total', 'New feed items sent to the scrape stage, by feed', ['feed']),
  articles: counter(
    'newswatch_articles_total',
    'Article pages by feed and outcome (scraped, updated, unchanged, duplicate, skipped, failed)',
    ['feed', 'outcome'],
  ),
  events: counter('newswatch_events_total', 'Events read from articles, by kind (current, historical)', [
    'kind',
  ]),
  expectations: counter('newswatch_expectations_total', 'Expectations read from articles', []),
  matches: counter('newswatch_matches_total', 'Match decisions by kind (same_event, fulfils, related)', [
    'kind',
  ]),
  alerts: counter('newswatch_alerts_total', 'Alerts fanned out to subscribers, by kind', ['kind']),
  deliveries: counter(
    'newswatch_deliveries_total',
    'Delivery attempts by channel and outcome (delivered, already-delivered, skipped, rate-limited, failed)',
    ['channel', 'outcome'],
  ),
  deliveryLatency: {
    kind: 'histogram',
    name: 'newswatch_delivery_latency_seconds',
    help: 'From a delivery job being queued to its message being accepted (queueing, retries and sending), by channel',
    labels: ['channel'],
    buckets: LATENCY_BUCKETS,
  },
  jobs: counter('newswatch_jobs_total', 'Jobs finished by queue and outcome (completed, failed)', [
    'queue',
    'outcome',
  ]),
  stageDuration: {
    kind: 'histogram',
    name: 'newswatch_stage_duration_seconds',
    help: 'Time a worker spent on one job, by queue',
    labels: ['queue'],
    buckets: STAGE_BUCKETS,
  },
} as const satisfies Record<string, MetricDef>;

export type Labels = Record<string, string>;

/** The series of one metric: label values and the value (for histograms: per `le` and sum/count). */
export interface Sample {
  /** the series name: the metric's, or `_bucket`, `_sum`, `_count` for histograms */
  series: string;
  labels: Labels;
  value: number;
}

export class MetricsRecorder {
  /** series field -> amount not yet written to Redis */
  private pending = new Map<string, number>();
  private flushing: Promise<void> | undefined;
  private readonly timer: NodeJS.Timeout;
  /** the hash every process's counts go to */
  private readonly hash: string;

  /**
   * @param onError counting never fails the work it counts: a failed write is reported here and
   *   its amounts are kept for the next flush
   * @param flushMs how often gathered counts are written; a process killed outright loses at most
   *   this much counting (never work: the jobs themselves are in BullMQ)
   */
  constructor(
    private readonly redis: Redis,
    prefix: string,
    private readonly onError: (err: Error) => void = () => undefined,
    flushMs = 1000,
  ) {
    this.hash = redisKeys(prefix).metrics;
    this.timer = setInterval(() => void this.flush(), flushMs);
    this.timer.unref();
  }

  inc(metric: CounterDef, labels: Labels = {}, by = 1): void {
    this.add(field(metric.name, metric, labels), by);
  }

  observe(metric: HistogramDef, labels: Labels, value: number): void {
    for (const le of metric.buckets)
      if (value <= le) this.add(field(`${metric.name}_bucket`, metric, labels, String(le)), 1);
    this.add(field(`${metric.name}_bucket`, metric, labels, '+Inf'), 1);
    this.add(field(`${metric.name}_sum`, metric, labels), value);
    this.add(field(`${metric.name}_count`, metric, labels), 1);
  }

  private add(key: string, by: number): void {
    this.pending.set(key, (this.pending.get(key) ?? 0) + by);
  }

  /** Writes what was counted since the last flush; resolves once it is in Redis (or reported). */
  async flush(): Promise<void> {
    // One flush at a time, so a slow write is never overtaken by a later one.
    while (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    this.pending = new Map();
    const m = this.redis.pipeline();
    for (const [key, by] of batch) m.hincrbyfloat(this.hash, key, by);
    this.flushing = m
      .exec()
      .then((replies) => {
        const failed = replies?.find(([err]) => err)?.[0];
        if (failed) throw failed;
      })
      .catch((err: Error) => {
        // Kept for the next flush. A pipeline that failed half-way may count part of it twice:
        // a counter a little high after a Redis fault beats counts silently lost.
        for (const [key, by] of batch) this.add(key, by);
        this.onError(err);
      })
      .finally(() => {
        this.flushing = undefined;
      });
    await this.flushing;
  }

  /** Every series recorded so far (this process's pending counts included), grouped by metric name. */
  async read(): Promise<Map<string, Sample[]>> {
    await this.flush();
    const all = await this.redis.hgetall(this.hash);
    const out = new Map<string, Sample[]>();
    for (const [key, raw] of Object.entries(all)) {
      const [metric, series, labels] = JSON.parse(key) as [string, string, Labels];
      const list = out.get(metric) ?? [];
      list.push({ series, labels, value: Number(raw) });
      out.set(metric, list);
    }
    return out;
  }

  /**
   * Stops the timer and writes what is left: call before closing the Redis connection. Waits at
   * most `waitMs`, so a shutdown while Redis is away is not held up by counting.
   */
  async close(waitMs = 2000): Promise<void> {
    clearInterval(this.timer);
    let timeout: NodeJS.Timeout | undefined;
    await Promise.race([
      this.flush(),
      new Promise((resolve) => {
        timeout = setTimeout(resolve, waitMs);
      }),
    ]);
    clearTimeout(timeout);
  }
}

/** One hash field per series: [metric, series, labels] as JSON, so no label value can break it apart. */
function field(series: string, metric: MetricDef, labels: Labels, le?: string): string {
  const named: Labels = {};
  for (const l of metric.labels) named[l] = labels[l] ?? '';
  if (le !== undefined) named.le = le;
  return JSON.stringify([metric.name, series, named]);
}
