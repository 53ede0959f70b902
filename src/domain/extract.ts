// Reads what an article reports: its main event (from the headline and the lead), the dated
// background it recounts (historical events) and what it expects to happen next, each from
// its own sentence. What kind of piece it is decides what may be read at all. Pure.
import { addSurnameMentions, readHomographs } from './coref';
import type { Analyzer } from './analyzer';
import { articleKind, outsideQuotes, type ArticleKind } from './article-kind';
import { addDays, dayOf, type DateMention, type Day } from './dates';
import type { Horizon } from './lexicon';
import { readSentence, type Facts, type Trigger } from './sentence';
import { numbersIn, termCounts } from './signature';
import type { EntityMention } from './gazetteer';
import { normalize, splitSentences, stripDateline, stripPlaceholders, tokenize } from './text';
import type {
  ArticleInput,
  EventDate,
  ExtractedCancellation,
  ExtractedEvent,
  ExtractedExpectation,
  Extraction,
} from './types';

/** Body sentences of the lead: what the main event is read from, with the headline. */
const LEAD_SENTENCES = 2;
/** A line this short is a byline or a caption, not the lead. */
const MIN_LEAD_TOKENS = 5;
/** Days allowed past the end of a stated horizon ("next week" said on a Sunday, met on Monday). */
const HORIZON_GRACE_DAYS = 3;
/** Kinds of piece that report no news event and state no expectation a desk waits for. */
const QUIET: ReadonlySet<ArticleKind> = new Set(['opinion']);
/** Roots whose events are news even when no party is named. */
/** How many words after an opening or launch the event it opens may stand. */
const OCCASION_REACH = 5;
const UNNAMED_OK = new Set(['assault', 'fight', 'mass-violence', 'coerce', 'occasion', 'aid', 'posture']);
/** What a sports page may report: its matches, signings and ceremonies, never a summit. */
const SPORTS_TYPES = new Set(['match', 'agreement', 'appointment', 'celebration', 'opening']);

export function extractArticle(an: Analyzer, article: ArticleInput): Extraction {
  const published = article.publishedDay ?? dayOf(new Date(article.published));
  const body = stripDateline(stripPlaceholders(article.text, an.placeholders));
  const title = stripPlaceholders(article.title, an.placeholders);
  const sentences = [title, ...splitSentences(body)].filter((s) => s.trim().length > 0);
  const facts = sentences.map((raw, index) => readSentence(an, raw, index, published));

  // A weak alias (الحلف, "the Alliance") names an entity only in an article that names it outright.
  const named = new Set(facts.flatMap((f) => f.mentions.filter((m) => !m.weak).map((m) => m.entityId)));
  addSurnameMentions(an, facts);
  readHomographs(an, facts);
  for (const f of facts) {
    f.mentions = f.mentions.filter((m) => !m.weak || named.has(m.entityId));
    resolveParties(an, f);
  }

  const lead = leadOf(facts);
  corefer(an, lead, published);
  const { kind } = articleKind(an, {
    tokens: facts.flatMap((f) => f.tokens),
    voice: outsideQuotes(facts.map((f) => ({ normalized: normalize(f.raw), tokens: f.tokens }))),
    lead: lead.flatMap((f) => f.tokens),
    title,
    text: article.text,
  });
  const leadText = lead.map((f) => f.raw).join('\n');
  const common = {
    kind,
    entities: [...new Set(facts.flatMap((f) => f.mentions.map((m) => m.entityId)))],
    terms: termCounts(leadText),
    numbers: numbersIn(leadText),
  };
  if (QUIET.has(kind)) return { ...common, events: [], expectations: [], cancellations: [] };

  const isCurrent = (d: DateMention) =>
    d.to >= addDays(published, -an.recencyDays) && d.from <= addDays(published, 1);
  if (kind === 'sports')
    for (const f of facts) f.triggers = f.triggers.filter((t) => SPORTS_TYPES.has(t.type));
  else for (const f of facts) f.triggers = f.triggers.filter((t) => t.type !== 'match');
  const main = mainEvent(
    an,
    lead,
    facts.filter((f) => !lead.includes(f)),
    published,
    isCurrent,
  );
  const topic = main?.participants ?? topParties(facts);
  const historical = mergeHistorical(historicalEvents(an, facts, published, topic));
  const expectations =
    kind === 'sports'
      ? []
      : mergeRestated(
          an,
          facts.flatMap((f) => expectationOf(an, f, published, topic) ?? []),
        );
  const cancellations = facts
    .filter((f) => f.cancelled && f.triggers.length > 0 && f.index <= 3)
    .map((f) => cancellationOf(f, topic))
    .filter((c) => c.participants.length > 0);

  return {
    ...common,
    events: main ? [main, ...historical] : historical,
    expectations,
    cancellations: cancellations.slice(0, 1),
  };
}

