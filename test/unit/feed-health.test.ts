// Feed health rules (the state word of `feeds check`, the feed.failing alert and who receives it),
// the FEED_FAILING_AFTER duration, and the content fingerprint that folds republished copies.
import { describe, expect, it } from 'vitest';
import { durationMs, loadConfig } from '../../src/config/env';
import { subscriberWants, type Subscriber } from '../../src/domain/alerts';
import { describeSpan, feedFailingAlert, feedStatus, type FeedHealth } from '../../src/domain/feed-alerts';
import { fingerprintText } from '../../src/domain/fingerprint';
import { hashKey } from '../../src/store/articles';

const NOW = new Date('2026-01-31T12:00:00Z');
const HOUR = 3_600_000;
const feed = { id: 'kuna-ar', name: 'KUNA', url: 'https://www.kuna.net.kw/', enabled: true };
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();
const failing = (sinceMs: number, extra: Partial<FeedHealth> = {}): FeedHealth => ({
  errorStreak: 3,
  failingSince: ago(sinceMs),
  lastError: 'https://www.kuna.net.kw/: HTTP 503',
  lastErrorAt: ago(60_000),
  ...extra,
});

describe('feedStatus', () => {
  it.each<{ name: string; enabled?: boolean; health: FeedHealth; status: string }>([
    { name: 'never fetched', health: { errorStreak: 0 }, status: 'never polled' },
    { name: 'last poll succeeded', health: { errorStreak: 0, lastSuccessAt: ago(HOUR) }, status: 'ok' },
    {
      name: 'recovered after errors',
      health: { errorStreak: 0, lastSuccessAt: ago(1000), lastError: 'x', lastErrorAt: ago(HOUR) },
      status: 'ok',
    },
    { name: 'failing for 1 h of 6', health: failing(HOUR), status: 'backing off' },
    { name: 'failing for exactly 6 h', health: failing(6 * HOUR), status: 'failing' },
    { name: 'failing for a day', health: failing(24 * HOUR), status: 'failing' },
    { name: 'paused, even while failing', enabled: false, health: failing(24 * HOUR), status: 'paused' },
  ])('$name → $status', ({ enabled = true, health, status }) => {
    expect(feedStatus({ ...feed, enabled }, health, NOW, 6 * HOUR)).toBe(status);
  });
});

describe('feedFailingAlert', () => {
  it('owes nothing before the feed has failed for FEED_FAILING_AFTER, nor while it succeeds', () => {
    expect(feedFailingAlert(feed, failing(6 * HOUR - 1), NOW, 6 * HOUR, hashKey)).toBeUndefined();
    expect(
      feedFailingAlert(feed, { errorStreak: 0, lastSuccessAt: ago(1) }, NOW, 6 * HOUR, hashKey),
    ).toBeUndefined();
  });

  it('names the feed, the spell, the last error and the streak', () => {
    const alert = feedFailingAlert(
      feed,
      failing(7 * HOUR, { lastSuccessAt: ago(8 * HOUR) }),
      NOW,
      6 * HOUR,
      hashKey,
    );
    expect(alert).toMatchObject({
      kind: 'feed.failing',
      feed: { id: 'kuna-ar', name: 'KUNA', url: 'https://www.kuna.net.kw/' },
      title: 'Feed failing: KUNA has not been read since 31 Jan 2026, 05:00 UTC (7 h)',
      parties: [],
      sources: [],
    });
    expect(alert!.reasons).toEqual([
      'last error: https://www.kuna.net.kw/: HTTP 503',
      '3 failed polls in a row since 31 Jan 2026, 05:00 UTC',
      'last success: 31 Jan 2026, 04:00 UTC',
    ]);
  });

  it('keeps one id through a spell and takes a new one for the next spell', () => {
    const spell = failing(7 * HOUR);
    const first = feedFailingAlert(feed, spell, NOW, 6 * HOUR, hashKey)!;
    const later = feedFailingAlert(
      feed,
      { ...spell, errorStreak: 9 },
      new Date(NOW.getTime() + HOUR),
      6 * HOUR,
      hashKey,
    )!;
    const nextSpell = feedFailingAlert(feed, failing(6 * HOUR + 1), NOW, 6 * HOUR, hashKey)!;
    const otherFeed = feedFailingAlert({ ...feed, id: 'wam-ar' }, spell, NOW, 6 * HOUR, hashKey)!;
    expect(later.id).toBe(first.id);
    expect(new Set([first.id, nextSpell.id, otherFeed.id]).size).toBe(3);
  });
});

