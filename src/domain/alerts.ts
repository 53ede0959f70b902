// Alert rules: which decisions owe subscribers a message, what that message says, and who
// wants it. Pure; the alert id is derived from the decision so a re-run yields the same id.
// Titles and reasons are for people ("by 28 Feb 2026", "next month"); the payload's other
// fields keep the values as stored.
import { isOptIn } from './alert-kinds';
import type { Alert, AlertKind, EventRecord, ExpectationRecord, SourceRef } from './types';
import { dueWords, eventDateWords, formatDay, onDate, typesWords, typeWords, windowWords } from './wording';

export const CHANNELS = ['webhook', 'email'] as const;
export type ChannelName = (typeof CHANNELS)[number];

export interface SubscriberFilters {
  /** alert kinds wanted; when absent, every kind but the opt-in ones (OPT_IN_KINDS); article.match follows watches, not this */
  kinds?: AlertKind[] | undefined;
  /** entity ids: a list means any of them; `all` needs every one among the alert's parties */
  entities?: string[] | { all?: string[] | undefined; any?: string[] | undefined } | undefined;
  /** event types (meeting, strike, ...) or roots (consult, fight, ...): the alert's event type or root, or one of its expected types */
  eventTypes?: string[] | undefined;
  /** feed ids: at least one source read from one of them */
  feeds?: string[] | undefined;
  /** region tags of the feeds (feeds.yml `region`): at least one source from a feed so tagged */
  regions?: string[] | undefined;
  /** at least one source in one of these languages */
  languages?: string[] | undefined;
  /** alerts that carry a match score (fulfilled, same_event) need at least this one */
  minScore?: number | undefined;
}

export interface WebhookTarget {
  url: string;
  /** one Standard Webhooks secret, or two during a rotation: each message is signed with every one */
  secrets: string[];
  /** requests per second to this endpoint; the service's WEBHOOK_RATE_LIMIT when absent */
  ratePerSecond?: number | undefined;
}

export interface DigestSchedule {
  /** node-cron pattern, read in `timezone` */
  schedule: string;
  /** IANA time zone, e.g. Asia/Kuwait */
  timezone: string;
}

export interface Subscriber {
  id: string;
  name: string;
  /** addresses that share one email channel: one message, one unsubscription */
  email?: string[] | undefined;
  webhook?: WebhookTarget | undefined;
  filters: SubscriberFilters;
  /** instant (default): each alert when it is raised; digest: one message per period */
  mode?: 'instant' | 'digest' | undefined;
  digest?: DigestSchedule | undefined;
}

export function channelsOf(sub: Subscriber): ChannelName[] {
  return CHANNELS.filter((c) => (c === 'email' ? (sub.email?.length ?? 0) > 0 : sub.webhook !== undefined));
}

/** What the filters need to know beyond the alert: the region tags of a feed. */
export interface FilterFacts {
  regionsOf?: (feedId: string) => readonly string[];
}

const overlaps = (wanted: readonly string[], present: readonly (string | undefined)[]) =>
  present.some((p) => p !== undefined && wanted.includes(p));

/** What a type filter is matched against: the event's subtypes and its CAMEO root (`family`), or the expected subtypes. */
function alertTypes(alert: Alert): string[] {
  const e = alert.event;
  return [...(e ? [e.type, e.family, ...(e.types ?? [])] : []), ...(alert.expectation?.types ?? [])];
}

export function subscriberWants(sub: Subscriber, alert: Alert, facts: FilterFacts = {}): boolean {
  // A watch is the subscriber's own query and its opt-in: its alerts go to the subscriber it names
  // and to no one else, whatever `filters` say (the watch is the filter; src/domain/watch.ts).
  if (alert.kind === 'article.match') return alert.watch?.subscriberId === sub.id;
  const f = sub.filters;
  if (f.kinds ? !f.kinds.includes(alert.kind) : isOptIn(alert.kind)) return false;
  if (alert.feed) {
    // Feed health concerns no entity, event type or language: only the feed filters narrow it.
    if (f.feeds && !f.feeds.includes(alert.feed.id)) return false;
    return !f.regions || overlaps(f.regions, facts.regionsOf?.(alert.feed.id) ?? []);
  }
  const parties = alert.parties.map((p) => p.id);
  if (f.entities) {
    const { all, any } = Array.isArray(f.entities) ? { all: undefined, any: f.entities } : f.entities;
    if (all && !all.every((id) => parties.includes(id))) return false;
    if (any && !overlaps(any, parties)) return false;
  }
  if (f.eventTypes && !overlaps(f.eventTypes, alertTypes(alert))) return false;
  if (
    f.feeds &&
    !overlaps(
      f.feeds,
      alert.sources.map((s) => s.feedId),
    )
  )
    return false;
  if (
    f.languages &&
    !overlaps(
      f.languages,
      alert.sources.map((s) => s.lang),
    )
  )
    return false;
  if (f.regions) {
    const regions = alert.sources.flatMap((s) => (s.feedId ? (facts.regionsOf?.(s.feedId) ?? []) : []));
    if (!overlaps(f.regions, regions)) return false;
  }
  if (f.minScore !== undefined && alert.score !== undefined && alert.score < f.minScore) return false;
  return true;
}

