// Feed text to items: RSS 0.9x/1.0/2.0 and Atom through rss-parser (on XML first repaired by feed-xml.ts with
// htmlparser2 in XML mode, and written back in the shape rss-parser reads), JSON Feed through a small schema,
// and HTML listing pages through CSS selectors. Takes text, never a URL to fetch; `feedUrl` only resolves
// relative links and names errors. Whatever is not a feed is rejected with what it is instead.
import Parser from 'rss-parser';
import { z } from 'zod';
import { PermanentError } from '../errors';
import { parseDate } from './article-dates';
import { limitDomDepth } from './dom-depth';
import { nodeText } from './dom-walk';
import { parseHtml } from './parse-html';
import { normaliseFeedXml } from './feed-xml';
import { sameSite } from './site';
import type { FeedItem, ListingSelectors } from './types';

/** Dates rss-parser does not turn into isoDate itself: Atom inside RSS, Dublin Core in Atom, Atom 0.3. */
const EXTRA_DATES = [
  'dc:date',
  'atom:published',
  'atom:updated',
  'atom:issued',
  'atom:modified',
  'dcterms:issued',
  'dcterms:created',
  'dcterms:modified',
  'issued',
  'modified',
  'created',
] as const;

type RssItem = Parser.Item &
  Partial<Record<(typeof EXTRA_DATES)[number], unknown>> & {
    id?: unknown;
    'dc:description'?: unknown;
    'rdf:about'?: unknown;
    date?: unknown;
    updated?: unknown;
  };

// defaultRSS: 2 reads an <rss> whose version is missing or odd as 2.0; rss-parser rejects it otherwise.
const parser = new Parser<Record<string, unknown>, RssItem>({
  defaultRSS: 2,
  customFields: { item: [...EXTRA_DATES, 'dc:description', 'updated'] },
});

export async function parseFeed(text: string, feedUrl: string): Promise<FeedItem[]> {
  const body = text.replace(/^[\uFEFF\s]+/, '');
  if (body === '') throw notAFeed(feedUrl, 'the document is empty');
  // Sniffed rather than taken from feeds.yml's type: sites switch formats behind the same URL.
  if (body.startsWith('{')) return parseJsonFeed(body, feedUrl);
  if (!body.startsWith('<')) {
    // eslint-disable-next-line no-control-regex -- control characters are what gives binary data away
    const binary = /[\u0000-\u0008\u000e-\u001f\ufffd]/.test(body.slice(0, 512));
    throw binary
      ? notAFeed(feedUrl, 'binary data, neither XML nor JSON')
      : notAFeed(
          feedUrl,
          `neither XML nor JSON: it starts with ${JSON.stringify(body.slice(0, 24))}`,
          'neither XML nor JSON',
        );
  }
  const root = rootElement(body);
  // A cut-off download is a fetch problem: named as such, not as whatever the XML parser trips on first.
  if (root && !isClosed(body, root))
    throw notAFeed(
      feedUrl,
      `truncated: the document ends before </${root}>`,
      'truncated: the document ends before its root element does',
    );
  const xml = normaliseFeedXml(body, feedUrl);
  if (xml.kind === 'atom' && !xml.rootHasElements) return [];
  if ((xml.kind === 'rss' || xml.kind === 'rdf') && !xml.hasChannel) {
    throw notAFeed(
      feedUrl,
      `a broken <${root}> document (it has no <channel> element)`,
      'an RSS or RDF document without a <channel> element',
    );
  }
  if (xml.broken !== undefined) {
    const { why, kind } = whatItIs(body, feedUrl, xml.broken);
    throw notAFeed(feedUrl, why, kind);
  }
  let feed: Parser.Output<RssItem>;
  try {
    feed = await parser.parseString(xml.xml);
  } catch (err) {
    const { why, kind } = whatItIs(body, feedUrl, err);
    throw notAFeed(feedUrl, why, kind, err);
  }
  // Relative item links are relative to the site the channel names (a feed is often served from
  // elsewhere, a CDN or feedburner), and to the feed's own address when the channel names none.
  const site = absoluteHttpUrl(asText(feed.link), feedUrl);
  const base = site ?? feedUrl;
  const items: FeedItem[] = [];
  for (const raw of feed.items ?? []) {
    const item = toFeedItem(
      {
        id: asText(raw.guid) ?? asText(raw.id) ?? asText(raw['rdf:about']),
        url: asText(raw.link),
        title: asText(raw.title),
        date: raw.isoDate ?? firstDate([raw.pubDate, raw.date, ...EXTRA_DATES.map((name) => raw[name])]),
        updated: firstDate([raw.updated, raw['atom:updated'], raw['dcterms:modified'], raw.modified]),
        summary: asText(raw.summary) ?? asText(raw.content) ?? asText(raw['dc:description']),
      },
      base,
      site,
    );
    if (item) items.push(item);
  }
  return items;
}

