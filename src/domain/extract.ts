// Reads what an article reports: its main event, the dated background it recounts
// (historical events) and what it expects to happen next. Pure: article in, facts out.
import type { Analyzer } from './analyzer';
import { addDays, dayOf, type DateMention, type Day } from './dates';
import type { EntityMention } from './gazetteer';
import type { Horizon } from './lexicon';
import { normalize, splitSentences, stripDateline, stripPlaceholders, tokenize } from './text';
import type {
  ArticleInput,
  EventDate,
  ExtractedCancellation,
  ExtractedEvent,
  ExtractedExpectation,
  Extraction,
} from './types';

/** The main event is looked for in the title and this many sentences of the lead. */
const LEAD_SENTENCES = 6;

interface Facts {
  index: number;
  /** where the expectation cue stands, if the sentence has one */
  cueAt?: number | undefined;
  raw: string;
  mentions: EntityMention[];
  parties: string[];
  actors: string[];
  places: string[];
  triggers: { type: string; start: number }[];
  dates: DateMention[];
  cue: boolean;
  hedged: boolean;
  /** the sentence calls an event off (postponed, cancelled) */
  cancelled: boolean;
  /** a date after the article's own */
  future: boolean;
  /** offset from which entities are what was discussed, not who took part */
  topicFrom: number;
  refersToParties: boolean;
  horizon?: Horizon | undefined;
  /** offsets of clause punctuation (، , ؛ ;) in the normalised sentence */
  clauseBreaks: number[];
  placeMentions: { entityId: string; start: number }[];
}

export function extractArticle(an: Analyzer, article: ArticleInput): Extraction {
  const published = article.publishedDay ?? dayOf(new Date(article.published));
  const body = stripDateline(stripPlaceholders(article.text, an.placeholders));
  const title = stripPlaceholders(article.title, an.placeholders);
  const sentences = [title, ...splitSentences(body)].filter((s) => s.trim().length > 0);
  const facts = sentences.flatMap((raw, index) => readSentence(an, raw, index, published));

  // A weak alias (الحلف, "the Alliance") names an entity only in an article that names it outright.
  const named = new Set(facts.flatMap((f) => f.mentions.filter((m) => !m.weak).map((m) => m.entityId)));
  for (const f of facts) {
    f.mentions = f.mentions.filter((m) => !m.weak || named.has(m.entityId));
    resolveParties(an, f);
  }

  const isCurrent = (d: DateMention) =>
    d.to >= addDays(published, -an.recencyDays) && d.from <= addDays(published, 1);
  const main = mainEvent(an, facts, published, isCurrent);
  const topic = main?.participants ?? topParties(facts);
  const historical = historicalEvents(an, facts, published, topic);
  const expectations = mergeRestated(
    an,
    facts
      .filter((f) => f.cue && !f.hedged && !f.cancelled && f.triggers.length > 0)
      .map((f) => expectationOf(an, f, published, topic)),
  );
  const cancellations = facts
    .filter((f) => f.cancelled && f.triggers.length > 0 && f.index <= LEAD_SENTENCES)
    .map((f) => cancellationOf(f, topic))
    .filter((c) => c.participants.length > 0);

  return {
    entities: [...new Set(facts.flatMap((f) => f.mentions.map((m) => m.entityId)))],
    events: main ? [main, ...historical] : historical,
    expectations,
    cancellations: cancellations.slice(0, 1),
  };
}

/**
 * Reads a sentence. A sentence that reports an event and then looks ahead ("held a second
 * round in Rome on Saturday and agreed to meet again next week") is read as two: the event
 * before the cue and the expectation after it, each with its own triggers, parties and dates.
 */
