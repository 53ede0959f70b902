// Watches: what an analyst follows beyond typed events, as a news alert service keeps it (Google
// Alerts, Factiva): entities of the gazetteer and words, in Arabic and English. A watch raises one
// `article.match` for each new article that meets it, sent to its subscriber only. Pure: the
// article, what analysis read from it and the watches come in, the alerts go out.
import { z } from 'zod';
import { quietReason, type Arrival } from './alert-quiet';
import { alertId } from './alerts';
import { sourceOf } from './plan';
import { cliticForms, isArabic, normalize, stripArticle } from './text';
import type { Alert, ArticleInput } from './types';

export interface Watch {
  /** `wt_` and random letters, given when it is created */
  id: string;
  /** a subscriber of subscribers.yml or one added at run time: the one its alerts go to */
  subscriberId: string;
  /** what the subscriber calls it; unique per subscriber */
  name: string;
  /** gazetteer ids (data/entities.yml) the article must name */
  entities?: string[] | undefined;
  /** any (default): one of `entities` is enough; all: the article names every one */
  entityMatch?: 'any' | 'all' | undefined;
  /**
   * Words or phrases, any one of which the title or text must hold: `Kuwait` (a whole word),
   * `Kuwait dialogue` (both words, anywhere), `"security dialogue"` (the phrase), `Kuwait*` (a word
   * that starts so).
   */
  keywords?: string[] | undefined;
  /** only articles in this language */
  language?: 'ar' | 'en' | undefined;
  createdAt: string;
}

/** The longest a keyword may be, and how many a watch may hold: a watch is a query, not a list. */
export const KEYWORD_MAX = 200;
export const WATCH_LIST_MAX = 50;
/** A prefix (`Kuw*`) needs this many letters: `a*` would meet every article. */
const PREFIX_MIN = 3;

// ---- keywords ---------------------------------------------------------------------------------

/** One word of a keyword, as it is compared with the article's words. */
interface KeyWord {
  /** normalised; Arabic without its article (الكويت → كويت) */
  text: string;
  /** `Kuwait*`: any word starting so */
  prefix: boolean;
  /** a short acronym written in capitals (US, UN): matched only so written, as the gazetteer does */
  asWritten?: string | undefined;
}

/** A keyword: every term must be in the article; a term's words stand next to each other. */
export interface KeywordQuery {
  /** as the watch writes it, for the alert's reasons */
  keyword: string;
  terms: KeyWord[][];
}

