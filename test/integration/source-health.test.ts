// Source health a desk can trust: a listing whose selectors stop matching raises one `feed.broken`
// however often it is polled, a feed that stops publishing raises one `feed.silent`, and a feed whose
// pages are built by JavaScript has them skipped rather than analysed from their titles, and says so.
// Real parts: a fixture server, the poll, scrape, alert and deliver workers and the HTTP role on the
// real Redis, a verifying webhook receiver. The service's clock is a variable: "silent for several of
// its usual gaps" takes no waiting. It starts 12 h back and ends near real time, since the receiver
// refuses signatures more than 5 minutes off its own clock.
import type { Job } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/domain/types';
import type { FeedDefinition } from '../../src/feeds/schema';
import { feedRow, formatFeedTable } from '../../src/cli/feeds';
import { generateWebhookSecret } from '../../src/notify/webhook';
import type { ScrapeJob } from '../../src/queue/queues';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { waitForIdle } from '../../src/demo/idle';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/demo/webhook-receiver';
import { enqueuePoll } from '../../workers/scheduler';
import { startOperatorService, type OperatorService } from '../support/operator';

const HOUR = 3_600_000;
const html = 'text/html; charset=utf-8';

// Over 40 words, written for this test.
const STORY =
  'Kuwait and NATO held the first round of their political and security dialogue at the Alliance headquarters in Brussels on Wednesday. ' +
  'The two sides reviewed cooperation under the Istanbul Cooperation Initiative, training at the regional centre in Kuwait, and maritime security in the Gulf.';
const article = (title: string) =>
  `<!doctype html><html lang="en"><head><title>${title}</title></head><body><article><h1>${title}</h1><p>${title}. ${STORY}</p></article></body></html>`;
