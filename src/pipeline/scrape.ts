// The scrape stage: fetch an item's page and read it into an article. The same article reached
// through two feeds (one canonical URL) or republished under another URL (one main text) is kept once.
import { fingerprintText } from '../domain/fingerprint';
import type { ArticleInput } from '../domain/types';
import { canonicalUrl } from '../ingest/canonical-url';
import { decodeBody } from '../ingest/decode';
import type { FetchedResource } from '../ingest/fetch';
import { assertHtmlPage } from '../ingest/page-type';
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

/** The article, or undefined when it is a copy of one scraped before (same canonical URL or main text). */
export async function scrapeItem(
  deps: ScrapeDeps,
  feedId: string,
  item: FeedItem,
): Promise<ArticleInput | ScrapeSkipped | undefined> {
  let res: FetchedResource;
  try {
    res = await deps.fetch(item.link, { accept: 'text/html,application/xhtml+xml', robots: true });
  } catch (err) {
    if (err instanceof RobotsDisallowedError) return { skipped: err.reason };
    throw err;
  }
  assertHtmlPage(res.url, res.headers['content-type']);
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
  const article: ArticleInput = {
    id,
    url: doc.canonicalUrl,
    title: doc.title,
    published: doc.published ?? item.published ?? deps.now().toISOString(),
    publishedDay: doc.published ? doc.publishedDay : undefined,
    lang: doc.lang,
    text: doc.text,
    feedId,
  };
  await deps.articles.save(article);
  return article;
}
