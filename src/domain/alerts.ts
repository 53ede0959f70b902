// Alert rules: which decisions owe subscribers a message, what that message says, and who
// wants it. Pure; the alert id is derived from the decision so a re-run yields the same id.
import type { Alert, AlertKind, EventRecord, ExpectationRecord, SourceRef } from './types';

export interface SubscriberFilters {
  /** alert kinds wanted; all when absent */
  kinds?: AlertKind[] | undefined;
  /** entity ids: the alert must concern at least one of them; all when absent */
  entities?: string[] | undefined;
}

export interface Subscriber {
  id: string;
  name: string;
  webhook?: { url: string; secret: string } | undefined;
  filters: SubscriberFilters;
}

export function subscriberWants(sub: Subscriber, alert: Alert): boolean {
  const { kinds, entities } = sub.filters;
  if (kinds && !kinds.includes(alert.kind)) return false;
  if (entities && !alert.parties.some((p) => entities.includes(p.id))) return false;
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
    title: `New ${event.type}: ${names(event.participants, nameOf)}, ${event.date.value}`,
    parties: parties(event.participants, nameOf),
    event,
    sources: event.sources,
    reasons: [`first report of this ${event.type}`],
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
  const title = `Expected: ${x.types.join('/')} of ${names(x.participants, nameOf)} by ${x.due.to}`;
  return expectationAlert('expectation.opened', x, { title, reasons: [`"${x.text}"`] }, nameOf, hash, now);
}

/** The expected event was not reported before its window closed. */
export function overdueAlert(
  x: ExpectationRecord,
  nameOf: Names,
  hash: (s: string) => string,
  now: Date,
): Alert {
  const title = `Overdue: no ${x.types.join('/')} of ${names(x.participants, nameOf)} reported by ${x.due.to}`;
  const reasons = [`window ${x.due.from} to ${x.due.to} closed without a matching report`, `"${x.text}"`];
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
    title: `Expected ${x.types.join('/')} happened: ${event.type} of ${names(event.participants, nameOf)} on ${event.date.value}`,
    parties: parties(event.participants, nameOf),
    event,
    expectation: x,
    sources,
    score: match.score,
    reasons: [
      ...match.reasons,
      `sources: expected in "${x.source.title}", reported in "${event.sources[0]?.title ?? ''}"`,
    ],
  };
}
