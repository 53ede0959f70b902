// Polling and scraping on real parts: a fixture HTTP server on 127.0.0.1, the poll and scrape workers
// on the real Redis under a prefix of their own, and the analyze queue left without a worker so the
// jobs that reach it can be counted. What a user would notice: no work for an unchanged feed, Arabic
// pages in windows-1256 read right, an HTML listing polled like a feed, one article per story.
import { readFile } from 'node:fs/promises';
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleInput } from '../../src/domain/types';
import type { FeedDefinition } from '../../src/feeds/schema';
import { createLogger } from '../../src/log';
import type { AnalyzeJob, ScrapeJob } from '../../src/queue/queues';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { waitForIdle } from '../../src/demo/idle';
import { PAGES } from '../fixtures/ingest/windows-1256-pages';
import { startService, type Service } from '../../workers/service';
import { enqueuePoll } from '../../workers/scheduler';
import { testConfig } from '../support/config';

const INGEST = new URL('../fixtures/ingest/', import.meta.url);

const rss = (base: string, items: { path: string; title: string; date?: string }[]) =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>fixture</title>${items
    .map(
      (i) =>
        `<item><title>${i.title}</title><link>${base}${i.path}</link>${i.date ? `<pubDate>${i.date}</pubDate>` : ''}</item>`,
    )
    .join('')}</channel></rss>`;

// Long enough (over 40 words) for a content fingerprint; written for this test.
const STORY =
  'Kuwait and NATO held the first round of their political and security dialogue at the Alliance headquarters in Brussels on Wednesday. ' +
  'The two sides reviewed cooperation under the Istanbul Cooperation Initiative, training at the regional centre in Kuwait, maritime security in the Gulf, ' +
  'and civil emergency planning, and agreed to meet again in Kuwait before the end of the year to follow up on what was decided.';

const articlePage = (opts: { title: string; canonical?: string; text?: string }) =>
  `<!DOCTYPE html><html lang="en"><head><title>${opts.title}</title>${
    opts.canonical ? `<link rel="canonical" href="${opts.canonical}">` : ''
  }</head><body><nav><a href="/">Home</a></nav><article><h1>${opts.title}</h1>
  <time datetime="2026-01-28T12:00:00Z">28 January 2026</time><p>${opts.text ?? STORY}</p></article></body></html>`;

const feedDef = (id: string, url: string, extra: Partial<FeedDefinition> = {}): FeedDefinition => ({
  id,
  name: id,
  url,
  type: 'rss',
  language: 'en',
  region: ['gulf'],
  schedule: '*/5 * * * *',
  enabled: true,
  ...extra,
});

describe('poll and scrape against a fixture server', () => {
  const config = testConfig('ingest', { HOST_MIN_DELAY_MS: '0' });
  let fixtures: FixtureServer;
  let service: Service;
  let slot = 0;
  const html = 'text/html; charset=utf-8';

  beforeAll(async () => {
    const [meta1256, header1256] = await Promise.all([
      readFile(new URL('kuna-1256-meta.html', INGEST)),
      readFile(new URL('kuna-1256-header.html', INGEST)),
    ]);
    fixtures = await startFixtureServer({
      // the same story through two feeds: plain, with tracking parameters, as AMP, republished
      '/a/feed.xml': {
        contentType: 'application/rss+xml',
        body: (base) =>
          rss(base, [{ path: '/news/kuwait-nato-dialogue', title: 'Kuwait and NATO hold dialogue' }]),
      },
      '/b/feed.xml': {
        contentType: 'application/rss+xml',
        body: (base) =>
          rss(base, [
            {
              path: '/news/kuwait-nato-dialogue?utm_source=b&utm_medium=rss#top',
              title: 'Kuwait and NATO hold dialogue',
            },
            { path: '/amp/news/kuwait-nato-dialogue', title: 'Kuwait and NATO hold dialogue (AMP)' },
            { path: '/syndicated/2026/01/28/dialogue', title: 'Kuwait, NATO in first dialogue round' },
          ]),
      },
      '/news/kuwait-nato-dialogue': {
        contentType: html,
        body: (base) =>
          articlePage({
            title: 'Kuwait and NATO hold dialogue',
            canonical: `${base}/news/kuwait-nato-dialogue`,
          }),
      },
      '/amp/news/kuwait-nato-dialogue': {
        contentType: html,
        body: (base) =>
          articlePage({
            title: 'Kuwait and NATO hold dialogue',
            canonical: `${base}/news/kuwait-nato-dialogue`,
          }),
      },
      // another site's copy: its own URL and canonical, the same words, other markup and punctuation
      '/syndicated/2026/01/28/dialogue': {
        contentType: html,
        body: (base) =>
          articlePage({
            title: 'Kuwait, NATO in first dialogue round',
            canonical: `${base}/syndicated/2026/01/28/dialogue`,
            text: STORY.replace(/,/g, ' ,').replace('Brussels on', 'Brussels  on'),
          }),
      },
      // windows-1256 pages: one declares it only in <meta charset>, one only in the header
      '/ar/feed.xml': {
        contentType: 'application/rss+xml',
        body: (base) =>
          rss(base, [
            { path: '/ar/meta', title: PAGES['kuna-1256-meta.html'].title },
            { path: '/ar/header', title: PAGES['kuna-1256-header.html'].title },
          ]),
      },
      '/ar/meta': { contentType: 'text/html', body: meta1256 },
      '/ar/header': { contentType: 'text/html; charset=windows-1256', body: header1256 },
      // a site with no feed: a listing page read with CSS selectors
      '/listing': {
        contentType: html,
        body: `<html><body><nav><a href="/">الرئيسية</a></nav><main>
          <article class="card"><a href="/story/1"><h3>الكويت والناتو يعقدان حوارا</h3></a><time datetime="2026-01-28T09:00:00+03:00">28 يناير</time></article>
          <article class="card"><a href="/story/2"><h3>قمة خليجية في الكويت</h3></a><span class="date">31/01/2026</span></article>
          <article class="card"><a href="/story/1">مكرر</a></article>
        </main></body></html>`,
      },
      '/story/1': { contentType: html, body: articlePage({ title: 'Story 1', text: 'short one' }) },
      '/story/2': { contentType: html, body: articlePage({ title: 'Story 2', text: 'short two' }) },
    });
    const base = fixtures.baseUrl;
    service = await startService(config, createLogger('silent'), ['poll', 'scrape'], {
      feeds: [
        feedDef('wire-a', `${base}/a/feed.xml`),
        feedDef('wire-b', `${base}/b/feed.xml`),
        feedDef('kuna-1256', `${base}/ar/feed.xml`, { language: 'ar' }),
        feedDef('listing', `${base}/listing`, {
          type: 'html',
          language: 'ar',
          selectors: { item: 'article.card', link: 'a', title: 'h3', date: 'time, .date' },
        }),
      ],
      subscribers: [],
    });
  }, 30_000);

  afterAll(async () => {
    await service?.stop();
    const redis = connectRedis(config.redisUrl);
    await deleteKeys(redis, config.prefix);
    redis.disconnect();
    await fixtures?.close();
  });

  /** Polls the feeds in a new slot and waits until poll and scrape have nothing left to do. */
  async function poll(...feedIds: string[]) {
    slot += 1;
    for (const id of feedIds) await enqueuePoll(service.ctx, id, slot);
    await waitForIdle([service.ctx.queues.poll, service.ctx.queues.scrape], 20_000);
  }

  const analyzeJobs = async (): Promise<Job<AnalyzeJob>[]> =>
    service.ctx.queues.analyze.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
  const articles = async (): Promise<ArticleInput[]> =>
    (await analyzeJobs())
      .map((j) => j.data.article)
      .filter((a) => a.feedId !== 'kuna-1256' && a.feedId !== 'listing');

  it('makes one article and one analysis of a story reached through two feeds, with tracking parameters, as AMP and republished', async () => {
    await poll('wire-a');
    await poll('wire-b');
    const story = await articles();
    expect(story).toHaveLength(1);
    expect(story[0]).toMatchObject({
      url: `${fixtures.baseUrl}/news/kuwait-nato-dialogue`,
      feedId: 'wire-a',
    });
    // every copy was fetched and read: it is the dedupe that kept one, not a failure to fetch
    expect(fixtures.hits.get('/amp/news/kuwait-nato-dialogue')).toBe(1);
    expect(fixtures.hits.get('/syndicated/2026/01/28/dialogue')).toBe(1);
    expect(await service.ctx.redis.keys(`${config.prefix}article:*`)).toHaveLength(1);
  });

  it('does no work for an unchanged feed: a 304, no parse, no new jobs', async () => {
    const scrapeBefore = await service.ctx.queues.scrape.getJobCounts('completed', 'failed', 'waiting');
    const analyzeBefore = (await analyzeJobs()).length;
    const log = fixtures.log.length;
    await poll('wire-a', 'wire-b');
    const feedRequests = fixtures.log.slice(log).filter((r) => r.path.endsWith('/feed.xml'));
    expect(feedRequests.map((r) => r.status)).toEqual([304, 304]);
    const pollJob = await service.ctx.queues.poll.getJob(`poll-wire-b-${slot}`);
    expect(pollJob?.returnvalue).toEqual({ status: 'not-modified' });
    expect(await service.ctx.queues.scrape.getJobCounts('completed', 'failed', 'waiting')).toEqual(
      scrapeBefore,
    );
    expect((await analyzeJobs()).length).toBe(analyzeBefore);
    expect(fixtures.log.slice(log).every((r) => r.path.endsWith('/feed.xml'))).toBe(true);
  });

  it('reads windows-1256 Arabic pages, declared in <meta charset> or only in Content-Type', async () => {
    await poll('kuna-1256');
    const byPath = new Map(
      (await analyzeJobs())
        .map((j) => j.data.article)
        .filter((a) => a.feedId === 'kuna-1256')
        .map((a) => [new URL(a.url).pathname, a]),
    );
    for (const [path, file] of [
      ['/ar/meta', 'kuna-1256-meta.html'],
      ['/ar/header', 'kuna-1256-header.html'],
    ] as const) {
      const article = byPath.get(path);
      expect(article, path).toBeDefined();
      expect(article!.title).toBe(PAGES[file].title);
      expect(article!.text).toContain(PAGES[file].text);
      expect(article!.lang).toBe('ar');
    }
  });

  it('polls an html listing page into items with absolute links, titles and dates', async () => {
    await poll('listing');
    const scraped = (await service.ctx.queues.scrape.getJobs(['completed', 'failed', 'waiting']))
      .map((j: Job<ScrapeJob>) => j.data)
      .filter((d) => d.feedId === 'listing')
      .map((d) => d.item)
      .sort((a, b) => a.link.localeCompare(b.link));
    expect(scraped).toEqual([
      {
        guid: `${fixtures.baseUrl}/story/1`,
        link: `${fixtures.baseUrl}/story/1`,
        title: 'الكويت والناتو يعقدان حوارا',
        published: '2026-01-28T06:00:00.000Z',
      },
      {
        guid: `${fixtures.baseUrl}/story/2`,
        link: `${fixtures.baseUrl}/story/2`,
        title: 'قمة خليجية في الكويت',
        published: '2026-01-31T00:00:00.000Z',
      },
    ]);
    expect((await service.ctx.stores.feeds.get('listing')).itemsSeen).toBe(2);
  });
});