// What a create-react-app site serves: the story arrives later, by script, in the browser.
const shell = (title: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${title} | Gulf Wire</title>` +
  `<script src="/static/js/main.3f9a.js" defer></script></head><body>` +
  `<noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div></body></html>`;
const rss = (items: { path: string; title: string }[]) => (base: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>${items
    .map((i) => `<item><title>${i.title}</title><link>${base}${i.path}</link></item>`)
    .join('')}</channel></rss>`;
const listingPage = (cards: string) => (base: string) =>
  `<html><body><main>${[1, 2]
    .map((n) => cards.replace('{href}', `${base}/mofa/${n}`).replace('{title}', `Minister's statement ${n}`))
    .join('')}</main></body></html>`;
const OLD_CARDS = '<article class="card"><a href="{href}"><h3>{title}</h3></a></article>';
// The site's redesign: the same news, other markup; the declared selectors find nothing.
const NEW_CARDS = '<div class="teaser"><a href="{href}"><h2>{title}</h2></a></div>';

const feed = (id: string, path: string, extra: Partial<FeedDefinition> = {}): FeedDefinition => ({
  id,
  name: id,
  url: `${base()}${path}`,
  type: 'rss',
  language: 'en',
  region: ['gulf'],
  schedule: '*/5 * * * *',
  enabled: true,
  ...extra,
});
let fixtures: FixtureServer;
const base = () => fixtures.baseUrl;

describe('source health', () => {
  const secret = generateWebhookSecret();
  let operators: WebhookReceiver;
  let op: OperatorService;
  let clock = Date.now() - 12 * HOUR;
  let slot = 0;
  const wire: { path: string; title: string }[] = [];

  beforeAll(async () => {
    fixtures = await startFixtureServer({
      '/wire.xml': { contentType: 'application/rss+xml', body: rss([]) },
      '/mofa': { contentType: html, body: listingPage(OLD_CARDS) },
      '/mofa/1': { contentType: html, body: article("Minister's statement 1") },
      '/mofa/2': { contentType: html, body: article("Minister's statement 2") },
      '/spa.xml': {
        contentType: 'application/rss+xml',
        body: rss([1, 2, 3].map((n) => ({ path: `/spa/${n}`, title: `Story ${n}` }))),
      },
      ...Object.fromEntries(
        [1, 2, 3].map((n) => [`/spa/${n}`, { contentType: html, body: shell(`Story ${n}`) }]),
      ),
    });
    operators = await startWebhookReceiver({ secret });
    op = await startOperatorService('source-health', ['poll', 'scrape', 'alert', 'deliver', 'http'], {
      now: () => new Date(clock),
      feeds: [
        feed('wire', '/wire.xml', { name: 'Gulf wire' }),
        feed('mofa', '/mofa', {
          name: 'MOFA news',
          type: 'html',
          selectors: { item: 'article.card', link: 'a', title: 'h3' },
        }),
        feed('spa', '/spa.xml', { name: 'Script-built site' }),
      ],
      subscribers: [
        {
          id: 'ops',
          name: 'Operators',
          webhook: { url: operators.url, secrets: [secret] },
          filters: { kinds: ['feed.silent', 'feed.broken'] },
        },
      ],
    });
  }, 30_000);

  afterAll(async () => {
    await op?.close();
    await Promise.all([fixtures?.close(), operators?.close()]);
  });

  /** Moves the service clock on by `ms`, polls `feedId` once and waits for every stage to settle. */
  async function pollAfter(feedId: string, ms: number) {
    clock += ms;
    slot += 1;
    const { ctx } = op.service;
    await enqueuePoll(ctx, feedId, slot);
    const { poll, scrape, alert, deliver } = ctx.queues;
    await waitForIdle([poll, scrape, alert, deliver], 20_000);
  }

  const alerts = (kind: string, feedId: string) =>
    operators.received
      .filter((r) => r.verified)
      .map((r) => (r.payload as { data: Alert & { feed: Alert['feed'] } }).data)
      .filter((a) => a.kind === kind && a.feed?.id === feedId);
  const health = async (feedId: string) => {
    const res = await op.call('GET', `/api/feeds/${feedId}`);
    expect(res.status).toBe(200);
    return res.body.feed.health as { state: string; reason?: string };
  };
  const checkTable = async (feedId: string) => {
    const { ctx } = op.service;
    const def = ctx.feeds.find((f) => f.id === feedId)!;
    const now = ctx.now();
    return formatFeedTable([feedRow(def, await ctx.stores.feeds.get(feedId), now, ctx.config)], now);
  };

  it('raises one feed.silent when a feed that published hourly has had nothing new for 6 h', async () => {
    // Six hourly polls, each with one new item: five gaps of 1 h, the fewest the rule judges.
    for (let n = 1; n <= 6; n++) {
      wire.unshift({ path: `/wire/${n}`, title: `Wire story ${n}` });
      fixtures.setRoute(`/wire/${n}`, { contentType: html, body: article(`Wire story ${n}`) });
      fixtures.setRoute('/wire.xml', { contentType: 'application/rss+xml', body: rss([...wire]) });
      await pollAfter('wire', n === 1 ? 0 : HOUR);
    }
    // Quiet for 5 h 50 min (the floor is 6 h): nothing yet.
    for (let i = 0; i < 5; i++) await pollAfter('wire', HOUR);
    await pollAfter('wire', 50 * 60_000);
    expect((await health('wire')).state).toBe('ok');
    expect(alerts('feed.silent', 'wire')).toEqual([]);
    // Now near real time (the receiver's clock): past 6 h, then polled again and again.
    clock = Date.now() - 2 * 60_000;
    await pollAfter('wire', 0);
    await pollAfter('wire', 30_000);
    await pollAfter('wire', 30_000);
    const raised = alerts('feed.silent', 'wire');
    expect(raised).toHaveLength(1);
    expect(raised[0]!.title).toMatch(
      /^Feed silent: Gulf wire has had nothing new since \d+ \w+ \d{4}, \d\d:\d\d UTC \(6 h \d+ min\)$/,
    );
    expect(raised[0]!.feed).toEqual({ id: 'wire', name: 'Gulf wire', url: `${base()}/wire.xml` });
    expect(raised[0]!.reasons[0]).toMatch(
      /it usually has something new every 1 h \(median of 5 gaps\), silent after 6 h$/,
    );
    const state = await health('wire');
    expect(state.state).toBe('silent');
    expect(state.reason).toMatch(/^nothing new for 6 h \d+ min/);
    expect(await checkTable('wire')).toMatch(
      /\n {4}silent: nothing new for 6 h \d+ min \(since \d+ \w+ \d{4}, \d\d:\d\d UTC\); it usually/,
    );

    // A new item ends the silence.
    wire.unshift({ path: '/wire/7', title: 'Wire story 7' });
    fixtures.setRoute('/wire/7', { contentType: html, body: article('Wire story 7') });
    fixtures.setRoute('/wire.xml', { contentType: 'application/rss+xml', body: rss([...wire]) });
    await pollAfter('wire', 30_000);
    expect((await health('wire')).state).toBe('ok');
    expect(alerts('feed.silent', 'wire')).toHaveLength(1);
  });

  it('raises one feed.broken when the listing no longer matches its selectors, polled several times', async () => {
    clock = Date.now();
    await pollAfter('mofa', 0);
    expect(fixtures.hits.get('/mofa/1')).toBe(1); // read as a listing, its pages scraped
    fixtures.setRoute('/mofa', { contentType: html, body: listingPage(NEW_CARDS) });
    await pollAfter('mofa', 10_000); // one empty listing may be a hiccup
    expect(alerts('feed.broken', 'mofa')).toEqual([]);
    for (let i = 0; i < 4; i++) await pollAfter('mofa', 10_000);
    const raised = alerts('feed.broken', 'mofa');
    expect(raised).toHaveLength(1);
    expect(raised[0]!.title).toMatch(
      /^Feed broken: MOFA news: its listing no longer matches the selectors, since \d+ \w+ \d{4}, \d\d:\d\d UTC$/,
    );
    expect(raised[0]!.reasons[0]).toMatch(
      /^the selectors no longer match: 2 successful polls in a row since \d+ \w+ \d{4}, \d\d:\d\d UTC found no item$/,
    );
    const state = await health('mofa');
    expect(state.state).toBe('broken');
    expect(state.reason).toMatch(/^the selectors no longer match: 5 successful polls in a row/);
    const page = await op.call('GET', '/');
    expect(page.status).toBe(200);
    expect(rowOf(page.text, 'mofa')).toMatch(/>broken<[\s\S]*the selectors no longer match/);

    // Fixed: the spell ends; broken again later, a new spell and a new alert.
    fixtures.setRoute('/mofa', { contentType: html, body: listingPage(OLD_CARDS) });
    await pollAfter('mofa', 10_000);
    expect((await health('mofa')).state).toBe('ok');
    fixtures.setRoute('/mofa', { contentType: html, body: listingPage(NEW_CARDS) });
    await pollAfter('mofa', 10_000);
    await pollAfter('mofa', 10_000);
    const again = alerts('feed.broken', 'mofa');
    expect(again).toHaveLength(2);
    expect(again[1]!.id).not.toBe(again[0]!.id);
  });

  it('skips pages built by JavaScript, analyses none, and shows the feed as needing JavaScript', async () => {
    clock = Date.now();
    await pollAfter('spa', 0);
    const { ctx } = op.service;
    const scraped = (await ctx.queues.scrape.getJobs(['completed'])) as Job<ScrapeJob>[];
    const results = scraped
      .filter((j) => j.data.feedId === 'spa')
      .map((j) => j.returnvalue as { skipped?: string });
    expect(results).toHaveLength(3);
    for (const r of results)
      expect(r.skipped).toMatch(
        /^needs JavaScript: no text, an empty #root, a <noscript> asking for JavaScript, 1 script$/,
      );
    const analyze = await ctx.queues.analyze.getJobs(['waiting', 'active', 'completed', 'failed', 'delayed']);
    expect(
      analyze.filter((j) => (j.data as { article: { feedId: string } }).article.feedId === 'spa'),
    ).toEqual([]);

    const state = await health('spa');
    expect(state.state).toBe('needs JavaScript');
    expect(state.reason).toMatch(
      /^its pages need JavaScript: the last 3 pages read since \d+ \w+ \d{4}, \d\d:\d\d UTC are built by script; last /,
    );
    expect(rowOf((await op.call('GET', '/')).text, 'spa')).toContain('needs JavaScript');
    expect(await checkTable('spa')).toMatch(/^spa\s+rss\s+needs JavaScript\s/m);

    // Raised at the feed's next poll, once.
    await pollAfter('spa', 10_000);
    await pollAfter('spa', 10_000);
    const raised = alerts('feed.broken', 'spa');
    expect(raised).toHaveLength(1);
    expect(raised[0]!.title).toMatch(
      /^Feed broken: Script-built site: its pages need JavaScript, since \d+ \w+ \d{4}, \d\d:\d\d UTC$/,
    );
  });
});

/** The dashboard's table row of one feed. */
function rowOf(page: string, feedId: string): string {
  const start = page.indexOf(`<tr data-feed="${feedId}"`);
  expect(start).toBeGreaterThan(-1);
  return page.slice(start, page.indexOf('</tr>', start));
}