const QUOTES = /^["“”«»](.*)["“”«»]$/su;
// As src/domain/text.ts tokenises, on text not yet normalised, so a word keeps how it was written.
const WORD_RE = /[\p{L}\p{M}]+(?:['’][\p{L}]+)?|\p{N}+/gu;
/** Where a phrase may not run across: the end of a sentence or of a line. */
const BREAK_RE = /[.!?؟؛;:\n]/u;

function wordsOf(piece: string): KeyWord[] {
  const prefix = piece.endsWith('*');
  const words = [...piece.matchAll(WORD_RE)].map((m) => m[0]);
  return words.map((raw, i) => {
    const norm = normalize(raw).replace(/'s$/, '');
    const text = isArabic(norm) ? stripArticle(norm) : norm;
    const acronym = /^[A-Z]{2,3}$/.test(raw) ? raw : undefined;
    return { text, prefix: prefix && i === words.length - 1, ...(acronym ? { asWritten: acronym } : {}) };
  });
}

/**
 * Reads a keyword, or says what is wrong with it. In quotes, its words are one phrase; without,
 * each space-separated piece is a term of its own (a piece like `Kuwait-NATO` is still a phrase).
 */
export function parseKeyword(keyword: string): KeywordQuery | { error: string } {
  const trimmed = keyword.trim();
  const quoted = QUOTES.exec(trimmed);
  if (!quoted && /["“”«»]/u.test(trimmed))
    return { error: 'has a quotation mark that is not closed: put the whole phrase in quotes' };
  const pieces = quoted ? [quoted[1]!.replace(/\*(?=\s)/g, '')] : trimmed.split(/\s+/u);
  const terms = pieces.map(wordsOf).filter((t) => t.length > 0);
  if (terms.length === 0) return { error: 'has no word to look for' };
  const short = terms.flat().find((w) => w.prefix && w.text.length < PREFIX_MIN);
  if (short) return { error: `"${short.text}*" is too short a prefix (${PREFIX_MIN} letters at least)` };
  return { keyword: trimmed, terms };
}

// ---- the article's words ----------------------------------------------------------------------

interface ArticleWord {
  /** the word as written (for acronyms), NFC */
  raw: string;
  /** every form it may stand for once its proclitics are off, Arabic ones without the article */
  forms: readonly string[];
  /** where in `part` it starts, and which part (0: title, 1: text) */
  start: number;
  part: 0 | 1;
}

/** An article's words, read once for every watch: positions, and each form's positions. */
export interface ArticleWords {
  words: (ArticleWord | null)[];
  byForm: Map<string, number[]>;
  parts: [string, string];
}

export function articleWords(title: string, text: string): ArticleWords {
  const words: (ArticleWord | null)[] = [];
  const byForm = new Map<string, number[]>();
  const parts: [string, string] = [title.normalize('NFC'), text.normalize('NFC')];
  parts.forEach((value, part) => {
    // A title and its text, like two sentences, hold no phrase across them.
    words.push(null);
    let last = 0;
    for (const m of value.matchAll(WORD_RE)) {
      if (BREAK_RE.test(value.slice(last, m.index))) words.push(null);
      last = m.index + m[0].length;
      const norm = normalize(m[0]).replace(/'s$/, '');
      const forms = isArabic(norm) ? [...new Set(cliticForms(norm).map((f) => f.bare))] : [norm];
      const at = words.push({ raw: m[0], forms, start: m.index, part: part as 0 | 1 }) - 1;
      for (const f of forms) {
        const list = byForm.get(f);
        if (list) list.push(at);
        else byForm.set(f, [at]);
      }
    }
  });
  return { words, byForm, parts };
}

function wordMeets(w: ArticleWord | null | undefined, k: KeyWord): boolean {
  if (!w) return false;
  if (k.asWritten !== undefined) return w.raw === k.asWritten || w.raw.replace(/['’]s$/, '') === k.asWritten;
  return w.forms.some((f) => (k.prefix ? f.startsWith(k.text) : f === k.text));
}

/** Where a term's first word stands where the whole term does; undefined when it is nowhere. */
function findTerm(a: ArticleWords, term: KeyWord[]): number | undefined {
  const [first, ...rest] = term;
  if (!first) return undefined;
  const starts = first.prefix
    ? [...a.byForm.entries()].filter(([f]) => f.startsWith(first.text)).flatMap(([, at]) => at)
    : (a.byForm.get(first.text) ?? []);
  return starts
    .sort((x, y) => x - y)
    .find((i) => wordMeets(a.words[i], first) && rest.every((k, j) => wordMeets(a.words[i + 1 + j], k)));
}

/** Where the keyword is met (its first term's place), or undefined. */
function findKeyword(a: ArticleWords, q: KeywordQuery): number | undefined {
  let first: number | undefined;
  for (const term of q.terms) {
    const at = findTerm(a, term);
    if (at === undefined) return undefined;
    first ??= at;
  }
  return first;
}

const EXCERPT_MAX = 300;

/** The sentence of the text a word stands in, cut to EXCERPT_MAX; none for a word of the title. */
function excerptAt(a: ArticleWords, index: number): string | undefined {
  const w = a.words[index];
  if (!w || w.part === 0) return undefined;
  const text = a.parts[1];
  let from = w.start;
  while (from > 0 && !BREAK_RE.test(text[from - 1]!)) from--;
  let to = w.start;
  while (to < text.length && !BREAK_RE.test(text[to]!)) to++;
  const sentence = text.slice(from, Math.min(to + 1, text.length)).trim();
  return sentence.length > EXCERPT_MAX ? `${sentence.slice(0, EXCERPT_MAX - 1)}…` : sentence;
}

// ---- matching ---------------------------------------------------------------------------------

export interface WatchMatch {
  /** the watch's entities the article names */
  entities: string[];
  /** the watch's keywords the article holds, as the watch writes them */
  keywords: string[];
  /** the sentence of the text where the first keyword met stands */
  excerpt?: string | undefined;
}

/**
 * Whether an article meets a watch: every criterion the watch gives must hold (its language; its
 * entities, any or all; one of its keywords). `entities` are the gazetteer ids analysis found in
 * the article (Extraction.entities). A keyword that cannot be read meets nothing.
 */
export function matchWatch(
  watch: Pick<Watch, 'entities' | 'entityMatch' | 'keywords' | 'language'>,
  article: { lang: string; entities: readonly string[]; words: ArticleWords },
): WatchMatch | undefined {
  if (watch.language && article.lang !== watch.language) return undefined;
  const wanted = watch.entities ?? [];
  const keywords = watch.keywords ?? [];
  if (wanted.length === 0 && keywords.length === 0) return undefined;
  const entities = wanted.filter((id) => article.entities.includes(id));
  if (wanted.length > 0 && (watch.entityMatch === 'all' ? entities.length < wanted.length : !entities.length))
    return undefined;
  const met: string[] = [];
  let excerpt: string | undefined;
  for (const k of keywords) {
    const q = parseKeyword(k);
    if ('error' in q) continue;
    const at = findKeyword(article.words, q);
    if (at === undefined) continue;
    met.push(q.keyword);
    excerpt ??= excerptAt(article.words, at);
  }
  if (keywords.length > 0 && met.length === 0) return undefined;
  return { entities, keywords: met, ...(excerpt ? { excerpt } : {}) };
}

/** The alert one watch raises for one article: one per (article, watch), ever, by its id. */
export function watchAlert(
  watch: Pick<Watch, 'id' | 'name' | 'subscriberId'>,
  article: ArticleInput,
  match: WatchMatch,
  nameOf: (id: string) => string,
  hash: (s: string) => string,
  now: Date,
): Alert {
  return {
    id: alertId('article.match', `${watch.id}|${article.id}`, hash),
    kind: 'article.match',
    createdAt: now.toISOString(),
    title: `${watch.name}: ${article.title}`,
    parties: match.entities.map((id) => ({ id, name: nameOf(id) })),
    sources: [sourceOf(article)],
    reasons: [
      ...match.entities.map((id) => `names ${nameOf(id)}`),
      ...match.keywords.map((k) => `contains ${k.startsWith('"') || k.startsWith('«') ? k : `“${k}”`}`),
    ],
    watch: { id: watch.id, name: watch.name, subscriberId: watch.subscriberId },
    matched: {
      entities: match.entities,
      keywords: match.keywords,
      ...(match.excerpt ? { excerpt: match.excerpt } : {}),
    },
  };
}

export interface WatchAlerts {
  alerts: Alert[];
  /** met, but no news: a new feed's backlog, or published before the recency window */
  quieted: Alert[];
}

/**
 * The `article.match` alerts of an article's first version: one per watch it meets. An article's
 * later versions raise none (the driver asks only for the first), and the recency window and a
 * new feed's backlog keep them quiet as they keep event.new (src/domain/alert-quiet.ts): a watch
 * tells of new articles, by the date they were published.
 */
export function watchAlerts(
  watches: readonly Watch[],
  article: ArticleInput,
  entities: readonly string[],
  opts: {
    nameOf: (id: string) => string;
    hash: (s: string) => string;
    now: Date;
    arrival?: Arrival | undefined;
  },
): WatchAlerts {
  const out: WatchAlerts = { alerts: [], quieted: [] };
  if (watches.length === 0) return out;
  const words = articleWords(article.title, article.text);
  for (const watch of watches) {
    const match = matchWatch(watch, { lang: article.lang, entities, words });
    if (!match) continue;
    const alert = watchAlert(watch, article, match, opts.nameOf, opts.hash, opts.now);
    const quiet = quietReason(alert.kind, { published: article.published }, opts.arrival, opts.now);
    (quiet ? out.quieted : out.alerts).push(alert);
  }
  return out;
}

// ---- validation -------------------------------------------------------------------------------

const show = (v: unknown) => (typeof v === 'string' ? JSON.stringify(v.slice(0, 60)) : String(v));

/** What the API, the page and the CLI take to create a watch; the id and time are given by the store. */
export const watchInputSchema = z
  .strictObject(
    {
      subscriberId: z.string({ error: 'is a subscriber id' }).regex(/^[a-z0-9][a-z0-9-]*$/, {
        error: (iss) => `${show(iss.input)} is not a subscriber id (lower-case words joined by hyphens)`,
      }),
      name: z
        .string({ error: 'is text' })
        .trim()
        .min(1, { error: 'must not be empty' })
        .max(100, { error: 'is at most 100 characters' }),
      entities: z
        .array(z.string({ error: 'is an entity id' }).trim().min(1, { error: 'must not be empty' }), {
          error: 'is a list of entity ids',
        })
        .max(WATCH_LIST_MAX, { error: `holds at most ${WATCH_LIST_MAX} entities` })
        .optional(),
      entityMatch: z.enum(['any', 'all'], { error: 'is any or all' }).optional(),
      keywords: z
        .array(
          z
            .string({ error: 'is text' })
            .trim()
            .min(1, { error: 'must not be empty' })
            .max(KEYWORD_MAX, { error: `is at most ${KEYWORD_MAX} characters` })
            .superRefine((k, ctx) => {
              const q = parseKeyword(k);
              if ('error' in q) ctx.addIssue({ code: 'custom', message: q.error });
            }),
          { error: 'is a list of words or phrases' },
        )
        .max(WATCH_LIST_MAX, { error: `holds at most ${WATCH_LIST_MAX} keywords` })
        .optional(),
      language: z.enum(['ar', 'en'], { error: 'is ar or en' }).optional(),
    },
    { error: 'must be a map {subscriberId, name, entities?, entityMatch?, keywords?, language?}' },
  )
  .superRefine((w, ctx) => {
    if (!w.entities?.length && !w.keywords?.length)
      ctx.addIssue({
        code: 'custom',
        path: ['keywords'],
        message: 'a watch needs keywords, entities or both',
      });
    if (w.entityMatch && !w.entities?.length)
      ctx.addIssue({ code: 'custom', path: ['entityMatch'], message: 'is read only with entities' });
  })
  .transform((w) => ({
    ...w,
    ...(w.entities ? { entities: [...new Set(w.entities)] } : {}),
    ...(w.keywords ? { keywords: [...new Set(w.keywords)] } : {}),
  }));

export type WatchInput = z.infer<typeof watchInputSchema>;
