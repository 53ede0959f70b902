// Canonical URL spoofing: a page names another site's article as its canonical URL (<link
// rel=canonical>, og:url), so that, scraped first, it takes that article's identity and the real
// article becomes a "duplicate" that is never analysed. Two fixture sites on two names that
// resolve to loopback (an injected resolver, as the SSRF tests use), each with its own feed,
// through the real poll, scrape and analyze workers on the real Redis. What a user relies on:
// both articles are analysed, each under its own URL; a claim on the page's own site, or on the
// site its feed declares, still makes one article of two copies.
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedDefinition } from '../../src/feeds/schema';
import type { LookupAll } from '../../src/ingest/ssrf';
import { createLogger } from '../../src/log';
import type { AnalyzeJob } from '../../src/queue/queues';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { waitForIdle } from '../../src/demo/idle';
import { startService, type Service } from '../../workers/service';
import { enqueuePoll } from '../../workers/scheduler';
import { testConfig } from '../support/config';

// Two different stories, each long enough for a content fingerprint, so only the URL could merge them.
const STORY_A =
  'Kuwait and NATO held the first round of their political and security dialogue at the Alliance headquarters in Brussels on Wednesday. ' +
  'The two sides reviewed cooperation under the Istanbul Cooperation Initiative, training at the regional centre in Kuwait, maritime security in the Gulf, ' +
  'and civil emergency planning, and agreed to meet again in Kuwait before the end of the year to follow up on what was decided.';
const STORY_B =
  'Qatar and the European Union signed a memorandum on energy cooperation in Doha on Thursday after two days of talks between their ministers. ' +
  'The agreement covers liquefied natural gas supplies, investment in renewable power, research on hydrogen and the training of engineers, ' +
  'and the two sides said a joint committee would meet in Brussels in the spring to set out the first projects under it.';
const STORY_C =
  'Bahrain hosted a regional conference on maritime security on Sunday, attended by naval commanders from the Gulf states and their partners. ' +
  'The delegates discussed the protection of shipping lanes, the exchange of information between coast guards and joint exercises planned for next year, ' +
  'and agreed to open a coordination office in Manama whose staff will report to the conference when it meets again.';

const NAMES = ['news.a.localtest', 'b.localtest', 'amp.b.localtest', 'c.localtest', 'cdn.cstatic.localtest'];
const lookup: LookupAll = async (name) => (NAMES.includes(name) ? [{ address: '127.0.0.1', family: 4 }] : []);

const page = (title: string, text: string, canonical?: string) =>
  `<!DOCTYPE html><html lang="en"><head><title>${title}</title>${
    canonical
      ? `<link rel="canonical" href="${canonical}"><meta property="og:url" content="${canonical}">`
      : ''
  }</head><body><article><h1>${title}</h1><time datetime="2026-01-28T12:00:00Z">28 January 2026</time><p>${text}</p></article></body></html>`;

