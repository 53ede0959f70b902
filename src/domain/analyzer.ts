// Compiles the gazetteer and the lexicon once into the matchers extraction applies per
// article (STYLE.md principle 3): compile at start, match many.
import { compileDateReader, type DateReader } from './dates';
import { compileGazetteer, type EntityDef, type Gazetteer } from './gazetteer';
import { both, type Horizon, type Lexicon } from './lexicon';
import { compilePhrases, type PhraseMatcher } from './phrases';
import { normalize } from './text';

export interface Analyzer {
  gazetteer: Gazetteer;
  dates: DateReader;
  triggers: PhraseMatcher<string>;
  cues: PhraseMatcher<true>;
  /** cues that qualify a noun (the next round) rather than open a clause */
  nounCues: PhraseMatcher<true>;
  cancellations: PhraseMatcher<true>;
  topicMarkers: PhraseMatcher<true>;
  hedges: PhraseMatcher<true>;
  partyReferences: PhraseMatcher<true>;
  horizons: PhraseMatcher<Horizon>;
  placeholders: string[];
  familyOf(type: string): string;
  /** whether an event of type `actual` answers an expectation of type `expected` */
  answers(actual: string, expected: string): boolean;
  recencyDays: number;
  reportedSlackDays: number;
  defaultHorizonDays: number;
  nameOf(entityId: string): string;
}

const flag = (list: string[]): [string, true][] => list.map((w) => [w, true]);

export function compileAnalyzer(entities: readonly EntityDef[], lex: Lexicon): Analyzer {
  const gazetteer = compileGazetteer(entities);
  const families = new Map(Object.entries(lex.eventTypes).map(([t, d]) => [t, d.family]));
  const answers = new Map(Object.entries(lex.eventTypes).map(([t, d]) => [t, new Set(d.answers ?? [])]));
  return {
    gazetteer,
    dates: compileDateReader({
      months: lex.months.map(both),
      relativeDays: lex.relativeDays.map((r) => ({ offset: r.offset, words: both(r) })),
      weekdays: lex.weekdays.map(both),
      ambiguousWeekdays: lex.ambiguousWeekdays,
      weekdayContext: both(lex.weekdayContext),
      weekdayFuture: both(lex.weekdayFuture),
      weekdayPast: both(lex.weekdayPast),
      ordinalDays: lex.ordinalDays.map(both),
    }),
    triggers: compilePhrases(
      Object.entries(lex.eventTypes).flatMap(([type, d]) => both(d).map((w): [string, string] => [w, type])),
      true,
    ),
    cues: compilePhrases(flag(both(lex.expectationCues))),
    nounCues: compilePhrases(flag(both(lex.nounCues))),
    cancellations: compilePhrases(flag(both(lex.cancellations))),
    topicMarkers: compilePhrases(flag(both(lex.topicMarkers))),
    hedges: compilePhrases(flag(both(lex.hedges))),
    partyReferences: compilePhrases(flag(both(lex.partyReferences))),
    horizons: compilePhrases(lex.horizons.flatMap((h) => both(h).map((w): [string, Horizon] => [w, h]))),
    placeholders: lex.placeholders.map(normalize),
    familyOf: (type) => families.get(type) ?? type,
    answers: (actual, expected) => actual === expected || (answers.get(actual)?.has(expected) ?? false),
    recencyDays: lex.recencyDays,
    reportedSlackDays: lex.reportedSlackDays,
    defaultHorizonDays: lex.defaultHorizonDays,
    nameOf(id) {
      const d = gazetteer.get(id);
      return d?.names.en?.[0] ?? d?.names.ar?.[0] ?? id;
    },
  };
}
