// Reads what an article reports: its main event, the dated background it recounts
// (historical events) and what it expects to happen next. Pure: article in, facts out.
import type { Analyzer } from './analyzer';
import { addDays, dayOf, type DateMention, type Day } from './dates';
import type { EntityMention } from './gazetteer';
import type { Horizon } from './lexicon';
import { normalize, splitSentences, stripPlaceholders, tokenize } from './text';
import type { ArticleInput, EventDate, ExtractedEvent, ExtractedExpectation, Extraction } from './types';

/** The main event is looked for in the title and this many sentences of the lead. */
const LEAD_SENTENCES = 6;

interface Facts {
  index: number;
  raw: string;
  mentions: EntityMention[];
  parties: string[];
  actors: string[];
  places: string[];
  triggers: { type: string; start: number }[];
  dates: DateMention[];
  cue: boolean;
  hedged: boolean;
  refersToParties: boolean;
  horizon?: Horizon | undefined;
  /** offsets of clause punctuation (، , ؛ ;) in the normalised sentence */
  clauseBreaks: number[];
  placeMentions: { entityId: string; start: number }[];
}

export function extractArticle(an: Analyzer, article: ArticleInput): Extraction {
  const published = dayOf(new Date(article.published));
  const body = stripPlaceholders(article.text, an.placeholders);
  const title = stripPlaceholders(article.title, an.placeholders);
  const sentences = [title, ...splitSentences(body)].filter((s) => s.trim().length > 0);
  const facts = sentences.map((raw, index) => readSentence(an, raw, index, published));

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
      .filter((f) => f.cue && !f.hedged && f.triggers.length > 0)
      .map((f) => expectationOf(an, f, published, topic)),
  );

  return {
    entities: [...new Set(facts.flatMap((f) => f.mentions.map((m) => m.entityId)))],
    events: main ? [main, ...historical] : historical,
    expectations,
  };
}

function readSentence(an: Analyzer, raw: string, index: number, published: Day): Facts {
  const norm = normalize(raw);
  const tokens = tokenize(norm);
  return {
    index,
    raw,
    mentions: an.gazetteer.find(tokens, raw),
    parties: [],
    actors: [],
    places: [],
    triggers: an.triggers.find(tokens).map((h) => ({ type: h.value, start: h.start })),
    dates: an.dates.find(norm, published),
    cue: an.cues.find(tokens).length > 0,
    hedged: an.hedges.find(tokens).length > 0,
    refersToParties: an.partyReferences.find(tokens).length > 0,
    horizon: an.horizons.find(tokens)[0]?.value,
    clauseBreaks: [...norm.matchAll(/[،,؛;]/g)].map((m) => m.index),
    placeMentions: [],
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
    if (party && !locative && !f.parties.includes(party)) f.parties.push(party);
    if (m.kind === 'person' && !f.actors.includes(m.entityId)) f.actors.push(m.entityId);
    if (m.kind === 'place' && !f.places.includes(m.entityId)) {
      f.places.push(m.entityId);
      f.placeMentions.push({ entityId: m.entityId, start: m.start });
    }
  }
}

/**
 * The article's news: the first lead sentence that reports an event with a party, joined by
 * the later sentences that report an event of the same family without dating it elsewhere
 * ("the meeting was held in Brussels on ..."), which lend it a date and a place.
 */
function mainEvent(
  an: Analyzer,
  facts: Facts[],
  published: Day,
  isCurrent: (d: DateMention) => boolean,
): ExtractedEvent | undefined {
  const describes = (f: Facts) => f.triggers.length > 0 && !f.cue && f.dates.every(isCurrent);
  const head = facts.find((f) => f.index <= LEAD_SENTENCES && describes(f) && f.parties.length > 0);
  if (!head) return undefined;
  const type = head.triggers[0]!.type;
  const family = an.familyOf(type);
  const same = facts.filter(
    (f) => f.index >= head.index && describes(f) && f.triggers.some((t) => an.familyOf(t.type) === family),
  );
  const lead = same.filter((f) => f.index <= LEAD_SENTENCES);
  const participants = unique(lead.flatMap((f) => f.parties));
  const actors = unique(lead.flatMap((f) => f.actors));
  const dated = same.flatMap((f) => f.dates.filter(isCurrent))[0];
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
    family,
    participants,
    actors,
    place: same.flatMap((f) => f.places)[0],
    date,
    historical: false,
    evidence: head.raw,
  };
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
  const future = f.dates.find((d) => d.from > published);
  let to: Day;
  let horizon: string;
  if (future) {
    to = future.to;
    horizon = `by ${future.value}`;
  } else if (f.horizon) {
    to = horizonEnd(f.horizon, published);
    horizon = f.horizon.id;
  } else {
    to = addDays(published, an.defaultHorizonDays);
    horizon = 'default';
  }
  return {
    types: unique(f.triggers.map((t) => t.type)),
    participants,
    due: { from: published, to },
    horizon,
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

/** Same parties, and a type family in common. */
export function sameExpectation(
  an: Analyzer,
  a: Pick<ExtractedExpectation, 'types' | 'participants'>,
  b: Pick<ExtractedExpectation, 'types' | 'participants'>,
): boolean {
  const parties = (x: { participants: string[] }) => [...x.participants].sort().join(',');
  const families = new Set(a.types.map(an.familyOf));
  return parties(a) === parties(b) && b.types.some((t) => families.has(an.familyOf(t)));
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