/**
 * A lead that says a summit is ahead and then names "the summit" again («أعلن موعد القمة»)
 * names the same summit: the bare mention, undated in its clause, is ahead too.
 */
function corefer(an: Analyzer, lead: Facts[], published: Day): void {
  const ahead = new Set(
    lead.flatMap((f) => f.triggers.filter((t) => t.mode === 'future').map((t) => t.type)),
  );
  for (const f of lead) {
    for (const t of f.triggers) {
      if (t.mode !== 'reported' || !ahead.has(t.type)) continue;
      // A headline that names one ahead and one done, in clauses of their own, tells them apart
      // ("wrap up the third round, set the next meeting for Nov. 9"); in one clause they are one
      // («اللقاء الذي يعقد غدا», the meeting that is held tomorrow), and a body sentence's clauses
      // run on about the one ahead.
      if (
        f.triggers.some(
          (u) =>
            u.mode === 'future' &&
            an.familyOf(u.type) === an.familyOf(t.type) &&
            !sameClause(u.start, t.start, f.clauseBreaks),
        )
      )
        continue;
      const d = nearestTo(t.start, f.dates, f.clauseBreaks);
      const dated = d !== undefined && sameClause(d.start, t.start, f.clauseBreaks) && d.to <= published;
      if (!dated) t.mode = 'future';
    }
  }
}

/** The headline and the first body sentences long enough to be a lead, not a byline. */
function leadOf(facts: Facts[]): Facts[] {
  const [title, ...rest] = facts;
  const body = rest.filter((f) => f.tokens.length >= MIN_LEAD_TOKENS).slice(0, LEAD_SENTENCES);
  return title ? [title, ...body] : body;
}

/**
 * Parties, people and places of a sentence. A country named only by its adjective beside a
 * place inside it ("the Belgian capital Brussels") locates the event; it takes no part in it.
 * Entities named after a topic marker ("focused on Yemen") are what was discussed.
 */
function resolveParties(an: Analyzer, f: Facts): void {
  const placeCountries = new Set(
    f.mentions.filter((m) => m.kind === 'place').map((m) => an.gazetteer.get(m.entityId)?.country),
  );
  const namedOutright = new Set(f.mentions.filter((m) => m.form === 'name').map((m) => m.entityId));
  for (const m of f.mentions) {
    const party = an.gazetteer.partyOf(m.entityId) ?? governmentOf(an, f, m);
    const locative = m.kind === 'country' && placeCountries.has(m.entityId) && !namedOutright.has(m.entityId);
    const topic = m.start > f.topicFrom;
    if (party && !locative && !topic && !f.parties.includes(party)) f.parties.push(party);
    if (m.kind === 'person' && !topic && !f.actors.includes(m.entityId)) f.actors.push(m.entityId);
    if (m.kind === 'place' && !f.places.includes(m.entityId)) {
      f.places.push(m.entityId);
      f.placeMentions.push({ entityId: m.entityId, start: m.start });
    }
  }
}

const LOCATIVE = new Set([
  'في',
  'الي',
  'من',
  'عبر',
  'نحو',
  'داخل',
  'قرب',
  'in',
  'at',
  'to',
  'from',
  'into',
  'near',
  'via',
]);

/**
 * A capital named as the one who acts stands for its government («القاهرة وواشنطن تتفقان»,
 * "Riyadh rejects"); named where something happens («في القاهرة», «بالرياض», "in Cairo") it
 * is only the place.
 */
