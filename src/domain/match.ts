// Links a new event to the event base: another report of a known event (same_event) or the
// follow-up an open expectation waited for (fulfils). Each decision needs evidence that adds
// up: rules say what can never be the same occurrence, a logistic model fitted on labelled dev
// data (data/match-model.json, `npm run fit`) weighs what is left. Pure: candidates come in as
// data; every decision carries its score and its reasons.
import { daysBetween, overlaps } from './dates';
import { cosine, sharedTerms } from './signature';
import { sameName } from './skeleton';
import type { EventRecord, ExpectationRecord, ExtractedEvent, Match } from './types';
import { eventDateWords, windowWords } from './wording';

export interface MatchThresholds {
  /** the probability a same_event link needs; the model's threshold when absent */
  sameEvent?: number | undefined;
  fulfils?: number | undefined;
  related: number;
  /** two reports more than this many days apart are never the same event */
  sameEventMaxDays: number;
}

export const DEFAULT_THRESHOLDS: MatchThresholds = { related: 0.4, sameEventMaxDays: 2 };

/** A logistic model: the probability is 1 / (1 + e^-(bias + Σ weight × feature)). */
export interface LinearModel {
  bias: number;
  weights: Record<string, number>;
  /** the probability a link needs, chosen on dev data with the weights */
  threshold: number;
}

export interface MatchModel {
  sameEvent: LinearModel;
  fulfils: LinearModel;
  /** what the weights were fitted on, and the precision and recall measured there */
  fitted?: unknown;
}

/** Weights set by hand, in force until a fitted model is loaded. */
export const DEFAULT_MODEL: MatchModel = {
  sameEvent: {
    threshold: 0.5,
    bias: -4,
    weights: {
      partyOverlap: 1.5,
      sharedParties: 1,
      sharedPeople: 1.5,
      cosine: 6,
      typeSame: 1,
      typeRelated: 0.5,
      dateClose: 1,
      placeSame: 0.5,
      placeDiffers: -1,
      ordinalSame: 1,
      sharedNumbers: 0.5,
      spoken: -1,
    },
  },
  fulfils: {
    threshold: 0.5,
    bias: -3,
    weights: {
      allParties: 1.5,
      partyShare: 1,
      exactParties: 1,
      sharedPeople: 1.5,
      cosine: 5,
      typeSame: 1,
      placeSame: 0.5,
      windowTight: 1,
      stated: 1,
      lead: 0.5,
      ordinalSame: 1.5,
      first: 1,
    },
  },
};

export interface Scored {
  score: number;
  reasons: string[];
  features: Record<string, number>;
}

type Names = (id: string) => string;

/** What matching needs to know of event types. */
export interface TypeRules {
  familyOf(type: string): string;
  /** whether an event of type `actual` answers an expectation of type `expected` */
  answers(actual: string, expected: string): boolean;
  /** whether a root is of words rather than deeds: two statements of one party are rarely one occasion */
  spokenRoot(root: string): boolean;
}

/** An event as matching compares it: what it was read as, and the words of its report. */
export type Comparable = Pick<
  EventRecord,
  | 'type'
  | 'types'
  | 'family'
  | 'participants'
  | 'actors'
  | 'names'
  | 'ordinals'
  | 'date'
  | 'place'
  | 'signature'
  | 'numbers'
  | 'preview'
>;

const list = (ids: string[], nameOf: Names) => ids.map(nameOf).join(', ');
const round = (x: number) => Math.round(x * 1000) / 1000;
const typesOf = (e: Pick<ExtractedEvent, 'type' | 'types'>) => e.types ?? [e.type];
/** Roots of violence and of talks: a strike is never the meeting about it. */
const VIOLENT = new Set(['assault', 'fight', 'mass-violence', 'coerce']);

export function probability(model: LinearModel, features: Record<string, number>): number {
  let z = model.bias;
  for (const [k, w] of Object.entries(model.weights)) z += w * (features[k] ?? 0);
  return 1 / (1 + Math.exp(-z));
}

/** People both name: gazetteer persons, and last names read after a title. */
function sharedPeople(
  a: Pick<Comparable, 'actors' | 'names'>,
  b: Pick<Comparable, 'actors' | 'names'>,
): string[] {
  const actors = a.actors.filter((x) => b.actors.includes(x));
  // in either script: «جبير» in one report, "Jubeir" in the other
  const names = (a.names ?? []).filter((x) => (b.names ?? []).some((y) => sameName(x, y)));
  return [...actors, ...names];
}

