// Source health rules: the cadence learnt from when new items came, `silent` after several usual gaps,
// `broken` for a listing or feed that lists nothing or pages that give no text, `needs JavaScript`
// for pages that are script shells, the states and reasons operators read, and the once-per-spell
// feed.silent and feed.broken alerts.
import { describe, expect, it } from 'vitest';
import {
  feedBrokenAlert,
  feedSilentAlert,
  feedStatus,
  feedStatusReason,
  type FeedHealth,
} from '../../src/domain/feed-alerts';
import { alertPayload } from '../../src/domain/alert-payload';
import { renderAlertEmail } from '../../src/domain/email-content';
import { breakageOf, cadenceOf, silenceOf, type SourceHealth } from '../../src/domain/feed-health';
import { hashKey } from '../../src/store/articles';

const NOW = new Date('2026-03-10T12:00:00Z');
const MIN = 60_000;
const HOUR = 3_600_000;
const at = (msAgo: number) => new Date(NOW.getTime() - msAgo).toISOString();
/** `n` arrivals, the newest `lastAgo` before NOW, each `gap` apart (newest first, as the store keeps them) */
const arrivals = (n: number, gap: number, lastAgo = 0) =>
  Array.from({ length: n }, (_, i) => at(lastAgo + i * gap));
const listing = {
  id: 'mofa-kw',
  name: 'MOFA Kuwait',
  url: 'https://www.mofa.gov.kw/news',
  enabled: true,
  type: 'html',
};
const rss = { ...listing, id: 'kuna-ar', name: 'KUNA', url: 'https://www.kuna.net.kw/rss', type: 'rss' };
const healthy = (extra: Partial<FeedHealth> = {}): FeedHealth => ({
  errorStreak: 0,
  lastSuccessAt: at(MIN),
  listedAt: at(MIN),
  itemsSeen: 40,
  ...extra,
});

describe('cadenceOf', () => {
  it.each<{ name: string; arrivals: string[]; median?: number; silentAfter?: number; gaps?: number }>([
    { name: 'no arrivals', arrivals: [] },
    { name: 'four gaps: too few to judge', arrivals: arrivals(5, HOUR) },
    { name: 'five hourly gaps', arrivals: arrivals(6, HOUR), median: HOUR, silentAfter: 6 * HOUR, gaps: 5 },
    {
      name: 'a daily feed: 4 × the median',
      arrivals: arrivals(10, 24 * HOUR),
      median: 24 * HOUR,
      silentAfter: 96 * HOUR,
      gaps: 9,
    },
    {
      name: 'every 5 min: the 6 h floor',
      arrivals: arrivals(30, 5 * MIN),
      median: 5 * MIN,
      silentAfter: 6 * HOUR,
      gaps: 29,
    },
    {
      name: 'one long pause does not move the median',
      arrivals: [...arrivals(6, 2 * HOUR), at(10 * 2 * HOUR + 300 * HOUR)],
      median: 2 * HOUR,
      silentAfter: 8 * HOUR,
      gaps: 6,
    },
    {
      name: 'even count: the mean of the middle two',
      arrivals: [at(0), at(HOUR), at(2 * HOUR), at(4 * HOUR), at(7 * HOUR), at(10 * HOUR), at(13 * HOUR)],
      median: 2.5 * HOUR,
      silentAfter: 10 * HOUR,
      gaps: 6,
    },
    {
      name: 'the same instant twice is one arrival',
      arrivals: [at(0), at(0), at(HOUR), at(2 * HOUR), at(3 * HOUR), at(4 * HOUR)],
    },
    {
      name: 'at most the last 50 gaps',
      arrivals: [...arrivals(51, HOUR), ...arrivals(100, 10 * HOUR, 51 * HOUR)],
      median: HOUR,
      gaps: 50,
    },
  ])('$name', ({ arrivals: list, median, silentAfter, gaps }) => {
    const cadence = cadenceOf(list);
    if (median === undefined) return expect(cadence).toBeUndefined();
    expect(cadence).toMatchObject({ medianGapMs: median, lastArrival: list[0] });
    if (silentAfter !== undefined) expect(cadence!.silentAfterMs).toBe(silentAfter);
    if (gaps !== undefined) expect(cadence!.gaps).toBe(gaps);
  });
});

