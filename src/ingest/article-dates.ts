// Date and language rules for pages and feeds: publication dates from metadata and running text
// (Arabic and English month names, Arabic-Indic digits) as ISO UTC, and the page language by script.
import type { CheerioAPI } from 'cheerio/slim';

// ---- dates in metadata ----------------------------------------------------------------------

/** The publication date a page declares in meta tags, microdata or its first <time>, as ISO UTC. */
export function declaredPublished($: CheerioAPI): string | undefined {
  return metaDate($, PUBLISHED_META) ?? timeElementDate($);
}

/** The modification date a page declares in meta tags or microdata, as ISO UTC. */
export function declaredModified($: CheerioAPI): string | undefined {
  return metaDate($, MODIFIED_META);
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

// ---- dates in text -------------------------------------------------------------------------

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

export function pickDeclaredLang($: CheerioAPI): string | undefined {
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
export function chooseLang(declared: string | undefined, text: string): string {
  const share = arabicShare(text);
  if (declared === 'en' && share !== undefined && share > 0.6) return 'ar';
  if (declared === 'ar' && share !== undefined && share < 0.2) return 'en';
  if (declared) return declared;
  return share !== undefined && share > 0.5 ? 'ar' : 'en';
}

const ARABIC_LETTER =
  /[\u0620-\u064a\u066e-\u06d3\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufefc]/gu;
const LATIN_LETTER = /[a-z\u00c0-\u024f]/giu;

/** Share of Arabic letters among Arabic and Latin letters; undefined when the text has neither. */
export function arabicShare(text: string): number | undefined {
  const arabic = text.match(ARABIC_LETTER)?.length ?? 0;
  const latin = text.match(LATIN_LETTER)?.length ?? 0;
  return arabic + latin === 0 ? undefined : arabic / (arabic + latin);
}
