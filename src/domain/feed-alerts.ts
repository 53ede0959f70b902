// Feed health as operators see it: the state word `feeds check` prints and why, and the `feed.failing`
// alert a feed owes once it has failed without a success for longer than the configured time. Pure:
// the time and the hash come in as arguments. The silent and broken rules are in feed-health.ts.
// Times in titles and reasons read as everywhere else ("31 Jan 2026, 05:00 UTC", wording.ts).
import { alertId } from './alerts';
import {
  breakageOf,
  breakageSpell,
  silenceOf,
  type Breakage,
  type Silence,
  type SourceHealth,
} from './feed-health';
import type { Alert } from './types';
import { formatTime } from './wording';

/** What the store knows about a feed's polling and what it yields, as ISO strings. */
export interface FeedHealth extends SourceHealth {
  lastSuccessAt?: string | undefined;
  lastErrorAt?: string | undefined;
  lastError?: string | undefined;
  errorStreak: number;
  /** the first failure since the last success: the start of the current failing spell */
  failingSince?: string | undefined;
  /** while a feed fails, polls before this time are skipped */
  nextPollAt?: string | undefined;
}

export interface FeedRef {
  id: string;
  name: string;
  url: string;
  enabled: boolean;
  /** `html` is a listing read by selectors; anything else a feed document */
  type?: string | undefined;
}

export type FeedStatus =
  'ok' | 'failing' | 'backing off' | 'paused' | 'never polled' | 'broken' | 'needs JavaScript' | 'silent';

/** How long the current failing spell has lasted, or undefined while the feed is not failing. */
export function failingForMs(health: FeedHealth, now: Date): number | undefined {
  if (health.errorStreak === 0 || !health.failingSince) return undefined;
  return now.getTime() - Date.parse(health.failingSince);
}

/**
 * `failing` is the state that raised (or is about to raise) `feed.failing`; a feed with errors that has
 * not failed that long yet is `backing off`: it is retried later, and may well recover. A feed read
 * without error may still be `broken` (it yields nothing: no items, or pages without text),
 * `needs JavaScript` (broken so: its pages are script shells) or `silent` (nothing new for several
 * of its usual gaps); a broken feed is silent too, and broken is the more useful word.
 */
export function feedStatus(feed: FeedRef, health: FeedHealth, now: Date, failingAfterMs: number): FeedStatus {
  if (!feed.enabled) return 'paused';
  const failingFor = failingForMs(health, now);
  if (failingFor !== undefined) return failingFor >= failingAfterMs ? 'failing' : 'backing off';
  if (health.errorStreak > 0) return 'backing off';
  if (!health.lastSuccessAt) return 'never polled';
  const broken = breakageOf(health);
  if (broken) return broken.source === 'pages' && broken.needsJavaScript ? 'needs JavaScript' : 'broken';
  return silenceOf(health, now) ? 'silent' : 'ok';
}

/** Why the feed is in its state, in words, for the states that need saying: the last error, the breakage, the silence. */
export function feedStatusReason(
  feed: FeedRef,
  health: FeedHealth,
  now: Date,
  failingAfterMs: number,
): string | undefined {
  const status = feedStatus(feed, health, now, failingAfterMs);
  if (status === 'failing' || status === 'backing off') return health.lastError;
  if (status === 'broken' || status === 'needs JavaScript') return breakageReason(feed, breakageOf(health)!);
  if (status === 'silent') return silenceReason(silenceOf(health, now)!);
  return undefined;
}

/** "the selectors no longer match: ...", "the feed lists no items: ...", "its pages need JavaScript: ..." */
export function breakageReason(feed: FeedRef, b: Breakage): string {
  if (b.source === 'listing') {
    const what = feed.type === 'html' ? 'the selectors no longer match' : 'the feed lists no items';
    return `${what}: ${b.polls} successful polls in a row since ${formatTime(b.since)} found no item`;
  }
  const last = b.lastPage ? `; last ${b.lastPage}${b.lastReason ? ` (${b.lastReason})` : ''}` : '';
  return b.needsJavaScript
    ? `its pages need JavaScript: the last ${b.pages} pages read since ${formatTime(b.since)} are built by script${last}`
    : `its pages give no readable text: the last ${b.pages} pages read since ${formatTime(b.since)} gave none${last}`;
}

