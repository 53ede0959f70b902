// The poll stage: fetch one feed (conditionally), parse its items, keep the ones never seen,
// and hand them to scrape. A failure is recorded on the feed and backs it off.
import type { FeedDefinition } from '../feeds/schema';
import { canonicalUrl } from '../ingest/canonical-url';
import { decodeBody } from '../ingest/decode';
import type { FetchedResource } from '../ingest/fetch';
import { parseFeed, parseHtmlListing } from '../ingest/parse-feed';
import type { FeedItem } from '../ingest/types';
import type { ArticleStore } from '../store/articles';
import type { FeedStateStore } from '../store/feed-state';

export type PageFetcher = (
  url: string,
  opts?: { etag?: string | undefined; lastModified?: string | undefined; accept?: string },
) => Promise<FetchedResource>;

export interface PollDeps {
  feed: (id: string) => FeedDefinition | undefined;
  state: FeedStateStore;
  articles: ArticleStore;
  fetch: PageFetcher;
  now: () => Date;
  enqueueScrape: (feedId: string, items: FeedItem[]) => Promise<void>;
}

export type PollOutcome =
  | { status: 'unknown-feed' | 'disabled' | 'backing-off' | 'not-modified' }
  | { status: 'polled'; items: number; newItems: number };

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

export async function pollFeed(deps: PollDeps, feedId: string): Promise<PollOutcome> {
  const feed = deps.feed(feedId);
  if (!feed) return { status: 'unknown-feed' };
  if (!feed.enabled) return { status: 'disabled' };
  const now = deps.now();
  const state = await deps.state.get(feedId);
  if (state.nextPollAt && Date.parse(state.nextPollAt) > now.getTime()) return { status: 'backing-off' };

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
      });
      return { status: 'not-modified' };
    }
    const text = decodeBody(res.body, res.headers['content-type']);
    items =
      feed.type === 'html' && feed.selectors
        ? parseHtmlListing(text, res.url, feed.selectors)
        : await parseFeed(text, res.url);
  } catch (err) {
    await deps.state.recordFailure(feedId, now, (err as Error).message);
    throw err;
  }

  const fresh: FeedItem[] = [];
  for (const item of items) {
    if (await deps.articles.markSeen([`guid:${feedId}:${item.guid}`, `url:${canonicalUrl(item.link)}`]))
      fresh.push(item);
  }
  if (fresh.length > 0) await deps.enqueueScrape(feedId, fresh);
  await deps.state.recordSuccess(feedId, now, {
    etag: res.headers['etag'],
    lastModified: res.headers['last-modified'],
    newItems: fresh.length,
  });
  return { status: 'polled', items: items.length, newItems: fresh.length };
}
