// Hostile feeds: malformed XML, entity expansion (billion laughs, external entities), invalid
// UTF-8 and a feed of 100,000 items. Each test says what the feed tried and checks what a user
// relies on: the feed is read safely or refused with an error naming its URL, nothing expands,
// and one poll enqueues no more scrape jobs than FEED_MAX_ITEMS. Shapes of broken documents
// (empty, binary, plain text, truncated, no <channel>, another XML root) are covered one by one
// in test/unit/parse-feed.test.ts; here they go through the poll stage on real parts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedDefinition } from '../../src/feeds/schema';
import { decodeBody } from '../../src/ingest/decode';
import { parseFeed } from '../../src/ingest/parse-feed';
import { createLogger } from '../../src/log';
import { pollFeed } from '../../src/pipeline/poll';
import type { ScrapeJob } from '../../src/queue/queues';
import { deleteKeys } from '../../src/store/redis';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { createContext, type Context } from '../../workers/context';
import { pollDeps } from '../../workers/roles';
import { testConfig } from '../support/config';

const URL_ = 'http://feeds.example/gulf.xml';
const MB = 1024 * 1024;

const LAUGHS =
  '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY lol "lol">' +
  Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i || ''};`.repeat(10)}">`).join('') +
  ']><rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title>' +
  '<link>https://news.example/1</link><description>&lol9;</description></item></channel></rss>';

const XXE =
  '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>' +
  '<rss version="2.0"><channel><title>x</title><item><title>&xxe;</title>' +
  '<link>https://news.example/2</link></item></channel></rss>';

describe('entity expansion', () => {
  it.each([
    ['billion laughs (10^9 "lol"s from 1 KB)', LAUGHS],
    ['an external entity pointing at /etc/passwd', XXE],
  ])('%s: parsed without expanding anything, or refused naming the URL', async (_what, xml) => {
    const rssBefore = process.memoryUsage().rss;
    const outcome = await parseFeed(xml, URL_).then(
      (items) => ({ items }),
      (err: Error) => ({ err }),
    );
    if ('err' in outcome) {
      expect(outcome.err.message.startsWith(`${URL_}: `)).toBe(true);
    } else {
      const text = JSON.stringify(outcome.items);
      // Expanded, the laughs would be 3 GB; the file's contents would show "root:".
      expect(text.length).toBeLessThan(10_000);
      expect(text).not.toContain('root:');
    }
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(128 * MB);
  });
});

describe('invalid UTF-8', () => {
  it('becomes replacement characters in the title; the rest of the item is read, no crash', async () => {
    const bytes = Buffer.concat([
      Buffer.from(
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>x</title><item><title>Kuwait ',
      ),
      Buffer.from([0xff, 0xfe, 0xc3, 0x28]), // never valid UTF-8; 0xc3 0x28 is a broken two-byte sequence
      Buffer.from(' NATO</title><link>https://news.example/3</link></item></channel></rss>'),
    ]);
    const items = await parseFeed(decodeBody(bytes, 'application/rss+xml; charset=utf-8'), URL_);
    expect(items).toHaveLength(1);
    expect(items[0]!.title).toMatch(/^Kuwait \uFFFD+\(? NATO$/);
    expect(items[0]!.link).toBe('https://news.example/3');
  });
});

describe('the poll stage on hostile feeds (real Redis, real queues, fixture server)', () => {
  const ITEMS = 100_000;
  // Oldest first, so taking the first items in the document would take the wrong ones.
  const huge = (() => {
    const start = Date.parse('2026-01-01T00:00:00Z');
    const items = Array.from({ length: ITEMS }, (_, i) => {
      const date = new Date(start + i * 60_000).toUTCString();
      return `<item><title>Item ${i}</title><link>https://news.example/i/${i}</link><guid>g${i}</guid><pubDate>${date}</pubDate></item>`;
    });
    return `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Flood</title>${items.join('')}</channel></rss>`;
  })();

  let fixtures: FixtureServer;
  const contexts: Context[] = [];
  const feed = (id: string, path: string): FeedDefinition => ({
    id,
    name: id,
    url: `${fixtures.baseUrl}${path}`,
    type: 'rss',
    language: 'en',
    region: ['gulf'],
    schedule: '*/5 * * * *',
    enabled: true,
  });

  async function context(label: string, feeds: FeedDefinition[], env: Record<string, string> = {}) {
    const config = testConfig(label, { HOST_MIN_DELAY_MS: '0', EVENTS_FILE: 'test/no-events.yml', ...env });
    const ctx = await createContext(config, createLogger('silent'), { feeds, subscribers: [] });
    contexts.push(ctx);
    return ctx;
  }

  async function scrapeJobs(ctx: Context): Promise<ScrapeJob[]> {
    const jobs = await ctx.queues.scrape.getJobs(['waiting', 'delayed', 'prioritized'], 0, -1);
    return jobs.map((j) => j.data as ScrapeJob);
  }

  beforeAll(async () => {
    fixtures = await startFixtureServer({
      '/huge.xml': { body: huge, contentType: 'application/rss+xml; charset=utf-8' },
      '/broken.xml': {
        body: '<?xml version="1.0"?><rss version="2.0"><channel><item><title>a</title></channel></rss>',
        contentType: 'application/rss+xml',
      },
    });
  });

  afterAll(async () => {
    for (const ctx of contexts) {
      await deleteKeys(ctx.redis, ctx.config.prefix);
      await ctx.close();
    }
    await fixtures.close();
  });

  it('malformed XML fails the poll with an error naming the URL, recorded on the feed; no job', async () => {
    const broken = feed('broken', '/broken.xml');
    const ctx = await context('hostile-broken', [broken]);
    await expect(pollFeed(pollDeps(ctx), broken.id)).rejects.toThrow(`${broken.url}: `);
    const state = await ctx.stores.feeds.get(broken.id);
    expect(state.lastError?.startsWith(`${broken.url}: `)).toBe(true);
    expect(await scrapeJobs(ctx)).toEqual([]);
  });

  it('a 100,000-item feed (14 MB) is refused cleanly at the default 5 MB cap; no job', async () => {
    expect(huge.length).toBeGreaterThan(5 * MB);
    const flood = feed('flood-default', '/huge.xml');
    const ctx = await context('hostile-flood-default', [flood]);
    await expect(pollFeed(pollDeps(ctx), flood.id)).rejects.toMatchObject({
      code: 'NW_HTTP_TOO_LARGE',
      message: `${flood.url}: body exceeds the ${5 * MB}-byte cap`,
    });
    expect(await scrapeJobs(ctx)).toEqual([]);
  });

  it('within a raised cap it is parsed, and one poll enqueues only the newest FEED_MAX_ITEMS', async () => {
    const flood = feed('flood', '/huge.xml');
    const ctx = await context('hostile-flood', [flood], {
      FETCH_MAX_BYTES: String(32 * MB),
      FEED_MAX_ITEMS: '50',
    });
    const outcome = await pollFeed(pollDeps(ctx), flood.id);
    expect(outcome).toEqual({ status: 'polled', items: ITEMS, newItems: 50, ignored: ITEMS - 50 });
    const jobs = await scrapeJobs(ctx);
    expect(jobs).toHaveLength(50);
    const newest = Array.from({ length: 50 }, (_, i) => `https://news.example/i/${ITEMS - 1 - i}`);
    expect(jobs.map((j) => j.item.link).sort()).toEqual(newest.sort());
  });
});
