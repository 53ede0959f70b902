// Reads one sentence: its entity mentions, event words with their mode (reported, ahead,
// denied, asked for, possible), dates, people named after titles, ordinals of rounds and
// sessions, and where its clauses break. Pure: sentence and reference day in, facts out.
import { durationHorizon } from './durations';
import type { Analyzer } from './analyzer';
import { addDays, type DateMention, type Day } from './dates';
import type { EntityMention } from './gazetteer';
import type { Horizon } from './lexicon';
import { modeOf, reachOf, type Marker, type Mode } from './modality';
import { personKeys } from './persons';
import { cliticForms, isArabic, normalize, tokenize, type Token } from './text';

export interface Trigger {
  type: string;
  /** offset in the normalised sentence */
  start: number;
  /** token index */
  at: number;
  mode: Mode;
  /**
   * Offset where the sentence starts to look ahead for it (the cue «من المتوقع أن», "will"), or
   * the word itself: a date before it dates the report («أفادت تقارير اليوم الخميس بأنه من
   * المتوقع ...»), not what is expected.
   */
  cueAt: number;
}

export interface Facts {
  index: number;
  raw: string;
  tokens: Token[];
  mentions: EntityMention[];
  parties: string[];
  actors: string[];
  places: string[];
  placeMentions: { entityId: string; start: number }[];
  /** last names of people named after a title, whom the gazetteer does not know */
  names: string[];
  triggers: Trigger[];
  dates: DateMention[];
  /** the sentence calls an event off (postponed, cancelled) */
  cancelled: boolean;
  /** offset from which entities are what was discussed, not who took part */
  topicFrom: number;
  refersToParties: boolean;
  horizon?: Horizon | undefined;
  /** offsets of clause punctuation (، , ؛ ; :) in the normalised sentence */
  clauseBreaks: number[];
  /** ordinal numbers of rounds and sessions named ("the second round", «الدورة الـ46») */
  ordinals: number[];
  /** it tells of a step before an event ahead ("ahead of the summit", «اجتماعا تحضيريا») */
  prepares: boolean;
}

/** Sentences this far into an article may be its lead (after a byline or a caption). */
const LEAD_READ = 4;

/** Nouns an ordinal tells apart: the second round, the 46th session. */
const ROUND_NOUNS = new Set([
  'جوله',
  'الجوله',
  'دوره',
  'الدوره',
  'جلسه',
  'الجلسه',
  'نسخه',
  'النسخه',
  'اجتماع',
  'الاجتماع',
  'قمه',
  'القمه',
  'مؤتمر',
  'الموتمر',
  'موتمر',
  'حوار',
  'الحوار',
  'round',
  'session',
  'edition',
  'meeting',
  'summit',
  'conference',
  'dialogue',
  'talks',
]);

/** "لا سيما" is "especially", "غير أن" is "however": no negation. */
const NOT_NEGATING = new Map([
  ['لا', new Set(['سيما'])],
  ['غير', new Set(['ان'])],
  ['no', new Set(['longer'])],
  ['not', new Set(['only'])],
]);