/** Days between two date spans; zero when they overlap. */
function dayGap(a: { from: string; to: string }, b: { from: string; to: string }): number {
  if (overlaps(a, b)) return 0;
  return a.to < b.from ? daysBetween(a.to, b.from) : daysBetween(b.to, a.from);
}

/**
 * The features of a pair of reports, or why they cannot be one occurrence: more than
 * `maxDays` apart; dated to two different days; two different rounds; violence and talks;
 * and no evidence beyond one shared party (issue 12: a party, a type and a three-day window
 * are never enough). Evidence is a second shared party, a person both name, the same round,
 * the same place on the same day, words in common (cosine), or numbers in common.
 */
export function sameEventFeatures(
  a: Comparable,
  b: Comparable,
  maxDays: number,
  rules: TypeRules,
): { features: Record<string, number>; shared: string[]; people: string[] } | { ruledOut: string } {
  const gap = dayGap(a.date, b.date);
  if (gap > maxDays) return { ruledOut: `dates ${gap} days apart` };
  // Two calendar dates tell two occasions; a "yesterday" is only as good as the feed's date.
  if (
    gap > 0 &&
    a.date.precision === 'day' &&
    b.date.precision === 'day' &&
    !a.date.relative &&
    !b.date.relative
  )
    return { ruledOut: `dated to two days, ${a.date.value} and ${b.date.value}` };
  const oa = a.ordinals ?? [];
  const ob = b.ordinals ?? [];
  if (oa.length && ob.length && !oa.some((o) => ob.includes(o)))
    return { ruledOut: `round ${oa.join('/')} and round ${ob.join('/')}` };
  if (VIOLENT.has(a.family) !== VIOLENT.has(b.family)) return { ruledOut: `a ${a.type} and a ${b.type}` };
  const shared = a.participants.filter((p) => b.participants.includes(p));
  const people = sharedPeople(a, b);
  const cos = cosine(a.signature, b.signature);
  const numbers = (a.numbers ?? []).filter(
    (n) => (b.numbers ?? []).includes(n) && Number(n) > 1 && Number(n) < 1900,
  );
  const samePlace = a.place !== undefined && a.place === b.place;
  const ordinalSame = oa.some((o) => ob.includes(o));
  const evidence =
    shared.length >= 2 ||
    people.length > 0 ||
    cos >= 0.25 ||
    (shared.length >= 1 &&
      (ordinalSame || numbers.length > 0 || (samePlace && gap === 0 && a.date.precision === 'day')));
  if (!evidence) return { ruledOut: 'nothing in common beyond one party, a type and the days' };
  const ta = typesOf(a);
  const tb = typesOf(b);
  const typeSame = ta.some((t) => tb.includes(t));
  const typeRelated =
    !typeSame &&
    (a.family === b.family || ta.some((x) => tb.some((y) => rules.answers(x, y) || rules.answers(y, x))));
  const smaller = Math.min(a.participants.length, b.participants.length);
  return {
    shared,
    people,
    features: {
      partyOverlap: smaller === 0 ? 0 : shared.length / smaller,
      sharedParties: Math.min(shared.length, 3) / 3,
      sharedPeople: Math.min(people.length, 2) / 2,
      cosine: cos,
      typeSame: typeSame ? 1 : 0,
      typeRelated: typeRelated ? 1 : 0,
      dateClose: 1 - gap / (maxDays + 1),
      placeSame: samePlace ? 1 : 0,
      placeDiffers: a.place && b.place && a.place !== b.place ? 1 : 0,
      ordinalSame: ordinalSame ? 1 : 0,
      sharedNumbers: Math.min(numbers.length, 3) / 3,
      spoken: rules.spokenRoot(a.family) && rules.spokenRoot(b.family) ? 1 : 0,
    },
  };
}