describe('silenceOf', () => {
  it.each<{ name: string; health: SourceHealth; silent: boolean }>([
    {
      name: 'hourly, last item 5 h ago (floor 6 h)',
      health: { arrivals: arrivals(8, HOUR, 5 * HOUR) },
      silent: false,
    },
    {
      name: 'hourly, last item exactly 6 h ago',
      health: { arrivals: arrivals(8, HOUR, 6 * HOUR) },
      silent: true,
    },
    {
      name: 'daily, last item 3 days ago',
      health: { arrivals: arrivals(8, 24 * HOUR, 72 * HOUR) },
      silent: false,
    },
    {
      name: 'daily, last item 4 days ago',
      health: { arrivals: arrivals(8, 24 * HOUR, 96 * HOUR) },
      silent: true,
    },
    {
      name: 'too few gaps, quiet for a month',
      health: { arrivals: arrivals(5, HOUR, 720 * HOUR) },
      silent: false,
    },
    { name: 'never any arrival', health: {}, silent: false },
  ])('$name → silent: $silent', ({ health, silent }) => {
    expect(silenceOf(health, NOW) !== undefined).toBe(silent);
  });
});

describe('breakageOf', () => {
  it.each<{ name: string; health: SourceHealth; source?: string; needsJavaScript?: boolean }>([
    { name: 'all well', health: { listedAt: at(HOUR), itemsSeen: 3 } },
    {
      name: 'one empty poll: maybe a hiccup',
      health: { listedAt: at(HOUR), emptyPolls: 1, emptySince: at(MIN) },
    },
    {
      name: 'two empty polls after items',
      health: { listedAt: at(HOUR), emptyPolls: 2, emptySince: at(10 * MIN) },
      source: 'listing',
    },
    {
      name: 'items seen before the listing was watched',
      health: { itemsSeen: 12, emptyPolls: 3, emptySince: at(10 * MIN) },
      source: 'listing',
    },
    {
      name: 'empty since its first poll: never yielded',
      health: { itemsSeen: 0, emptyPolls: 5, emptySince: at(HOUR) },
    },
    {
      name: 'two pages without text',
      health: { textlessPages: 2, textlessSince: at(HOUR), scriptPages: 2 },
    },
    {
      name: 'three pages without text',
      health: { textlessPages: 3, textlessSince: at(HOUR), scriptPages: 0 },
      source: 'pages',
      needsJavaScript: false,
    },
    {
      name: 'three script shells',
      health: { textlessPages: 3, textlessSince: at(HOUR), scriptPages: 3 },
      source: 'pages',
      needsJavaScript: true,
    },
    {
      name: 'a textless page, then three script shells',
      health: { textlessPages: 4, textlessSince: at(HOUR), scriptPages: 3 },
      source: 'pages',
      needsJavaScript: true,
    },
    {
      name: 'script shells, then a textless page of another kind',
      health: { textlessPages: 4, textlessSince: at(HOUR), scriptPages: 0 },
      source: 'pages',
      needsJavaScript: false,
    },
    {
      name: 'the listing is judged before the pages',
      health: {
        listedAt: at(HOUR),
        emptyPolls: 2,
        emptySince: at(MIN),
        textlessPages: 3,
        textlessSince: at(HOUR),
      },
      source: 'listing',
    },
  ])('$name', ({ health, source, needsJavaScript }) => {
    const broken = breakageOf(health);
    if (!source) return expect(broken).toBeUndefined();
    expect(broken?.source).toBe(source);
    if (needsJavaScript !== undefined) expect(broken).toMatchObject({ needsJavaScript });
  });
});

