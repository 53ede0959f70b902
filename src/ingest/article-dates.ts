// When a page was published and modified, from everything it says about it: JSON-LD, meta tags of
// the many vocabularies in use (Open Graph, Dublin Core, Parse.ly, Sailthru, ...), microdata,
// <time>, the URL, bylines and the opening line. And the page language, by declaration and script.
import { daysBetween, dayStamp, findTextDate, parseStamp, urlDay, type Stamp } from './date-text';
import { metaValue, textOf, type PageFacts } from './page-facts';

export { firstDateInText, parseDate, type Stamp } from './date-text';

export interface PageDates {
  published?: Stamp;
  modified?: Stamp;
}

export interface DateClues {
  /** The address the page was read from, and the one it calls canonical. */
  urls: string[];
  lang?: string;
  /** The story's opening text, where agencies put a dateline. */
  opening: () => string;
  /** The date the feed gave the item: below every date the page gives, above its lead image's path. */
  hint?: string;
}

// Lower-cased keys of <meta> name, property or itemprop, most specific first.
const PUBLISHED_META = [
  'article:published_time',
  'og:article:published_time',
  'og:published_time',
  'article:published',
  'article.published',
  'article_date_original',
  'datepublished',
  'bt:pubdate',
  'parsely-pub-date',
  'sailthru.date',
  'cxenseparse:recs:publishtime',
  'dc.date.issued',
  'dcterms.issued',
  'dc.date.created',
  'dcterms.created',
  'article.created',
  'datecreated',
  'publishdate',
  'publish-date',
  'publish_date',
  'published_time',
  'pubdate',
  'pdate',
  'release:date',
  'originalpublicationdate',
  'displaydate',
  'outbrain-date',
  'analyticsattributes.articledate',
  'citation_publication_date',
  'citation_date',
  'creation_date',
  'dc.date',
  'dcterms.date',
  'date',
];
const MODIFIED_META = [
  'article:modified_time',
  'og:article:modified_time',
  'article:modified',
  'article.updated',
  'og:updated_time',
  'datemodified',
  'bt:moddate',
  'dc.date.modified',
  'dcterms.modified',
  'article_date_updated',
  'revision_date',
  'last-modified',
];

const LD_ARTICLE =
  /^(?:News|Reportage|Analysis|Opinion|Background|Report|Scholarly|Tech)?Article$|^(?:BlogPosting|LiveBlogPosting|SocialMediaPosting|Report)$/;

export const isLdArticle = (node: Record<string, unknown>): boolean =>
  ([] as unknown[]).concat(node['@type'] ?? []).some((t) => typeof t === 'string' && LD_ARTICLE.test(t));

/**
 * Published and modified stamps. A declared date (JSON-LD, meta, microdata, <time>) wins; the URL's
 * date, then a byline, then a dateline in the opening stand in for it, then the feed's date, then
 * the lead image's upload path. A declared stamp in UTC is often a local time converted: when the
 * URL names the day before or after, that is the page's own day, and the stamp keeps its instant.
 */
export function pageDates(facts: PageFacts, clues: DateClues): PageDates {
  const { lang } = clues;
  const modified = firstStamp(
    [ldValues(facts, 'dateModified'), metaValues(facts, MODIFIED_META), propValues(facts, 'dateModified')],
    lang,
  );
  const withModified = (published: Stamp | undefined): PageDates => ({
    ...(published ? { published } : {}),
    ...(modified ? { modified } : {}),
  });
  const declared = declaredPublished(facts, lang);
  const urlDate = clues.urls.map((u) => urlDay(u)).find((d) => d !== undefined);
  if (declared) return withModified(declared.zone === 'utc' ? takeDay(declared, urlDate) : declared);

  const hint = clues.hint ? parseStamp(clues.hint) : undefined;
  const day = urlDate ?? bylineDay(facts, lang) ?? openingDay(clues.opening(), lang);
  // A day from the page with the feed's time of it, when the two agree.
  if (day) return withModified(hint ? takeDay(hint, day, 0) : dayStamp(day));
  if (hint) return withModified(hint);
  // Media libraries file uploads by day (/uploads/2020/10/13/): the lead image's path is a last resort.
  const imageDay = urlDay(metaValue(facts, 'og:image', 'twitter:image') ?? '', clues.urls[0]);
  return withModified(imageDay ? dayStamp(imageDay) : undefined);
}

/** The stamp with `day` as its day when `day` is within `slack` days of it; else `day` at midnight, or the stamp as it is. */
function takeDay(stamp: Stamp, day: string | undefined, slack = 1): Stamp {
  if (!day || day === stamp.day) return stamp;
  if (Math.abs(daysBetween(stamp.day, day)) <= slack) return { ...stamp, day };
  return slack === 0 ? dayStamp(day) : stamp;
}

function declaredPublished(facts: PageFacts, lang: string | undefined): Stamp | undefined {
  return firstStamp(
    [
      ldValues(facts, 'datePublished', true),
      ldValues(facts, 'dateCreated', true),
      metaValues(facts, PUBLISHED_META),
      parselyValues(facts),
      ldValues(facts, 'datePublished', false),
      propValues(facts, 'datePublished'),
      propValues(facts, 'dateCreated'),
      timeValues(facts),
    ],
    lang,
  );
}