function governmentOf(an: Analyzer, f: Facts, m: EntityMention): string | undefined {
  const def = an.gazetteer.get(m.entityId);
  if (def?.kind !== 'place' || !def.country) return undefined;
  // The one who acts comes before the event word: «القاهرة وواشنطن تتفقان», not «يزور بروكسل».
  if (f.triggers.some((t) => t.start < m.start)) return undefined;
  const i = f.tokens.findIndex((t) => t.start === m.start);
  const token = f.tokens[i]?.text ?? '';
  if (LOCATIVE.has(f.tokens[i - 1]?.text ?? '')) return undefined;
  const bare = token.replace(/^[وف]/, '');
  if (/^(بال|لل|كال)/.test(bare)) return undefined;
  if (/^[بلك]/.test(bare)) {
    const rest = bare.slice(1);
    if (an.gazetteer.find(tokenize(rest), rest).some((x) => x.entityId === m.entityId)) return undefined;
  }
  return an.gazetteer.partyOf(def.country);
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

interface Found {
  f: Facts;
  t: Trigger;
}

/**
 * The article's news: among the event words the headline and lead report (not ahead, not
 * denied, not asked for, not dated long ago), the most concrete kind of happening (talks beat
 * the statements made at them), the headline's first. Its parties, people, place and date come
 * from its own sentence and the headline; nothing of the rest of the text. A headline and lead
 * that report no event but quote someone ("Jubeir: ...", «أكد ...») report a statement.
 */
function mainEvent(
  an: Analyzer,
  lead: Facts[],
  rest: Facts[],
  published: Day,
  isCurrent: (d: DateMention) => boolean,
): ExtractedEvent | undefined {
  // Dated long ago, or "tomorrow" (a day after the article's, said in words: ahead, whatever
  // the verb's tense; a calendar date a day late may be the feed's own lateness).
  const old = (f: Facts, t: Trigger) => {
    const d = nearestTo(t.start, f.dates, f.clauseBreaks);
    return (
      d !== undefined &&
      sameClause(d.start, t.start, f.clauseBreaks) &&
      (!isCurrent(d) || (d.relative === true && d.from > published))
    );
  };
  // What the event was about («بحث الهجمات», "talks on the attacks") is not the event.
  const found: Found[] = lead.flatMap((f) =>
    f.cancelled
      ? []
      : f.triggers
          .filter((t) => t.mode === 'reported' && t.start < f.topicFrom && !old(f, t))
          .map((t) => ({ f, t })),
  );
  // The first deed the headline or lead reports; words (statements, condemnations) only when
  // no deed is reported: «أكد لافروف في مستهل محادثاته» reports talks.
  const spoken = (type: string) => an.spokenRoot(an.familyOf(type));
  const deeds = found.filter((x) => !spoken(x.t.type));
  const first = deeds[0] ?? found[0];
  // An opening or launch of an event is that event: "launch an emergency exercise", «انطلاق
  // أعمال القمة», "opens the summit".
  const governed =
    first && an.familyOf(first.t.type) === 'occasion'
      ? deeds.find(
          (x) =>
            x.f === first.f &&
            x.t.at > first.t.at &&
            x.t.at - first.t.at <= OCCASION_REACH &&
            an.familyOf(x.t.type) !== 'occasion' &&
            sameClause(x.t.start, first.t.start, x.f.clauseBreaks),
        )
      : undefined;
  const pick = governed ?? first;
  const title = lead[0]!;
  const statement = pick ? undefined : quoted(an, lead);
  const sentence = pick?.f ?? statement;
  if (!sentence) return undefined;
  const core = sentence === title ? lead.slice(0, 2) : [title, sentence];
  // In its own sentence, the parties named before the sentence turns to what is ahead («held
  // talks in Rome and agreed to meet again in Oman»: Oman belongs to the next meeting).
  const turn = pick
    ? sentence.triggers.find((t) => t.start > pick.t.start && t.mode !== 'reported')?.start
    : undefined;
  const partiesOf = (f: Facts) =>
    f === sentence && turn !== undefined
      ? f.parties.filter((p) =>
          f.mentions.some(
            (m) => m.start < turn && (an.gazetteer.partyOf(m.entityId) ?? governmentOf(an, f, m)) === p,
          ),
        )
      : f.parties;
  const participants = unique(core.flatMap(partiesOf));
  const actors = unique(core.flatMap((f) => f.actors));
  // People are evidence, not parties: every one the lead names counts.
  const names = unique(lead.flatMap((f) => f.names));
  // Violence and occasions are news without a party the gazetteer knows ("a suicide bomber
  // killed 15 in a market"); talks and words are not: who met, who said it, is their news.
  const selfStanding = pick !== undefined && UNNAMED_OK.has(an.familyOf(pick.t.type));
  if (participants.length === 0 && actors.length === 0 && names.length === 0 && !selfStanding)
    return undefined;
  const types = pick
    ? unique(
        found
          .filter((x) => core.includes(x.f))
          .sort((a, b) => Number(spoken(a.t.type)) - Number(spoken(b.t.type)))
          .map((x) => x.t.type),
      )
    : ['statement'];
  const type = pick?.t.type ?? 'statement';
  const at = pick?.t.start ?? 0;
  // The lead may leave the date to the next sentences that report the same kind of event
  // ("the first round was held on 28 January at NATO headquarters").
  const sameKind = (f: Facts) =>
    f.triggers.some((t) => t.mode === 'reported' && an.familyOf(t.type) === an.familyOf(type));
  // …first the other lead sentences that tell of it ("ministers said after a meeting in Kuwait
  // yesterday"), then the rest of the story.
  const later = [...lead.filter((f) => !core.includes(f)), ...rest.slice(0, 4)].filter(sameKind);
  // "Tomorrow" never dates what was reported.
  const datable = (d: DateMention) => isCurrent(d) && !(d.relative === true && d.from > published);
  const own = nearestTo(at, sentence.dates.filter(datable), sentence.clauseBreaks);
  const around = [...core, ...later].flatMap((f) => f.dates.filter(datable));
  // A year alone ("Civil Resilience 2025") gives way to a day or month another sentence states.
  const dated =
    own && own.precision === 'year'
      ? (around.find((d) => d.precision !== 'year') ?? own)
      : (own ?? around[0]);
  const date: EventDate = dated
    ? {
        value: dated.value,
        precision: dated.precision,
        from: dated.from,
        to: dated.to,
        ...(dated.relative ? { relative: true } : {}),
      }
    : {
        value: published,
        precision: 'reported',
        from: addDays(published, -an.reportedSlackDays),
        to: published,
      };
  const place =
    (pick ? eventPlace(sentence, pick.t.start) : undefined) ??
    [...core, ...later]
      .map((f) => eventPlace(f, f.triggers.find((t) => t.mode === 'reported')?.start, !core.includes(f)))
      .find((p) => p !== undefined);
  return {
    type,
    types: types.includes(type) ? types : [type, ...types],
    family: an.familyOf(type),
    participants,
    actors,
    names,
    ordinals: unique(core.flatMap((f) => f.ordinals)),
    // A headline that looks ahead makes the story a preview: what its lead reports is context.
    // A headline that reports a deed as well ("wrap up the third round, set the next for Nov. 9")
    // is the report of that deed.
    ...(core.some((f) => f.prepares) ||
    (sentence !== title &&
      title.triggers.some((t) => t.mode === 'future') &&
      !title.triggers.some((t) => t.mode === 'reported' && !spoken(t.type)))
      ? { preview: true }
      : {}),
    place,
    date,
    historical: false,
    evidence: sentence.raw,
  };
}

/** The sentence of the lead that quotes a party: a headline "X: ..." or a reporting verb. */
function quoted(an: Analyzer, lead: Facts[]): Facts | undefined {
  const [title, ...rest] = lead;
  // "Jubeir: ..." quotes a person; "Kuwait and NATO: a long partnership" is a topic.
  const colon = title?.raw.match(/^([^:]{2,60}):/)?.[1]?.length;
  if (title && colon && !title.cancelled) {
    const before = title.mentions.filter((m) => m.start < colon);
    const words = title.tokens.filter((t) => t.start < colon).length;
    const person = before.some((m) => m.kind === 'person');
    const bareName = words <= 3 && before.length === 0;
    if (person || bareName) return title;
  }
  return rest.find(
    (f) => !f.cancelled && f.parties.length > 0 && an.reportingVerbs.find(f.tokens).length > 0,
  );
}

/** The place named in the same clause as an event word ("in Brussels"), if any. */
function eventPlace(f: Facts, at: number | undefined, strict = false): string | undefined {
  if (at === undefined) return undefined;
  const p = nearestTo(at, f.placeMentions, f.clauseBreaks);
  if (!p || !sameClause(p.start, at, f.clauseBreaks)) return undefined;
  // Outside the sentence of the event, no other event word may stand between ("the meeting
  // renewed calls for a ceasefire in Gaza": Gaza is where the ceasefire is called for).
  const [a, b] = p.start < at ? [p.start, at] : [at, p.start];
  if (strict && f.triggers.some((t) => t.start > a && t.start < b)) return undefined;
  return p.entityId;
}

/**
 * Dated background: each date older than the recency window, in a sentence that reports an
 * event, is one historical event of the type named nearest to it. A sentence that names
 * fewer than two parties continues the article's topic, so its parties complete it.
 */
function historicalEvents(an: Analyzer, facts: Facts[], published: Day, topic: string[]): ExtractedEvent[] {
  const horizon = addDays(published, -an.recencyDays);
  const events: ExtractedEvent[] = [];
  for (const f of facts) {
    const reported = f.triggers.filter((t) => t.mode === 'reported' || t.mode === 'background');
    if (reported.length === 0) continue;
    for (const d of f.dates) {
      if (d.to >= horizon) continue;
      const nearest = nearestTo(d.start, reported, f.clauseBreaks)!;
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

/**
 * The key one historical occurrence is known by, whatever article recounts it: its root, its
 * parties and its year ("in 2004" and "in December 2004" are Kuwait's one accession).
 */
export function historicalKey(e: Pick<ExtractedEvent, 'family' | 'participants' | 'date'>): string {
  return ['historical', e.family, [...e.participants].sort().join(','), e.date.from.slice(0, 4)].join('|');
}

const PRECISION = { day: 3, month: 2, year: 1, reported: 0 } as const;

/** One historical event per occurrence in an article: the most precisely dated mention wins. */
function mergeHistorical(events: ExtractedEvent[]): ExtractedEvent[] {
  const byKey = new Map<string, ExtractedEvent>();
  for (const e of events) {
    const k = historicalKey(e);
    const had = byKey.get(k);
    if (!had || PRECISION[e.date.precision] > PRECISION[had.date.precision]) byKey.set(k, e);
  }
  return [...byKey.values()];
}

/**
 * What a sentence expects: event words ahead of the article (not denied, not asked for, not
 * merely possible), of deeds rather than words, with a party. The window comes from this
 * sentence alone: its dates after the article's own (a year far ahead, "Vision 2030", is a
 * programme, not a date), else its horizon ("next week"), else the default.
 */
function expectationOf(
  an: Analyzer,
  f: Facts,
  published: Day,
  topic: string[],
): ExtractedExpectation | undefined {
  if (f.cancelled) return undefined;
  // Words are not awaited: an expected statement is no follow-up a desk waits for.
  const ahead = f.triggers.filter((t) => t.mode === 'future' && !an.spokenRoot(an.familyOf(t.type)));
  if (ahead.length === 0) return undefined;
  const first = ahead[0]!;
  // Who is expected is named in the clause that looks ahead; the sentence's other clauses tell
  // of other things (the visit to Muscat, before "then heads to Manama").
  const inClause = clausePartiesOf(an, f, first);
  const own = inClause.length ? inClause : f.parties;
  const participants = f.refersToParties || own.length === 0 ? unique([...own, ...topic]) : own;
  if (participants.length === 0) return undefined;
  const nextYear = `${Number(published.slice(0, 4)) + 1}-12-31`;
  // A date of the article's own day counts («سيلتقي اليوم الأحد» is due today), when it
  // dates what is ahead and not what was reported beside it («held talks on Saturday»).
  const datesAhead = (d: DateMention) => nearestTo(d.start, f.triggers, f.clauseBreaks)?.mode === 'future';
  const future = f.dates.filter(
    (d) =>
      d.to >= published &&
      d.start >= first.cueAt &&
      datesAhead(d) &&
      !(d.precision === 'year' && d.from > nextYear) &&
      sameClause(d.start, first.start, f.clauseBreaks),
  );
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
    // "Next week" and "within days" are loose: a few days' grace past their strict end.
    to = addDays(horizonEnd(f.horizon, published), HORIZON_GRACE_DAYS);
    horizon = f.horizon.id;
  } else if (participants.length >= 2) {
    to = addDays(published, an.defaultHorizonDays);
    horizon = 'default';
  } else {
    // One party and no time: too vague to wait for.
    return undefined;
  }
  // What is expected is named in the first clause that looks ahead, not in an aside.
  const types = unique(
    ahead.filter((t) => sameClause(t.start, first.start, f.clauseBreaks)).map((t) => t.type),
  );
  return {
    types,
    participants,
    actors: f.actors,
    names: f.names,
    place: eventPlace(f, first.start),
    terms: termCounts(f.raw),
    lead: f.index <= LEAD_SENTENCES,
    ordinals: f.ordinals,
    due: { from, to },
    horizon,
    text: f.raw,
  };
}

/**
 * The parties named in the clause of an event word, and for a visit or a deployment the country
 * of the place («سيزور المنامة»: Bahrain is visited; «قاعدة إنجرليك»: Turkey hosts).
 */
function clausePartiesOf(an: Analyzer, f: Facts, t: Trigger): string[] {
  const parties: string[] = [];
  for (const m of f.mentions) {
    if (!sameClause(m.start, t.start, f.clauseBreaks) || m.start > f.topicFrom) continue;
    const party = an.gazetteer.partyOf(m.entityId) ?? governmentOf(an, f, m);
    if (party && f.parties.includes(party) && !parties.includes(party)) parties.push(party);
    const host = m.kind === 'place' ? an.gazetteer.get(m.entityId)?.country : undefined;
    const hosted = t.type === 'visit' || t.type === 'deployment';
    if (hosted && host && m.start > t.start && !parties.includes(host)) parties.push(host);
  }
  return parties;
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