/** Whether two reports describe one event, with the probability the model gives and its reasons. */
export function scoreSameEvent(
  a: Comparable,
  b: Comparable,
  thresholds: MatchThresholds,
  nameOf: Names,
  rules: TypeRules,
  model: LinearModel = DEFAULT_MODEL.sameEvent,
): Scored | undefined {
  const f = sameEventFeatures(a, b, thresholds.sameEventMaxDays, rules);
  if ('ruledOut' in f) return undefined;
  const reasons: string[] = [];
  if (f.shared.length) reasons.push(`parties: ${list(f.shared, nameOf)} in both reports`);
  if (f.people.length) reasons.push(`people: ${list(f.people, nameOf)} named in both`);
  const words = sharedTerms(a.signature, b.signature);
  if (f.features.cosine! > 0)
    reasons.push(`words: ${f.features.cosine!.toFixed(2)} alike (${words.join(', ')})`);
  reasons.push(f.features.typeSame ? `type: both ${a.type}` : `type: ${a.type} and ${b.type}`);
  reasons.push(
    a.date.value === b.date.value
      ? `date: ${eventDateWords(a.date)} in both`
      : `date: ${eventDateWords(a.date)} and ${eventDateWords(b.date)}`,
  );
  if (f.features.placeSame) reasons.push(`place: ${nameOf(a.place!)} in both`);
  if (f.features.placeDiffers) reasons.push(`place: ${nameOf(a.place!)} and ${nameOf(b.place!)}`);
  if (f.features.ordinalSame) reasons.push(`round: ${(a.ordinals ?? []).join('/')} in both`);
  return { score: round(probability(model, f.features)), reasons, features: f.features };
}

/** The best same_event match of `event` among `candidates`, if one passes the threshold. */
export function matchEvent(
  event: Comparable & { historical: boolean },
  candidates: readonly EventRecord[],
  thresholds: MatchThresholds,
  nameOf: Names,
  rules: TypeRules,
  model: LinearModel = DEFAULT_MODEL.sameEvent,
): Match | undefined {
  let best: Match | undefined;
  for (const c of candidates) {
    if (c.historical !== event.historical) continue;
    const s = scoreSameEvent(event, c, thresholds, nameOf, rules, model);
    if (s && s.score >= (thresholds.sameEvent ?? model.threshold) && (!best || s.score > best.score)) {
      best = { kind: 'same_event', targetId: c.id, score: s.score, reasons: s.reasons };
    }
  }
  return best;
}

/** An expectation as fulfilment compares it. */
export type Awaited = Pick<
  ExpectationRecord,
  | 'types'
  | 'participants'
  | 'due'
  | 'actors'
  | 'names'
  | 'place'
  | 'signature'
  | 'horizon'
  | 'lead'
  | 'ordinals'
>;

/**
 * The features of an event against an expectation, or why it cannot be its follow-up: its
 * date outside the window, a type that does not answer the expected one, and parties: every
 * expected party, or at least two of them, or one with a person both name (the Saudi minister
 * the Russian ministry said would come, named in the report of his Moscow talks); an
 * expectation of one party only needs that person too.
 */