export function readSentence(an: Analyzer, raw: string, index: number, published: Day): Facts {
  const norm = normalize(raw);
  const tokens = tokenize(norm);
  const indexAt = new Map(tokens.map((t, i) => [t.start, i]));
  const at = (offset: number) => indexAt.get(offset) ?? 0;
  const clauseBreaks = [...norm.matchAll(/[،,؛;:]/g)].map((m) => m.index);
  const breakTokens = clauseBreaks.map((b) => {
    const i = tokens.findIndex((t) => t.start > b);
    return i < 0 ? tokens.length : i;
  });

  const markers: Marker[] = [];
  for (const h of an.modality.find(tokens)) {
    const from = at(h.start);
    if (h.value === 'negator' && NOT_NEGATING.get(tokens[from]!.text)?.has(tokens[from + 1]?.text ?? ''))
      continue;
    markers.push({ mark: h.value, from, to: from + h.length - 1 });
  }
  for (const h of an.futureAfter.find(tokens)) {
    const from = at(h.start);
    // «القادمة» is "the next"; «قادمة من إيران» is "coming from Iran"
    const word = tokens[from]!.text.replace(/^[وف]/, '');
    if (h.length === 1 && isArabic(word) && !word.startsWith('ال') && !word.startsWith('س')) continue;
    markers.push({ mark: 'futureAfter', from, to: from + h.length - 1 });
  }
  for (const h of an.pastAfter.find(tokens)) {
    const from = at(h.start);
    markers.push({ mark: 'pastAfter', from, to: from + h.length - 1 });
  }
  // English contractions: "didn't", "won't" are one token.
  tokens.forEach((t, i) => {
    if (t.text.endsWith("n't")) markers.push({ mark: 'negator', from: i, to: i });
  });

  const hits = [...an.triggers.find(tokens)];
  // A verb with its object in reach is an event of the frame's type («نشرت ... مقاتلات»).
  for (const frame of an.frames) {
    const verbs = frame.verbs.find(tokens);
    if (verbs.length === 0) continue;
    const objects = frame.objects.find(tokens).map((h) => at(h.start));
    for (const v of verbs) {
      const i = at(v.start);
      if (objects.some((o) => o > i && o - i <= frame.within) && !hits.some((h) => h.start === v.start))
        hits.push({ ...v, value: frame.type });
    }
  }
  hits.sort((a, b) => a.start - b.start);
  // «وصول قافلة مساعدات», "arrival of forces": what arrives is the event, not a visit.
  const cargo = new Set(['aid', 'deployment']);
  for (let k = hits.length - 2; k >= 0; k--) {
    const next = hits[k + 1]!;
    if (hits[k]!.value === 'visit' && cargo.has(next.value) && at(next.start) - at(hits[k]!.start) <= 2)
      hits.splice(k, 1);
  }
  const aheadAt = [
    ...markers
      .filter(
        (m) =>
          m.mark === 'future' ||
          m.mark === 'agreedTo' ||
          m.mark === 'preparation' ||
          m.mark === 'futureAfter',
      )
      .map((m) => tokens[m.from]!.start),
    ...hits.filter((h) => h.future).map((h) => h.start),
  ];
  const futureFrom = aheadAt.length ? Math.min(...aheadAt) : Number.POSITIVE_INFINITY;
  const dates = an.dates.find(norm, published, { futureFrom });
  const sameClause = (a: number, b: number) =>
    !clauseBreaks.some((x) => x > Math.min(a, b) && x < Math.max(a, b));

  const triggers: Trigger[] = hits.map((h) => {
    const i = at(h.start);
    const cue = markers
      .filter(
        (m) =>
          (m.mark === 'future' || m.mark === 'agreedTo' || m.mark === 'preparation') &&
          m.from < i &&
          i - m.to <= reachOf(m.mark, an.modalityReach) &&
          !breakTokens.some((b) => b > m.from && b <= i),
      )
      .at(-1);
    return {
      type: h.value,
      start: h.start,
      at: i,
      cueAt: cue ? tokens[cue.from]!.start : h.start,
      mode: modeOf({
        at: i,
        prefixed: h.future,
        markers,
        breaks: breakTokens,
        reach: an.modalityReach,
        // The date nearest the event word in its clause says whether it is ahead («held on
        // Saturday and agreed to meet next Saturday»). A day and month with no year are placed in
        // the year nearest the article: only a date a few months ahead at most says the event
        // is ahead (not «ثورة 25 يناير», read as next January).
        datedAhead: ((d) =>
          d !== undefined &&
          d.from > published &&
          d.from <= addDays(published, 120) &&
          d.precision !== 'year')(
          dates
            .filter((d) => sameClause(d.start, h.start))
            .sort((a, b) => Math.abs(a.start - h.start) - Math.abs(b.start - h.start))[0],
        ),
        headlineTo: index === 0 && tokens[i - 1]?.text === 'to',
      }),
    };
  });

  const mentions = an.gazetteer.find(tokens, raw);
  const triggerAt = new Set(triggers.map((t) => t.at));
  const wanted = index <= LEAD_READ || triggers.some((t) => t.mode === 'future');
  const verbs = new Set(triggerAt);
  for (const m of markers) for (let i = m.from; i <= m.to; i++) verbs.add(i);
  for (const h of an.reportingVerbs.find(tokens)) verbs.add(at(h.start));
  tokens.forEach((t, i) => {
    if (t.text.length >= 5 && cliticForms(t.text).some((f) => f.future)) verbs.add(i);
  });
  return {
    index,
    raw,
    tokens,
    mentions,
    parties: [],
    actors: [],
    places: [],
    placeMentions: [],
    // People and rounds matter for the lead and for what is expected; elsewhere they cost
    // time and are never read.
    names: wanted ? personKeys(an, tokens, raw, mentions, clauseBreaks, verbs) : [],
    triggers,
    dates,
    cancelled: an.cancellations.find(tokens).length > 0,
    topicFrom: Math.min(norm.length, ...an.topicMarkers.find(tokens).map((h) => h.start)),
    refersToParties: an.partyReferences.find(tokens).length > 0,
    horizon: an.horizons.find(tokens)[0]?.value ?? durationHorizon(tokens),
    clauseBreaks,
    ordinals: wanted ? ordinalsOf(an, tokens, triggerAt) : [],
    prepares: markers.some((m) => m.mark === 'preparation') && triggers.some((t) => t.mode === 'future'),
  };
}

/** Ordinals beside a round or session noun, or an event word: «الجولة الثانية», "46th session". */
function ordinalsOf(an: Analyzer, tokens: readonly Token[], triggerAt: ReadonlySet<number>): number[] {
  const found = new Set<number>();
  tokens.forEach((t, i) => {
    const next = tokens[i + 1]?.text;
    const prev = tokens[i - 1]?.text;
    let n = an.ordinals.get(t.text);
    if (n === undefined && /^\d{1,3}$/.test(t.text)) {
      if ((next && /^(st|nd|rd|th)$/.test(next)) || prev === 'ال' || prev === 'رقم') n = Number(t.text);
    }
    if (n === undefined) return;
    for (let k = Math.max(0, i - 2); k <= Math.min(tokens.length - 1, i + 3); k++) {
      if (k !== i && (ROUND_NOUNS.has(tokens[k]!.text) || triggerAt.has(k))) {
        found.add(n);
        return;
      }
    }
  });
  return [...found].sort((a, b) => a - b);
}
