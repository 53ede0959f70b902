// Updated items on real parts: a fixture HTTP server whose feed items and pages change between
// polls, the whole pipeline (the real worker processors, so BullMQ's dedup by job id is in the
// path) on the real Redis under a prefix of its own, and a webhook receiver that verifies every
// signature. What a user would notice: a live blog's new entry is alerted once, what was alerted
// already is not alerted again, and an unchanged feed or a correction of nothing costs no alert.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/domain/types';
import type { FeedDefinition } from '../../src/feeds/schema';
import { createLogger } from '../../src/log';
import { generateWebhookSecret } from '../../src/notify/webhook';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { waitForIdle } from '../../src/demo/idle';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/demo/webhook-receiver';
import { enqueuePoll } from '../../workers/scheduler';
import { startService, type Service } from '../../workers/service';
import { testConfig } from '../support/config';

// Written for this test: a live blog's first entry, and the entry added later at its top.
const TALKS =
  'Kuwait and Saudi Arabia held talks in Riyadh on Monday on border trade and the joint customs posts, ' +
  'officials from both sides said after the meeting ended in the evening.';
const SIGNING =
  'Oman and Qatar signed an agreement in Muscat on Tuesday to link their power grids, the Omani foreign ' +
  'ministry said in a statement after a day of meetings between the two delegations.';
// A wire story stating a follow-up, and a sentence a later correction appends to it.
const MANAMA =
  'Bahrain and Jordan held talks in Manama on Monday on trade, transport links and the joint investment fund, ' +
  'the two foreign ministries said after the meeting.';
const AGAIN = 'The two delegations agreed to meet again in Amman in March to follow up on the fund.';
const ADDED =
  'Officials said the fund would be open to private investors from both countries once its rules were approved.';

const html = 'text/html; charset=utf-8';
const page = (title: string, paragraphs: string[]) =>
  `<!DOCTYPE html><html lang="en"><head><title>${title}</title></head><body><article><h1>${title}</h1>
  <time datetime="2026-01-28T12:00:00Z">28 January 2026</time>${paragraphs.map((p) => `<p>${p}</p>`).join('\n')}
  </article></body></html>`;

const feed = (item: { guid: string; link: string; title: string; date: string; summary?: string }) =>
  `<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>fixture</title><item>` +
  `<guid isPermaLink="false">${item.guid}</guid><title>${item.title}</title><link>${item.link}</link>` +
  `<pubDate>${item.date}</pubDate>${item.summary ? `<description>${item.summary}</description>` : ''}` +
  `</item></channel></rss>`;

const feedDef = (id: string, url: string): FeedDefinition => ({
  id,
  name: id,
  url,
  type: 'rss',
  language: 'en',
  region: ['gulf'],
  schedule: '*/5 * * * *',
  enabled: true,
  // January 2026 pages listed at the feed's first poll: alerted like new ones (src/domain/alert-quiet.ts).
  alertBacklog: true,
});

