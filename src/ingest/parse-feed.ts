// Feed text to items: RSS 0.9x/2.0, RDF and Atom through rss-parser, and HTML listing pages through
// CSS selectors. Takes text, never a URL to fetch; `feedUrl` only resolves relative links and names errors.
import { load } from 'cheerio/slim';
import Parser from 'rss-parser';
import { PermanentError } from '../errors';
import { parseDate } from './article-dates';
import type { FeedItem, ListingSelectors } from './types';

// defaultRSS: 2 reads an <rss> whose version is missing or odd as 2.0; rss-parser rejects it otherwise.
const parser = new Parser({ defaultRSS: 2 });

type RawItem = Parser.Item & { id?: unknown; 'rdf:about'?: unknown };

export async function parseFeed(xml: string, feedUrl: string): Promise<FeedItem[]> {
  let feed: Parser.Output<RawItem>;
  try {
    feed = await parser.parseString(xml);
  } catch (err) {
    const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
    throw new PermanentError('NW_FEED_INVALID', `${feedUrl}: not a feed (${reason})`, { cause: err });
  }
  const items: FeedItem[] = [];
  for (const raw of feed.items ?? []) {
    const item = toFeedItem(raw, feedUrl);
    if (item) items.push(item);
  }
  return items;
}

function toFeedItem(raw: RawItem, feedUrl: string): FeedItem | undefined {
  const guid = asText(raw.guid) ?? asText(raw.id) ?? asText(raw['rdf:about']);
  // A guid that is itself a web address is the permalink (RSS 2.0 isPermaLink defaults to true).
  const link = absoluteHttpUrl(asText(raw.link), feedUrl) ?? absoluteHttpUrl(guid, feedUrl, true);
  if (!link) return undefined;
  const summary = asText(raw.contentSnippet) ?? (raw.summary ? stripTags(raw.summary) : undefined);
  return {
    guid: guid ?? link,
    link,
    title: collapse(asText(raw.title) ?? ''),
    ...(raw.isoDate ? { published: raw.isoDate } : {}),
    ...(summary ? { summary: collapse(summary) } : {}),
  };
}

/** Items of an HTML listing page, one per distinct link, in page order. */
export function parseHtmlListing(html: string, pageUrl: string, selectors: ListingSelectors): FeedItem[] {
  const $ = load(html);
  const seen = new Set<string>();
  const items: FeedItem[] = [];
  $(selectors.item).each((_, el) => {
    const item = $(el);
    const anchor = item.is(selectors.link) ? item : item.find(selectors.link).first();
    const link = absoluteHttpUrl(anchor.attr('href'), pageUrl);
    if (!link || seen.has(link)) return;
    seen.add(link);
    const titleEl = selectors.title ? item.find(selectors.title).first() : anchor;
    const title = collapse(titleEl.text() || anchor.attr('title') || anchor.text());
    const dateEl = selectors.date ? item.find(selectors.date).first() : undefined;
    const published = dateEl ? parseDate(dateEl.attr('datetime') ?? dateEl.text()) : undefined;
    items.push({ guid: link, link, title, ...(published ? { published } : {}) });
  });
  return items;
}

function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim() || undefined;
  // An element with attributes arrives from xml2js as {_: text, $: attrs}; a link may only have href.
  if (value && typeof value === 'object') {
    const v = value as { _?: unknown; $?: { href?: unknown } };
    if (typeof v._ === 'string') return v._.trim() || undefined;
    if (typeof v.$?.href === 'string') return v.$.href.trim() || undefined;
  }
  return undefined;
}

function absoluteHttpUrl(href: string | undefined, base: string, mustBeAbsolute = false): string | undefined {
  if (!href) return undefined;
  try {
    const url = mustBeAbsolute ? new URL(href) : new URL(href, base);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.toString() : undefined;
  } catch {
    return undefined;
  }
}

const stripTags = (html: string): string => html.replace(/<[^>]*>/g, ' ');
const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();
