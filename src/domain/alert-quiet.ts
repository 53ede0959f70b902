// Which of an article's alerts stay quiet: a new feed's backlog and anything older than the
// recency window are stored and matched like every article, but are no news. Pure: the facts
// (backlog, the feed's opt-in, dates) come in, the verdict goes out; src/domain/plan.ts asks it.
import type { Alert, EventRecord } from './types';

/** ALERT_RECENCY's default: three days. */
export const DEFAULT_ALERT_RECENCY_MS = 3 * 86_400_000;

/** How one article arrived, for its alerts. Absent from a plan (eval, replay): every alert is raised. */
export interface Arrival {
  /** listed by its feed's first successful poll */
  backlog?: boolean | undefined;
  /** the feed's `alertBacklog: true`: its articles alert whatever their age, backlog or not */
  alertBacklog?: boolean | undefined;
  /** ALERT_RECENCY in ms: an event or statement older than now minus this is no news (0: no window) */
  recencyMs: number;
}

export type QuietReason = 'backlog' | 'stale';

/**
 * Why an alert of `kind` stays quiet, or undefined when it is raised. `eventDay` is the event's
 * last possible day (its date's `to`), for the alerts about an event; `published` the article's
 * date, for an expectation it opened and for a watch's article.match (src/domain/watch.ts). The
 * backlog silences what the article itself reports (event.new, event.same_event,
 * expectation.opened, article.match), not expectation.fulfilled: an expectation a
 * subscriber was told of and waits for is news when it comes true, from whichever feed, and there
 * is at most one per expectation. An old fulfilment is quiet like any old event: it closes the
 * expectation in the base, but a follow-up that happened months ago is not news either.
 */
export function quietReason(
  kind: Alert['kind'],
  facts: { eventDay?: string | undefined; published: string },
  arrival: Arrival | undefined,
  now: Date,
): QuietReason | undefined {
  if (!arrival || arrival.alertBacklog) return undefined;
  if (arrival.backlog && kind !== 'expectation.fulfilled') return 'backlog';
  if (arrival.recencyMs <= 0) return undefined;
  const cutoff = now.getTime() - arrival.recencyMs;
  if (facts.eventDay !== undefined && kind !== 'expectation.opened') {
    // A day is old once all of it lies before the cutoff.
    return Date.parse(`${facts.eventDay}T23:59:59.999Z`) < cutoff ? 'stale' : undefined;
  }
  const published = Date.parse(facts.published);
  return Number.isFinite(published) && published < cutoff ? 'stale' : undefined;
}

/** The day an event alert is dated by: the last its date allows. */
export const eventDayOf = (e: Pick<EventRecord, 'date'>): string => e.date.to;
