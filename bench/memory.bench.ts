// Memory of a worker holding 100k events (issue 7): a real `newswatch start --role
// scrape,analyze,alert,deliver` process runs against event bases of 1k, 10k and 100k events in
// Redis, analyses the eval set, and its memory is read at idle after startup and after the
// articles. The event base lives in Redis and matching reads a bounded number of candidates
// through its indexes, so the worker's memory should hardly move with the base; what the base
// does cost is Redis memory, reported per event.
// Run alone: npm run bench -- memory
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSaved } from '../src/cli/corpus';
import { loadConfig } from '../src/config/env';
import type { ArticleInput } from '../src/domain/types';
import { createQueues } from '../src/queue/bull';
import { jobId } from '../src/queue/queues';
import { RedisEventBase } from '../src/store/event-base';
import { connectRedis, deleteKeys } from '../src/store/redis';
import { waitForIdle } from '../src/demo/idle';
import { stopProcess, writeRunFiles } from '../test/support/worker-processes';
import { median, type BenchReport } from './harness';
import { loadVocabulary, syntheticBase } from './synthetic-base';
import {
  probeHeap,
  procMemory,
  readyWithin,
  redisBytesUnder,
  redisUsedMemory,
  spawnProbedWorker,
  type HeapSample,
  type ProcMemory,
  type RedisBytes,
} from './worker-memory';

const SIZES = [1_000, 10_000, 100_000];
/** Each round starts a fresh worker on a freshly built base of every size, in rotating order. */
const ROUNDS = 2;
/** The roles of a worker process as deployed beside a poll/scheduler/http process. */
const ROLES = 'scrape,analyze,alert,deliver';
/** Quiet time after the worker says it started, before its memory is read. */
const SETTLE_MS = 1_000;
/** The longest a worker may take to log that it started. */
const START_TIMEOUT_MS = 60_000;
const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const MB = 2 ** 20;

/** The eval set in published order, as the service would meet it. */
async function loadArticles(): Promise<ArticleInput[]> {
  const dir = path.join(root, 'test/fixtures/eval');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.json') && f !== 'labels.json');
  const articles = await Promise.all(files.map((f) => readSaved(path.join(dir, f))));
  return articles.sort((a, b) => a.published.localeCompare(b.published) || a.url.localeCompare(b.url));
}