describe('feedStatus and its reason', () => {
  const quiet = { arrivals: arrivals(8, HOUR, 7 * HOUR) };
  const empty = { emptyPolls: 2, emptySince: '2026-03-10T11:50:00.000Z' };
  const shells = {
    textlessPages: 3,
    scriptPages: 3,
    textlessSince: '2026-03-10T09:00:00.000Z',
    lastTextlessPage: 'https://www.mofa.gov.kw/news/1',
    lastTextlessReason: 'needs JavaScript: no text, an empty #root, 2 scripts',
  };
  it.each<{ name: string; feed?: typeof listing; health: FeedHealth; status: string; reason?: string }>([
    { name: 'healthy', health: healthy({ arrivals: arrivals(8, HOUR) }), status: 'ok' },
    {
      name: 'a listing whose selectors no longer match',
      health: healthy(empty),
      status: 'broken',
      reason:
        'the selectors no longer match: 2 successful polls in a row since 10 Mar 2026, 11:50 UTC found no item',
    },
    {
      name: 'a feed that lists no items',
      feed: rss,
      health: healthy(empty),
      status: 'broken',
      reason:
        'the feed lists no items: 2 successful polls in a row since 10 Mar 2026, 11:50 UTC found no item',
    },
    {
      name: 'pages that are script shells',
      health: healthy(shells),
      status: 'needs JavaScript',
      reason:
        'its pages need JavaScript: the last 3 pages read since 10 Mar 2026, 09:00 UTC are built by script; ' +
        'last https://www.mofa.gov.kw/news/1 (needs JavaScript: no text, an empty #root, 2 scripts)',
    },
    {
      name: 'pages without text',
      health: healthy({ ...shells, scriptPages: 0, lastTextlessReason: 'no article text found' }),
      status: 'broken',
      reason:
        'its pages give no readable text: the last 3 pages read since 10 Mar 2026, 09:00 UTC gave none; ' +
        'last https://www.mofa.gov.kw/news/1 (no article text found)',
    },
    {
      name: 'silent',
      health: healthy(quiet),
      status: 'silent',
      reason:
        'nothing new for 7 h (since 10 Mar 2026, 05:00 UTC); it usually has something new every 1 h ' +
        '(median of 7 gaps), silent after 6 h',
    },
    {
      name: 'broken says more than silent',
      health: healthy({ ...quiet, ...empty }),
      status: 'broken',
      reason:
        'the selectors no longer match: 2 successful polls in a row since 10 Mar 2026, 11:50 UTC found no item',
    },
    {
      name: 'failing says more than broken',
      health: healthy({ ...empty, errorStreak: 2, failingSince: at(7 * HOUR), lastError: 'HTTP 503' }),
      status: 'failing',
      reason: 'HTTP 503',
    },
    {
      name: 'paused says more than silent',
      feed: { ...listing, enabled: false },
      health: healthy(quiet),
      status: 'paused',
    },
  ])('$name → $status', ({ feed = listing, health, status, reason }) => {
    expect(feedStatus(feed, health, NOW, 6 * HOUR)).toBe(status);
    expect(feedStatusReason(feed, health, NOW, 6 * HOUR)).toBe(reason);
  });
});

