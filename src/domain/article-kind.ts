// What kind of piece an article is: a news report, an interview, an opinion column, a sports
// or an economy page. The kind decides what may be read from it: a column's "the summit will
// fail" is no expectation, a derby is no summit. Pure: shares of marker words, no model.
import type { Analyzer, ArticleKindMark } from './analyzer';
import type { Token } from './text';

export type ArticleKind = 'report' | 'interview' | ArticleKindMark;

export interface KindInput {
  /** tokens of the whole text, title first */
  tokens: readonly Token[];
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
  const shares = {
    sports: counts.sports / words,
    economy: counts.economy / words,
    opinion: counts.opinion / words,
  };
  const exchanges = [...input.text.matchAll(EXCHANGE)].length;
  const reportsSomeone = an.reportingVerbs.find(input.lead).length > 0;
  const rhetorical = /[?؟!]\s*$/.test(input.title.trim()) || /!!|؟؟/.test(input.title);
  const over = (k: ArticleKindMark) => shares[k] >= (an.kindShares[k] ?? Number.POSITIVE_INFINITY);
  let kind: ArticleKind = 'report';
  if (exchanges >= 4) kind = 'interview';
  else if ((over('opinion') || rhetorical) && !reportsSomeone) kind = 'opinion';
  else if (over('sports') && shares.sports > shares.economy) kind = 'sports';
  else if (over('economy') && shares.economy > 2 * shares.sports) kind = 'economy';
  return { kind, shares, exchanges };
}
