// A news page to an ArticleDoc: title, dates, author, language and main text. Pure: the HTML is an
// argument; the scrape worker fetches and decodes it. Rules target Arabic and English news sites.
import { load, type Cheerio, type CheerioAPI } from 'cheerio/slim';
import type { AnyNode, Element } from 'domhandler';
import { PermanentError } from '../errors';
import { canonicalUrl } from './canonical-url';
import type { ArticleDoc, ArticleHints } from './types';

export type { ArticleDoc, ArticleHints } from './types';

const NOISE_TAGS =
  'script, style, noscript, template, iframe, svg, canvas, nav, header, footer, aside, form, button, ' +
  'select, textarea, figcaption, [role=navigation], [role=banner], [role=contentinfo], [role=complementary], ' +
  '[hidden], [aria-hidden=true]';

// Matched against class and id words; share bars, comments and related links sit inside the article itself.
const NOISE_NAMES =
  /(?:^|[\s_-])(?:share|sharing|social|comments?|related|recommended|breadcrumbs?|newsletter|subscribe|subscription|ads?|advert\w*|promo\w*|sidebar|popular|most-read|trending|tags|widget|cookies?|outbrain|taboola|disqus|read-?more|also-read|byline|author-?bio|menu)(?:[\s_-]|$)/i;

const KEEP = 'html, body, main, article, [itemprop=articleBody]';

// Inline "read also" links that Arabic and English sites put between paragraphs.
const READ_ALSO = /^(?:اقرأ|إقرأ|اقرا)\s+(?:أيضا|أيضاً|ايضا|ايضاً)|^(?:read|see) (?:also|more)\b|^also read\b/i;

const DATE_HINT_ELEMENTS =
  '[class*=date], [class*=time], [class*=byline], [class*=publish], [class*=posted], [class*=dateline], [id*=date]';

