// The vocabulary of ../shared/DESIGN.md as data: articles, events, expectations, matches, alerts.
import type { AlertKind } from './alert-kinds';
import type { ArticleKind } from './article-kind';
import type { Day, Precision } from './dates';
import type { Signature } from './signature';

/** An article as analysis sees it: already fetched and read. */
export interface ArticleInput {
  id: string;
  url: string;
  title: string;
  /** ISO date-time of publication */
  published: string;
  /** the day of publication as the source writes it, in its own time zone (a Kuwaiti article at
   * 01:00 +03:00 is of that day, not of the UTC day before); `published`'s UTC day when absent */
  publishedDay?: string | undefined;
  lang: string;
  text: string;
  feedId?: string | undefined;
  /**
   * 1 for the text first read; one more each time the page is read again with other words (a
   * live blog's new entry, a correction). Same id, same sources: an update is the same article.
   */
  version?: number | undefined;
  /** when this version was read, for versions after the first (ISO) */
  updatedAt?: string | undefined;
}

export interface SourceRef {
  articleId: string;
  url: string;
  title: string;
  published: string;
  lang: string;
  feedId?: string | undefined;
}

export interface EventDate {
  value: string;
  /** read from «أمس», "on Tuesday": only as exact as the article's own date */
  relative?: boolean | undefined;
  /** "reported": the text gives no date; the event happened shortly before its report */
  precision: Precision | 'reported';
  from: Day;
  to: Day;
}

export interface ExtractedEvent {
  /** the type the report leads with (a subtype of the ontology: meeting, strike, arrest) */
  type: string;
  /** every type the report's headline and lead give the event (a summit where a declaration was signed) */
  types?: string[] | undefined;
  /** the CAMEO root category the type sits beneath (consult, assault), or one of ours */
  family: string;
  /** countries and organisations taking part, in order of first mention */
  participants: string[];
  /** people named in the event, by gazetteer id */
  actors: string[];
  /** last names of people the gazetteer does not hold, as the text writes them (جبير, jubeir) */
  names?: string[] | undefined;
  /**
   * A step before something else its lead says is ahead ("arrived ahead of the summit", «اجتماع
   * تحضيري»): news of its own, but never the follow-up an expectation waited for.
   */
  preview?: boolean | undefined;
  /** ordinals of the round or session ("the second round": 2); two different ones are two events */
  ordinals?: number[] | undefined;
  place?: string | undefined;
  date: EventDate;
  /** background recounted by the article, not its news */
  historical: boolean;
  /** the sentence the event was read from */
  evidence: string;
}

export interface ExtractedExpectation {
  types: string[];
  participants: string[];
  /** people its sentence names: gazetteer ids, and last names read after a title */
  actors?: string[] | undefined;
  names?: string[] | undefined;
  /** where its sentence says it will happen */
  place?: string | undefined;
  /** light-stemmed terms of its sentence, counted */
  terms?: Record<string, number> | undefined;
  /** stated in the headline or the lead: what the article is about, not an aside */
  lead?: boolean | undefined;
  /** the round or session expected ("the fourth round": 4) */
  ordinals?: number[] | undefined;
  due: { from: Day; to: Day };
  horizon: string;
  text: string;
}

/** An expected event called off or postponed. */
export interface ExtractedCancellation {
  types: string[];
  participants: string[];
  text: string;
}

export interface Extraction {
  /** what kind of piece it is: a report, an interview, an opinion column, a sports or economy page */
  kind: ArticleKind;
  entities: string[];
  /** light-stemmed terms of the headline and lead, counted: what text similarity compares */
  terms: Record<string, number>;
  /** numbers of the headline and lead ("14 soldiers"): compared across languages too */
  numbers: string[];
  events: ExtractedEvent[];
  expectations: ExtractedExpectation[];
  cancellations: ExtractedCancellation[];
}

export interface EventRecord extends ExtractedEvent {
  id: string;
  sources: SourceRef[];
  /** the weighted terms of its first report's headline and lead */
  signature?: Signature | undefined;
  /** numbers of its first report's headline and lead */
  numbers?: string[] | undefined;
}

export type ExpectationState = 'open' | 'fulfilled' | 'overdue' | 'cancelled';

export interface ExpectationRecord extends ExtractedExpectation {
  id: string;
  state: ExpectationState;
  /** the weighted terms of its sentence */
  signature?: Signature | undefined;
  /**
   * The expectation an earlier article stated that this one states again: it waits with it,
   * closes with it, and raises no alert of its own.
   */
  restates?: string | undefined;
  source: SourceRef;
  fulfilledBy?: { eventId: string; source: SourceRef; score: number; reasons: string[] } | undefined;
  /** the report that called the expected event off */
  cancelledBy?: { source: SourceRef; text: string; reasons: string[] } | undefined;
}

export type MatchKind = 'same_event' | 'fulfils' | 'related';

export interface Match {
  kind: MatchKind;
  /** the event (same_event, related) or expectation (fulfils) matched */
  targetId: string;
  score: number;
  reasons: string[];
}

export type { AlertKind } from './alert-kinds';

export interface Alert {
  /** stable: the same decision always yields the same id, so it is delivered at most once */
  id: string;
  kind: AlertKind;
  createdAt: string;
  title: string;
  parties: { id: string; name: string }[];
  event?: EventRecord | undefined;
  expectation?: ExpectationRecord | undefined;
  /** the feed an operator alert (feed.failing) is about */
  feed?: { id: string; name: string; url: string } | undefined;
  /** the watch an `article.match` met (src/domain/watch.ts): it goes to that subscriber only */
  watch?: { id: string; name: string; subscriberId: string } | undefined;
  /** what of the watch an `article.match` article met: entity ids, keywords as the watch writes them */
  matched?: { entities: string[]; keywords: string[]; excerpt?: string | undefined } | undefined;
  sources: SourceRef[];
  score?: number | undefined;
  reasons: string[];
}

/**
 * The keys an event or expectation is found by: its parties, the people it names (gazetteer
 * ids), and the last names read after titles (as `n:<name>`), so two reports of Lavrov's talks
 * with Jubeir meet even when one names no country.
 */
export function indexKeys(e: {
  participants: readonly string[];
  actors?: readonly string[] | undefined;
  names?: readonly string[] | undefined;
}): string[] {
  return [...new Set([...e.participants, ...(e.actors ?? []), ...(e.names ?? []).map((n) => `n:${n}`)])];
}
