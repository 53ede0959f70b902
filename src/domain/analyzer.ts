// Compiles the gazetteer and the lexicon once into the matchers extraction applies per
// article (STYLE.md principle 3): compile at start, match many.
import { compileDateReader, type DateReader } from './dates';
import { compileGazetteer, type EntityDef, type Gazetteer } from './gazetteer';
import { both, type Horizon, type Lexicon } from './lexicon';
import type { MatchModel } from './match';
import { compilePhrases, type PhraseMatcher } from './phrases';
import { normalize, tokenize } from './text';

/** How a sentence holds an event word: see `modality` in data/lexicon.yml. */
export type ModalityMark =
  | 'negator'
  | 'future'
  | 'agreedTo'
  | 'calledFor'
  | 'hypothetical'
  | 'preparation'
  | 'background'
  | 'wasPlanned';

export type ArticleKindMark = 'sports' | 'economy' | 'opinion';

export interface Analyzer {
  gazetteer: Gazetteer;
  dates: DateReader;
  triggers: PhraseMatcher<string>;
  /** verbs that are events with their object (see `frames` in the lexicon) */
  frames: { type: string; verbs: PhraseMatcher<true>; objects: PhraseMatcher<true>; within: number }[];
  modality: PhraseMatcher<ModalityMark>;
  futureAfter: PhraseMatcher<true>;
  pastAfter: PhraseMatcher<true>;
  modalityReach: number;
  cancellations: PhraseMatcher<true>;
  topicMarkers: PhraseMatcher<true>;
  partyReferences: PhraseMatcher<true>;
  personTitles: PhraseMatcher<true>;
  nameStops: ReadonlySet<string>;
  kindMarkers: PhraseMatcher<ArticleKindMark>;
  kindShares: Readonly<Partial<Record<ArticleKindMark, number>>>;
  reportingVerbs: PhraseMatcher<true>;
  /** ordinal words to their number (الثانية → 2, "second" → 2) */
  ordinals: ReadonlyMap<string, number>;
  horizons: PhraseMatcher<Horizon>;
  placeholders: string[];
  /** the CAMEO root (or our own) a type sits beneath; named `family` in records */
  familyOf(type: string): string;
  /** whether a root is of words rather than deeds (`spoken` in the lexicon) */
  spokenRoot(root: string): boolean;
  /** whether an event of type `actual` answers an expectation of type `expected` */
  answers(actual: string, expected: string): boolean;
  /** event types and roots, for filters that accept either */
  typeNames: readonly string[];
  rootNames: readonly string[];
  recencyDays: number;
  reportedSlackDays: number;
  defaultHorizonDays: number;
  nameOf(entityId: string): string;
  /** the fitted matching model, when one was loaded */
  model?: MatchModel | undefined;
}

const flag = (list: string[]): [string, true][] => list.map((w) => [w, true]);

export function compileAnalyzer(entities: readonly EntityDef[], lex: Lexicon, model?: MatchModel): Analyzer {
  const gazetteer = compileGazetteer(entities);
  const families = new Map(Object.entries(lex.eventTypes).map(([t, d]) => [t, d.root]));
  const answers = new Map(Object.entries(lex.eventTypes).map(([t, d]) => [t, new Set(d.answers ?? [])]));
  const modality = Object.entries(lex.modality).flatMap(([mark, words]) =>
    mark === 'futureAfter' || mark === 'pastAfter'
      ? []
      : both(words).map((w): [string, ModalityMark] => [
          w,
          (mark === 'negators' ? 'negator' : mark) as ModalityMark,
        ]),
  );
  const ordinals = new Map<string, number>();
  lex.ordinals.forEach((o, i) => {
    for (const w of both(o)) ordinals.set(normalize(w), i + 1);
  });
  const kindShares = Object.fromEntries(
    Object.entries(lex.articleKinds).map(([k, d]) => [k, d.minShare]),
  ) as Partial<Record<ArticleKindMark, number>>;
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
      hijriMonths: (lex.hijriMonths ?? []).map(both),
    }),
    triggers: compilePhrases(
      Object.entries(lex.eventTypes).flatMap(([type, d]) => both(d).map((w): [string, string] => [w, type])),
      true,
    ),
    frames: lex.frames.map((f) => ({
      type: f.type,
      verbs: compilePhrases(flag(both(f.verbs))),
      objects: compilePhrases(flag(both(f.objects)), true),
      within: f.within,
    })),
    modality: compilePhrases(modality),
    futureAfter: compilePhrases(flag(both(lex.modality.futureAfter))),
    pastAfter: compilePhrases(flag(both(lex.modality.pastAfter))),
    modalityReach: lex.modalityReach,
    cancellations: compilePhrases(flag(both(lex.cancellations))),
    topicMarkers: compilePhrases(flag(both(lex.topicMarkers))),
    partyReferences: compilePhrases(flag(both(lex.partyReferences))),
    personTitles: compilePhrases(flag(both(lex.personTitles))),
    nameStops: new Set(both(lex.nameStops).flatMap((w) => tokenize(normalize(w)).map((t) => t.text))),
    kindMarkers: compilePhrases(
      Object.entries(lex.articleKinds).flatMap(([kind, d]) =>
        both(d).map((w): [string, ArticleKindMark] => [w, kind as ArticleKindMark]),
      ),
    ),
    kindShares,
    reportingVerbs: compilePhrases(flag(both(lex.reportingVerbs))),
    ordinals,
    horizons: compilePhrases(lex.horizons.flatMap((h) => both(h).map((w): [string, Horizon] => [w, h]))),
    placeholders: lex.placeholders.map(normalize),
    familyOf: (type) => families.get(type) ?? type,
    spokenRoot: (root) => lex.roots[root]?.spoken === true,
    answers: (actual, expected) => actual === expected || (answers.get(actual)?.has(expected) ?? false),
    typeNames: Object.keys(lex.eventTypes),
    rootNames: Object.keys(lex.roots),
    recencyDays: lex.recencyDays,
    reportedSlackDays: lex.reportedSlackDays,
    defaultHorizonDays: lex.defaultHorizonDays,
    model,
    nameOf(id) {
      const d = gazetteer.get(id);
      return d?.names.en?.[0] ?? d?.names.ar?.[0] ?? id;
    },
  };
}