export function readArticle(html: string, url: string, hints: ArticleHints = {}): ArticleDoc {
  const $ = load(html);
  const ld = readJsonLd($);

  // Read everything that lives in headers and bylines before those are stripped as noise.
  const title = pickTitle($, ld.headline) || hints.title?.trim() || '';
  const canonical = pickCanonical($, url);
  const author = ld.author ?? pickAuthor($);
  const published = ld.published ?? metaDate($, PUBLISHED_META) ?? timeElementDate($);
  const modified = ld.modified ?? metaDate($, MODIFIED_META);
  const bylineText = $(DATE_HINT_ELEMENTS)
    .slice(0, 20)
    .map((_, el) => $(el).text())
    .get()
    .join(' \n ');
  const declaredLang = pickDeclaredLang($);

  removeNoise($);
  const container = mainContainer($);
  const text = paragraphsOf($, container).join('\n');
  if (!text) throw new PermanentError('NW_PAGE_INVALID', `${url}: no article text found`);

  const textDate = published
    ? undefined
    : (firstDateInText(bylineText) ?? firstDateInText(blockText($, container).slice(0, 600)));
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

const PUBLISHED_META = [
  'meta[property="article:published_time"]',
  'meta[name="article:published_time"]',
  'meta[itemprop="datePublished"]',
  '[itemprop="datePublished"]',
  'meta[name="pubdate"]',
  'meta[name="publishdate"]',
  'meta[name="date"]',
  'meta[name="DC.date.issued"]',
  'meta[name="parsely-pub-date"]',
];
const MODIFIED_META = [
  'meta[property="article:modified_time"]',
  'meta[property="og:updated_time"]',
  'meta[itemprop="dateModified"]',
  '[itemprop="dateModified"]',
];

function metaDate($: CheerioAPI, selectors: string[]): string | undefined {
  for (const selector of selectors) {
    const el = $(selector).first();
    if (!el.length) continue;
    const value = el.attr('content') ?? el.attr('datetime') ?? el.text();
    const iso = value ? parseDate(value) : undefined;
    if (iso) return iso;
  }
  return undefined;
}

function timeElementDate($: CheerioAPI): string | undefined {
  // The article's own <time> comes before those of related-story teasers further down.
  const el = $('article time[datetime], time[pubdate][datetime], time[datetime]').first();
  const value = el.attr('datetime');
  return value ? parseDate(value) : undefined;
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

function pickDeclaredLang($: CheerioAPI): string | undefined {
  const raw =
    $('html').attr('lang') ??
    $('html').attr('xml:lang') ??
    $('meta[http-equiv="content-language" i]').attr('content');
  const primary = raw
    ?.trim()
    .split(/[-_,\s]/)[0]
    ?.toLowerCase();
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : undefined;
}

/** A declared lang is trusted unless the script says otherwise: CMS templates often keep lang="en" on Arabic pages. */
function chooseLang(declared: string | undefined, text: string): string {
  const share = arabicShare(text);
  if (declared === 'en' && share !== undefined && share > 0.6) return 'ar';
  if (declared === 'ar' && share !== undefined && share < 0.2) return 'en';
  if (declared) return declared;
  return share !== undefined && share > 0.5 ? 'ar' : 'en';
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

// ---- main text ------------------------------------------------------------------------------

function removeNoise($: CheerioAPI): void {
  $(NOISE_TAGS).not(KEEP).remove();
  // A wrapper named like noise ("post has-comments") can hold the story itself: keep those.
  $('[class], [id]')
    .not(KEEP)
    .not(':has(article, [itemprop=articleBody], main, h1)')
    .filter((_, el) => NOISE_NAMES.test(`${$(el).attr('class') ?? ''} ${$(el).attr('id') ?? ''}`))
    .remove();
}

/** [itemprop=articleBody] or <article> when it holds most of the page's paragraph text, else the densest container. */
function mainContainer($: CheerioAPI): Cheerio<AnyNode> {
  const paragraphText = (el: AnyNode) =>
    $(el)
      .find('p')
      .toArray()
      .reduce((n, p) => n + collapse($(p).text()).length, 0);

  // Readability's idea: a paragraph scores for its parent, and half for its grandparent.
  const score = new Map<Element, number>();
  $('p').each((_, p) => {
    const len = collapse($(p).text()).length;
    const parent = p.parent as Element | null;
    const grand = parent?.parent as Element | null | undefined;
    if (parent?.type === 'tag') score.set(parent, (score.get(parent) ?? 0) + len);
    if (grand?.type === 'tag') score.set(grand, (score.get(grand) ?? 0) + len / 2);
  });
  let densest: Element | undefined;
  for (const [el, s] of score) if (!densest || s > score.get(densest)!) densest = el;
  const densestText = densest ? paragraphText(densest) : 0;

  for (const selector of ['[itemprop="articleBody"]', 'article']) {
    const best = $(selector)
      .toArray()
      .map((el) => ({ el, n: paragraphText(el) }))
      .sort((a, b) => b.n - a.n)[0];
    if (best && best.n > 0 && best.n >= densestText * 0.5) return $(best.el);
  }
  if (densest) return $(densest);
  // No <p> at all (older agency sites break lines with <br>): the element with the most text of its own.
  let richest: { el: AnyNode; n: number } | undefined;
  $('div, section, td, article, main, body').each((_, el) => {
    const n = el.children.reduce((sum, c) => sum + (c.type === 'text' ? collapse(c.data).length : 0), 0);
    if (n > (richest?.n ?? 0)) richest = { el, n };
  });
  // htmlparser2 adds no <body> to a fragment, so the document root is the last resort.
  return richest ? $(richest.el) : $.root();
}

function paragraphsOf($: CheerioAPI, container: Cheerio<AnyNode>): string[] {
  const blocks = container.find('p').length ? container.find('p').toArray() : container.toArray();
  return blocks
    .flatMap((el) => blockText($, $(el)).split('\n'))
    .map(collapse)
    .filter((line) => line !== '' && !READ_ALSO.test(line));
}

const BLOCK_TAGS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'li',
  'ul',
  'ol',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'blockquote',
  'tr',
  'table',
  'dd',
  'dt',
  'pre',
  'br',
  'hr',
]);

/** Text with a line break wherever a block or <br> ends, since cheerio's .text() runs paragraphs together. */
function blockText($: CheerioAPI, root: Cheerio<AnyNode>): string {
  const out: string[] = [];
  const walk = (node: AnyNode) => {
    if (node.type === 'text') out.push((node as unknown as { data: string }).data);
    if (node.type !== 'tag' && node.type !== 'root') return; // comments, scripts, styles
    const block = node.type === 'tag' && BLOCK_TAGS.has((node as Element).name);
    if (block) out.push('\n');
    (node as Element).children.forEach(walk);
    if (block) out.push('\n');
  };
  root.toArray().forEach(walk);
  return out.join('');
}

function collapse(text: string): string {
  return text.replace(/[\s\u00a0\u200b\u200e\u200f]+/g, ' ').trim();
}

// ---- dates ----------------------------------------------------------------------------------
// Also used by parse-feed.ts for listing pages. Kept here while src/ingest holds only the files
// agreed for it; they are the natural content of an `article-dates.ts`.

const AR_MONTHS: Record<string, number> = {
  يناير: 1,
  فبراير: 2,
  مارس: 3,
  ابريل: 4,
  مايو: 5,
  يونيو: 6,
  يونيه: 6,
  يوليو: 7,
  يوليه: 7,
  اغسطس: 8,
  سبتمبر: 9,
  اكتوبر: 10,
  نوفمبر: 11,
  ديسمبر: 12,
  'كانون الثاني': 1,
  شباط: 2,
  اذار: 3,
  نيسان: 4,
  ايار: 5,
  حزيران: 6,
  تموز: 7,
  اب: 8,
  ايلول: 9,
  'تشرين الاول': 10,
  'تشرين الثاني': 11,
  'كانون الاول': 12,
};
const EN_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const EN_MONTH =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\.?';
const AR_MONTH = `(${Object.keys(AR_MONTHS)
  .sort((a, b) => b.length - a.length)
  .join('|')})`;
const NOT_LETTER_BEFORE = '(?<![\\p{L}\\p{N}])';
const NOT_LETTER_AFTER = '(?![\\p{L}\\p{N}])';

// Each pattern yields [year, month, day] from its groups; the earliest match in the text wins.
const TEXT_DATES: { re: RegExp; ymd: (m: RegExpExecArray) => [string, string | number, string] }[] = [
  { re: /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/u, ymd: (m) => [m[1]!, m[2]!, m[3]!] },
  { re: /(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)/u, ymd: (m) => dayFirst(m[3]!, m[2]!, m[1]!) },
  {
    re: new RegExp(`(?<!\\d)(\\d{1,2})\\s+(?:من\\s+)?${AR_MONTH}\\s*،?\\s*(\\d{4})(?!\\d)`, 'u'),
    ymd: (m) => [m[3]!, AR_MONTHS[m[2]!]!, m[1]!],
  },
  {
    re: new RegExp(`(?<!\\d)(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${EN_MONTH},?\\s+(\\d{4})(?!\\d)`, 'iu'),
    ymd: (m) => [m[3]!, enMonth(m[2]!), m[1]!],
  },
  {
    re: new RegExp(
      `${NOT_LETTER_BEFORE}${EN_MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?,?\\s+(\\d{4})${NOT_LETTER_AFTER}`,
      'iu',
    ),
    ymd: (m) => [m[3]!, enMonth(m[1]!), m[2]!],
  },
];

/** Gulf and Arab sites write day first; only an impossible month (> 12) says otherwise. */
function dayFirst(year: string, month: string, day: string): [string, string, string] {
  return Number(month) > 12 && Number(day) <= 12 ? [year, day, month] : [year, month, day];
}

const enMonth = (name: string): number => EN_MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;

/** Arabic-Indic digits to ASCII, and hamza/madda forms of alef folded, so one table covers spellings. */
function normaliseForDates(text: string): string {
  return text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[أإآ]/g, 'ا')
    .replace(/\u0640/g, '');
}