function readSentence(an: Analyzer, raw: string, index: number, published: Day): Facts[] {
  const norm = normalize(raw);
  const tokens = tokenize(norm);
  const verbalCues = an.cues.find(tokens).map((h) => h.start);
  const nounCues = an.nounCues.find(tokens).map((h) => h.start);
  const cueAt = verbalCues.length ? Math.min(...verbalCues) : Number.POSITIVE_INFINITY;
  const lookAhead = Math.min(cueAt, ...nounCues);
  const hedgesAt = an.hedges.find(tokens).map((h) => h.start);
  const cancelsAt = an.cancellations.find(tokens).map((h) => h.start);
  const all: Facts = {
    index,
    raw,
    mentions: an.gazetteer.find(tokens, raw),
    parties: [],
    actors: [],
    places: [],
    triggers: an.triggers.find(tokens).map((h) => ({ type: h.value, start: h.start })),
    // A weekday after a verbal cue is ahead ("will meet on Sunday"); after a noun cue it need
    // not be ("his planned visit, announced on Saturday").
    dates: an.dates.find(norm, published, { futureFrom: cueAt }),
    cue: Number.isFinite(lookAhead),
    cueAt: Number.isFinite(lookAhead) ? lookAhead : undefined,
    hedged: hedgesAt.length > 0,
    cancelled: cancelsAt.length > 0,
    future: false,
    topicFrom: Math.min(norm.length, ...an.topicMarkers.find(tokens).map((h) => h.start)),
    refersToParties: an.partyReferences.find(tokens).length > 0,
    horizon: an.horizons.find(tokens)[0]?.value,
    clauseBreaks: [...norm.matchAll(/[،,؛;]/g)].map((m) => m.index),
    placeMentions: [],
  };
  const splits =
    Number.isFinite(cueAt) &&
    all.triggers.some((t) => t.start < cueAt) &&
    all.triggers.some((t) => t.start >= cueAt) &&
    !all.dates.some((d) => d.start < cueAt && d.from > published);
  const parts = splits
    ? [
        slice(all, 0, cueAt, [hedgesAt, cancelsAt, nounCues]),
        slice(all, cueAt, norm.length, [hedgesAt, cancelsAt, nounCues]),
      ]
    : [all];
  for (const f of parts) {
    f.future = f.dates.some((d) => d.from > published);
    // A sentence dated only ahead of its article looks ahead without a cue ("summit in Al-Ula on 5 January").
    if (f.future && !f.dates.some((d) => d.from <= published)) f.cue = true;
  }
  return parts;
}

/** The facts of the part of a sentence from `from` to `to`. */
function slice(
  f: Facts,
  from: number,
  to: number,
  [hedgesAt, cancelsAt, nounCues]: [number[], number[], number[]],
): Facts {
  const inside = (x: { start: number }) => x.start >= from && x.start < to;
  const within = (at: number) => at >= from && at < to;
  return {
    ...f,
    mentions: f.mentions.filter(inside),
    parties: [],
    actors: [],
    places: [],
    placeMentions: [],
    triggers: f.triggers.filter(inside),
    dates: f.dates.filter(inside),
    cue: from > 0 || nounCues.some(within),
    hedged: hedgesAt.some(within),
    cancelled: cancelsAt.some(within),
    horizon: from > 0 ? f.horizon : undefined,
    refersToParties: from > 0 ? f.refersToParties : false,
  };
}

function sameClause(a: number, b: number, breaks: number[]): boolean {
  const lo = Math.min(a, b);
  const hi = Math.max(a, b);
  return !breaks.some((x) => x > lo && x < hi);
}

/** The item nearest to `at`, preferring one in the same clause. */
function nearestTo<T extends { start: number }>(at: number, items: T[], breaks: number[]): T | undefined {
  const rank = (x: T) => (sameClause(x.start, at, breaks) ? 0 : 1e6) + Math.abs(x.start - at);
  return [...items].sort((a, b) => rank(a) - rank(b))[0];
}

/**
 * Parties, people and places of a sentence. A country named only by its adjective beside a
 * place inside it ("the Belgian capital Brussels") locates the event; it takes no part in it.
 */
function resolveParties(an: Analyzer, f: Facts): void {
  const placeCountries = new Set(
    f.mentions.filter((m) => m.kind === 'place').map((m) => an.gazetteer.get(m.entityId)?.country),
  );
  const namedOutright = new Set(f.mentions.filter((m) => m.form === 'name').map((m) => m.entityId));
  for (const m of f.mentions) {
    const party = an.gazetteer.partyOf(m.entityId);
    const locative = m.kind === 'country' && placeCountries.has(m.entityId) && !namedOutright.has(m.entityId);
    const topic = m.start > f.topicFrom;
    if (party && !locative && !topic && !f.parties.includes(party)) f.parties.push(party);
    if (m.kind === 'person' && !f.actors.includes(m.entityId)) f.actors.push(m.entityId);
    if (m.kind === 'place' && !f.places.includes(m.entityId)) {
      f.places.push(m.entityId);
      f.placeMentions.push({ entityId: m.entityId, start: m.start });
    }
  }
}

