// A news page to an ArticleDoc: title, dates, author, language and main text. Pure: the HTML is an
// argument; the scrape worker fetches and decodes it. Rules target Arabic and English news sites.
import { PermanentError } from '../errors';
import { chooseLang, declaredLangTag, isLdArticle, pageDates, pickDeclaredLang } from './article-dates';
import { collapse, mainText, removeNoise } from './article-text';
import { canonicalUrl } from './canonical-url';
import { limitDomDepth } from './dom-depth';
import { parseHtml } from './parse-html';
import { PageStats } from './node-stats';
import { metaValue, readPageFacts, textOf, type PageFacts } from './page-facts';
import { sameSite } from './site';
import type { ArticleDoc, ArticleHints } from './types';

export type { ArticleDoc, ArticleHints } from './types';

export function readArticle(html: string, url: string, hints: ArticleHints = {}): ArticleDoc {
  // Parsed no deeper than MAX_PARSE_DEPTH, then flattened to MAX_DOM_DEPTH keeping every word:
  // a page may nest 400,000 deep, which htmlparser2 alone takes minutes over.
  const $ = parseHtml(html);
  const root = $.root()[0]!;
  limitDomDepth(root);
  // Read everything that lives in headers and bylines before those are stripped as noise.
  const facts = readPageFacts(root);
  const ld = ldFacts(facts);
  const title = pickTitle(facts, ld.headline) || hints.title?.trim() || '';
  const canonical = pickCanonical(facts, url, hints.site);
  const author = ld.author ?? pickAuthor(facts);
  const declaredLang = pickDeclaredLang(facts);

  const stats = new PageStats(root);
  removeNoise($, stats);
  const { lines, opening } = mainText($, stats);
  const text = lines.join('\n');
  if (!text) throw new PermanentError('NW_PAGE_INVALID', `${url}: no article text found`);

  const dates = pageDates(facts, {
    urls: canonical === url ? [url] : [url, canonical],
    lang: declaredLangTag(facts),
    opening: () => opening,
    ...(hints.published ? { hint: hints.published } : {}),
  });
  const { published } = dates;

  return {
    url,
    canonicalUrl: canonical,
    title,
    ...(published ? { published: published.iso, publishedDay: published.day } : {}),
    ...(dates.modified ? { modified: dates.modified.iso } : {}),
    ...(author ? { author } : {}),
    lang: chooseLang(declaredLang, text),
    text,
  };
}

// ---- metadata -------------------------------------------------------------------------------

interface LdFacts {
  headline?: string;
  author?: string;
}

function ldFacts(facts: PageFacts): LdFacts {
  const articles = facts.ld.filter(isLdArticle);
  const node = articles.find((n) => n.datePublished) ?? articles[0];
  if (!node) return {};
  const headline = typeof node.headline === 'string' ? collapse(node.headline) : undefined;
  const author = personNames(node.author);
  return { ...(headline ? { headline } : {}), ...(author ? { author } : {}) };
}

function personNames(value: unknown): string | undefined {
  const names = ([] as unknown[])
    .concat(value ?? [])
    .map((a) => (typeof a === 'string' ? a : (a as { name?: unknown })?.name))
    .filter((n): n is string => typeof n === 'string' && n.trim() !== '' && !/^https?:/.test(n))
    .map(collapse);
  return names.length ? names.join(', ') : undefined;
}

function pickAuthor(facts: PageFacts): string | undefined {
  const meta = metaValue(facts, 'author', 'article:author');
  const fromMeta = meta && !/^https?:/.test(meta.trim()) ? collapse(meta) : undefined;
  const fromMarkup = facts.author ? collapse(textOf(facts.author)) : '';
  const author = fromMeta || fromMarkup;
  return author && author.length <= 120 ? author : undefined;
}

/**
 * The page's identity: its declared canonical URL (<link rel=canonical>, else og:url) when the
 * claim is one its site may make, else the address it was fetched from. Any page can name any
 * URL; believed across sites, a claim would make the real article of another site a "duplicate"
 * that is never analysed. So a claim counts only for a URL on the page's own site (registrable
 * domain) or on the site its feed declares. A saved page (a file: address) has no site to check:
 * its canonical link is the one record of where it came from.
 */
function pickCanonical(facts: PageFacts, url: string, feedSite: string | undefined): string {
  const declared = facts.canonical ?? metaValue(facts, 'og:url');
  if (declared) {
    try {
      const resolved = new URL(declared.trim(), url);
      const claim = resolved.toString();
      if (
        (resolved.protocol === 'http:' || resolved.protocol === 'https:') &&
        (!/^https?:/i.test(url) ||
          sameSite(claim, url) ||
          (feedSite !== undefined && sameSite(claim, feedSite)))
      )
        return canonicalUrl(claim);
    } catch {
      // An unusable canonical link falls back to the address we fetched.
    }
  }
  return canonicalUrl(url);
}

// ---- title ----------------------------------------------------------------------------------

const TITLE_SEPARATOR = /\s+[|\-–—:·•«»]{1,2}\s+/g;

function pickTitle(facts: PageFacts, ldHeadline: string | undefined): string {
  const siteName = collapse(metaValue(facts, 'og:site_name') ?? '');
  const candidates = [
    metaValue(facts, 'og:title'),
    metaValue(facts, 'twitter:title'),
    ldHeadline,
    facts.h1 ? textOf(facts.h1) : undefined,
    facts.title,
  ];
  for (const candidate of candidates) {
    const title = stripSiteName(collapse(candidate ?? ''), siteName);
    if (title) return title;
  }
  return '';
}

/** "Headline - Site", "Site | Headline": drop the site part, known by og:site_name or by being short. */
export function stripSiteName(title: string, siteName = ''): string {
  const parts = title.split(TITLE_SEPARATOR);
  if (parts.length < 2) return title;
  const site = siteName.toLowerCase();
  const first = parts[0]!;
  const last = parts[parts.length - 1]!;
  if (site && last.toLowerCase() === site)
    return title.slice(0, title.length - lastSeparatorLength(title, last));
  if (site && first.toLowerCase() === site) return title.slice(title.indexOf(parts[1]!, first.length));
  const words = (s: string) => s.split(/\s+/).filter(Boolean).length;
  const head = title.slice(0, title.length - lastSeparatorLength(title, last));
  return words(last) <= 4 && last.length <= 40 && words(head) >= 3 ? head : title;
}

function lastSeparatorLength(title: string, last: string): number {
  const matches = [...title.matchAll(TITLE_SEPARATOR)];
  const sep = matches[matches.length - 1]?.[0] ?? '';
  return sep.length + last.length;
}