const rss = (site: string | undefined, links: string[]) =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>fixture</title>${
    site ? `<link>${site}</link>` : ''
  }${links.map((l, i) => `<item><title>Story ${i}</title><link>${l}</link></item>`).join('')}</channel></rss>`;

const feedDef = (id: string, url: string): FeedDefinition => ({
  id,
  name: id,
  url,
  type: 'rss',
  language: 'en',
  region: ['gulf'],
  schedule: '*/5 * * * *',
  enabled: true,
});

describe('a page claiming another site’s article as its canonical URL', () => {
  const config = testConfig('hostile-canonical', {
    HOST_MIN_DELAY_MS: '0',
    EVENTS_FILE: 'test/no-events.yml',
  });
  let siteA: FixtureServer;
  let siteB: FixtureServer;
  let service: Service;
  let slot = 0;
  const a = (host: string, path: string) => `http://${host}:${new URL(siteA.baseUrl).port}${path}`;
  const b = (host: string, path: string) => `http://${host}:${new URL(siteB.baseUrl).port}${path}`;

  beforeAll(async () => {
    const html = 'text/html; charset=utf-8';
    siteA = await startFixtureServer({});
    siteB = await startFixtureServer({});
    const articleA = a('news.a.localtest', '/2026/01/28/kuwait-nato-dialogue');
    siteA.setRoute('/feed.xml', {
      contentType: 'application/rss+xml',
      body: rss(a('news.a.localtest', '/'), [articleA]),
    });
    siteA.setRoute('/2026/01/28/kuwait-nato-dialogue', {
      contentType: html,
      body: page('Kuwait and NATO hold dialogue', STORY_A, articleA),
    });
    // Site B's own story, which says it is site A's article.
    siteB.setRoute('/feed.xml', {
      contentType: 'application/rss+xml',
      body: rss(b('b.localtest', '/'), [
        b('b.localtest', '/qatar-eu'),
        b('amp.b.localtest', '/amp/qatar-eu'),
      ]),
    });
    siteB.setRoute('/qatar-eu', {
      contentType: html,
      body: page('Qatar and EU sign energy deal', STORY_B, articleA),
    });
    // Its AMP copy names B's page: a claim on its own site, believed.
    siteB.setRoute('/amp/qatar-eu', {
      contentType: html,
      body: page('Qatar and EU sign energy deal', STORY_B, b('b.localtest', '/qatar-eu')),
    });
    // Site C serves its pages from a CDN name; the feed declares c.localtest as its site.
    siteB.setRoute('/c/feed.xml', {
      contentType: 'application/rss+xml',
      body: rss(b('c.localtest', '/'), [
        b('cdn.cstatic.localtest', '/c/bahrain'),
        b('c.localtest', '/c/bahrain'),
      ]),
    });
    siteB.setRoute('/c/bahrain', {
      contentType: html,
      body: page('Bahrain hosts maritime conference', STORY_C, b('c.localtest', '/c/bahrain')),
    });
    service = await startService(config, createLogger('silent'), ['poll', 'scrape', 'analyze'], {
      feeds: [
        feedDef('site-a', a('news.a.localtest', '/feed.xml')),
        feedDef('site-b', b('b.localtest', '/feed.xml')),
        feedDef('site-c', b('c.localtest', '/c/feed.xml')),
      ],
      subscribers: [],
      lookup,
    });
  }, 30_000);

  afterAll(async () => {
    await service?.stop();
    const redis = connectRedis(config.redisUrl);
    await deleteKeys(redis, config.prefix);
    redis.disconnect();
    await Promise.all([siteA?.close(), siteB?.close()]);
  });

  async function poll(feedId: string) {
    slot += 1;
    await enqueuePoll(service.ctx, feedId, slot);
    const { poll, scrape, analyze } = service.ctx.queues;
    await waitForIdle([poll, scrape, analyze], 30_000);
  }

  const analysed = async (feedId: string): Promise<Job<AnalyzeJob>[]> =>
    (await service.ctx.queues.analyze.getJobs(['completed'])).filter((j) => j.data.article.feedId === feedId);

  it('cannot make the real article a duplicate: both sites’ articles are analysed, each under its own URL', async () => {
    // The spoofing page is scraped first, as an attacker would arrange.
    await poll('site-b');
    await poll('site-a');
    expect(await service.ctx.queues.analyze.getJobs(['failed'])).toEqual([]);
    const fromB = await analysed('site-b');
    const fromA = await analysed('site-a');
    expect(fromB.map((j) => j.data.article.url)).toEqual([b('b.localtest', '/qatar-eu')]);
    expect(fromB[0]!.data.article.text).toContain('liquefied natural gas');
    expect(fromA.map((j) => j.data.article.url)).toEqual([
      a('news.a.localtest', '/2026/01/28/kuwait-nato-dialogue'),
    ]);
    expect(fromA[0]!.data.article.text).toContain('Istanbul Cooperation Initiative');
    expect(fromA[0]!.data.article.id).not.toBe(fromB[0]!.data.article.id);
    // B's AMP copy was fetched and read, and merged into B's article by its same-site claim.
    expect(siteB.hits.get('/amp/qatar-eu')).toBe(1);
  });

  it('still believes a claim on the site the feed declares: a CDN copy and the page make one article', async () => {
    await poll('site-c');
    const fromC = await analysed('site-c');
    expect(fromC.map((j) => j.data.article.url)).toEqual([b('c.localtest', '/c/bahrain')]);
    expect(siteB.hits.get('/c/bahrain')).toBe(2);
  });
});