/**
 * The article's news: the first lead sentence that reports an event with a party. Its
 * parties, date and place come from that sentence and, when it is the headline, from the
 * first lead sentence that reports an event of the same family (the headline and the lead
 * carry who, what, where and when); a later sentence of the family without a date of its
 * own elsewhere lends a date or place the lead lacks.
 */
function mainEvent(
  an: Analyzer,
  facts: Facts[],
  published: Day,
  isCurrent: (d: DateMention) => boolean,
): ExtractedEvent | undefined {
  const describes = (f: Facts) =>
    f.triggers.length > 0 &&
    !f.cue &&
    !f.cancelled &&
    !f.future &&
    (f.dates.length === 0 || f.dates.some(isCurrent));
  const head = facts.find((f) => f.index <= LEAD_SENTENCES && describes(f) && f.parties.length > 0);
  if (!head) return undefined;
  const type = head.triggers[0]!.type;
  const family = an.familyOf(type);
  const same = facts.filter(
    (f) => f.index >= head.index && describes(f) && f.triggers.some((t) => an.familyOf(t.type) === family),
  );
  const lead = same.find((f) => f.index > head.index && f.index <= LEAD_SENTENCES);
  const core = head.index === 0 && lead ? [head, lead] : [head];
  const participants = unique(core.flatMap((f) => f.parties));
  const actors = unique(core.flatMap((f) => f.actors));
  const dated = [...core, ...same.filter((f) => !core.includes(f) && f.index <= LEAD_SENTENCES)].flatMap(
    (f) => f.dates.filter(isCurrent),
  )[0];
  const date: EventDate = dated
    ? { value: dated.value, precision: dated.precision, from: dated.from, to: dated.to }
    : {
        value: published,
        precision: 'reported',
        from: addDays(published, -an.reportedSlackDays),
        to: published,
      };
  return {
    type,
    types: unique(core.flatMap((f) => f.triggers.map((t) => t.type))),
    family,
    participants,
    actors,
    place: [...core, ...same].map(eventPlace).find((p) => p !== undefined),
    date,
    historical: false,
    evidence: head.raw,
  };
}

/** The place named in the same clause as the sentence's event word ("in Brussels"), if any. */
function eventPlace(f: Facts): string | undefined {
  for (const t of f.triggers) {
    const p = nearestTo(t.start, f.placeMentions, f.clauseBreaks);
    if (p && sameClause(p.start, t.start, f.clauseBreaks)) return p.entityId;
  }
  return undefined;
}

/**
 * Dated background: each date older than the recency window, in a sentence that names an
 * event, is one historical event of the type named nearest to it. A sentence that names
 * fewer than two parties continues the article's topic, so its parties complete it.
 */
function historicalEvents(an: Analyzer, facts: Facts[], published: Day, topic: string[]): ExtractedEvent[] {
  const horizon = addDays(published, -an.recencyDays);
  const events: ExtractedEvent[] = [];
  for (const f of facts) {
    if (f.triggers.length === 0 || f.cue) continue;
    for (const d of f.dates) {
      if (d.to >= horizon) continue;
      const nearest = nearestTo(d.start, f.triggers, f.clauseBreaks)!;
      const place = nearestTo(d.start, f.placeMentions, f.clauseBreaks);
      const participants = f.parties.length >= 2 ? f.parties : unique([...f.parties, ...topic]);
      if (participants.length === 0) continue;
      events.push({
        type: nearest.type,
        family: an.familyOf(nearest.type),
        participants,
        actors: f.actors,
        place: place && sameClause(place.start, d.start, f.clauseBreaks) ? place.entityId : undefined,
        date: { value: d.value, precision: d.precision, from: d.from, to: d.to },
        historical: true,
        evidence: f.raw,
      });
    }
  }
  return events;
}

