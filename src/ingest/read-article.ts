// A news page to an ArticleDoc: title, dates, author, language and main text. Pure: the HTML is an
// argument; the scrape worker fetches and decodes it. Rules target Arabic and English news sites.
import { load, type CheerioAPI } from 'cheerio/slim';
import { PermanentError } from '../errors';
import {
  chooseLang,
  declaredModified,
  declaredPublished,
  firstDateInText,
  parseDate,
  pickDeclaredLang,
} from './article-dates';
import { collapse, mainText, removeNoise } from './article-text';
import { canonicalUrl } from './canonical-url';
import type { ArticleDoc, ArticleHints } from './types';

export type { ArticleDoc, ArticleHints } from './types';

const DATE_HINT_ELEMENTS =
  '[class*=date], [class*=time], [class*=byline], [class*=publish], [class*=posted], [class*=dateline], [id*=date]';

export function readArticle(html: string, url: string, hints: ArticleHints = {}): ArticleDoc {
  const $ = load(html);
  const ld = readJsonLd($);

  // Read everything that lives in headers and bylines before those are stripped as noise.
  const title = pickTitle($, ld.headline) || hints.title?.trim() || '';
  const canonical = pickCanonical($, url);
  const author = ld.author ?? pickAuthor($);
  const published = ld.published ?? declaredPublished($);
  const modified = ld.modified ?? declaredModified($);
  const bylineText = $(DATE_HINT_ELEMENTS)
    .slice(0, 20)
    .map((_, el) => $(el).text())
    .get()
    .join(' \n ');
  const declaredLang = pickDeclaredLang($);

  removeNoise($);
  const { lines, opening } = mainText($);
  const text = lines.join('\n');
  if (!text) throw new PermanentError('NW_PAGE_INVALID', `${url}: no article text found`);

  const textDate = published ? undefined : (firstDateInText(bylineText) ?? firstDateInText(opening));
  const publishedIso = published ?? textDate ?? (hints.published ? parseDate(hints.published) : undefined);

  return {
    url,
    canonicalUrl: canonical,
    title,
    ...(publishedIso ? { published: publishedIso } : {}),
    ...(modified ? { modified } : {}),
    ...(author ? { author } : {}),
    lang: chooseLang(declaredLang, text),
    text,
  };
}

// ---- metadata -------------------------------------------------------------------------------

interface LdFacts {
  headline?: string;
  published?: string;
  modified?: string;
  author?: string;
}

const LD_ARTICLE =
  /^(?:News|Reportage|Analysis|Opinion|Background|Report)?Article$|^(?:BlogPosting|LiveBlogPosting)$/;

function readJsonLd($: CheerioAPI): LdFacts {
  const nodes: Record<string, unknown>[] = [];
  $('script[type="application/ld+json"]').each((_, el) => {
    const raw = $(el)
      .text()
      .replace(/^\s*<!--|-->\s*$/g, '');
    try {
      collectArticles(JSON.parse(raw), nodes);
    } catch {
      // A broken JSON-LD block is common; the other signals still work.
    }
  });
  const node = nodes.find((n) => n.datePublished) ?? nodes[0];
  if (!node) return {};
  const published = typeof node.datePublished === 'string' ? parseDate(node.datePublished) : undefined;
  const modified = typeof node.dateModified === 'string' ? parseDate(node.dateModified) : undefined;
  const headline = typeof node.headline === 'string' ? collapse(node.headline) : undefined;
  const author = personNames(node.author);
  return {
    ...(headline ? { headline } : {}),
    ...(published ? { published } : {}),
    ...(modified ? { modified } : {}),
    ...(author ? { author } : {}),
  };
}

function collectArticles(value: unknown, out: Record<string, unknown>[]): void {
  if (Array.isArray(value)) {
    for (const v of value) collectArticles(v, out);
    return;
  }
  if (!value || typeof value !== 'object') return;
  const node = value as Record<string, unknown>;
  const types = ([] as unknown[]).concat(node['@type'] ?? []);
  if (types.some((t) => typeof t === 'string' && LD_ARTICLE.test(t))) out.push(node);
  if (node['@graph']) collectArticles(node['@graph'], out);
  if (node.mainEntity) collectArticles(node.mainEntity, out);
}

function personNames(value: unknown): string | undefined {
  const names = ([] as unknown[])
    .concat(value ?? [])
    .map((a) => (typeof a === 'string' ? a : (a as { name?: unknown })?.name))
    .filter((n): n is string => typeof n === 'string' && n.trim() !== '' && !/^https?:/.test(n))
    .map(collapse);
  return names.length ? names.join(', ') : undefined;
}

function pickAuthor($: CheerioAPI): string | undefined {
  const meta =
    $('meta[name="author"]').attr('content') ?? $('meta[property="article:author"]').attr('content');
  const fromMeta = meta && !/^https?:/.test(meta.trim()) ? collapse(meta) : undefined;
  const fromMarkup = collapse(
    $('[itemprop="author"] [itemprop="name"], [rel="author"], [itemprop="author"]').first().text(),
  );
  const author = fromMeta || fromMarkup;
  return author && author.length <= 120 ? author : undefined;
}

function pickCanonical($: CheerioAPI, url: string): string {
  const declared = $('link[rel~="canonical"]').attr('href') ?? $('meta[property="og:url"]').attr('content');
  if (declared) {
    try {
      const resolved = new URL(declared.trim(), url);
      if (resolved.protocol === 'http:' || resolved.protocol === 'https:')
        return canonicalUrl(resolved.toString());
    } catch {
      // An unusable canonical link falls back to the address we fetched.
    }
  }
  return canonicalUrl(url);
}

// ---- title ----------------------------------------------------------------------------------

const TITLE_SEPARATOR = /\s+[|\-–—:·•«»]{1,2}\s+/g;

function pickTitle($: CheerioAPI, ldHeadline: string | undefined): string {
  const siteName = collapse($('meta[property="og:site_name"]').attr('content') ?? '');
  const pageH1 = $('h1')
    .filter((_, el) => !$(el).closest('nav, [role=banner]').length)
    .filter((_, el) => !$(el).closest('header').length || $(el).closest('article, main').length > 0)
    .first()
    .text();
  const candidates = [
    $('meta[property="og:title"]').attr('content'),
    $('meta[name="twitter:title"]').attr('content'),
    ldHeadline,
    pageH1,
    $('title').first().text(),
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
