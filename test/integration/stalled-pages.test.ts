// A scrape job that BullMQ fails as stalled (its worker died or hung past the lock, more often than
// allowed) never reaches our failure handling; the scheduler's sweep puts it on the given-up list so
// it is seen and can be re-driven. Real Redis, real BullMQ workers: one takes the page and stops
// without finishing it, another's stalled-job check fails it.
import { Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log';
import { bullPrefix } from '../../src/queue/bull';
import { jobId, type ScrapeJob } from '../../src/queue/queues';
import { deleteKeys } from '../../src/store/redis';
import { createContext, type Context } from '../../workers/context';
import { sweepStalledPages } from '../../workers/scheduler';
import { testConfig } from '../support/config';
import { eventually } from '../support/operator';

let ctx: Context;
const workers: Worker[] = [];

beforeAll(async () => {
  const config = testConfig('stalled-pages', { EVENTS_FILE: 'test/no-events.yml' });
  ctx = await createContext(config, createLogger('silent'), { feeds: [], subscribers: [] });
});

afterAll(async () => {
  for (const w of workers) await w.close(true).catch(() => {});
  if (ctx) {
    await deleteKeys(ctx.redis, ctx.config.prefix);
    await ctx.close();
  }
});

const worker = (opts: { maxStalledCount: number }, processor: () => Promise<unknown>) => {
  const w = new Worker('scrape', processor, {
    connection: ctx.redis.duplicate({ maxRetriesPerRequest: null }),
    prefix: bullPrefix(ctx.config.prefix),
    lockDuration: 1000,
    stalledInterval: 300,
    ...opts,
  });
  w.on('error', () => {});
  workers.push(w);
  return w;
};

describe('a page whose scrape job stalled for good', () => {
  it('is given up as "stalled" by the sweep, once, with its URL and feed', async () => {
    const data: ScrapeJob = {
      feedId: 'wire',
      item: { guid: 'g1', link: 'https://news.example/crashes-the-reader', title: 'A page' },
    };
    const id = jobId.scrape('stalled-page');
    await ctx.queues.scrape.add('scrape', data, { jobId: id });

    // The first worker takes it and stops without finishing it, as a process killed mid-page does.
    let taken!: () => void;
    const active = new Promise<void>((r) => (taken = r));
    const first = worker({ maxStalledCount: 1 }, () => {
      taken();
      return new Promise(() => {});
    });
    await active;
    await first.close(true);

    // Another worker's stalled check finds its lock lapsed, past the allowed count: failed by BullMQ.
    worker({ maxStalledCount: 0 }, async () => ({}));
    await eventually('the job failed as stalled', async () =>
      (await ctx.queues.scrape.getJob(id))?.failedReason ? true : undefined,
    );
    expect((await ctx.queues.scrape.getJob(id))?.failedReason).toBe('job stalled more than allowable limit');
    expect(await ctx.stores.givenUp.get(id)).toBeUndefined();

    expect(await sweepStalledPages(ctx)).toBe(1);
    expect(await ctx.stores.givenUp.get(id)).toMatchObject({
      id,
      url: 'https://news.example/crashes-the-reader',
      feedId: 'wire',
      reason: 'stalled',
    });
    expect(await sweepStalledPages(ctx)).toBe(0);
  }, 30_000);
});
