// The poll stage: fetch one feed (conditionally), parse its items, keep the ones never seen and
// the ones that changed since the last poll (an updated date, title or summary: a live blog's new
// entry, a correction), and hand them to scrape. A failure is recorded on the feed and backs it off;
// a feed failing for longer than `failingAfterMs` raises `feed.failing` once per failing spell. After
// a poll that worked, a feed that yields nothing raises `feed.broken`, and one that has gone quiet for
// several of its usual gaps `feed.silent`, each once per spell (src/domain/feed-health.ts).
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
  enqueueScrape: (feedId: string, items: ScrapeRequest[]) => Promise<void>;
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

/** An item to read: new (no version), or changed since it was read (its new version stamp). */
export interface ScrapeRequest {
  item: FeedItem;
  version?: string | undefined;
  /** listed by the feed's first successful poll: stored and matched, but no news (src/domain/alert-quiet.ts) */
  backlog?: true | undefined;
}

export type PollOutcome =
  | { status: 'unknown-feed' | 'disabled' | 'backing-off' | 'not-modified' }
  | { status: 'polled'; items: number; newItems: number; updatedItems?: number; ignored?: number };

/**
 * An item's version as its feed gives it: its link, date and words. Another stamp under the same
 * guid is the item changed; the page is then read again, and scrape decides if its text did.
 */
export function itemVersion(item: FeedItem): string {
  return hashKey(
    JSON.stringify([
      canonicalUrl(item.link),
      item.published ?? '',
      item.updated ?? '',
      item.title,
      item.summary ?? '',
    ]),
  );
}

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
  const fresh: ScrapeRequest[] = [];
  const updated: ScrapeRequest[] = [];
  // An item is owed from the moment it is judged new or changed: its scrape job is queued before
  // the item is marked seen (or stamped), so a crash or a Redis outage in between leaves it unmarked
  // and the next poll queues it again. Two polls that both judge it new queue one job: its id names
  // the link (and the version), and BullMQ keeps one job per id.
  const judged = await Promise.all(
    considered.map(async (item) => {
      const guidKey = `guid:${feedId}:${item.guid}`;
      const keys = [guidKey, `url:${canonicalUrl(item.link)}`];
      // Per feed item, not per URL: two feeds titling one story differently do not take turns.
      const version = itemVersion(item);
      const [isNew, before] = await Promise.all([
        deps.articles.unseen(keys),
        deps.articles.itemStamp(guidKey),
      ]);
      return { item, guidKey, keys, version, isNew, before };
    }),
  );
  const taken = new Set<string>();
  // A feed never polled successfully lists its backlog: what it held before it was added. A crash
  // before recordSuccess keeps the next poll a first one, so the backlog stays marked.
  const backlog = state.lastSuccessAt === undefined;
  for (const j of judged) {
    // One listing naming one page twice (two guids, one link) owes one scrape.
    if (taken.has(j.keys[1]!)) continue;
    taken.add(j.keys[1]!);
    if (j.isNew) fresh.push({ item: j.item, ...(backlog ? { backlog: true as const } : {}) });
    // No stamp known (an item seen before stamps existed, or forgotten): taken as it is, not read.
    else if (j.before !== null && j.before !== j.version) updated.push({ item: j.item, version: j.version });
  }
  if (fresh.length + updated.length > 0) await deps.enqueueScrape(feedId, [...fresh, ...updated]);
  for (const j of judged) {
    if (j.isNew) await deps.articles.markSeen(j.keys);
    // Renews the stamp's lifetime for every item still listed.
    await deps.articles.stampItem(j.guidKey, j.version);
  }
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
    ...(updated.length > 0 ? { updatedItems: updated.length } : {}),
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