type Names = (id: string) => string;

const parties = (ids: string[], nameOf: Names) => ids.map((id) => ({ id, name: nameOf(id) }));
const names = (ids: string[], nameOf: Names) => ids.map(nameOf).join(' – ');

export function alertId(kind: AlertKind, subjectId: string, hash: (s: string) => string): string {
  return `al_${hash(`${kind}|${subjectId}`)}`;
}

export function newEventAlert(
  event: EventRecord,
  nameOf: Names,
  hash: (s: string) => string,
  now: Date,
): Alert {
  return {
    id: alertId('event.new', event.id, hash),
    kind: 'event.new',
    createdAt: now.toISOString(),
    title: `New ${typeWords(event.type)}: ${names(event.participants, nameOf)}, ${eventDateWords(event.date)}`,
    parties: parties(event.participants, nameOf),
    event,
    sources: event.sources,
    reasons: [`first report of this ${typeWords(event.type)}`],
  };
}

/** An alert about an expectation alone (opened, overdue): it cites the article that stated it. */
function expectationAlert(
  kind: 'expectation.opened' | 'expectation.overdue',
  x: ExpectationRecord,
  text: { title: string; reasons: string[] },
  nameOf: Names,
  hash: (s: string) => string,
  now: Date,
): Alert {
  return {
    id: alertId(kind, x.id, hash),
    kind,
    createdAt: now.toISOString(),
    title: text.title,
    parties: parties(x.participants, nameOf),
    expectation: x,
    sources: [x.source],
    reasons: text.reasons,
  };
}

export function openedAlert(
  x: ExpectationRecord,
  nameOf: Names,
  hash: (s: string) => string,
  now: Date,
): Alert {
  const title = `Expected: ${typesWords(x.types)} of ${names(x.participants, nameOf)} ${dueWords(x)}`;
  return expectationAlert('expectation.opened', x, { title, reasons: [`"${x.text}"`] }, nameOf, hash, now);
}

/** The expected event was not reported before its window closed. */
export function overdueAlert(
  x: ExpectationRecord,
  nameOf: Names,
  hash: (s: string) => string,
  now: Date,
): Alert {
  const title = `Overdue: no ${typesWords(x.types)} of ${names(x.participants, nameOf)} reported by ${formatDay(x.due.to)}`;
  const reasons = [`window ${windowWords(x.due)} closed without a matching report`, `"${x.text}"`];
  return expectationAlert(
    'expectation.overdue',
    { ...x, state: 'overdue' },
    { title, reasons },
    nameOf,
    hash,
    now,
  );
}

/** One fulfilment alert per expectation, ever: its id depends on the expectation alone. */
export function fulfilledAlert(
  x: ExpectationRecord,
  event: EventRecord,
  match: { score: number; reasons: string[] },
  nameOf: Names,
  hash: (s: string) => string,
  now: Date,
): Alert {
  const sources: SourceRef[] = [x.source, ...event.sources.filter((s) => s.articleId !== x.source.articleId)];
  return {
    id: alertId('expectation.fulfilled', x.id, hash),
    kind: 'expectation.fulfilled',
    createdAt: now.toISOString(),
    title: `Expected ${typesWords(x.types)} happened: ${typeWords(event.type)} of ${names(event.participants, nameOf)} ${onDate(event.date)}`,
    parties: parties(event.participants, nameOf),
    event,
    expectation: x,
    sources,
    score: match.score,
    reasons: [
      ...match.reasons,
      // one line each: two Arabic titles on one line run into each other
      `expected in "${x.source.title}"`,
      `reported in "${event.sources[0]?.title ?? ''}"`,
    ],
  };
}

/**
 * New coverage of an event the base already holds (a `same_event` match). Opt-in per subscriber.
 * One alert per (event, article): a re-run of the same article yields the same id.
 */
export function sameEventAlert(
  event: EventRecord,
  source: SourceRef,
  match: { score: number; reasons: string[] },
  nameOf: Names,
  hash: (s: string) => string,
  now: Date,
): Alert {
  const sources = [source, ...event.sources.filter((s) => s.articleId !== source.articleId)];
  return {
    id: alertId('event.same_event', `${event.id}|${source.articleId}`, hash),
    kind: 'event.same_event',
    createdAt: now.toISOString(),
    title: `New coverage of ${typeWords(event.type)}: ${names(event.participants, nameOf)}, ${eventDateWords(event.date)}`,
    parties: parties(event.participants, nameOf),
    event,
    sources,
    score: match.score,
    reasons: [...match.reasons, `reported again in "${source.title}"`],
  };
}