/** "nothing new for 1 d 2 h (since ...); it usually has something new every 45 min (median of 12 gaps)" */
export function silenceReason(s: Silence): string {
  return (
    `nothing new for ${describeSpan(s.silentForMs)} (since ${formatTime(s.lastArrival)}); it usually has something ` +
    `new every ${describeSpan(s.medianGapMs)} (median of ${s.gaps} gaps), silent after ${describeSpan(s.silentAfterMs)}`
  );
}

/**
 * The alert a feed owes its operators, or undefined when it owes none. One per failing spell: the id
 * names the feed and the spell's first failure, so every poll of one spell yields the same alert.
 */
export function feedFailingAlert(
  feed: FeedRef,
  health: FeedHealth,
  now: Date,
  failingAfterMs: number,
  hash: (s: string) => string,
): Alert | undefined {
  const failingFor = failingForMs(health, now);
  if (failingFor === undefined || failingFor < failingAfterMs || !health.failingSince) return undefined;
  return {
    id: alertId('feed.failing', `${feed.id}|${health.failingSince}`, hash),
    kind: 'feed.failing',
    createdAt: now.toISOString(),
    title: `Feed failing: ${feed.name} has not been read since ${formatTime(health.failingSince)} (${describeSpan(failingFor)})`,
    parties: [],
    feed: { id: feed.id, name: feed.name, url: feed.url },
    sources: [],
    reasons: [
      `last error: ${health.lastError ?? 'unknown'}`,
      `${health.errorStreak} failed poll${health.errorStreak === 1 ? '' : 's'} in a row since ${formatTime(health.failingSince)}`,
      `last success: ${health.lastSuccessAt ? formatTime(health.lastSuccessAt) : 'never'}`,
      ...(health.nextPollAt ? [`next poll not before ${formatTime(health.nextPollAt)}`] : []),
    ],
  };
}

/**
 * `feed.silent`, once per silence: the id names the feed and its last new item, so every poll of one
 * silence yields the same alert and the next new item ends it. Undefined while the feed is not silent,
 * and while it fails (`feed.failing` says more) or is broken (`feed.broken` does).
 */
export function feedSilentAlert(
  feed: FeedRef,
  health: FeedHealth,
  now: Date,
  hash: (s: string) => string,
): Alert | undefined {
  if (health.errorStreak > 0 || !health.lastSuccessAt || breakageOf(health)) return undefined;
  const silence = silenceOf(health, now);
  if (!silence) return undefined;
  return {
    id: alertId('feed.silent', `${feed.id}|${silence.lastArrival}`, hash),
    kind: 'feed.silent',
    createdAt: now.toISOString(),
    title: `Feed silent: ${feed.name} has had nothing new since ${formatTime(silence.lastArrival)} (${describeSpan(silence.silentForMs)})`,
    parties: [],
    feed: { id: feed.id, name: feed.name, url: feed.url },
    sources: [],
    reasons: [silenceReason(silence), `last successful poll: ${formatTime(health.lastSuccessAt)}`],
  };
}

/**
 * `feed.broken`, once per breakage spell (the listing's first empty poll, or the first of the pages
 * without text): a listing that lists items again, or a page that gives text, ends it. Undefined
 * while the feed is not broken, and while it fails: a feed that cannot be read is `feed.failing`'s.
 */
export function feedBrokenAlert(
  feed: FeedRef,
  health: FeedHealth,
  now: Date,
  hash: (s: string) => string,
): Alert | undefined {
  if (health.errorStreak > 0) return undefined;
  const broken = breakageOf(health);
  if (!broken) return undefined;
  const what =
    broken.source === 'listing'
      ? feed.type === 'html'
        ? 'its listing no longer matches the selectors'
        : 'it lists no items'
      : broken.needsJavaScript
        ? 'its pages need JavaScript'
        : 'its pages give no text';
  return {
    id: alertId('feed.broken', `${feed.id}|${breakageSpell(broken)}`, hash),
    kind: 'feed.broken',
    createdAt: now.toISOString(),
    title: `Feed broken: ${feed.name}: ${what}, since ${formatTime(broken.since)}`,
    parties: [],
    feed: { id: feed.id, name: feed.name, url: feed.url },
    sources: [],
    reasons: [
      breakageReason(feed, broken),
      ...(broken.source === 'listing' && health.listedAt
        ? [`items last listed: ${formatTime(health.listedAt)}`]
        : []),
    ],
  };
}

/** "6 h 5 min", "45 min", "30 s": the span as an operator reads it. */
export function describeSpan(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return `${Math.max(0, Math.round(ms / 1000))} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 1) return `${minutes} min`;
  const days = Math.floor(hours / 24);
  if (days >= 1) return `${days} d ${hours % 24} h`;
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}
