// Scores a new event against the event base: another report of a known event (same_event),
// the follow-up an open expectation waited for (fulfils), or the same parties only (related).
// Pure: candidates come in as data; every decision carries its score and its reasons.
import { daysBetween, overlaps } from './dates';
import type { EventRecord, ExpectationRecord, ExtractedEvent, Match } from './types';

export interface MatchThresholds {
  sameEvent: number;
  fulfils: number;
  related: number;
  /** two reports more than this many days apart are never the same event */
  sameEventMaxDays: number;
}

export const DEFAULT_THRESHOLDS: MatchThresholds = {
  sameEvent: 0.75,
  fulfils: 0.8,
  related: 0.4,
  sameEventMaxDays: 2,
};

export interface Scored {
  score: number;
  reasons: string[];
}

type Names = (id: string) => string;

const list = (ids: string[], nameOf: Names) => ids.map(nameOf).join(', ');
const round = (x: number) => Math.round(x * 100) / 100;

/**
 * How well `event` answers `expectation`: the expected parties take part (0.4), the type is
 * the expected one or of its family (0.3), and the date falls inside the due window (0.3).
 * No shared party or a date outside the window rules it out.
 */
export function scoreFulfilment(
  expectation: Pick<ExpectationRecord, 'types' | 'participants' | 'due'>,
  event: Pick<ExtractedEvent, 'type' | 'family' | 'participants' | 'date'>,
  familyOf: (type: string) => string,
  nameOf: Names,
): Scored | undefined {
  const expected = expectation.participants;
  const present = expected.filter((p) => event.participants.includes(p));
  if (present.length === 0) return undefined;
  if (!overlaps(event.date, expectation.due)) return undefined;
  const reasons: string[] = [];
  let score = 0;
  if (present.length === expected.length) {
    score += 0.4;
    reasons.push(`parties: ${list(expected, nameOf)} all take part`);
  } else {
    score += 0.4 * (present.length / expected.length);
    reasons.push(`parties: ${list(present, nameOf)} of the expected ${list(expected, nameOf)} take part`);
  }
  if (expectation.types.includes(event.type)) {
    score += 0.3;
    reasons.push(`type: ${event.type}, as expected`);
  } else if (expectation.types.some((t) => familyOf(t) === event.family)) {
    score += 0.25;
    reasons.push(`type: ${event.type} answers the expected ${expectation.types.join('/')} (${event.family})`);
  } else {
    reasons.push(`type: ${event.type} is not the expected ${expectation.types.join('/')}`);
  }
  score += 0.3;
  reasons.push(
    `date: ${event.date.value} falls inside the window ${expectation.due.from} to ${expectation.due.to}`,
  );
  return { score: round(score), reasons };
}

/**
 * Whether two reports describe one event: same type family, the same parties (Jaccard),
 * dates at most `sameEventMaxDays` apart, and the same place when both name one.
 */
export function scoreSameEvent(
  a: Pick<ExtractedEvent, 'type' | 'family' | 'participants' | 'date' | 'place'>,
  b: Pick<ExtractedEvent, 'type' | 'family' | 'participants' | 'date' | 'place'>,
  thresholds: MatchThresholds,
  nameOf: Names,
): Scored | undefined {
  if (a.family !== b.family) return undefined;
  const shared = a.participants.filter((p) => b.participants.includes(p));
  if (shared.length === 0) return undefined;
  const gap = dayGap(a.date, b.date);
  if (gap > thresholds.sameEventMaxDays) return undefined;
  const union = new Set([...a.participants, ...b.participants]).size;
  const reasons: string[] = [];
  let score = 0.35 * (shared.length / union);
  reasons.push(`parties: ${list(shared, nameOf)} in both reports`);
  score += a.type === b.type ? 0.25 : 0.15;
  reasons.push(a.type === b.type ? `type: both ${a.type}` : `type: ${a.type} and ${b.type} (${a.family})`);
  score += 0.3 * (1 - gap / (thresholds.sameEventMaxDays + 1));
  reasons.push(gap === 0 ? `date: ${a.date.value} in both` : `date: ${a.date.value} and ${b.date.value}`);
  if (a.place && b.place) {
    if (a.place !== b.place) return undefined;
    score += 0.1;
    reasons.push(`place: ${nameOf(a.place)} in both`);
  } else {
    score += 0.05;
  }
  return { score: round(score), reasons };
}

/** Days between two date spans; zero when they overlap. */
function dayGap(a: { from: string; to: string }, b: { from: string; to: string }): number {
  if (overlaps(a, b)) return 0;
  return a.to < b.from ? daysBetween(a.to, b.from) : daysBetween(b.to, a.from);
}

/** The best same_event or related match of `event` among `candidates`, if any passes its threshold. */
export function matchEvent(
  event: ExtractedEvent,
  candidates: readonly EventRecord[],
  thresholds: MatchThresholds,
  nameOf: Names,
): Match | undefined {
  let best: Match | undefined;
  for (const c of candidates) {
    if (c.historical !== event.historical) continue;
    const s = scoreSameEvent(event, c, thresholds, nameOf);
    if (s && s.score >= thresholds.sameEvent && (!best || s.score > best.score)) {
      best = { kind: 'same_event', targetId: c.id, score: s.score, reasons: s.reasons };
    }
  }
  return best;
}

/** The open expectation `event` fulfils best, if one passes the threshold. */
export function bestFulfilment(
  event: ExtractedEvent,
  expectations: readonly ExpectationRecord[],
  thresholds: MatchThresholds,
  familyOf: (type: string) => string,
  nameOf: Names,
): Match | undefined {
  let best: Match | undefined;
  for (const x of expectations) {
    if (x.state !== 'open') continue;
    const s = scoreFulfilment(x, event, familyOf, nameOf);
    if (s && s.score >= thresholds.fulfils && (!best || s.score > best.score)) {
      best = { kind: 'fulfils', targetId: x.id, score: s.score, reasons: s.reasons };
    }
  }
  return best;
}
