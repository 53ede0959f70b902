// The poll stage: fetch one feed (conditionally), parse its items, keep the ones never seen,
// and hand them to scrape. A failure is recorded on the feed and backs it off; a feed failing for
// longer than `failingAfterMs` raises `feed.failing` once per failing spell. After a poll that
// worked, a feed that yields nothing raises `feed.broken`, and one that has gone quiet for several
// of its usual gaps `feed.silent`, each once per spell (src/domain/feed-health.ts).
import { feedBrokenAlert, feedFailingAlert, feedSilentAlert } from '../domain/feed-alerts';
import { breakageOf, breakageSpell, cadenceOf } from '../domain/feed-health';
import type { Alert } from '../domain/types';
import type { FeedDefinition } from '../feeds/schema';
import { canonicalUrl } from '../ingest/canonical-url';
import { decodeBody } from '../ingest/decode';
import type { FetchedResource } from '../ingest/fetch';
import { retryAfterMs } from '../ingest/polite-fetch';
import { parseFeed, parseHtmlListing } from '../ingest/parse-feed';
import type { FeedItem } from '../ingest/types';
import { hashKey, type ArticleStore } from '../store/articles';
import type { FeedState, FeedStateStore } from '../store/feed-state';

export type PageFetcher = (
  url: string,
  opts?: {
    etag?: string | undefined;
    lastModified?: string | undefined;
    accept?: string;
    /** check robots.txt first: article pages do, declared feeds do not (their operator chose them) */
    robots?: boolean;
  },
) => Promise<FetchedResource>;

export interface PollDeps {
  feed: (id: string) => FeedDefinition | undefined;
  state: FeedStateStore;
  articles: ArticleStore;
  fetch: PageFetcher;
  now: () => Date;
  enqueueScrape: (feedId: string, items: FeedItem[]) => Promise<void>;
  /** `feed.failing`: how long a feed may fail without a success, and how its alert reaches the alert stage */
  failing?: { afterMs: number; raise: (alert: Alert) => Promise<void> } | undefined;
  /** `feed.silent` and `feed.broken`: how their alerts reach the alert stage (unset: not raised) */
  health?: { raise: (alert: Alert) => Promise<void> } | undefined;
  /** FEED_MAX_ITEMS: the newest items considered per poll (DEFAULT_FEED_MAX_ITEMS when unset) */
  maxItems?: number | undefined;
}

/**
 * A feed of 100,000 items (hostile or broken) must not become 100,000 Redis calls and scrape
 * jobs in one poll; a real feed lists far fewer than this between two polls.
 */
export const DEFAULT_FEED_MAX_ITEMS = 200;

export type PollOutcome =
  | { status: 'unknown-feed' | 'disabled' | 'backing-off' | 'not-modified' }
  | { status: 'polled'; items: number; newItems: number; ignored?: number };

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

export async function pollFeed(deps: PollDeps, feedId: string): Promise<PollOutcome> {
  const feed = deps.feed(feedId);
  if (!feed) return { status: 'unknown-feed' };
  if (!feed.enabled) return { status: 'disabled' };
  const now = deps.now();
  const state = await deps.state.get(feedId);
  if (state.nextPollAt && Date.parse(state.nextPollAt) > now.getTime()) {
    // The backoff grows to hours, so the failing time is also checked between attempts.
    await raiseIfFailing(deps, feed, state, now);
    return { status: 'backing-off' };
  }

  let items: FeedItem[];
  let res: FetchedResource;
  try {
    res = await deps.fetch(feed.url, {
      etag: state.etag,
      lastModified: state.lastModified,
      accept: feed.type === 'html' ? 'text/html' : FEED_ACCEPT,
    });
    if (res.notModified) {
      await deps.state.recordSuccess(feedId, now, {
        etag: state.etag,
        lastModified: state.lastModified,
        newItems: 0,
        // An unchanged document lists what it listed: an empty listing stays empty, poll after poll.
        ...(state.emptyPolls ? { listed: 0 } : {}),
      });
      // An unchanged feed is how a silent one looks.
      await raiseIfUnhealthy(deps, feed, now);
      return { status: 'not-modified' };
    }
    const text = decodeBody(res.body, res.headers['content-type']);
    items =
      feed.type === 'html' && feed.selectors
        ? parseHtmlListing(text, res.url, feed.selectors)
        : await parseFeed(text, res.url);
  } catch (err) {
    await deps.state.recordFailure(feedId, now, (err as Error).message, retryAfterMs(err));
    await raiseIfFailing(deps, feed, await deps.state.get(feedId), now);
    throw err;
  }

  const considered = newest(items, deps.maxItems ?? DEFAULT_FEED_MAX_ITEMS);
  const fresh: FeedItem[] = [];
  for (const item of considered) {
    if (await deps.articles.markSeen([`guid:${feedId}:${item.guid}`, `url:${canonicalUrl(item.link)}`]))
      fresh.push(item);
  }
  if (fresh.length > 0) await deps.enqueueScrape(feedId, fresh);
  await deps.state.recordSuccess(feedId, now, {
    etag: res.headers['etag'],
    lastModified: res.headers['last-modified'],
    newItems: fresh.length,
    listed: items.length,
  });
  await raiseIfUnhealthy(deps, feed, now);
  const ignored = items.length - considered.length;
  return {
    status: 'polled',
    items: items.length,
    newItems: fresh.length,
    ...(ignored > 0 ? { ignored } : {}),
  };
}

/** Dated items newest first, then undated ones in feed order (listings put the newest on top). */
function newest(items: FeedItem[], max: number): FeedItem[] {
  if (items.length <= max) return items;
  const time = (item: FeedItem) => (item.published ? Date.parse(item.published) : Number.NaN);
  const dated = items.filter((i) => !Number.isNaN(time(i))).sort((a, b) => time(b) - time(a));
  const undated = items.filter((i) => Number.isNaN(time(i)));
  return [...dated, ...undated].slice(0, max);
}

/** Raised before it is marked: a crash in between repeats the alert's id, which the alert stage ignores. */
async function raiseIfFailing(deps: PollDeps, feed: FeedDefinition, state: FeedState, now: Date) {
  if (!deps.failing || !state.failingSince || state.failingAlertedFor === state.failingSince) return;
  const alert = feedFailingAlert(feed, state, now, deps.failing.afterMs, hashKey);
  if (!alert) return;
  await deps.failing.raise(alert);
  await deps.state.markFailingAlerted(feed.id, state.failingSince);
}

/** After a poll that worked: the feed's broken or silent spell, raised once and then marked, like feed.failing. */
async function raiseIfUnhealthy(deps: PollDeps, feed: FeedDefinition, now: Date) {
  if (!deps.health) return;
  const state = await deps.state.get(feed.id);
  const broken = breakageOf(state);
  if (broken && state.brokenAlertedFor !== breakageSpell(broken)) {
    const alert = feedBrokenAlert(feed, state, now, hashKey);
    if (alert) {
      await deps.health.raise(alert);
      await deps.state.markAlerted(feed.id, 'brokenAlertedFor', breakageSpell(broken));
    }
  }
  const lastArrival = cadenceOf(state.arrivals)?.lastArrival;
  if (lastArrival && state.silentAlertedFor !== lastArrival) {
    const alert = feedSilentAlert(feed, state, now, hashKey);
    if (alert) {
      await deps.health.raise(alert);
      await deps.state.markAlerted(feed.id, 'silentAlertedFor', lastArrival);
    }
  }
}