export function fulfilmentFeatures(
  x: Awaited,
  e: Comparable,
  rules: TypeRules,
  /** no earlier event of the expected parties answered it since it was stated */
  first = false,
):
  | { features: Record<string, number>; present: string[]; people: string[]; answering: string }
  | { ruledOut: string } {
  if (!overlaps(e.date, x.due))
    return { ruledOut: `${e.date.value} is outside ${x.due.from} to ${x.due.to}` };
  if (e.preview) return { ruledOut: `a ${e.type} ahead of the event itself` };
  const ox = x.ordinals ?? [];
  const oe = e.ordinals ?? [];
  if (ox.length && oe.length && !ox.some((o) => oe.includes(o)))
    return { ruledOut: `round ${oe.join('/')} is not the expected round ${ox.join('/')}` };
  const types = typesOf(e);
  const answering =
    types.find((t) => x.types.includes(t)) ?? types.find((t) => x.types.some((w) => rules.answers(t, w)));
  if (!answering) return { ruledOut: `a ${e.type} does not answer an expected ${x.types.join('/')}` };
  const present = x.participants.filter((p) => e.participants.includes(p));
  const people = sharedPeople({ actors: x.actors ?? [], names: x.names ?? [] }, e);
  const enough =
    present.length >= Math.min(2, x.participants.length) || (present.length >= 1 && people.length > 0);
  if (!enough)
    return { ruledOut: `parties: ${present.length} of ${x.participants.length} expected take part` };
  // One party alone ("the US", "Egypt") is in half the news: it needs a person both name, or a
  // day stated for it and an event of the very type on that day (the verdict set for 29 July,
  // OPEC+'s meeting on Sunday).
  const onTheDay =
    x.horizon !== 'default' && daysBetween(x.due.from, x.due.to) <= 2 && x.types.includes(e.type);
  if (x.participants.length < 2 && people.length === 0 && !onTheDay)
    return { ruledOut: 'one expected party and no person named in both' };
  // …and words in common or a window of days: a name alone («كيري») is in every story of his tour.
  const tight = daysBetween(x.due.from, x.due.to) <= 14;
  if (x.participants.length < 2 && !tight && cosine(x.signature, e.signature) < 0.2)
    return { ruledOut: 'one expected party, a long window and too few words in common' };
  const cos = cosine(x.signature, e.signature);
  const days = Math.max(1, daysBetween(x.due.from, x.due.to));
  return {
    present,
    people,
    answering,
    features: {
      allParties: present.length === x.participants.length && present.length >= 2 ? 1 : 0,
      partyShare: present.length / Math.max(1, x.participants.length),
      // the report names the expected parties and no others: the bilateral meeting itself
      exactParties:
        present.length === x.participants.length && e.participants.length === present.length ? 1 : 0,
      sharedPeople: Math.min(people.length, 2) / 2,
      cosine: cos,
      // the report leads with the expected type, not only names it
      typeSame: x.types.includes(e.type) ? 1 : 0,
      placeSame: x.place !== undefined && x.place === e.place ? 1 : 0,
      // a window of days ("on Tuesday") says more than one of months
      windowTight: days <= 14 ? 1 : days <= 45 ? 0.5 : 0,
      // the text gave a date or a horizon, not silence
      stated: x.horizon === 'default' ? 0 : 1,
      lead: x.lead ? 1 : 0,
      // the round expected is the round held ("the third round", «الجولة الثالثة»): evidence in any language
      ordinalSame: ox.some((o) => oe.includes(o)) ? 1 : 0,
      // the first time since the expectation that the expected parties met in the expected way
      first: first ? 1 : 0,
    },
  };
}

/** How well `event` answers `expectation`, with the model's probability and the reasons. */
export function scoreFulfilment(
  expectation: Awaited,
  event: Comparable,
  rules: TypeRules,
  nameOf: Names,
  model: LinearModel = DEFAULT_MODEL.fulfils,
  first = false,
): Scored | undefined {
  const f = fulfilmentFeatures(expectation, event, rules, first);
  if ('ruledOut' in f) return undefined;
  const expected = expectation.participants;
  const reasons = [
    f.present.length === expected.length
      ? `parties: ${list(expected, nameOf)} all take part`
      : `parties: ${list(f.present, nameOf)} of the expected ${list(expected, nameOf)} take part`,
  ];
  if (f.people.length) reasons.push(`people: ${list(f.people, nameOf)} named in both`);
  reasons.push(
    f.features.typeSame
      ? `type: ${f.answering}, as expected`
      : `type: ${f.answering} answers the expected ${expectation.types.join('/')}`,
  );
  reasons.push(`date: ${eventDateWords(event.date)} falls inside the window ${windowWords(expectation.due)}`);
  if (f.features.cosine! > 0)
    reasons.push(
      `words: ${f.features.cosine!.toFixed(2)} alike (${sharedTerms(expectation.signature, event.signature).join(', ')})`,
    );
  return { score: round(probability(model, f.features)), reasons, features: f.features };
}

/** The open expectation `event` fulfils best, if one passes the threshold. */
export function bestFulfilment(
  event: Comparable,
  expectations: readonly ExpectationRecord[],
  thresholds: MatchThresholds,
  rules: TypeRules,
  nameOf: Names,
  model: LinearModel = DEFAULT_MODEL.fulfils,
  /** the expectations this event is the first answer to (see `first` of fulfilmentFeatures) */
  firsts: ReadonlySet<string> = new Set(),
): Match | undefined {
  let best: Match | undefined;
  for (const x of expectations) {
    if (x.state !== 'open') continue;
    const s = scoreFulfilment(x, event, rules, nameOf, model, firsts.has(x.id));
    if (s && s.score >= (thresholds.fulfils ?? model.threshold) && (!best || s.score > best.score)) {
      best = { kind: 'fulfils', targetId: x.id, score: s.score, reasons: s.reasons };
    }
  }
  return best;
}