describe('an updated feed item is read again, and alerts only what is new', () => {
  const config = testConfig('item-updates', { HOST_MIN_DELAY_MS: '0' });
  let fixtures: FixtureServer;
  let receiver: WebhookReceiver;
  let service: Service;
  let slot = 0;

  // Served without validators: every poll gets the whole feed, so it is the items' versions,
  // not a 304, that keep an unchanged feed from costing work.
  const setFeed = (path: string, item: Parameters<typeof feed>[0]) =>
    fixtures.setRoute(path, {
      contentType: 'application/rss+xml',
      conditional: false,
      body: (base) => feed({ ...item, link: `${base}${item.link}` }),
    });
  const setPage = (path: string, title: string, paragraphs: string[]) =>
    fixtures.setRoute(path, { contentType: html, body: page(title, paragraphs) });

  beforeAll(async () => {
    fixtures = await startFixtureServer({});
    setFeed('/live/feed.xml', {
      guid: 'live-gulf',
      link: '/live/gulf',
      title: 'Gulf diplomacy live',
      date: 'Wed, 28 Jan 2026 12:00:00 GMT',
    });
    setPage('/live/gulf', 'Gulf diplomacy live', [TALKS]);
    setFeed('/wire/feed.xml', {
      guid: 'wire-manama',
      link: '/news/manama-talks',
      title: 'Bahrain and Jordan hold talks in Manama',
      date: 'Wed, 28 Jan 2026 12:00:00 GMT',
    });
    setPage('/news/manama-talks', 'Bahrain and Jordan hold talks in Manama', [MANAMA, AGAIN]);
    const secret = generateWebhookSecret();
    receiver = await startWebhookReceiver({ secret });
    const base = fixtures.baseUrl;
    service = await startService(
      config,
      createLogger('silent'),
      ['poll', 'scrape', 'analyze', 'alert', 'deliver'],
      {
        feeds: [feedDef('live', `${base}/live/feed.xml`), feedDef('wire', `${base}/wire/feed.xml`)],
        subscribers: [
          {
            id: 'analyst',
            name: 'Analyst',
            webhook: { url: receiver.url, secrets: [secret] },
            // same_event too: an update must not come back as another report of its own event
            filters: {
              kinds: ['event.new', 'event.same_event', 'expectation.opened', 'expectation.fulfilled'],
            },
          },
        ],
      },
    );
  }, 30_000);

  afterAll(async () => {
    await service?.stop();
    const redis = connectRedis(config.redisUrl);
    await deleteKeys(redis, config.prefix);
    redis.disconnect();
    await Promise.all([fixtures?.close(), receiver?.close()]);
  });

  /** Polls the feed in a new slot, waits until every stage is done, and returns what was delivered meanwhile. */
  async function poll(feedId: string): Promise<Alert[]> {
    const before = delivered().length;
    slot += 1;
    await enqueuePoll(service.ctx, feedId, slot);
    await waitForIdle(Object.values(service.ctx.queues), 30_000);
    return delivered().slice(before);
  }
  const delivered = () =>
    receiver.received.filter((r) => r.verified).map((r) => (r.payload as { data: Alert }).data);
  const summary = (alerts: Alert[]) =>
    alerts.map((a) => `${a.kind} ${a.parties.map((p) => p.id).join('+')}`).sort();
  const hits = (path: string) => fixtures.hits.get(path) ?? 0;

  it("alerts a live blog's later entry once, under the same article, and nothing it alerted before", async () => {
    expect(summary(await poll('live'))).toEqual(['event.new kuwait+saudi-arabia']);
    const [first] = await service.ctx.queues.analyze.getJobs(['completed']);
    const articleId = first!.data.article.id;

    // Polled again unchanged: the page is not fetched, nothing is analysed or alerted.
    expect(await poll('live')).toEqual([]);
    expect(hits('/live/gulf')).toBe(1);

    // The item's date moves and the page gains an entry at its top.
    setFeed('/live/feed.xml', {
      guid: 'live-gulf',
      link: '/live/gulf',
      title: 'Gulf diplomacy live',
      date: 'Wed, 28 Jan 2026 18:30:00 GMT',
    });
    setPage('/live/gulf', 'Gulf diplomacy live', [SIGNING, TALKS]);
    const update = await poll('live');
    expect(summary(update)).toEqual(['event.new oman+qatar']);
    expect(hits('/live/gulf')).toBe(2);
    const signing = update[0]!.event!;
    expect(signing.type).toBe('agreement');
    expect(signing.sources.map((s) => new URL(s.url).pathname)).toEqual(['/live/gulf']);

    // One article, in its second version, and the event records point at it.
    const stored = await service.ctx.stores.articles.get(articleId);
    expect(stored).toMatchObject({ version: 2, published: '2026-01-28T12:00:00.000Z' });
    expect(stored!.text).toContain('Oman and Qatar signed');
    expect(await service.ctx.redis.keys(`${config.prefix}article:*`)).toHaveLength(1);
    const talks = delivered().find((a) => a.parties.some((p) => p.id === 'kuwait'))!.event!;
    expect((await service.ctx.stores.events.getEvent(talks.id))!.sources.map((s) => s.articleId)).toEqual([
      articleId,
    ]);
    expect((await service.ctx.stores.events.getEvent(signing.id))!.sources.map((s) => s.articleId)).toEqual([
      articleId,
    ]);

    // And polled again unchanged: nothing more.
    expect(await poll('live')).toEqual([]);
    expect(hits('/live/gulf')).toBe(2);
    expect(summary(delivered().filter((a) => a.parties.some((p) => p.id === 'oman')))).toEqual([
      'event.new oman+qatar',
    ]);
  });

  it('reads a corrected item again, and alerts nothing when the correction says nothing new', async () => {
    expect(summary(await poll('wire'))).toEqual([
      'event.new bahrain+jordan',
      'expectation.opened bahrain+jordan',
    ]);
    const analyses = async () => (await service.ctx.queues.analyze.getJobs(['completed'])).length;
    const analysed = await analyses();

    // A corrected headline, a page whose words are the same (other markup and punctuation):
    // fetched again, not analysed again.
    setFeed('/wire/feed.xml', {
      guid: 'wire-manama',
      link: '/news/manama-talks',
      title: 'Bahrain, Jordan hold talks in Manama',
      date: 'Wed, 28 Jan 2026 12:00:00 GMT',
    });
    setPage('/news/manama-talks', 'Bahrain and Jordan hold talks in Manama', [
      MANAMA.replace(/,/g, ' ,'),
      `<em>${AGAIN}</em>`,
    ]);
    expect(await poll('wire')).toEqual([]);
    expect(hits('/news/manama-talks')).toBe(2);
    expect(await analyses()).toBe(analysed);

    // A correction that adds a sentence: a new version, analysed, with nothing to alert: its
    // event and its expectation were alerted from the first version.
    setFeed('/wire/feed.xml', {
      guid: 'wire-manama',
      link: '/news/manama-talks',
      title: 'Bahrain, Jordan hold talks in Manama',
      date: 'Wed, 28 Jan 2026 12:00:00 GMT',
      summary: 'Corrected: adds the fund rules',
    });
    setPage('/news/manama-talks', 'Bahrain and Jordan hold talks in Manama', [MANAMA, AGAIN, ADDED]);
    const alertsBefore = (await service.ctx.stores.alerts.recent(100)).length;
    expect(await poll('wire')).toEqual([]);
    expect(hits('/news/manama-talks')).toBe(3);
    expect(await analyses()).toBe(analysed + 1);
    const second = (await service.ctx.queues.analyze.getJobs(['completed'])).find(
      (j) => j.data.article.url.endsWith('/news/manama-talks') && j.data.article.version === 2,
    );
    expect(second?.returnvalue).toMatchObject({ alerts: [], matches: [] });
    // nothing for the alert list either (GET /api/alerts)
    expect((await service.ctx.stores.alerts.recent(100)).length).toBe(alertsBefore);
  });
});