/**
 * rss-parser reads dates with `new Date()` only; feeds also write them in the site's language
 * («الأحد، 31 يناير 2026», «Seg, 24 Set 2018»), which the article date reader knows.
 */
function firstDate(values: unknown[]): string | undefined {
  for (const value of values) {
    const text = asText(value);
    const date = text && (parseDate(text) ?? isoDate(text));
    if (date) return date;
  }
  return undefined;
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

interface RawItem {
  id?: string | null | undefined;
  url?: string | null | undefined;
  title?: string | null | undefined;
  date?: Date | string | null | undefined;
  updated?: Date | string | null | undefined;
  summary?: string | null | undefined;
}

/** `site` is the site the feed declares, kept on the item when the link is elsewhere (FeedItem.site). */
function toFeedItem(raw: RawItem, feedUrl: string, site?: string): FeedItem | undefined {
  const guid = raw.id?.trim() || undefined;
  // A guid that is itself a web address is the permalink (RSS 2.0 isPermaLink defaults to true).
  const link = absoluteHttpUrl(raw.url?.trim(), feedUrl) ?? absoluteHttpUrl(guid, feedUrl, true);
  if (!link) return undefined;
  const published = isoDate(raw.date);
  // Kept only beside another date: an item dated by its update alone has that as `published`.
  const updated = isoDate(raw.updated);
  const summary = raw.summary ? collapse(htmlText(raw.summary)) : '';
  return {
    guid: guid ?? link,
    link,
    title: collapse(htmlText(raw.title ?? '')),
    ...(published ? { published } : {}),
    ...(updated && published && updated !== published ? { updated } : {}),
    ...(summary ? { summary } : {}),
    ...(site && !sameSite(site, link) ? { site } : {}),
  };
}

// JSON Feed 1.0/1.1 (jsonfeed.org). Items are read leniently, like XML items: a malformed field is dropped,
// not the feed; only a document that is not a JSON Feed at all is rejected.
const optionalText = z.string().optional().catch(undefined);
const jsonFeedSchema = z.object({
  version: z.string().regex(/^https?:\/\/jsonfeed\.org\/version\/1(\.\d+)?$/),
  home_page_url: optionalText,
  items: z.array(
    z
      .object({
        id: z
          .union([z.string(), z.number().transform(String)])
          .optional()
          .catch(undefined),
        url: optionalText,
        external_url: optionalText,
        title: optionalText,
        summary: optionalText,
        content_text: optionalText,
        date_published: optionalText,
        date_modified: optionalText,
      })
      .catch({}),
  ),
});

function parseJsonFeed(body: string, feedUrl: string): FeedItem[] {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw notAFeed(
      feedUrl,
      `JSON that does not parse (${(err as Error).message})`,
      'JSON that does not parse',
      err,
    );
  }
  const parsed = jsonFeedSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || 'document';
    throw notAFeed(
      feedUrl,
      `JSON but not a JSON Feed: ${field}: ${issue?.message ?? 'invalid'}`,
      'JSON but not a JSON Feed',
    );
  }
  const site = absoluteHttpUrl(parsed.data.home_page_url, feedUrl);
  return parsed.data.items.flatMap((raw) => {
    const item = toFeedItem(
      {
        id: raw.id,
        url: raw.url ?? raw.external_url,
        title: raw.title,
        date: raw.date_published ?? raw.date_modified,
        updated: raw.date_modified,
        summary: raw.summary ?? raw.content_text,
      },
      feedUrl,
      site,
    );
    return item ? [item] : [];
  });
}

/**
 * Why a document that does not parse as a feed is not one, in words an operator can act on, and
 * what kind of document it is in words that quote nothing of it (FeedInvalidError.kind).
 */