/** The first value that parses, from sources in order of trust (read lazily: most pages stop at the first). */
function firstStamp(sources: Iterable<string>[], lang: string | undefined): Stamp | undefined {
  for (const values of sources)
    for (const value of values) {
      const stamp = parseStamp(value, lang);
      if (stamp) return stamp;
    }
  return undefined;
}

function* ldValues(facts: PageFacts, field: string, articles?: boolean): Generator<string> {
  for (const node of facts.ld) {
    if (articles !== undefined && isLdArticle(node) !== articles) continue;
    const value = node[field];
    if (typeof value === 'string') yield value;
  }
}

function* metaValues(facts: PageFacts, keys: string[]): Generator<string> {
  for (const key of keys) yield* facts.meta.get(key) ?? [];
}

/** Parse.ly's older form: one JSON object in <meta name="parsely-page">. */
function* parselyValues(facts: PageFacts): Generator<string> {
  const raw = metaValue(facts, 'parsely-page');
  if (!raw) return;
  try {
    const pubDate = (JSON.parse(raw) as { pub_date?: unknown }).pub_date;
    if (typeof pubDate === 'string') yield pubDate;
  } catch {
    // not JSON: nothing to read
  }
}

function* propValues(facts: PageFacts, prop: string): Generator<string> {
  for (const el of facts.dateProps) {
    if (!el.attribs.itemprop!.split(/\s+/).includes(prop)) continue;
    const value = el.attribs.content ?? el.attribs.datetime ?? textOf(el);
    if (value.trim()) yield value;
  }
}

/** The <time> marked as the publication, else the first in the story, else the first on the page. */
function* timeValues(facts: PageFacts): Generator<string> {
  const dated = facts.times.filter((t) => t.el.attribs.datetime);
  const marked = dated.find((t) => t.el.attribs.pubdate !== undefined);
  const inStory = dated.find((t) => t.inArticle);
  for (const t of [marked, inStory, dated[0]]) if (t) yield t.el.attribs.datetime!;
}

const MAX_BYLINE = 200;

/** The first day written in a byline or date element: «نشر في 24 نيسان / أبريل 2020», «Jan. 18, 2020». */
function bylineDay(facts: PageFacts, lang: string | undefined): string | undefined {
  for (const el of facts.dateHints) {
    const text = el.attribs.datetime ?? textOf(el);
    // A byline is a line; a long text under a date-ish class is a whole teaser or post.
    if (text.length > MAX_BYLINE) continue;
    const found = findTextDate(text, lang);
    if (found) return found.day;
  }
  return undefined;
}

/**
 * A dateline in the story's opening: a date at the head of a line («January 18, 2020»,
 * «الكويت - 28 يناير 2026 (كونا) --», «By Jane Doe | March 3, 2020»), before any date inside a
 * sentence, which is more often a photo caption's or an event's.
 */
function openingDay(opening: string, lang: string | undefined): string | undefined {
  for (const line of opening.split('\n')) {
    const text = line.trim();
    const found = text ? findTextDate(text, lang) : undefined;
    if (found && found.index <= DATELINE_HEAD) return found.day;
  }
  return findTextDate(opening, lang)?.day;
}

const DATELINE_HEAD = 40;

// ---- language -------------------------------------------------------------------------------

/** The page's declared language (primary subtag) from <html lang> or Content-Language. */
export function pickDeclaredLang(facts: PageFacts): string | undefined {
  const primary = declaredLangTag(facts)
    ?.split(/[-_,\s]/)[0]
    ?.toLowerCase();
  return primary && /^[a-z]{2,3}$/.test(primary) ? primary : undefined;
}

/** The full declared tag (en-US), which says how the page writes numeric dates. */
export function declaredLangTag(facts: PageFacts): string | undefined {
  return (facts.htmlLang ?? metaValue(facts, 'content-language'))?.trim() || undefined;
}

/** A declared lang is trusted unless the script says otherwise: CMS templates often keep lang="en" on Arabic pages. */
export function chooseLang(declared: string | undefined, text: string): string {
  const share = arabicShare(text);
  if (declared === 'en' && share !== undefined && share > 0.6) return 'ar';
  if (declared === 'ar' && share !== undefined && share < 0.2) return 'en';
  if (declared) return declared;
  return share !== undefined && share > 0.5 ? 'ar' : 'en';
}

/** Share of Arabic letters among Arabic and Latin letters; undefined when the text has neither. */
export function arabicShare(text: string): number | undefined {
  let arabic = 0;
  let latin = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      if ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x7a) latin++;
    } else if (c >= 0xc0 && c <= 0x24f) {
      if (c !== 0xd7 && c !== 0xf7) latin++;
    } else if (isArabicLetter(c)) arabic++;
  }
  return arabic + latin === 0 ? undefined : arabic / (arabic + latin);
}

const isArabicLetter = (c: number): boolean =>
  (c >= 0x620 && c <= 0x64a) ||
  (c >= 0x66e && c <= 0x6d3) ||
  (c >= 0x6fa && c <= 0x6ff) ||
  (c >= 0x750 && c <= 0x77f) ||
  (c >= 0x8a0 && c <= 0x8ff) ||
  (c >= 0xfb50 && c <= 0xfdff) ||
  (c >= 0xfe70 && c <= 0xfefc);
