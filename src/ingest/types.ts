// The data the ingest stage hands on: feed items (from a feed or a listing page) and read articles.

/** One entry of a feed. `link` is absolute; `guid` defaults to the link when the feed gives none. */
export interface FeedItem {
  guid: string;
  link: string;
  title: string;
  /** ISO 8601, UTC. */
  published?: string;
  /** When the feed says the item last changed (Atom `updated`, `dcterms:modified`), if not `published`. */
  updated?: string;
  summary?: string;
  /**
   * The site the feed declares (its channel link, a JSON Feed's home_page_url), when it is not the
   * link's own: a page may claim a canonical URL there as well as on its own site.
   */
  site?: string;
}

/** CSS selectors for a `type: html` listing page; link, title and date are looked up inside each item. */
export interface ListingSelectors {
  item: string;
  link: string;
  title?: string;
  date?: string;
}

/** What the scrape stage keeps of a page. Dates are ISO 8601 in UTC. */
export interface ArticleDoc {
  url: string;
  canonicalUrl: string;
  title: string;
  published?: string;
  /** The day of `published` as the page dates itself, in its own zone (YYYY-MM-DD). */
  publishedDay?: string;
  modified?: string;
  author?: string;
  /** 'ar', 'en', or another primary language subtag declared by the page. */
  lang: string;
  /** Main text, one paragraph per line. */
  text: string;
}

export interface ArticleHints {
  title?: string;
  published?: string;
  /** The site the page's feed declares (FeedItem.site): its canonical claims there are believed too. */
  site?: string | undefined;
}
