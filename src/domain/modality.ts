// Whether a sentence reports an event, looks ahead to it, or neither: the mode of each event
// word, read from the markers before it in its clause (لم، لن، سوف، من المقرر، "will not",
// "agreed to", "called for"), the future prefix on the word itself (سيلتقي) and the words
// after it («القمة المقبلة», "will be held"). Pure.
import type { ModalityMark } from './analyzer';

/**
 * reported: it happened (or is happening); future: it is ahead, an expectation; negated: it
 * did not or will not happen; appeal: somebody asked for it; possible: it may happen;
 * unplanned: it was planned once ("had been scheduled"); background: the article recounts it
 * («وكان الوزيران قد التقيا», "had met"), it is not the news.
 */
export type Mode = 'reported' | 'future' | 'negated' | 'appeal' | 'possible' | 'unplanned' | 'background';

export interface Marker {
  mark: ModalityMark | 'futureAfter' | 'pastAfter';
  /** token index of the marker's first and last token */
  from: number;
  to: number;
}

export interface ModeInput {
  /** token index of the event word */
  at: number;
  /** the event word carried the future prefix س */
  prefixed: boolean;
  markers: readonly Marker[];
  /** token index of each clause break (a comma, a semicolon) */
  breaks: readonly number[];
  /** how many tokens a marker reaches */
  reach: number;
  /** a date after the article's own stands in the event word's clause */
  datedAhead: boolean;
  /** the event word is in a headline and "to" stands right before it ("Jubeir to visit Moscow") */
  headlineTo: boolean;
}

const PRIORITY: Record<Marker['mark'], number> = {
  wasPlanned: 7,
  negator: 6,
  calledFor: 5,
  hypothetical: 4,
  background: 3,
  agreedTo: 3,
  preparation: 3,
  future: 2,
  futureAfter: 2,
  pastAfter: 3,
};

/**
 * How far a marker reaches: a negation or a hedge the next few words; a cue that sets the
 * sentence ahead («ومن المقرر أن يتوجه الوزير ... في زيارة يلتقي خلالها») and background
 * («وكان الوزيران قد التقيا») the rest of their clause.
 */
export function reachOf(mark: Marker['mark'], reach: number): number {
  if (mark === 'background') return Number.POSITIVE_INFINITY;
  if (mark === 'future' || mark === 'agreedTo' || mark === 'preparation') return 3 * reach;
  return reach;
}

export function modeOf(m: ModeInput): Mode {
  const inClause = (a: number, b: number) => !m.breaks.some((x) => x > Math.min(a, b) && x <= Math.max(a, b));
  const before = m.markers.filter(
    // a marker may end on the event word itself ("had met")
    // A marker may end on the event word itself ("had met"); background («وكان ...») holds for
    // its whole clause.
    (x) =>
      x.mark !== 'futureAfter' &&
      x.mark !== 'pastAfter' &&
      // «كان من المقرر», "had been scheduled" also follow their event word
      (x.mark !== 'wasPlanned' || x.from < m.at) &&
      x.from < m.at &&
      m.at - x.to <= reachOf(x.mark, m.reach) &&
      inClause(x.from, m.at),
  );
  const after = m.markers.filter(
    // after the word, past the adjectives that describe it («القمة الثلاثية المصرية ... المقرر»)
    (x) =>
      (x.mark === 'futureAfter' || x.mark === 'pastAfter' || x.mark === 'wasPlanned') &&
      x.from > m.at &&
      x.from - m.at <= m.reach &&
      inClause(m.at, x.from),
  );
  const marks = [...before, ...after].sort((a, b) => PRIORITY[b.mark] - PRIORITY[a.mark]);
  const strongest = marks[0]?.mark;
  switch (strongest) {
    case 'wasPlanned':
      return 'unplanned';
    case 'negator':
      return 'negated';
    case 'calledFor':
      return 'appeal';
    case 'hypothetical':
      return 'possible';
    case 'background':
    case 'pastAfter':
      return 'background';
    case 'agreedTo':
    case 'preparation':
    case 'future':
    case 'futureAfter':
      return 'future';
    default:
      return m.prefixed || m.datedAhead || m.headlineTo ? 'future' : 'reported';
  }
}
