// Why an HTML listing page yields no items with the selectors an operator typed, naming the
// selector at fault (`selectors.item`, `selectors.link`, ...), so the dashboard form, the CLI and the
// API can say which field to change. Pure: the page's text in, the first problem out. The
// selectors are looked up as parseHtmlListing looks them up (src/ingest/parse-feed.ts).
import type { CheerioAPI } from 'cheerio/slim';
import { limitDomDepth } from '../ingest/dom-depth';
import { parseHtml } from '../ingest/parse-html';
import type { ListingSelectors } from '../ingest/types';

export interface SelectorProblem {
  field: `selectors.${keyof ListingSelectors}`;
  message: string;
}

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;

/** A selector cheerio cannot parse throws; the operator is told which one, and not a stack. */
function unparsable($: CheerioAPI, selector: string): boolean {
  try {
    $.root().find(selector);
    return false;
  } catch {
    return true;
  }
}

/**
 * The first selector that finds nothing: one cheerio cannot parse, an item selector matching
 * nothing on the page, a link selector finding no http(s) link inside any item, or a title or
 * date selector matching nothing inside any item. Undefined when every selector finds something.
 */
export function listingSelectorProblem(
  html: string,
  pageUrl: string,
  selectors: ListingSelectors,
): SelectorProblem | undefined {
  const $ = parseHtml(html);
  limitDomDepth($.root()[0]!);
  const given = (['item', 'link', 'title', 'date'] as const).filter((k) => selectors[k] !== undefined);
  for (const key of given) {
    if (unparsable($, selectors[key]!))
      return {
        field: `selectors.${key}`,
        message: `${JSON.stringify(selectors[key])} is not a CSS selector`,
      };
  }
  const items = $(selectors.item).toArray();
  if (items.length === 0)
    return {
      field: 'selectors.item',
      message: `${JSON.stringify(selectors.item)} matches nothing on the page`,
    };
  const linked = items.filter((el) => {
    const item = $(el);
    const anchor = item.is(selectors.link) ? item : item.find(selectors.link).first();
    return isHttpLink(anchor.attr('href'), pageUrl);
  });
  if (linked.length === 0)
    return {
      field: 'selectors.link',
      message: `${JSON.stringify(selectors.link)} finds no link (an element with an http(s) href) in the ${plural(items.length, 'item')} ${JSON.stringify(selectors.item)} matches`,
    };
  for (const key of ['title', 'date'] as const) {
    const selector = selectors[key];
    if (selector === undefined) continue;
    if (!linked.some((el) => $(el).find(selector).length > 0))
      return {
        field: `selectors.${key}`,
        message: `${JSON.stringify(selector)} matches nothing inside the ${plural(linked.length, 'item')} found`,
      };
  }
  return undefined;
}

function isHttpLink(href: string | undefined, base: string): boolean {
  if (!href) return false;
  try {
    const { protocol } = new URL(href, base);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
