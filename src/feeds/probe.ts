// Before a feed is added at run time its URL is tried once: fetched, parsed as the poll stage
// would parse it, and described (type, newest items, language), so a page that is no feed is
// refused with the reason instead of failing at every poll.
import { decodeBody } from '../ingest/decode';
import { atPrivateAddress, type FetchedResource } from '../ingest/fetch';
import { FeedInvalidError, parseFeed, parseHtmlListing } from '../ingest/parse-feed';
import { ALLOW_SETTING } from '../ingest/ssrf';
import type { FeedItem, ListingSelectors } from '../ingest/types';
import { listingSelectorProblem } from './listing-check';
import type { FeedDefinition } from './schema';
import { languageOfTitles, PROBE_ITEMS, type ProbeResult } from './runtime';

export type ProbeFetch = (url: string, opts: { accept: string }) => Promise<FetchedResource>;

/**
 * The URL is no feed newswatch can read; `reason` says what it is instead, or why it failed.
 * `field` is the input at fault: the URL, or the selector of a listing page that finds nothing.
 */
export class ProbeError extends Error {
  constructor(
    readonly url: string,
    readonly reason: string,
    readonly field: string = 'url',
  ) {
    super(field === 'url' ? `${url}: ${reason}` : reason);
    this.name = 'ProbeError';
  }
}

/**
 * The one answer for every failure at a private address, refused by the guard or reached and
 * failing in any way: whoever can add a feed must not learn from the probe which private
 * addresses and ports are open, closed or allowed, nor read what answers there.
 */
export const PRIVATE_ADDRESS_REASON =
  `not added: it is, or it leads to, a private address, and the probe does not say what it found ` +
  `there; if it is meant to be fetched, allow that address with its port in ${ALLOW_SETTING} ` +
  `(e.g. 10.0.0.7:8080), and the probe will say why it is not a feed`;

const FEED_ACCEPT =
  'application/rss+xml, application/atom+xml, application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5';

export async function probeFeed(
  fetch: ProbeFetch,
  url: string,
  selectors: ListingSelectors | undefined,
  now: Date,
): Promise<ProbeResult> {
  let res: FetchedResource;
  try {
    res = await fetch(url, { accept: selectors ? 'text/html' : FEED_ACCEPT });
  } catch (err) {
    if (atPrivateAddress(err)) throw new ProbeError(url, PRIVATE_ADDRESS_REASON);
    throw new ProbeError(url, `could not be fetched: ${withoutUrl((err as Error).message, url)}`);
  }
  const text = decodeBody(res.body, res.headers['content-type']);
  // Every selector must find something, and the one that does not is named beside its field.
  const problem = selectors ? listingSelectorProblem(text, res.url, selectors) : undefined;
  if (problem) {
    if (atPrivateAddress(res)) throw new ProbeError(url, PRIVATE_ADDRESS_REASON);
    throw new ProbeError(url, problem.message, problem.field);
  }
  let items: FeedItem[];
  try {
    items = selectors ? parseHtmlListing(text, res.url, selectors) : await parseFeed(text, res.url);
  } catch (err) {
    if (atPrivateAddress(res)) throw new ProbeError(url, PRIVATE_ADDRESS_REASON);
    // What the document is, never a quote of it: the probe must not be a way to read pages.
    throw new ProbeError(url, err instanceof FeedInvalidError ? `not a feed: ${err.kind}` : 'not a feed');
  }
  if (selectors && items.length === 0) {
    if (atPrivateAddress(res)) throw new ProbeError(url, PRIVATE_ADDRESS_REASON);
    throw new ProbeError(url, `no item on the page matches the selectors (item: ${selectors.item})`);
  }
  return {
    type: selectors ? 'html' : feedTypeOf(text),
    newest: newestFirst(items).slice(0, PROBE_ITEMS),
    itemCount: items.length,
    language: languageOfTitles(items.map((i) => i.title)),
    at: now.toISOString(),
  };
}

/**
 * The type recorded for a parsed feed. It is informative: the poll stage sniffs RSS, Atom, RDF and
 * JSON Feed from the document itself, and only `html` changes how a feed is read.
 */
export function feedTypeOf(text: string): FeedDefinition['type'] {
  // parseFeed reads a document starting with `{` as a JSON Feed, or refuses it.
  if (text.replace(/^[\uFEFF\s]+/, '').startsWith('{')) return 'json';
  const root = /<(rss|feed|(?:\w+:)?RDF)[\s>/]/i.exec(text)?.[1]?.toLowerCase();
  if (root === 'feed') return 'atom';
  if (root?.endsWith('rdf')) return 'rdf';
  return 'rss';
}

function newestFirst(items: FeedItem[]): FeedItem[] {
  // Undated items keep their feed order after the dated ones: feeds list newest first by habit.
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => (b.item.published ?? '').localeCompare(a.item.published ?? '') || a.index - b.index)
    .map(({ item }) => item);
}

/** Errors of the ingest functions start with the URL, which the operator already sees. */
function withoutUrl(message: string, url: string): string {
  return message.startsWith(`${url}: `) ? message.slice(url.length + 2) : message;
}
