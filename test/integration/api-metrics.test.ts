// /metrics after the seed scenario has run end to end (the demo): the exposition parses as
// Prometheus text, and its counters, histograms and gauges say what the run did.
import type { FastifyInstance } from 'fastify';
import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log';
import { startSeedScenario, type SeedScenario } from '../../src/demo/seed-scenario';
import { testConfig } from '../support/config';
import { operatorApp } from '../support/operator';

const METRICS_TOKEN = 'scraper-token-0123456789abcdef';
const config = testConfig('api-metrics', {
  OPERATOR_TOKEN: 'metrics-test-operator-token-01',
  METRICS_TOKEN,
  EVENTS_FILE: 'test/no-events.yml',
  HOST_MIN_DELAY_MS: '0',
});
let scenario: SeedScenario;
let app: FastifyInstance;
let families: Map<string, ParsedFamily>;
let exposition: string;

beforeAll(async () => {
  scenario = await startSeedScenario(config, createLogger('silent'));
  await scenario.poll();
  await scenario.publishSecond();
  await scenario.poll();
  const ctx = scenario.service.ctx;
  app = await operatorApp(config, ctx);
  const res = await app.inject({
    method: 'GET',
    url: '/metrics',
    headers: { authorization: `Bearer ${METRICS_TOKEN}` },
  });
  expect(res.statusCode).toBe(200);
  expect(res.headers['content-type']).toContain('text/plain; version=0.0.4');
  exposition = res.body;
  // The parser throws on any line that is not Prometheus text format.
  families = new Map(parsePrometheusTextFormat(res.body).map((f) => [f.name, f]));
}, 60_000);

afterAll(async () => {
  await app?.close();
  await scenario?.close();
});

/**
 * A histogram series as written: the parser folds every label set of a histogram into one, so
 * labelled histograms are read from their lines (which it has already checked).
 */
function series(line: string): number {
  const found = exposition.split('\n').find((l) => l.startsWith(`${line} `));
  if (!found) throw new Error(`no series ${line}`);
  return Number(found.slice(line.length + 1));
}

/** The value of the one sample of `name` whose labels include `labels`. */
function value(name: string, labels: Record<string, string> = {}): number {
  const family = families.get(name);
  if (!family) throw new Error(`no metric ${name}`);
  const matching = family.metrics.filter((m) =>
    Object.entries(labels).every(([k, v]) => m.labels?.[k] === v),
  );
  return matching.reduce((sum, m) => sum + Number(m.value ?? m.count ?? 0), 0);
}

describe('/metrics after the seed scenario', () => {
  it('is refused without a token, and served with the operator token as with METRICS_TOKEN', async () => {
    expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const operator = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: { authorization: `Bearer ${config.operatorToken}` },
    });
    expect(operator.statusCode).toBe(200);
    // The scraper's token opens /metrics only.
    const api = await app.inject({
      method: 'GET',
      url: '/api/feeds',
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    expect(api.statusCode).toBe(401);
  });

  it('counts the polls of the seed feed and the articles scraped from it', () => {
    expect(families.get('newswatch_feed_polls_total')!.type).toBe('COUNTER');
    expect(value('newswatch_feed_polls_total', { feed: 'seed-fixture', outcome: 'polled' })).toBe(2);
    expect(value('newswatch_feed_items_total', { feed: 'seed-fixture' })).toBe(2);
    expect(value('newswatch_articles_total', { feed: 'seed-fixture', outcome: 'scraped' })).toBe(2);
  });

  it('counts events by kind, the expectation, and the fulfils match', () => {
    expect(value('newswatch_events_total', { kind: 'current' })).toBeGreaterThanOrEqual(2);
    expect(value('newswatch_events_total', { kind: 'historical' })).toBeGreaterThanOrEqual(8);
    expect(value('newswatch_expectations_total')).toBeGreaterThanOrEqual(1);
    expect(value('newswatch_matches_total', { kind: 'fulfils' })).toBe(1);
  });

  it('counts alerts by kind and deliveries by channel and outcome, with their latency', () => {
    expect(value('newswatch_alerts_total', { kind: 'expectation.fulfilled' })).toBe(1);
    expect(value('newswatch_alerts_total', { kind: 'expectation.opened' })).toBe(1);
    const delivered = value('newswatch_deliveries_total', { channel: 'webhook', outcome: 'delivered' });
    expect(delivered).toBe(scenario.delivered().length);
    expect(families.get('newswatch_delivery_latency_seconds')!.type).toBe('HISTOGRAM');
    expect(series('newswatch_delivery_latency_seconds_count{channel="webhook"}')).toBe(delivered);
    expect(series('newswatch_delivery_latency_seconds_bucket{channel="webhook",le="+Inf"}')).toBe(delivered);
    expect(series('newswatch_delivery_latency_seconds_sum{channel="webhook"}')).toBeGreaterThan(0);
  });

  it('reports job outcomes and stage durations per queue, and the queues now idle', () => {
    for (const queue of ['poll', 'scrape', 'analyze', 'alert', 'deliver']) {
      expect(value('newswatch_jobs_total', { queue, outcome: 'completed' }), queue).toBeGreaterThan(0);
      expect(series(`newswatch_stage_duration_seconds_count{queue="${queue}"}`), queue).toBe(
        value('newswatch_jobs_total', { queue }),
      );
      expect(value('newswatch_queue_jobs', { queue, state: 'waiting' }), queue).toBe(0);
    }
    expect(value('newswatch_queue_jobs', { queue: 'scrape', state: 'completed' })).toBe(2);
  });

  it('reports feed health and the size of the event base', () => {
    expect(value('newswatch_feeds', { state: 'ok' })).toBe(1);
    expect(value('newswatch_feed_error_streak', { feed: 'seed-fixture' })).toBe(0);
    expect(value('newswatch_event_base_records', { kind: 'expectations' })).toBeGreaterThanOrEqual(1);
    expect(value('newswatch_event_base_records', { kind: 'open_expectations' })).toBe(
      value('newswatch_event_base_records', { kind: 'expectations' }) - 1,
    );
  });
});