/** The first calendar date written in running text (a byline such as «في 2026/01/31»), as midnight UTC. */
export function firstDateInText(text: string): string | undefined {
  const normal = normaliseForDates(text);
  let best: { index: number; iso: string } | undefined;
  for (const { re, ymd } of TEXT_DATES) {
    const m = re.exec(normal);
    if (!m || (best && m.index >= best.index)) continue;
    const [y, mo, d] = ymd(m);
    const iso = isoFromParts(Number(y), Number(mo), Number(d));
    if (iso) best = { index: m.index, iso };
  }
  return best?.iso;
}

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T\s](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * A date from metadata or text, as an ISO string in UTC. A time without an offset is read as UTC:
 * the page's zone is unknown, and a result that depends on the server's zone would be worse.
 */
export function parseDate(value: string): string | undefined {
  const text = value.trim();
  const iso = ISO_DATE.exec(text);
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', zone] = iso;
    return isoFromParts(
      Number(y),
      Number(mo),
      Number(d),
      Number(h),
      Number(mi),
      Number(s),
      zoneMinutes(zone),
    );
  }
  // RFC 822 and similar, only when they carry a zone, so the server's own zone never leaks in.
  if (/(?:GMT|UTC|\b[+-]\d{4}\b|\bZ\b)/.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms) && inRange(new Date(ms).getUTCFullYear())) return new Date(ms).toISOString();
  }
  return firstDateInText(text);
}

function zoneMinutes(zone: string | undefined): number {
  if (!zone || zone.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return 0;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

const inRange = (year: number): boolean => year >= 1990 && year <= 2100;

function isoFromParts(
  y: number,
  mo: number,
  d: number,
  h = 0,
  mi = 0,
  s = 0,
  offsetMin = 0,
): string | undefined {
  if (!inRange(y) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const date = new Date(Date.UTC(y, mo - 1, d, h, mi, s));
  if (date.getUTCDate() !== d) return undefined; // 31 February
  return new Date(date.getTime() - offsetMin * 60_000).toISOString();
}

// ---- language -------------------------------------------------------------------------------

const ARABIC_LETTER =
  /[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]/gu;
const LATIN_LETTER = /[a-z\u00c0-\u024f]/giu;

/** Share of Arabic letters among Arabic and Latin letters; undefined when the text has neither. */
export function arabicShare(text: string): number | undefined {
  const arabic = text.match(ARABIC_LETTER)?.length ?? 0;
  const latin = text.match(LATIN_LETTER)?.length ?? 0;
  return arabic + latin === 0 ? undefined : arabic / (arabic + latin);
}
