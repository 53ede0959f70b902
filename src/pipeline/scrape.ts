// The scrape stage: fetch an item's page and read it into an article. The same article
// reached through two feeds (one canonical URL) is kept once.
import type { ArticleInput } from '../domain/types';
import { decodeBody } from '../ingest/decode';
import { readArticle } from '../ingest/read-article';
import type { FeedItem } from '../ingest/types';
import { hashKey, type ArticleStore } from '../store/articles';
import type { PageFetcher } from './poll';

export interface ScrapeDeps {
  articles: ArticleStore;
  fetch: PageFetcher;
  now: () => Date;
}

/** The article, or undefined when its canonical URL was scraped before under another link. */
export async function scrapeItem(
  deps: ScrapeDeps,
  feedId: string,
  item: FeedItem,
): Promise<ArticleInput | undefined> {
  const res = await deps.fetch(item.link, { accept: 'text/html,application/xhtml+xml' });
  const html = decodeBody(res.body, res.headers['content-type']);
  const doc = readArticle(html, res.url, { title: item.title, published: item.published });
  if (doc.canonicalUrl !== item.link && !(await deps.articles.markSeen([`article:${doc.canonicalUrl}`]))) {
    return undefined;
  }
  const article: ArticleInput = {
    id: `ar_${hashKey(doc.canonicalUrl)}`,
    url: doc.canonicalUrl,
    title: doc.title,
    published: doc.published ?? item.published ?? deps.now().toISOString(),
    lang: doc.lang,
    text: doc.text,
    feedId,
  };
  await deps.articles.save(article);
  return article;
}
