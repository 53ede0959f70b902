// Deep and wide markup, which overflowed the stack and lost data: an item title of 20,000 nested
// <b> failed the whole feed's poll (every item of it lost); a page with 130,000 <br>, or with
// 100,000 sibling blocks in one paragraph, failed its scrape; a page nested 400,000 deep (under
// the 5 MB cap) took minutes of CPU in the HTML parser. Served by a fixture server and read by the
// real poll and scrape stages on the real Redis. What a user relies on: the feed's other items
// still arrive and the hostile one keeps its text; the page is scraped and keeps its words.
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleInput } from '../../src/domain/types';
import type { FeedDefinition } from '../../src/feeds/schema';
import { createLogger } from '../../src/log';
import { pollFeed } from '../../src/pipeline/poll';
import { scrapeItem } from '../../src/pipeline/scrape';
import type { ScrapeJob } from '../../src/queue/queues';
import { deleteKeys } from '../../src/store/redis';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { createContext, type Context } from '../../workers/context';
import { pollDeps } from '../../workers/roles';
import { testConfig } from '../support/config';

const STORY =
  'Kuwait and NATO held the first round of their political and security dialogue at the Alliance headquarters in Brussels on Wednesday. ' +
  'The two sides reviewed cooperation under the Istanbul Cooperation Initiative and agreed to meet again in Kuwait before the end of the year.';
/** The last words of each page, its own so that no two pages read as one republished text. */
const closing = (path: string) =>
  `The next round is planned for the spring in Kuwait City, our page ${path} says.`;

const nested = (tag: string, depth: number, inner: string) =>
  `<${tag}>`.repeat(depth) + inner + `</${tag}>`.repeat(depth);
const escape = (html: string) => html.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const page = (body: string) =>
  `<!DOCTYPE html><html lang="en"><head><title>Kuwait and NATO hold dialogue</title></head><body>${body}</body></html>`;

/** The hostile pages, by path: each must be scraped with STORY and its closing words in its text. */
const SHAPES: Record<string, (end: string) => string> = {
  '/br-130k': (end) => `<article><p>${STORY}${'<br>'.repeat(130_000)}${end}</p></article>`,
  '/br-130k-loose': (end) => `<div>${STORY}${'<br>more'.repeat(130_000)}<br>${end}</div>`,
  '/siblings-100k': (end) =>
    `<article><p>${STORY}</p><ul><li>${'<div>item</div>'.repeat(100_000)}</li></ul><p>${end}</p></article>`,
  '/pre-130k-lines': (end) =>
    `<article><p>${STORY}</p><pre>${'line\n'.repeat(130_000)}</pre><p>${end}</p></article>`,
  '/nested-400k': (end) => nested('div', 400_000, `<p>${STORY}</p><p>${end}</p>`),
};
const PAGES = Object.fromEntries(
  Object.entries(SHAPES).map(([path, body]) => [path, page(body(closing(path)))]),
);

const item = (i: number, title: string, link: string, description = '') =>
  `<item><title>${title}</title><link>${link}</link><guid>g${i}</guid>${
    description ? `<description>${description}</description>` : ''
  }<pubDate>Wed, 28 Jan 2026 0${i}:00:00 GMT</pubDate></item>`;

describe('deep and wide markup through the poll and scrape stages', () => {
  let fixtures: FixtureServer;
  let ctx: Context;

  beforeAll(async () => {
    const routes = Object.fromEntries(
      Object.entries(PAGES).map(([path, body]) => [path, { contentType: 'text/html; charset=utf-8', body }]),
    );
    fixtures = await startFixtureServer({
      ...routes,
      '/feed.xml': {
        contentType: 'application/rss+xml; charset=utf-8',
        body: (base) =>
          '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Gulf wire</title>' +
          item(1, 'Kuwait and NATO hold dialogue', `${base}/news/1`) +
          // 20,000 nested <b> written as markup, and as escaped HTML in the summary
          item(
            2,
            nested('b', 20_000, 'Deep headline words'),
            `${base}/news/2`,
            escape(nested('b', 20_000, 'Deep summary words')),
          ) +
          // escaped HTML in the title, and 100,000 nested elements of no feed vocabulary in the item
          item(3, escape(nested('i', 20_000, 'Escaped headline words')), `${base}/news/3`) +
          `<item><title>Wrapped</title><link>${base}/news/4</link><guid>g4</guid>${nested('x', 100_000, 'y')}</item>` +
          item(5, 'Gulf summit in Kuwait', `${base}/news/5`) +
          '</channel></rss>',
      },
    });
    const config = testConfig('hostile-deep-markup', {
      HOST_MIN_DELAY_MS: '0',
      EVENTS_FILE: 'test/no-events.yml',
    });
    const feed: FeedDefinition = {
      id: 'deep',
      name: 'deep',
      url: `${fixtures.baseUrl}/feed.xml`,
      type: 'rss',
      language: 'en',
      region: ['gulf'],
      schedule: '*/5 * * * *',
      enabled: true,
    };
    ctx = await createContext(config, createLogger('silent'), { feeds: [feed], subscribers: [] });
  });

  afterAll(async () => {
    await deleteKeys(ctx.redis, ctx.config.prefix);
    await ctx.close();
    await fixtures.close();
  });

  it('a feed with a 20,000-deep title still yields every item, the hostile ones with their text', async () => {
    const started = Date.now();
    const outcome = await pollFeed(pollDeps(ctx), 'deep');
    expect(outcome).toEqual({ status: 'polled', items: 5, newItems: 5 });
    expect(Date.now() - started).toBeLessThan(20_000);
    const jobs: Job<ScrapeJob>[] = await ctx.queues.scrape.getJobs(['waiting', 'delayed', 'prioritized']);
    const items = new Map(jobs.map((j) => [new URL(j.data.item.link).pathname, j.data.item]));
    expect([...items.keys()].sort()).toEqual(['/news/1', '/news/2', '/news/3', '/news/4', '/news/5']);
    expect(items.get('/news/2')).toMatchObject({
      title: 'Deep headline words',
      summary: 'Deep summary words',
    });
    expect(items.get('/news/3')!.title).toBe('Escaped headline words');
    expect(items.get('/news/4')!.title).toBe('Wrapped');
    expect(items.get('/news/5')!.title).toBe('Gulf summit in Kuwait');
  });

  it.each(Object.keys(PAGES))(
    'the page %s is scraped and keeps its text',
    async (path) => {
      const started = Date.now();
      const article = (await scrapeItem(
        { articles: ctx.stores.articles, fetch: ctx.fetch, now: ctx.now },
        'deep',
        {
          guid: path,
          link: `${fixtures.baseUrl}${path}`,
          title: 'Kuwait and NATO hold dialogue',
        },
      )) as ArticleInput;
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(article?.url).toBe(`${fixtures.baseUrl}${path}`);
      expect(article.text).toContain('Istanbul Cooperation Initiative');
      expect(article.text).toContain(closing(path));
      expect(article.title).toBe('Kuwait and NATO hold dialogue');
    },
    60_000,
  );
});