describe('who receives feed.failing', () => {
  const alert = feedFailingAlert(feed, failing(7 * HOUR), NOW, 6 * HOUR, hashKey)!;
  const sub = (filters: Subscriber['filters']): Subscriber => ({ id: 's', name: 's', filters });
  const regionsOf = (id: string) => (id === 'kuna-ar' ? ['gulf', 'kuwait'] : ['uae']);

  it.each<{ name: string; filters: Subscriber['filters']; wants: boolean }>([
    { name: 'no filters (every news kind)', filters: {}, wants: false },
    { name: 'news kinds only', filters: { kinds: ['event.new', 'expectation.fulfilled'] }, wants: false },
    { name: 'the kind, by name', filters: { kinds: ['feed.failing'] }, wants: true },
    {
      name: 'the kind and an entity filter',
      filters: { kinds: ['feed.failing'], entities: ['nato'] },
      wants: true,
    },
    { name: 'the kind and this feed', filters: { kinds: ['feed.failing'], feeds: ['kuna-ar'] }, wants: true },
    {
      name: 'the kind and another feed',
      filters: { kinds: ['feed.failing'], feeds: ['wam-ar'] },
      wants: false,
    },
    {
      name: "the kind and the feed's region",
      filters: { kinds: ['feed.failing'], regions: ['kuwait'] },
      wants: true,
    },
    {
      name: 'the kind and another region',
      filters: { kinds: ['feed.failing'], regions: ['uae'] },
      wants: false,
    },
  ])('$name → $wants', ({ filters, wants }) => {
    expect(subscriberWants(sub(filters), alert, { regionsOf })).toBe(wants);
  });
});

describe('FEED_FAILING_AFTER', () => {
  it.each([
    ['6h', 6 * HOUR],
    ['30m', 1_800_000],
    ['90s', 90_000],
    ['500ms', 500],
    ['1.5h', 5_400_000],
    ['2d', 172_800_000],
    ['6 hours', undefined],
    ['360', undefined],
  ])('%s → %s ms', (text, ms) => {
    expect(durationMs(text)).toBe(ms);
  });

  it('defaults to 6 h and names the variable when it cannot be read', () => {
    expect(loadConfig({}).feedFailingAfterMs).toBe(6 * HOUR);
    expect(() => loadConfig({ FEED_FAILING_AFTER: 'soon' })).toThrowError(
      'environment: FEED_FAILING_AFTER: "soon" is not a duration like 6h, 30m, 90s or 500ms',
    );
  });

  it.each([
    [30_000, '30 s'],
    [45 * 60_000, '45 min'],
    [6 * HOUR, '6 h'],
    [6 * HOUR + 5 * 60_000, '6 h 5 min'],
    [26 * HOUR, '1 d 2 h'],
  ])('describes %s ms as %s', (ms, text) => {
    expect(describeSpan(ms)).toBe(text);
  });
});

describe('fingerprintText', () => {
  const words = (n: number, lang: 'en' | 'ar' = 'en') =>
    Array.from({ length: n }, (_, i) => (lang === 'ar' ? `كلمة${i}` : `word${i}`)).join(' ');
  const story = `Kuwait and NATO met in Brussels. ${words(40)}`;

  it.each([
    ['punctuation and spacing', story.replace('Brussels.', 'Brussels ,  ')],
    ['letter case', story.toUpperCase()],
    ['paragraph breaks', story.replace('Brussels. ', 'Brussels.\n\n')],
  ])('is the same whatever the %s', (_, variant) => {
    expect(fingerprintText(variant)).toBe(fingerprintText(story));
  });

  it('folds Arabic diacritics, tatweel and alef forms', () => {
    const ar = `أعلنت الكويت والناتو ${words(40, 'ar')}`;
    expect(fingerprintText('أَعْلَنَتْ الكـويت والناتو ' + words(40, 'ar'))).toBe(fingerprintText(ar));
    expect(fingerprintText('اعلنت الكويت والناتو ' + words(40, 'ar'))).toBe(fingerprintText(ar));
  });

  it('differs when a word differs, and gives none for a text too short to identify a story', () => {
    expect(fingerprintText(story.replace('Brussels', 'Kuwait City'))).not.toBe(fingerprintText(story));
    expect(fingerprintText(words(39))).toBeUndefined();
    expect(fingerprintText(words(40))).toBeDefined();
  });
});