interface Run {
  size: number;
  round: number;
  expectations: number;
  buildSeconds: number;
  /** INFO used_memory after the build minus before it (the whole Redis: other clients move it too) */
  usedMemoryDelta: number;
  /** MEMORY USAGE over the base's keys (first round only: every round builds the same base) */
  stored?: RedisBytes;
  startup: ProcMemory & HeapSample;
  after: ProcMemory & HeapSample;
  analyzeSeconds: number;
  analyzed: number;
  alerts: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export default async function memoryBench(): Promise<BenchReport> {
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const rootPrefix = `nwbench-memory:${process.pid}:`;
  // No feeds, no subscribers, no declared events: the base holds the synthetic events only and
  // alerts fan out to nobody, so the worker's memory is the service's own and the base's.
  const files = await writeRunFiles([], []);
  const config = loadConfig({ ...process.env, ...files.env, REDIS_URL: redisUrl });
  const [vocab, articles] = await Promise.all([
    loadVocabulary(config.entitiesFile, config.lexiconFile),
    loadArticles(),
  ]);
  const redis = connectRedis(redisUrl);

  const measure = async (size: number, round: number): Promise<Run> => {
    const prefix = `${rootPrefix}r${round}-${size}:`;
    const synthetic = syntheticBase(vocab, size, size);
    const usedBefore = await redisUsedMemory(redis);
    const t0 = performance.now();
    await new RedisEventBase(redis, prefix).insertMany(synthetic.events, synthetic.expectations);
    const buildSeconds = (performance.now() - t0) / 1000;
    const usedMemoryDelta = (await redisUsedMemory(redis)) - usedBefore;
    // Before the worker starts, so the prefix holds the base alone (no queue or metric keys).
    const stored = round === 0 ? await redisBytesUnder(redis, prefix) : undefined;

    const env = { ...files.env, REDIS_URL: redisUrl, NEWSWATCH_PREFIX: prefix, LOG_LEVEL: 'info' };
    const queues = createQueues(redis, prefix, loadConfig(env).delivery);
    const worker = spawnProbedWorker(ROLES, env, path.join(files.dir, `probe-r${round}-${size}.json`));
    try {
      await readyWithin(worker, START_TIMEOUT_MS);
      await sleep(SETTLE_MS);
      const pid = worker.child.pid!;
      const startup = { ...(await procMemory(pid)), ...(await probeHeap(worker)) };

      const t1 = performance.now();
      await queues.analyze.addBulk(
        articles.map((article) => ({
          name: 'analyze',
          data: { article },
          opts: { jobId: jobId.analyze(article.id) },
        })),
      );
      await waitForIdle(Object.values(queues), 90_000, 100);
      const analyzeSeconds = (performance.now() - t1) / 1000;
      const after = { ...(await procMemory(pid)), ...(await probeHeap(worker)) };

      const [analyzed, failed, alerts] = await Promise.all([
        queues.analyze.getCompletedCount(),
        queues.analyze.getFailedCount(),
        queues.alert.getCompletedCount(),
      ]);
      if (analyzed !== articles.length || failed > 0)
        throw new Error(
          `memory bench: ${analyzed} of ${articles.length} articles analysed, ${failed} failed, at ${size} events:\n${worker.stderr().slice(-2000)}`,
        );
      return {
        size,
        round,
        expectations: synthetic.expectations.length,
        buildSeconds,
        usedMemoryDelta,
        ...(stored ? { stored } : {}),
        startup,
        after,
        analyzeSeconds,
        analyzed,
        alerts,
      };
    } finally {
      await stopProcess(worker);
      await Promise.all(Object.values(queues).map((q) => q.close()));
      await deleteKeys(redis, prefix);
    }
  };

  try {
    // A first worker on an empty prefix, not measured: tsx transforms the service's sources once
    // (and caches them) when they changed since its last run, and the OS reads the files in, so
    // that cost does not fall on whichever base comes first.
    const warmPrefix = `${rootPrefix}warm-up:`;
    const warm = spawnProbedWorker(
      ROLES,
      { ...files.env, REDIS_URL: redisUrl, NEWSWATCH_PREFIX: warmPrefix },
      path.join(files.dir, 'probe-warm-up.json'),
    );
    try {
      await readyWithin(warm, START_TIMEOUT_MS);
    } finally {
      await stopProcess(warm);
      await deleteKeys(redis, warmPrefix);
    }

    const runs: Run[] = [];
    for (let round = 0; round < ROUNDS; round++)
      for (let j = 0; j < SIZES.length; j++)
        runs.push(await measure(SIZES[(round + j) % SIZES.length]!, round));

    const of = (size: number) => runs.filter((r) => r.size === size);
    const med = (size: number, pick: (r: Run) => number) => median(of(size).map(pick));
    /** Median over rounds of the ratio between two sizes measured in the same round. */
    const ratio = (size: number, pick: (r: Run) => number) =>
      median(
        Array.from({ length: ROUNDS }, (_, round) => {
          const at = (s: number) => pick(runs.find((r) => r.size === s && r.round === round)!);
          return at(size) / at(SIZES[0]!);
        }),
      );
    const rows = SIZES.map((size) => {
      const stored = of(size).find((r) => r.stored)!.stored!;
      return {
        events: size,
        expectations: of(size)[0]!.expectations,
        redisKeys: stored.keys,
        redisBytes: stored.bytes,
        redisBytesPerEvent: stored.bytes / size,
        redisBytesByKind: stored.byKind,
        usedMemoryDeltaBytes: med(size, (r) => r.usedMemoryDelta),
        buildSeconds: med(size, (r) => r.buildSeconds),
        startupRssBytes: med(size, (r) => r.startup.rss),
        startupHeapUsedBytes: med(size, (r) => r.startup.heapUsed),
        afterRssBytes: med(size, (r) => r.after.rss),
        afterHeapUsedBytes: med(size, (r) => r.after.heapUsed),
        peakRssBytes: med(size, (r) => r.after.peakRss),
        startupPeakRssBytes: med(size, (r) => r.startup.peakRss),
        childrenRssBytes: med(size, (r) => r.after.childrenRss),
        children: of(size)[0]!.after.children,
        analyzeSeconds: med(size, (r) => r.analyzeSeconds),
        alerts: med(size, (r) => r.alerts),
        peakRssRatioTo1k: ratio(size, (r) => r.after.peakRss),
        heapRatioTo1k: ratio(size, (r) => r.after.heapUsed),
      };
    });
    const big = rows[rows.length - 1]!;
    const small = rows[0]!;
    const mb = (b: number) => (b / MB).toFixed(1);
    const perEvent = (size: number, kind: string) =>
      Math.round((rows.find((r) => r.events === size)!.redisBytesByKind[kind] ?? 0) / size);

    const lines = [
      `One real worker process per base (\`newswatch start --role ${ROLES}\`, no feeds, subscribers or declared events), ` +
        'pointed at a base of synthetic events built in Redis under a private prefix (bench/synthetic-base.ts, as in the ' +
        'analyze bench: parties skewed like the news, one open expectation per four events, all left open). ' +
        `The worker analyses the ${articles.length} eval articles, enqueued at once as analyze jobs in published order, ` +
        `until every queue is idle. ${ROUNDS} rounds, each building every base afresh and starting a fresh worker on it, ` +
        'sizes in rotating order; figures are medians over rounds, × the median of the ratios within a round.',
      '',
      '- Worker RSS: VmRSS of the worker (the node process) from /proc/PID/status, read ' +
        `${SETTLE_MS / 1000} s after it logs \`newswatch started\` and again once the queues are idle; peak RSS is its ` +
        'VmHWM after the articles, the highest RSS of its whole life, startup included. One unmeasured worker is ' +
        'started and stopped first, so that tsx’s transform of changed sources (and its esbuild helper process) ' +
        'falls on none of the measured ones; child processes of a measured worker, if any, are counted apart.',
      '- Heap: V8 heapUsed after a forced full collection, i.e. what the worker holds on to. The worker is started ' +
        'as spawnNewswatch starts it plus `--expose-gc --import bench/memory-probe.mjs`, a preload that answers SIGUSR2 ' +
        'with process.memoryUsage(); no service code is changed.',
      '- Redis: MEMORY USAGE … SAMPLES 0 summed over every key of the base (event records and their source lists, ' +
        'expectations, every index), after the build and before the worker starts; bytes/event divides it by the ' +
        'events, the expectations’ share included. used_memory Δ, the growth of INFO used_memory over the build, is a ' +
        'cross-check only: it counts the whole server, other clients included.',
      '- Alerts: alert jobs the articles raised; a bigger base holds more expectations for them to fulfil, so the ' +
        'worker does more, not less, at 100k.',
      '',
      '| events in base | Redis keys | Redis MB (MEMORY USAGE) | Redis bytes/event | used_memory Δ MB | worker RSS idle after start | heap after start | worker RSS after articles | heap after articles | worker peak RSS | × peak RSS at 1k | alerts | analyse s |',
      '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map(
        (r) =>
          `| ${r.events.toLocaleString('en')} | ${r.redisKeys.toLocaleString('en')} | ${mb(r.redisBytes)} | ${Math.round(r.redisBytesPerEvent)} | ${mb(r.usedMemoryDeltaBytes)} | ${mb(r.startupRssBytes)} MB | ${mb(r.startupHeapUsedBytes)} MB | ${mb(r.afterRssBytes)} MB | ${mb(r.afterHeapUsedBytes)} MB | ${mb(r.peakRssBytes)} MB | ${r.peakRssRatioTo1k.toFixed(2)} | ${r.alerts} | ${r.analyzeSeconds.toFixed(1)} |`,
      ),
      '',
      `Worker peak RSS at ${big.events.toLocaleString('en')} events / at ${small.events.toLocaleString('en')}: ` +
        `**${big.peakRssRatioTo1k.toFixed(2)}×** (${mb(big.peakRssBytes)} MB against ${mb(small.peakRssBytes)} MB); ` +
        `live heap after the articles ${big.heapRatioTo1k.toFixed(2)}× (${mb(big.afterHeapUsedBytes)} MB against ${mb(small.afterHeapUsedBytes)} MB). ` +
        `Redis holds the base at **${Math.round(big.redisBytesPerEvent)} bytes per event** at ${big.events.toLocaleString('en')} ` +
        `(${mb(big.redisBytes)} MB; ${Math.round(small.redisBytesPerEvent)} at ${small.events.toLocaleString('en')}): ` +
        `per event, ${perEvent(big.events, 'event')} B of event record and source list, ` +
        `${perEvent(big.events, 'expectation')} B of expectations (one per four events), ` +
        `${perEvent(big.events, 'idx')} B of indexes.`,
      ...(rows.some((r) => r.childrenRssBytes > 0)
        ? [
            '',
            'Child processes of the measured workers after the articles (not in the figures above): ' +
              rows
                .map(
                  (r) =>
                    `${r.events.toLocaleString('en')}: ${mb(r.childrenRssBytes)} MB (${r.children.join(', ')})`,
                )
                .join('; ') +
              '.',
          ]
        : []),
    ];
    return {
      title: 'Worker and Redis memory by event-base size',
      lines,
      data: {
        roles: ROLES,
        articles: articles.length,
        rounds: ROUNDS,
        sizes: rows,
        peakRssRatio100kTo1k: big.peakRssRatioTo1k,
        heapRatio100kTo1k: big.heapRatioTo1k,
        redisBytesPerEvent100k: big.redisBytesPerEvent,
        runs,
      },
    };
  } finally {
    await deleteKeys(redis, rootPrefix);
    redis.disconnect();
    await files.remove();
  }
}
