// The scrape stage: fetch an item's page and read it into an article. The same article reached
// through two feeds (one canonical URL) or republished under another URL (one main text) is kept once.
// A page read again (its feed item changed) whose words changed is the article's next version: the
// same id, one more in `version`; with the same words (by fingerprint) it is nothing new.
import { fingerprintText } from '../domain/fingerprint';
import type { ArticleInput } from '../domain/types';
import { canonicalUrl } from '../ingest/canonical-url';
import { decodeBody } from '../ingest/decode';
import type { FetchedResource } from '../ingest/fetch';
import { RobotsDisallowedError } from '../ingest/polite-fetch';
import { readArticle } from '../ingest/read-article';
import type { FeedItem } from '../ingest/types';
import { hashKey, type ArticleStore } from '../store/articles';
import type { PageFetcher } from './poll';

export interface ScrapeDeps {
  articles: ArticleStore;
  fetch: PageFetcher;
  now: () => Date;
}

/** A page the site's robots.txt keeps newswatch from: a decision, not a failure, so never retried. */
export interface ScrapeSkipped {
  skipped: string;
}

/** The page read again says what the stored version says: nothing to analyse. */
export interface ScrapeUnchanged {
  unchanged: string;
}

/** What decides that a page says something else: its fingerprint, or its text when too short for one. */
const wordsOf = (text: string) => hashKey(fingerprintText(text) ?? text);

/** Attempts at storing a version while other scrapes of the same article store theirs. */
const SAVE_ATTEMPTS = 5;

/**
 * The article (its first version, or a new one when its words changed), or undefined when it is a
 * copy of another article scraped before (that article's canonical URL or main text).
 */
export async function scrapeItem(
  deps: ScrapeDeps,
  feedId: string,
  item: FeedItem,
): Promise<ArticleInput | ScrapeSkipped | ScrapeUnchanged | undefined> {
  let res: FetchedResource;
  try {
    res = await deps.fetch(item.link, { accept: 'text/html,application/xhtml+xml', robots: true });
  } catch (err) {
    if (err instanceof RobotsDisallowedError) return { skipped: err.reason };
    throw err;
  }
  const html = decodeBody(res.body, res.headers['content-type']);
  // The page's canonical claim is believed only on its own site or the one its feed declares.
  const doc = readArticle(html, res.url, { title: item.title, published: item.published, site: item.site });
  const id = `ar_${hashKey(doc.canonicalUrl)}`;
  // Two feeds, a tracking or AMP link, or a republication under a new URL: one article.
  const fingerprint = fingerprintText(doc.text);
  const identities = [
    `article:${canonicalUrl(doc.canonicalUrl)}`,
    ...(fingerprint ? [`text:${hashKey(fingerprint)}`] : []),
  ];
  if (await deps.articles.claim(id, identities)) return undefined;
  for (let attempt = 1; ; attempt++) {
    const stored = await deps.articles.get(id);
    if (stored && wordsOf(stored.text) === wordsOf(doc.text)) return { unchanged: id };
    const version = stored ? (stored.version ?? 1) + 1 : 1;
    const article: ArticleInput = {
      id,
      url: doc.canonicalUrl,
      title: doc.title,
      // A version keeps the date the article was first published under: the feed item's date of
      // an update is the update's, and the text's "on Monday" is read against the original.
      published: doc.published ?? stored?.published ?? item.published ?? deps.now().toISOString(),
      publishedDay: doc.published ? doc.publishedDay : stored?.publishedDay,
      lang: doc.lang,
      text: doc.text,
      // An update stays the article of the feed it was first read from.
      feedId: stored?.feedId ?? feedId,
      ...(stored ? { version, updatedAt: deps.now().toISOString() } : {}),
    };
    if (await deps.articles.saveVersion(article, stored ? (stored.version ?? 1) : 0)) return article;
    if (attempt === SAVE_ATTEMPTS)
      throw new Error(`article ${article.url}: ${attempt} attempts to store a version lost to other scrapes`);
  }
}
