// Webhook delivery through the real pipeline: alerts put on the alert queue, fanned out and
// delivered by BullMQ workers on Redis, signed, POSTed to a local receiver that verifies each
// signature. Reports webhooks/s and latency from alert to receipt (p50, p95), against a baseline
// measured in the same run: the same signed POSTs sent in a bare loop at the same concurrency.
// Run alone: npm run bench -- delivery
import { loadConfig } from '../src/config/env';
import { alertPayload } from '../src/domain/alert-payload';
import { newEventAlert } from '../src/domain/alerts';
import type { Alert, EventRecord } from '../src/domain/types';
import { createLogger } from '../src/log';
import { generateWebhookSecret, sendWebhook } from '../src/notify/webhook';
import { jobId } from '../src/queue/queues';
import { hashKey } from '../src/store/articles';
import { connectRedis, deleteKeys } from '../src/store/redis';
import { runPrefix } from '../src/demo/seed-scenario';
import { startWebhookReceiver } from '../src/demo/webhook-receiver';
import { startService } from '../workers/service';
import { median, percentile, type BenchReport } from './harness';

const ALERTS = 300;
/** Measured rounds, after one warm-up round. */
const ROUNDS = 3;
const CONCURRENCY = 4;
/** Alerts sent one at a time per round, for the latency of an alert that waits behind no other. */
const SINGLES = 20; // WORKER_CONCURRENCY's default: the deliver worker's jobs at once per process

function alertNo(n: number, now: Date): Alert {
  const event: EventRecord = {
    id: `ev_bench_${n}`,
    type: 'meeting',
    family: 'meeting',
    participants: ['kuwait', 'nato'],
    actors: [],
    date: { value: '2026-01-28', precision: 'day', from: '2026-01-28', to: '2026-01-28' },
    historical: false,
    evidence: 'Kuwait and NATO officials met in Brussels.',
    sources: [
      {
        articleId: `a${n}`,
        url: `https://news.example/${n}`,
        title: 'Kuwait and NATO officials meet',
        published: now.toISOString(),
        lang: 'en',
        feedId: 'bench',
      },
    ],
  };
  return newEventAlert(event, (id) => id, hashKey, now);
}

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`delivery bench: not done within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export default async function deliveryBench(): Promise<BenchReport> {
  const secret = generateWebhookSecret();
  const receiver = await startWebhookReceiver({ secret });
  const arrivals = new Map<string, number>();
  receiver.onDelivery((d) => {
    if (d.verified && d.status === 204) arrivals.set(d.id, performance.now());
  });
  const config = loadConfig({
    ...process.env,
    NEWSWATCH_PREFIX: runPrefix('bench-delivery'),
    WORKER_CONCURRENCY: String(CONCURRENCY),
    WEBHOOK_RATE_LIMIT: '1000000',
    // The receiver listens on loopback, which the SSRF guard refuses unless allowed.
    FETCH_ALLOW_PRIVATE: '127.0.0.0/8,::1/128',
  });
  const service = await startService(config, createLogger('silent'), ['alert', 'deliver'], {
    feeds: [],
    subscribers: [
      { id: 'bench', name: 'Bench', webhook: { url: receiver.url, secrets: [secret] }, filters: {} },
    ],
  });
  const endpoint = { url: receiver.url, secrets: [secret] };

  const pipeline: { rate: number; p50: number; p95: number }[] = [];
  const baseline: number[] = [];
  const single: number[] = [];
  let next = 0;
  try {
    for (let round = 0; round <= ROUNDS; round++) {
      // Pipeline: every alert raised at once; latency is from raising to the receiver's 204.
      const alerts = Array.from({ length: ALERTS }, () => alertNo(next++, new Date()));
      arrivals.clear();
      const t0 = performance.now();
      await service.ctx.queues.alert.addBulk(
        alerts.map((alert) => ({
          name: alert.kind,
          data: { alert },
          opts: { jobId: jobId.alert(alert.id) },
        })),
      );
      await waitUntil(() => arrivals.size >= ALERTS, 120_000);
      const latencies = [...arrivals.values()].map((t) => t - t0);
      const elapsed = Math.max(...arrivals.values()) - t0;

      // Baseline: the same signed POSTs to the same receiver, CONCURRENCY at a time, no queue, no Redis.
      const bodies = alerts.map((a, i) => ({
        id: `baseline_${round}_${i}`,
        timestamp: new Date(),
        body: JSON.stringify(alertPayload(a)),
      }));
      const b0 = performance.now();
      let i = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (i < bodies.length)
            await sendWebhook(endpoint, bodies[i++]!, { allowPrivate: config.fetchAllowPrivate });
        }),
      );
      const baselineRate = ALERTS / ((performance.now() - b0) / 1000);

      // One at a time: the pipeline's own latency, with nothing queued ahead.
      for (let k = 0; k < SINGLES; k++) {
        const alert = alertNo(next++, new Date());
        const s0 = performance.now();
        await service.ctx.queues.alert.add(alert.kind, { alert }, { jobId: jobId.alert(alert.id) });
        const id = `${alert.id}_bench`;
        await waitUntil(() => arrivals.has(id), 30_000);
        if (round > 0) single.push(arrivals.get(id)! - s0);
      }
      if (round === 0) continue; // warm-up: connections, JIT
      pipeline.push({
        rate: ALERTS / (elapsed / 1000),
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
      });
      baseline.push(baselineRate);
    }
  } finally {
    await service.stop();
    const redis = connectRedis(config.redisUrl);
    await deleteKeys(redis, config.prefix);
    redis.disconnect();
    await receiver.close();
  }

  const rate = median(pipeline.map((p) => p.rate));
  const base = median(baseline);
  const p50 = median(pipeline.map((p) => p.p50));
  const p95 = median(pipeline.map((p) => p.p95));
  const ratio = rate / base;
  const f = (x: number) => x.toFixed(0);
  return {
    title: 'Webhook delivery',
    lines: [
      `${ALERTS} alerts raised at once, one webhook subscriber on 127.0.0.1 verifying every signature; ` +
        `alert and deliver workers (concurrency ${CONCURRENCY}) on Redis; medians of ${ROUNDS} rounds after a warm-up.`,
      '',
      '| path | webhooks/s | p50 alert→receipt | p95 alert→receipt |',
      '| --- | ---: | ---: | ---: |',
      `| pipeline (queue → fan-out → deliver, delivered-record, log) | ${f(rate)} | ${f(p50)} ms | ${f(p95)} ms |`,
      `| baseline: bare signed POST loop, same concurrency | ${f(base)} | | |`,
      `| one alert at a time (${SINGLES} per round) | | ${f(percentile(single, 50))} ms | ${f(percentile(single, 95))} ms |`,
      '',
      `Pipeline throughput is **${ratio.toFixed(2)}×** the bare loop's. Latency counts from raising ` +
        `all ${ALERTS} at once, so it includes queueing behind the others: p95 is close to the batch's whole time.`,
    ],
    data: {
      alerts: ALERTS,
      rounds: ROUNDS,
      concurrency: CONCURRENCY,
      webhooksPerSecond: rate,
      baselinePerSecond: base,
      ratio,
      p50Ms: p50,
      p95Ms: p95,
      singleP50Ms: percentile(single, 50),
      singleP95Ms: percentile(single, 95),
    },
  };
}
