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

/** What matching needs to know of event types. */
export interface TypeRules {
  familyOf(type: string): string;
  /** whether an event of type `actual` answers an expectation of type `expected` */
  answers(actual: string, expected: string): boolean;
}

const typesOf = (e: Pick<ExtractedEvent, 'type' | 'types'>) => e.types ?? [e.type];

/**
 * How well `event` answers `expectation`: the expected parties take part (0.4), the type is
 * the expected one or answers it (a summit answers an expected meeting; an expected summit
 * is not answered by a preparatory meeting) (0.3), and the date falls inside the due window
 * (0.3). No shared party, no answering type or a date outside the window rules it out.
 */
export function scoreFulfilment(
  expectation: Pick<ExpectationRecord, 'types' | 'participants' | 'due'>,
  event: Pick<ExtractedEvent, 'type' | 'types' | 'family' | 'participants' | 'date'>,
  rules: TypeRules,
  nameOf: Names,
): Scored | undefined {
  const expected = expectation.participants;
  const present = expected.filter((p) => event.participants.includes(p));
  // One party of several is not the follow-up: Saudi Arabia at Yemen talks does not answer
  // an expected Saudi–Iran meeting.
  if (present.length < Math.min(2, expected.length)) return undefined;
  if (!overlaps(event.date, expectation.due)) return undefined;
  const types = typesOf(event);
  const exact = types.find((t) => expectation.types.includes(t));
  const answering = types.find((t) => expectation.types.some((x) => rules.answers(t, x)));
  if (!exact && !answering) return undefined;
  const reasons: string[] = [];
  let score = 0;
  if (present.length === expected.length) {
    score += 0.4;
    reasons.push(`parties: ${list(expected, nameOf)} all take part`);
  } else {
    score += 0.4 * (present.length / expected.length);
    reasons.push(`parties: ${list(present, nameOf)} of the expected ${list(expected, nameOf)} take part`);
  }
  if (exact) {
    score += 0.3;
    reasons.push(`type: ${exact}, as expected`);
  } else {
    score += 0.25;
    reasons.push(`type: ${answering!} answers the expected ${expectation.types.join('/')}`);
  }
  score += 0.3;
  reasons.push(
    `date: ${event.date.value} falls inside the window ${expectation.due.from} to ${expectation.due.to}`,
  );
  return { score: round(score), reasons };
}

/**
 * Whether two reports describe one event. Parties count by overlap with the shorter list
 * (one report names every delegation, the other only the hosts) (0.35); a type in common
 * (0.25; a report's types include all its headline and lead name, so the summit and the
 * declaration signed there meet) or answering or of one family (0.2), none rules it out;
 * dates at most `sameEventMaxDays` apart (0.3, less with the gap and when one report gives
 * no date of its own), two different days both stated to the day rule it out; the place
 * (0.1 the same, 0.05 when only one names it, -0.15 when they differ: not ruled out, as a
 * report may place an operation at sea and another at the capital that launched it).
 */
export function scoreSameEvent(
  a: Pick<ExtractedEvent, 'type' | 'types' | 'family' | 'participants' | 'date' | 'place'>,
  b: Pick<ExtractedEvent, 'type' | 'types' | 'family' | 'participants' | 'date' | 'place'>,
  thresholds: MatchThresholds,
  nameOf: Names,
  rules: TypeRules,
): Scored | undefined {
  const shared = a.participants.filter((p) => b.participants.includes(p));
  if (shared.length === 0) return undefined;
  const gap = dayGap(a.date, b.date);
  if (gap > thresholds.sameEventMaxDays) return undefined;
  // Two reports that each date the event to the day, to different days, tell of two events
  // (the preparatory meeting on Sunday, the summit on Monday).
  if (gap > 0 && a.date.precision === 'day' && b.date.precision === 'day') return undefined;
  const smaller = Math.min(a.participants.length, b.participants.length);
  const reasons: string[] = [];
  let score = 0.35 * (shared.length / smaller) * (smaller === 1 ? 0.8 : 1);
  reasons.push(`parties: ${list(shared, nameOf)} in both reports`);
  const ta = typesOf(a);
  const tb = typesOf(b);
  const common = ta.find((t) => tb.includes(t));
  const related = ta.some((x) => tb.some((y) => rules.answers(x, y) || rules.answers(y, x)));
  if (common) {
    score += 0.25;
    reasons.push(`type: both ${common}`);
  } else if (related || a.family === b.family) {
    score += 0.2;
    reasons.push(`type: ${a.type} and ${b.type}`);
  } else {
    return undefined;
  }
  const dated = a.date.precision !== 'reported' && b.date.precision !== 'reported';
  score += (dated ? 0.3 : 0.25) * (1 - gap / (thresholds.sameEventMaxDays + 1));
  reasons.push(gap === 0 ? `date: ${a.date.value} in both` : `date: ${a.date.value} and ${b.date.value}`);
  if (a.place && b.place) {
    if (a.place === b.place) {
      score += 0.1;
      reasons.push(`place: ${nameOf(a.place)} in both`);
    } else {
      score -= 0.15;
      reasons.push(`place: ${nameOf(a.place)} and ${nameOf(b.place)}`);
    }
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
  rules: TypeRules,
): Match | undefined {
  let best: Match | undefined;
  for (const c of candidates) {
    if (c.historical !== event.historical) continue;
    const s = scoreSameEvent(event, c, thresholds, nameOf, rules);
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
  rules: TypeRules,
  nameOf: Names,
): Match | undefined {
  let best: Match | undefined;
  for (const x of expectations) {
    if (x.state !== 'open') continue;
    const s = scoreFulfilment(x, event, rules, nameOf);
    if (s && s.score >= thresholds.fulfils && (!best || s.score > best.score)) {
      best = { kind: 'fulfils', targetId: x.id, score: s.score, reasons: s.reasons };
    }
  }
  return best;
}