describe('feed.silent', () => {
  const quiet = healthy({ arrivals: arrivals(8, HOUR, 7 * HOUR) });

  it('names the feed, the silence and the usual gap', () => {
    const alert = feedSilentAlert(rss, quiet, NOW, hashKey);
    expect(alert).toMatchObject({
      kind: 'feed.silent',
      feed: { id: 'kuna-ar', name: 'KUNA', url: 'https://www.kuna.net.kw/rss' },
      title: 'Feed silent: KUNA has had nothing new since 10 Mar 2026, 05:00 UTC (7 h)',
    });
    expect(alert!.reasons[0]).toMatch(
      /^nothing new for 7 h .* every 1 h \(median of 7 gaps\), silent after 6 h$/,
    );
  });

  it('keeps one id through a silence, takes a new one after the next item, and is none while not silent', () => {
    const first = feedSilentAlert(rss, quiet, NOW, hashKey)!;
    const later = feedSilentAlert(rss, quiet, new Date(NOW.getTime() + 5 * HOUR), hashKey)!;
    expect(later.id).toBe(first.id);
    const resumedThenQuiet = healthy({ arrivals: [at(-10 * HOUR), ...quiet.arrivals!] });
    const next = feedSilentAlert(rss, resumedThenQuiet, new Date(NOW.getTime() + 20 * HOUR), hashKey)!;
    expect(next.id).not.toBe(first.id);
    expect(feedSilentAlert(rss, healthy({ arrivals: arrivals(8, HOUR) }), NOW, hashKey)).toBeUndefined();
    expect(feedSilentAlert(rss, { ...quiet, errorStreak: 1 }, NOW, hashKey)).toBeUndefined();
    expect(
      feedSilentAlert(rss, { ...quiet, emptyPolls: 2, emptySince: at(HOUR) }, NOW, hashKey),
    ).toBeUndefined();
  });
});

describe('feed.broken', () => {
  const empty = healthy({ emptyPolls: 2, emptySince: at(HOUR), listedAt: at(2 * HOUR) });

  it('says the selectors no longer match for a listing, and that the feed lists nothing for a feed', () => {
    expect(feedBrokenAlert(listing, empty, NOW, hashKey)).toMatchObject({
      kind: 'feed.broken',
      feed: { id: 'mofa-kw', name: 'MOFA Kuwait', url: 'https://www.mofa.gov.kw/news' },
      title:
        'Feed broken: MOFA Kuwait: its listing no longer matches the selectors, since 10 Mar 2026, 11:00 UTC',
      reasons: [
        'the selectors no longer match: 2 successful polls in a row since 10 Mar 2026, 11:00 UTC found no item',
        'items last listed: 10 Mar 2026, 10:00 UTC',
      ],
    });
    expect(feedBrokenAlert(rss, empty, NOW, hashKey)!.title).toBe(
      'Feed broken: KUNA: it lists no items, since 10 Mar 2026, 11:00 UTC',
    );
  });

  it('keeps one id through a spell, a new one for the next spell or the pages, and none while failing', () => {
    const first = feedBrokenAlert(listing, empty, NOW, hashKey)!;
    expect(feedBrokenAlert(listing, { ...empty, emptyPolls: 9 }, NOW, hashKey)!.id).toBe(first.id);
    expect(feedBrokenAlert(listing, { ...empty, emptySince: at(MIN) }, NOW, hashKey)!.id).not.toBe(first.id);
    const pages = healthy({ textlessPages: 3, scriptPages: 3, textlessSince: at(HOUR) });
    const shells = feedBrokenAlert(listing, pages, NOW, hashKey)!;
    expect(shells.id).not.toBe(first.id);
    expect(shells.title).toBe(
      'Feed broken: MOFA Kuwait: its pages need JavaScript, since 10 Mar 2026, 11:00 UTC',
    );
    expect(feedBrokenAlert(listing, { ...empty, errorStreak: 1 }, NOW, hashKey)).toBeUndefined();
    expect(feedBrokenAlert(listing, healthy(), NOW, hashKey)).toBeUndefined();
  });
});

describe('feed alerts in a webhook body and an email', () => {
  const alert = feedBrokenAlert(listing, healthy({ emptyPolls: 2, emptySince: at(HOUR) }), NOW, hashKey)!;

  it('name the feed and say why', () => {
    expect(alertPayload(alert).data.feed).toEqual({
      id: 'mofa-kw',
      name: 'MOFA Kuwait',
      url: 'https://www.mofa.gov.kw/news',
    });
    const email = renderAlertEmail(alert, { unsubscribeUrl: 'https://newswatch.example/u/x' });
    expect(email.subject).toBe(alert.title);
    expect(email.text).toContain('Feed: MOFA Kuwait (mofa-kw), https://www.mofa.gov.kw/news');
    expect(email.text).toContain('- the selectors no longer match: 2 successful polls in a row since');
  });
});
