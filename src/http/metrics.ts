// /metrics in Prometheus text format (prom-client): the counters and histograms the workers keep in
// Redis (src/metrics.ts), whichever process counted them, plus gauges read at scrape time: queue
// depths, feed health, the size of the event base.
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { serializerCompiler } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { Counter, Gauge, Registry, type Metric } from 'prom-client';
import { METRICS, type HistogramDef, type Sample } from '../metrics';
import type { OperatorDeps } from './operator';

const JOB_STATES = ['waiting', 'active', 'delayed', 'prioritized', 'failed', 'completed'] as const;

export function metricsRegistry(deps: OperatorDeps, queues: readonly Queue[]) {
  const registry = new Registry();
  let snapshot = new Map<string, Sample[]>();
  const samples = (name: string) => snapshot.get(name) ?? [];

  for (const def of Object.values(METRICS)) {
    if (def.kind === 'counter') {
      new Counter({
        name: def.name,
        help: def.help,
        labelNames: def.labels,
        registers: [registry],
        collect() {
          this.reset();
          for (const s of samples(def.name)) this.inc(s.labels, s.value);
        },
      });
    } else {
      registry.registerMetric(storedHistogram(def, () => samples(def.name)));
    }
  }

  new Gauge({
    name: 'newswatch_queue_jobs',
    help: 'Jobs per queue and state, as BullMQ holds them now (completed and failed within their retention)',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      const counts = await Promise.all(queues.map((q) => q.getJobCounts(...JOB_STATES)));
      queues.forEach((q, i) => {
        for (const state of JOB_STATES) this.set({ queue: q.name, state }, counts[i]![state] ?? 0);
      });
    },
  });

  const feedGauges = {
    streak: new Gauge({
      name: 'newswatch_feed_error_streak',
      help: 'Failed polls in a row, per feed (0 after a success)',
      labelNames: ['feed'],
      registers: [registry],
    }),
    states: new Gauge({
      name: 'newswatch_feeds',
      help: 'Feeds by health state (ok, failing, backing off, broken, needs JavaScript, silent, paused, never polled)',
      labelNames: ['state'],
      registers: [registry],
    }),
  };

  const base = new Gauge({
    name: 'newswatch_event_base_records',
    help: 'Records in the event base: events, expectations, open expectations',
    labelNames: ['kind'],
    registers: [registry],
  });

  return {
    contentType: registry.contentType,
    async render(): Promise<string> {
      const [read, feeds, counts] = await Promise.all([
        deps.metrics.read(),
        deps.health(deps.feeds.list()),
        deps.events.counts(),
      ]);
      snapshot = read;
      feedGauges.streak.reset();
      feedGauges.states.reset();
      for (const f of feeds) {
        feedGauges.streak.set({ feed: f.id }, f.health.errorStreak);
        feedGauges.states.inc({ state: f.health.state });
      }
      base.set({ kind: 'events' }, counts.events);
      base.set({ kind: 'expectations' }, counts.expectations);
      base.set({ kind: 'open_expectations' }, counts.openExpectations);
      return registry.metrics();
    },
  };
}

/**
 * A histogram whose buckets were counted elsewhere (in Redis): prom-client's Histogram can only
 * observe, not be set, so this hands the registry the same shape its Histogram does.
 */
function storedHistogram(def: HistogramDef, samples: () => Sample[]): Metric {
  const get = async () => ({
    name: def.name,
    help: def.help,
    type: 'histogram' as const,
    aggregator: 'sum' as const,
    values: histogramSeries(def, samples()),
  });
  return { name: def.name, help: def.help, type: 'histogram', aggregator: 'sum', get } as unknown as Metric;
}

/** Per label set: every bucket in order (absent ones are 0: nothing fell at or below them), +Inf, sum, count. */
export function histogramSeries(def: HistogramDef, samples: readonly Sample[]) {
  const groups = new Map<string, { labels: Record<string, string>; values: Map<string, number> }>();
  for (const s of samples) {
    const { le, ...labels } = s.labels;
    const key = JSON.stringify(labels);
    const group = groups.get(key) ?? { labels, values: new Map() };
    group.values.set(s.series === `${def.name}_bucket` ? `le:${le}` : s.series, s.value);
    groups.set(key, group);
  }
  const out: { metricName: string; labels: Record<string, string | number>; value: number }[] = [];
  for (const { labels, values } of groups.values()) {
    for (const le of [...def.buckets.map(String), '+Inf'])
      out.push({
        metricName: `${def.name}_bucket`,
        labels: { ...labels, le },
        value: values.get(`le:${le}`) ?? 0,
      });
    out.push({ metricName: `${def.name}_sum`, labels, value: values.get(`${def.name}_sum`) ?? 0 });
    out.push({ metricName: `${def.name}_count`, labels, value: values.get(`${def.name}_count`) ?? 0 });
  }
  return out;
}

export function metricsRoute(deps: OperatorDeps, queues: readonly Queue[]) {
  const metrics = metricsRegistry(deps, queues);
  return async function routes(app: FastifyInstance): Promise<void> {
    app.setSerializerCompiler(serializerCompiler);
    app.get(
      '/metrics',
      {
        schema: {
          tags: ['health'],
          summary:
            'Prometheus metrics: job counts and timings per queue, feed health, deliveries, the event base',
          description:
            'Text exposition format. Takes the operator token or, when `METRICS_TOKEN` is set, that token, so a scraper need not hold the operator’s.',
          security: [{ operatorToken: [] }, { metricsToken: [] }],
          response: {
            200: {
              description: 'Prometheus text exposition format 0.0.4',
              content: { 'text/plain': { schema: z.string() } },
            },
          },
        },
      },
      async (_request, reply) => reply.type(metrics.contentType).send(await metrics.render()),
    );
  };
}
