// What kind of piece an article is: a news report, an interview, an opinion column, a sports
// or an economy page. The kind decides what may be read from it: a column's "the summit will
// fail" is no expectation, a derby is no summit. Pure: shares of marker words, no model.
import type { Analyzer, ArticleKindMark } from './analyzer';
import type { Token } from './text';

export type ArticleKind = 'report' | 'interview' | ArticleKindMark;

export interface KindInput {
  /** tokens of the whole text, title first */
  tokens: readonly Token[];
  /** the same, less what stands in quotation marks: the author's own voice */
  voice?: readonly Token[];
  /** tokens of the title and the lead */
  lead: readonly Token[];
  title: string;
  /** the text as written, for its line structure */
  text: string;
}

/** A line of an interview: «س:», «ج /», "Q:", "A -". */
const EXCHANGE = /^\s*(?:س|ج|سؤال|جواب|Q|A)\s*[:/\-–]/gmu;

export interface KindReading {
  kind: ArticleKind;
  /** marker words per kind, per word of text */
  shares: Record<ArticleKindMark, number>;
  /** question and answer lines */
  exchanges: number;
}

/**
 * Opinion needs the columnist's voice and a lead that reports no one: a news story quotes
 * people in the first person too, but its lead says who said it. Sports and economy need
 * their vocabulary over the whole text and more of it than of the other; an interview needs
 * its question-and-answer lines.
 */
export function articleKind(an: Analyzer, input: KindInput): KindReading {
  const counts: Record<ArticleKindMark, number> = { sports: 0, economy: 0, opinion: 0 };
  for (const hit of an.kindMarkers.find(input.tokens)) counts[hit.value] += hit.length;
  const words = Math.max(1, input.tokens.length);
  // A report quotes people speaking for themselves ("one of our most committed partners"):
  // the columnist's voice is what the author writes outside quotation marks.
  const voice = input.voice ?? input.tokens;
  let own = 0;
  for (const hit of an.kindMarkers.find(voice)) if (hit.value === 'opinion') own += hit.length;
  const shares = {
    sports: counts.sports / words,
    economy: counts.economy / words,
    opinion: own / Math.max(1, voice.length),
  };
  const exchanges = [...input.text.matchAll(EXCHANGE)].length;
  const reportsSomeone = an.reportingVerbs.find(input.lead).length > 0;
  const rhetorical = /[?؟!]\s*$/.test(input.title.trim()) || /!!|؟؟/.test(input.title);
  const over = (k: ArticleKindMark) => shares[k] >= (an.kindShares[k] ?? Number.POSITIVE_INFINITY);
  let kind: ArticleKind = 'report';
  // A live blog talks to its readers ("welcome to our coverage"): it is a report all the same.
  const live = [...input.text.matchAll(LIVE_ENTRY)].length >= 3;
  if (exchanges >= 4) kind = 'interview';
  else if ((over('opinion') || rhetorical) && !reportsSomeone && !live) kind = 'opinion';
  else if (over('sports') && shares.sports > shares.economy) kind = 'sports';
  else if (over('economy') && shares.economy > 2 * shares.sports) kind = 'economy';
  return { kind, shares, exchanges };
}

/**
 * The tokens of an article's normalised sentences, in order, that stand outside quotation marks
 * (“…”, «…», "…"); a quotation opened in one sentence runs on into the next until it closes.
 */
export function outsideQuotes(
  sentences: readonly { normalized: string; tokens: readonly Token[] }[],
): Token[] {
  const out: Token[] = [];
  let open: string | undefined;
  for (const { normalized, tokens } of sentences) {
    /** [from, to) ranges of the sentence inside quotation marks */
    const inside: [number, number][] = [];
    let from = open ? 0 : -1;
    for (let i = 0; i < normalized.length; i++) {
      const c = normalized[i]!;
      if (open === undefined && (c === '“' || c === '«' || c === '"')) {
        open = c === '“' ? '”' : c === '«' ? '»' : '"';
        from = i;
      } else if (open !== undefined && c === open) {
        inside.push([from, i + 1]);
        open = undefined;
      }
    }
    if (open !== undefined) inside.push([Math.max(0, from), normalized.length]);
    for (const t of tokens) if (!inside.some(([a, b]) => t.start >= a && t.end <= b)) out.push(t);
  }
  return out;
}

/** A live blog's entries open with their time ("09:40 - ", «10:15 -»). */
const LIVE_ENTRY = /^\s*\d{1,2}[:.]\d{2}\s*[-–—:]/gmu;