function whatItIs(body: string, feedUrl: string, err: unknown): { why: string; kind: string } {
  const root = rootElement(body);
  if (/^(html|head|body)$/i.test(root ?? '') || /^<!doctype\s+html/i.test(body)) {
    const $ = parseHtml(body);
    const advertised = $('link[rel~="alternate"][href]')
      .filter((_, el) => /(rss|atom|rdf|feed\+json)/i.test($(el).attr('type') ?? ''))
      .map((_, el) => absoluteHttpUrl($(el).attr('href'), feedUrl))
      .get()
      .filter(Boolean);
    return advertised.length > 0
      ? {
          why: `an HTML page; the page names its feed: ${advertised[0]}`,
          kind: 'an HTML page, which names a feed of its own in a <link rel="alternate">',
        }
      : { why: 'an HTML page', kind: 'an HTML page' };
  }
  if (root && !/^([\w.-]+:)?(rss|feed|rdf)$/i.test(root)) {
    return {
      why: `XML with the root element <${root}> (a feed's is <rss>, <rdf:RDF> or <feed>)`,
      kind: "XML, but its root element is not a feed's (<rss>, <rdf:RDF> or <feed>)",
    };
  }
  const reason = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return root
    ? { why: `a broken <${root}> document (${reason})`, kind: 'a broken RSS, RDF or Atom document' }
    : { why: `not well-formed XML (${reason})`, kind: 'not well-formed XML' };
}

/** The first element name after the XML declaration, comments, processing instructions and doctype. */
function rootElement(body: string): string | undefined {
  const rest = body.replace(
    /^(\s*(<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>))*/i,
    '',
  );
  return /^\s*<([A-Za-z_][\w.:-]*)/.exec(rest)?.[1];
}

function isClosed(body: string, root: string): boolean {
  const name = root.replace(/[.]/g, '\\.');
  return (
    new RegExp(`</${name}\\s*>`, 'i').test(body) || new RegExp(`^[^]*?<${name}\\b[^>]*/>`, 'i').test(body)
  );
}

/**
 * A document that is no feed. The message says why, quoting the document where that helps (its
 * first characters, its root element, the parser's complaint); `kind` says what it is without
 * quoting anything of it, for whoever must not read the document through us (the feed probe).
 */
export class FeedInvalidError extends PermanentError {
  constructor(
    readonly url: string,
    why: string,
    readonly kind: string,
    cause?: unknown,
  ) {
    // Named PermanentError still: logs and the queue know it by that name.
    super('NW_FEED_INVALID', `${url}: not a feed: ${why}`, { cause });
  }
}

function notAFeed(feedUrl: string, why: string, kind = why, cause?: unknown): FeedInvalidError {
  return new FeedInvalidError(feedUrl, why, kind, cause);
}

/** Items of an HTML listing page, one per distinct link, in page order. */
export function parseHtmlListing(html: string, pageUrl: string, selectors: ListingSelectors): FeedItem[] {
  const $ = parseHtml(html);
  // The selector engine and the text reads below must not meet a page nested 20,000 deep.
  limitDomDepth($.root()[0]!);
  const text = (el: ReturnType<typeof $>) =>
    el
      .toArray()
      .map((n) => nodeText(n))
      .join('');
  const seen = new Set<string>();
  const items: FeedItem[] = [];
  $(selectors.item).each((_, el) => {
    const item = $(el);
    const anchor = item.is(selectors.link) ? item : item.find(selectors.link).first();
    const link = absoluteHttpUrl(anchor.attr('href'), pageUrl);
    if (!link || seen.has(link)) return;
    seen.add(link);
    const titleEl = selectors.title ? item.find(selectors.title).first() : anchor;
    const title = collapse(text(titleEl) || anchor.attr('title') || text(anchor));
    const dateEl = selectors.date ? item.find(selectors.date).first() : undefined;
    const published = dateEl ? parseDate(dateEl.attr('datetime') ?? text(dateEl)) : undefined;
    items.push({ guid: link, link, title, ...(published ? { published } : {}) });
  });
  return items;
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

function isoDate(value: Date | string | null | undefined): string | undefined {
  if (!value) return undefined;
  const time = value instanceof Date ? value.getTime() : Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}

// Block-level tags separate words; inline ones (`ft<sup>2</sup>`, `<b>NATO</b>`) do not.
const BLOCK_TAG =
  /<\/?(?:p|div|br|hr|li|ul|ol|h[1-6]|tr|td|th|table|blockquote|section|article|figure)\b[^>]*>/gi;

/**
 * Titles and summaries are HTML in practice, escaped once or twice (`Beyonc&#233;`, `&lt;b&gt;`).
 * A title of 20,000 nested <b> is flattened and read without recursion: it keeps its words, and
 * the feed's other items are not lost to a stack overflow.
 */
function htmlText(html: string): string {
  if (!/[<&]/.test(html)) return html;
  const root = parseHtml(html.replace(BLOCK_TAG, ' ')).root()[0]!;
  limitDomDepth(root);
  return nodeText(root);
}
const collapse = (text: string): string => text.replace(/\s+/g, ' ').trim();