function expectationOf(an: Analyzer, f: Facts, published: Day, topic: string[]): ExtractedExpectation {
  const participants =
    f.refersToParties || f.parties.length < 2 ? unique([...f.parties, ...topic]) : f.parties;
  // Stated dates bound the window: "on May 13 and May 14" is due from the 13th to the 14th.
  const future = f.dates.filter((d) => d.from > published);
  let from = published;
  let to: Day;
  let horizon: string;
  if (future.length) {
    from = future.map((d) => d.from).sort()[0]!;
    to = future
      .map((d) => d.to)
      .sort()
      .at(-1)!;
    horizon = `by ${future.at(-1)!.value}`;
  } else if (f.horizon) {
    to = horizonEnd(f.horizon, published);
    horizon = f.horizon.id;
  } else {
    to = addDays(published, an.defaultHorizonDays);
    horizon = 'default';
  }
  // What is expected is named in the cue's clause ("will hold a sixth round of talks"), not in
  // an aside ("amid warnings that a deal was less likely").
  const cueAt = f.cueAt;
  const inClause =
    cueAt === undefined ? [] : f.triggers.filter((t) => sameClause(t.start, cueAt, f.clauseBreaks));
  const families = new Set(inClause.map((t) => an.familyOf(t.type)));
  const named = inClause.length
    ? f.triggers.filter((t) => t.start >= inClause[0]!.start && families.has(an.familyOf(t.type)))
    : f.triggers;
  return {
    types: unique(named.map((t) => t.type)),
    participants,
    due: { from, to },
    horizon,
    text: f.raw,
  };
}

/** What a sentence calls off: the event types and parties named with "postponed", «إلغاء». */
function cancellationOf(f: Facts, topic: string[]): ExtractedCancellation {
  return {
    types: unique(f.triggers.map((t) => t.type)),
    participants: f.parties.length < 2 ? unique([...f.parties, ...topic]) : f.parties,
    text: f.raw,
  };
}

/**
 * An article often states one expectation several times (headline, lead, a closing line):
 * expectations of the same parties and type families are one, with the stated (widest) window.
 */
export function mergeRestated(an: Analyzer, xs: ExtractedExpectation[]): ExtractedExpectation[] {
  const merged: ExtractedExpectation[] = [];
  for (const x of xs) {
    const same = merged.find((m) => sameExpectation(an, m, x));
    if (!same) {
      merged.push({ ...x });
      continue;
    }
    same.types = unique([...same.types, ...x.types]);
    // A stated horizon ("on 15 December") beats the default one of a headline.
    if (same.horizon === 'default' && x.horizon !== 'default') {
      same.due = x.due;
      same.horizon = x.horizon;
    } else if (x.horizon !== 'default' && x.due.to > same.due.to) {
      same.due = { ...same.due, to: x.due.to };
    }
  }
  return merged;
}

/**
 * A type family in common and the same parties, give or take one: a headline and its lead
 * name the same expectation with a party more or less ("Obama to host Gulf leaders" and
 * "Obama will host leaders of the six GCC states ... uneasy about the deal with Iran").
 */
export function sameExpectation(
  an: Analyzer,
  a: Pick<ExtractedExpectation, 'types' | 'participants'>,
  b: Pick<ExtractedExpectation, 'types' | 'participants'>,
): boolean {
  const families = new Set(a.types.map(an.familyOf));
  if (!b.types.some((t) => families.has(an.familyOf(t)))) return false;
  const shared = a.participants.filter((p) => b.participants.includes(p)).length;
  const smaller = Math.min(a.participants.length, b.participants.length);
  const larger = Math.max(a.participants.length, b.participants.length);
  return shared === smaller && larger - shared <= 1 && shared >= 1;
}

export function horizonEnd(h: Horizon, published: Day): Day {
  const d = new Date(`${published}T00:00:00Z`);
  const y = d.getUTCFullYear();
  switch (h.kind) {
    case 'days':
      return addDays(published, h.days ?? 0);
    case 'nextWeek':
      // to the end of the following ISO week (Sunday)
      return addDays(published, 7 + ((7 - d.getUTCDay()) % 7));
    case 'nextMonth':
      return dayOf(new Date(Date.UTC(y, d.getUTCMonth() + 2, 0)));
    case 'endOfYear':
      return `${y}-12-31`;
    case 'nextYear':
      return `${y + 1}-12-31`;
  }
}

/** Parties the article is about, when no main event says: those named at least twice, most named first. */
function topParties(facts: Facts[]): string[] {
  const counts = new Map<string, number>();
  for (const f of facts) for (const p of f.parties) counts.set(p, (counts.get(p) ?? 0) + 1);
  return [...counts]
    .filter(([, n]) => n >= 2)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 2)
    .map(([p]) => p);
}

function unique<T>(xs: T[]): T[] {
  return [...new Set(xs)];
}
