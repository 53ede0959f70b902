// The vocabulary of ../shared/DESIGN.md as data: articles, events, expectations, matches, alerts.
import type { Day, Precision } from './dates';

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
  /** "reported": the text gives no date; the event happened shortly before its report */
  precision: Precision | 'reported';
  from: Day;
  to: Day;
}

export interface ExtractedEvent {
  /** the type the report leads with */
  type: string;
  /** every type the report's headline and lead give the event (a summit where a declaration was signed) */
  types?: string[] | undefined;
  family: string;
  /** countries and organisations taking part, in order of first mention */
  participants: string[];
  /** people named in the event */
  actors: string[];
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
  entities: string[];
  events: ExtractedEvent[];
  expectations: ExtractedExpectation[];
  cancellations: ExtractedCancellation[];
}

export interface EventRecord extends ExtractedEvent {
  id: string;
  sources: SourceRef[];
}

export type ExpectationState = 'open' | 'fulfilled' | 'overdue' | 'cancelled';

export interface ExpectationRecord extends ExtractedExpectation {
  id: string;
  state: ExpectationState;
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

export type AlertKind =
  | 'event.new'
  | 'event.same_event'
  | 'expectation.opened'
  | 'expectation.fulfilled'
  | 'expectation.overdue'
  | 'feed.failing';

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
  sources: SourceRef[];
  score?: number | undefined;
  reasons: string[];
}
