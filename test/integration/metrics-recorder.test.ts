// The counters behind /metrics, on the real Redis: counts gather in each process and reach Redis
// in one write a second, so /metrics served by another process sees them after a flush, the
// process that counted sees them at once, and a write that fails keeps its counts for the next.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { METRICS, MetricsRecorder, type Sample } from '../../src/metrics';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { runPrefix } from '../../src/demo/seed-scenario';

const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const redis = connectRedis(url);
const prefixes: string[] = [];
// A flush interval no test waits for: every write below is an explicit flush, read or close.
const NEVER = 3_600_000;

function recorder(prefix: string, conn: Redis = redis): MetricsRecorder {
  return new MetricsRecorder(conn, prefix, () => undefined, NEVER);
}

function value(samples: Map<string, Sample[]>, metric: string, series: string, labels: object): number {
  const found = (samples.get(metric) ?? []).find(
    (s) => s.series === series && Object.entries(labels).every(([k, v]) => s.labels[k] === v),
  );
  return found?.value ?? 0;
}

afterAll(async () => {
  for (const p of prefixes) await deleteKeys(redis, p);
  redis.disconnect();
});

describe('MetricsRecorder', () => {
  it('adds up what two processes counted, once each has flushed', async () => {
    const prefix = runPrefix('metrics-two');
    prefixes.push(prefix);
    const worker = recorder(prefix);
    const http = recorder(prefix);
    for (let i = 0; i < 5; i++) worker.inc(METRICS.jobs, { queue: 'scrape', outcome: 'completed' });
    http.inc(METRICS.jobs, { queue: 'scrape', outcome: 'completed' }, 2);
    worker.observe(METRICS.stageDuration, { queue: 'scrape' }, 0.02);
    worker.observe(METRICS.stageDuration, { queue: 'scrape' }, 3);

    // Not yet written: the HTTP process sees its own count only.
    let seen = await http.read();
    expect(value(seen, METRICS.jobs.name, METRICS.jobs.name, { queue: 'scrape' })).toBe(2);

    await worker.flush();
    seen = await http.read();
    expect(value(seen, METRICS.jobs.name, METRICS.jobs.name, { queue: 'scrape' })).toBe(7);
    const h = METRICS.stageDuration.name;
    // Cumulative buckets, as Prometheus reads them: 0.02 s is under 0.025 and everything after it.
    expect(value(seen, h, `${h}_bucket`, { queue: 'scrape', le: '0.01' })).toBe(0);
    expect(value(seen, h, `${h}_bucket`, { queue: 'scrape', le: '0.025' })).toBe(1);
    expect(value(seen, h, `${h}_bucket`, { queue: 'scrape', le: '5' })).toBe(2);
    expect(value(seen, h, `${h}_bucket`, { queue: 'scrape', le: '+Inf' })).toBe(2);
    expect(value(seen, h, `${h}_count`, { queue: 'scrape' })).toBe(2);
    expect(value(seen, h, `${h}_sum`, { queue: 'scrape' })).toBeCloseTo(3.02);
    await Promise.all([worker.close(), http.close()]);
  });

  it('writes what is left when closed, so a stopping worker loses no count', async () => {
    const prefix = runPrefix('metrics-close');
    prefixes.push(prefix);
    const worker = recorder(prefix);
    worker.inc(METRICS.alerts, { kind: 'expectation.fulfilled' });
    await worker.close();
    const seen = await recorder(prefix).read();
    expect(value(seen, METRICS.alerts.name, METRICS.alerts.name, { kind: 'expectation.fulfilled' })).toBe(1);
  });

  it('keeps the counts of a write that failed (Redis away) and writes them once it is back', async () => {
    const prefix = runPrefix('metrics-away');
    prefixes.push(prefix);
    // Not connected yet, and failing at once rather than queueing: Redis as seen during an outage.
    const away = new Redis(url, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    const errors: Error[] = [];
    const worker = new MetricsRecorder(away, prefix, (err) => errors.push(err), NEVER);
    worker.inc(METRICS.deliveries, { channel: 'webhook', outcome: 'delivered' }, 3);
    await worker.flush();
    expect(errors.length).toBe(1);
    worker.inc(METRICS.deliveries, { channel: 'webhook', outcome: 'delivered' });

    // The failed write itself set the lazy connection connecting; wait until it is up.
    if (away.status === 'wait') await away.connect();
    else if (away.status !== 'ready') await new Promise((resolve) => away.once('ready', resolve));
    await worker.flush();
    const seen = await recorder(prefix).read();
    expect(
      value(seen, METRICS.deliveries.name, METRICS.deliveries.name, {
        channel: 'webhook',
        outcome: 'delivered',
      }),
    ).toBe(4);
    await worker.close();
    away.disconnect();
  });
});
