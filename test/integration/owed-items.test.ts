// The poll stage owes every new item a scrape job until the job is queued: an item is marked seen
// only after its job is on the queue. When queueing fails (the process dies, Redis drops the
// connection) between reading the feed and queueing, the next poll finds the same items new again.
// Real Redis, real BullMQ queues, a real fixture feed server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedDefinition } from '../../src/feeds/schema';
import { createLogger } from '../../src/log';
import { pollFeed } from '../../src/pipeline/poll';
import type { ScrapeJob } from '../../src/queue/queues';
import { deleteKeys } from '../../src/store/redis';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { createContext, type Context } from '../../workers/context';
import { pollDeps } from '../../workers/roles';
import { testConfig } from '../support/config';

const item = (n: number, link = `https://news.example/a/${n}`) =>
  `<item><title>Item ${n}</title><link>${link}</link><guid>g${n}</guid><pubDate>Wed, 02 Dec 2026 0${n}:00:00 GMT</pubDate></item>`;
const rss = (items: string[]) =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>${items.join('')}</channel></rss>`;

let fixtures: FixtureServer;
let ctx: Context;
let wire: FeedDefinition;

beforeAll(async () => {
  fixtures = await startFixtureServer({
    '/wire.xml': {
      body: rss([item(1), item(2), item(3, 'https://news.example/a/1?utm_source=rss')]),
      contentType: 'application/rss+xml',
    },
  });
  wire = {
    id: 'wire',
    name: 'Wire',
    url: `${fixtures.baseUrl}/wire.xml`,
    type: 'rss',
    language: 'en',
    region: ['gulf'],
    schedule: '*/5 * * * *',
    enabled: true,
  };
  const config = testConfig('owed-items', { HOST_MIN_DELAY_MS: '0', EVENTS_FILE: 'test/no-events.yml' });
  ctx = await createContext(config, createLogger('silent'), { feeds: [wire], subscribers: [] });
});

afterAll(async () => {
  if (ctx) {
    await deleteKeys(ctx.redis, ctx.config.prefix);
    await ctx.close();
  }
  await fixtures?.close();
});

const scrapeLinks = async () =>
  (await ctx.queues.scrape.getJobs(['waiting', 'delayed', 'prioritized'], 0, -1))
    .map((j) => (j.data as ScrapeJob).item.link)
    .sort();

describe('an item is owed until its scrape job is queued', () => {
  it('a poll whose queueing fails leaves its items new for the next poll, which queues each page once', async () => {
    const lost = {
      ...pollDeps(ctx),
      enqueueScrape: async () => Promise.reject(new Error('Connection is closed.')),
    };
    await expect(pollFeed(lost, wire.id)).rejects.toThrow('Connection is closed.');
    expect(await scrapeLinks()).toEqual([]);

    const outcome = await pollFeed(pollDeps(ctx), wire.id);
    // Item 3 is item 1's page behind a tracking link: one page, one job.
    expect(outcome).toMatchObject({ status: 'polled', items: 3, newItems: 2 });
    expect(await scrapeLinks()).toEqual(['https://news.example/a/1', 'https://news.example/a/2']);

    // Queued and marked: the poll after that owes nothing more.
    const again = await pollFeed(pollDeps(ctx), wire.id);
    expect(again.status === 'not-modified' || (again.status === 'polled' && again.newItems === 0)).toBe(true);
    expect(await scrapeLinks()).toHaveLength(2);
  });
});
