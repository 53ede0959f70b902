// The scrape stage: fetch an item's page and read it into an article. The same article reached
// through two feeds (one canonical URL) or republished under another URL (one main text) is kept once.
// A page built by JavaScript is skipped, not analysed from its title; what each page gave (text,
// none, a script shell) is kept on its feed, whose health it is.
// A page read again (its feed item changed) whose words changed is the article's next version: the
// same id, one more in `version`; with the same words (by fingerprint) it is nothing new.
import { PermanentError } from '../errors';
import { fingerprintText } from '../domain/fingerprint';
import type { ArticleInput } from '../domain/types';
import { canonicalUrl } from '../ingest/canonical-url';
import { decodeBody } from '../ingest/decode';
import type { FetchedResource } from '../ingest/fetch';
import { assertHtmlPage } from '../ingest/page-type';
import { RobotsDisallowedError } from '../ingest/polite-fetch';
import { readArticle, type ArticleDoc } from '../ingest/read-article';
import { needsJavaScript } from '../ingest/script-page';
import type { FeedItem } from '../ingest/types';
import { hashKey, type ArticleStore } from '../store/articles';
import type { FeedStateStore, PageYield } from '../store/feed-state';
import type { PageFetcher } from './poll';

export interface ScrapeDeps {
  articles: ArticleStore;
  fetch: PageFetcher;
  now: () => Date;
  /** where what each page gave is kept for its feed's health (unset: not kept) */
  pages?: Pick<FeedStateStore, 'recordPage'> | undefined;
}

/**
 * A page the site's robots.txt keeps newswatch from, or one built by JavaScript (`needsJavaScript`,
 * whose reason starts "needs JavaScript"): a decision, not a failure, so never retried.
 */
export interface ScrapeSkipped {
  skipped: string;
  needsJavaScript?: true;
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
  assertHtmlPage(res.url, res.headers['content-type']);
  const html = decodeBody(res.body, res.headers['content-type']);
  const page = (yielded: PageYield) => deps.pages?.recordPage(feedId, deps.now(), item.link, yielded);
  let doc: ArticleDoc | undefined;
  let unread: unknown;
  try {
    // The page's canonical claim is believed only on its own site or the one its feed declares.
    doc = readArticle(html, res.url, { title: item.title, published: item.published, site: item.site });
  } catch (err) {
    if (!(err instanceof PermanentError && err.code === 'NW_PAGE_INVALID')) throw err;
    unread = err;
  }
  // A script shell reads to its title or to nothing: say so rather than analyse the title.
  const script = needsJavaScript(html, doc?.text ?? '', doc?.title ?? item.title);
  if (script) {
    await page({ text: false, needsJavaScript: true, reason: script });
    return { skipped: script, needsJavaScript: true };
  }
  if (!doc) {
    await page({ text: false, needsJavaScript: false, reason: 'no article text found' });
    throw unread;
  }
  await page({ text: true });
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
