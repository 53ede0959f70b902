// Backpressure from analysis to scraping, on real BullMQ queues and a real Worker: while too many
// articles wait for analysis the scrape worker takes no job, and once the backlog drains it
// takes them all. Nothing waiting is lost either way.
import { Queue, Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log';
import { bullPrefix } from '../../src/queue/bull';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { runPrefix } from '../../src/demo/seed-scenario';
import { scrapeBackpressure } from '../../workers/backpressure';

const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefix = runPrefix('backpressure');
const opts = { connection: redis, prefix: bullPrefix(prefix) };
const analyze = new Queue('analyze', opts);
const scrape = new Queue('scrape', opts);
const scraped: string[] = [];
const worker = new Worker(
  'scrape',
  async (job) => {
    scraped.push(job.id!);
  },
  opts,
);

afterAll(async () => {
  await worker.close();
  await Promise.all([analyze.close(), scrape.close()]);
  await deleteKeys(redis, prefix);
  redis.disconnect();
});

async function until(what: string, check: () => boolean | Promise<boolean>, ms = 10_000) {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('scrape backpressure', () => {
  it('stops taking scrape jobs while the analysis backlog is at the limit, and takes them all once it drains', async () => {
    for (let i = 0; i < 6; i++) await analyze.add('analyze', { n: i }, { jobId: `a${i}` });
    const bp = scrapeBackpressure({
      scrape: worker,
      analyze,
      limit: 5,
      log: createLogger('silent'),
      everyMs: 20,
    });
    try {
      await until('scrape worker paused', () => worker.isPaused());
      for (let i = 0; i < 5; i++) await scrape.add('scrape', { n: i }, { jobId: `s${i}` });
      // Several checks later, still paused. A paused BullMQ worker still finishes the one fetch it
      // was blocked in when it paused, so one job may slip through; the others wait in the queue.
      await new Promise((r) => setTimeout(r, 500));
      expect(scraped.length).toBeLessThanOrEqual(1);
      expect(await scrape.getWaitingCount()).toBe(5 - scraped.length);

      // Analysis catches up (below half the limit): scraping resumes and takes every job.
      await analyze.drain();
      await until('all five scraped', () => scraped.length === 5);
      expect(worker.isPaused()).toBe(false);
      expect([...scraped].sort()).toEqual(['s0', 's1', 's2', 's3', 's4']);
    } finally {
      bp.stop();
    }
  });
});
