// The analysis plan: what one article's reading, set against what the event base held before
// it, decides: the writes (events created or joined, expectations opened, fulfilled, closed,
// called off) and the matches and alerts they carry. Pure: the base is seen through a snapshot
// of reads, and a read the snapshot lacks is asked for (`needs`) instead of made, so the store
// (src/pipeline/analyze.ts) fetches it and plans again. The same snapshot gives the same plan.
import { eventDayOf, quietReason, type Arrival } from './alert-quiet';
import { fulfilledAlert, newEventAlert, openedAlert, sameEventAlert } from './alerts';
import type { Analyzer } from './analyzer';
import { historicalKey } from './extract';
import {
  bestFulfilment,
  fulfilmentFeatures,
  matchEvent,
  scoreFulfilment,
  type MatchModel,
  type MatchThresholds,
} from './match';
import { cosine, signatureOf, type TermStats } from './signature';
import type {
  Alert,
  ArticleInput,
  EventRecord,
  ExpectationRecord,
  ExtractedCancellation,
  ExtractedEvent,
  Extraction,
  Match,
  SourceRef,
} from './types';
import { indexKeys } from './types';

type Span = { from: string; to: string };
type FulfilledBy = NonNullable<ExpectationRecord['fulfilledBy']>;
type CancelledBy = NonNullable<ExpectationRecord['cancelledBy']>;

/** One read of the event base, as the EventBase contract names it. */
export type Read =
  | { kind: 'near'; parties: string[]; span: Span; margin: number }
  | { kind: 'open'; parties: string[]; span: Span }
  | { kind: 'event'; id: string }
  | { kind: 'expectation'; id: string }
  | { kind: 'fulfilledBy'; eventId: string }
  | { kind: 'terms'; terms: string[] };

export function readKey(r: Read): string {
  switch (r.kind) {
    case 'near':
      return `near|${r.parties.join(',')}|${r.span.from}|${r.span.to}|${r.margin}`;
    case 'open':
      return `open|${r.parties.join(',')}|${r.span.from}|${r.span.to}`;
    case 'event':
      return `event|${r.id}`;
    case 'expectation':
      return `expectation|${r.id}`;
    case 'fulfilledBy':
      return `fulfilledBy|${r.eventId}`;
    case 'terms':
      return 'terms';
  }
}

/**
 * Answers to reads by readKey: EventRecord[] (near), ExpectationRecord[] (open, fulfilledBy),
 * EventRecord | null and ExpectationRecord | null (by id; null when absent), TermStats (terms).
 */
export type Snapshot = ReadonlyMap<string, unknown>;

/** One change to the base; `applyPlan` carries them out in order. */
export type Write =
  | { op: 'createEvent'; event: EventRecord }
  | { op: 'addSource'; eventId: string; source: SourceRef }
  | { op: 'createExpectation'; expectation: ExpectationRecord }
  | { op: 'fulfil'; id: string; by: FulfilledBy }
  | { op: 'markOverdue'; id: string }
  | { op: 'cancel'; id: string; by: CancelledBy }
  | { op: 'addTerms'; articleId: string; terms: string[] };

/**
 * When an outcome stands: every write in `ok` took effect, and, when `failed` is given, none of
 * those did. A close another worker won (the base's gate answers false) takes its match and
 * alert with it; a new event whose fulfilment fell through is news after all.
 */
export interface Condition {
  ok?: number[];
  failed?: number[];
}

export interface Plan {
  writes: Write[];
  events: EventRecord[];
  expectations: ExpectationRecord[];
  matches: { match: Match & { eventId?: string | undefined }; when?: Condition }[];
  alerts: { alert: Alert; when?: Condition }[];
  /** alerts decided but not raised: the backlog's and old news (src/domain/alert-quiet.ts) */
  quieted: { alert: Alert; when?: Condition }[];
}

export interface PlanContext {
  article: ArticleInput;
  extraction: Extraction;
  analyzer: Analyzer;
  thresholds: MatchThresholds;
  model: MatchModel;
  now: Date;
  /** ids of alerts, events and expectations (sha256 in the service) */
  hash: (s: string) => string;
  /** what the analyses of this article's earlier versions decided; absent for a first reading */
  prior?: PriorAnalysis | undefined;
  /** how the article arrived (backlog, the feed's opt-in, the recency window); absent: every alert is raised */
  arrival?: Arrival | undefined;
}

/**
 * What the analyses of an article's earlier versions left, for reading a later version as an
 * update: the alerts they raised (not raised again) and where each event they read went.
 */
export interface PriorAnalysis {
  /** the last version analysed */
  version: number;
  /** ids of every alert raised for the article so far */
  alerts: string[];
  /** readingKey of each event read from the article → the event record it created or joined */
  readings: Record<string, string>;
}

/**
 * An event as one article reads it: its kind, parties and dates. The same paragraph read again in
 * a later version gives the same key, so it is known for the event it was before.
 */
export function readingKey(e: Pick<ExtractedEvent, 'type' | 'family' | 'participants' | 'date'>): string {
  return [e.family, e.type, [...e.participants].sort().join(','), e.date.from, e.date.to].join('|');
}

/** The prior analysis with this one's readings and alerts added: what the driver keeps after it. */
export function priorAfter(
  article: ArticleInput,
  extraction: Extraction,
  events: readonly EventRecord[],
  alerts: readonly Alert[],
  prior: PriorAnalysis | undefined,
): PriorAnalysis {
  const readings = { ...(prior?.readings ?? {}) };
  // plan.events holds one record per extracted event, in the extraction's order.
  extraction.events.forEach((e, i) => {
    const id = events[i]?.id;
    if (id) readings[readingKey(e)] = id;
  });
  return {
    version: Math.max(article.version ?? 1, prior?.version ?? 0),
    alerts: [...new Set([...(prior?.alerts ?? []), ...alerts.map((a) => a.id)])],
    readings,
  };
}

/** Reports of one event fall within this many days of each other. */
export const CANDIDATE_MARGIN_DAYS = 7;

export function sourceOf(a: ArticleInput): SourceRef {
  return {
    articleId: a.id,
    url: a.url,
    title: a.title,
    published: a.published,
    lang: a.lang,
    feedId: a.feedId,
  };
}

/** Historical events are keyed by what they are, so every article recounting one joins it. */
export function historicalId(
  e: Pick<ExtractedEvent, 'family' | 'participants' | 'date'>,
  hash: (s: string) => string,
): string {
  return `ev_${hash(historicalKey(e))}`;
}

/**
 * The id of the article's own index-th event. A later version numbers its events anew, so its
 * ids carry the version: a paragraph added at the top must not take the id of the first one.
 */
const ownEventId = (ctx: PlanContext, index: number) => {
  const version = ctx.article.version ?? 1;
  return `ev_${ctx.hash(version > 1 ? `${ctx.article.id}|v${version}|${index}` : `${ctx.article.id}|${index}`)}`;
};
const dayOf = (a: ArticleInput) => a.publishedDay ?? a.published.slice(0, 10);
const cancelSpan = (a: ArticleInput): Span => ({ from: dayOf(a), to: '9999-12-31' });

/** The words whose rarity weighs this article's signatures. */
function termsOf(extraction: Extraction): string[] {
  return [
    ...new Set([
      ...Object.keys(extraction.terms),
      ...extraction.expectations.flatMap((x) => Object.keys(x.terms ?? {})),
    ]),
  ];
}

/**
 * The reads every article's own dates and parties call for, asked at once (one round trip on an
 * auto-pipelined connection); the plan asks for the rest (a joined event's own dates, what it
 * fulfilled) once it knows them.
 */
export function firstReads(ctx: PlanContext): Read[] {
  const { extraction } = ctx;
  const reads: Read[] = [{ kind: 'terms', terms: termsOf(extraction) }];
  for (const [i, e] of extraction.events.entries()) {
    const parties = indexKeys(e);
    const known = ctx.prior?.readings[readingKey(e)];
    if (known) reads.push({ kind: 'event', id: known });
    if (e.historical) {
      reads.push({ kind: 'event', id: historicalId(e, ctx.hash) });
      continue;
    }
    reads.push({ kind: 'near', parties, span: e.date, margin: CANDIDATE_MARGIN_DAYS });
    reads.push({ kind: 'open', parties, span: e.date });
    reads.push({ kind: 'event', id: ownEventId(ctx, i) });
  }
  for (const x of extraction.expectations) {
    const parties = indexKeys(x);
    reads.push({ kind: 'open', parties, span: x.due });
    reads.push({ kind: 'near', parties, span: x.due, margin: 0 });
  }
  for (const c of extraction.cancellations)
    reads.push({ kind: 'open', parties: c.participants, span: cancelSpan(ctx.article) });
  return reads;
}

/**
 * Whether a later article's expectation is one an earlier article stated: within one article a
 * party more or less is the same sentence said twice (sameExpectation), but across articles it
 * takes the same parties (two at least), an expected type in common, windows that meet, and a
 * person both name or the same words.
 */
export function restates(x: ExpectationRecord, o: ExpectationRecord): boolean {
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((p) => b.includes(p));
  if (x.participants.length < 2 || !same(x.participants, o.participants)) return false;
  if (!x.types.some((t) => o.types.includes(t))) return false;
  if (x.due.to < o.due.from || o.due.to < x.due.from) return false;
  const people = [...(x.actors ?? []), ...(x.names ?? [])].some((p) =>
    [...(o.actors ?? []), ...(o.names ?? [])].includes(p),
  );
  return (
    people || cosine(x.signature, o.signature) >= 0.3 || (x.due.from === o.due.from && x.due.to === o.due.to)
  );
}

/** A record as the base gives it back: JSON, so no undefined fields. */
function asStored<T>(record: T): T {
  return JSON.parse(JSON.stringify(record)) as T;
}

/** An event's sources with one more, in published order as the base lists them. */
function withSource(event: EventRecord, source: SourceRef): EventRecord {
  if (event.sources.some((s) => s.articleId === source.articleId)) return event;
  const sources = [...event.sources, asStored(source)].sort((a, b) => a.published.localeCompare(b.published));
  return { ...event, sources };
}

/**
 * Plans an article against a snapshot of the base as it was before the article. `needs` lists
 * the reads the snapshot lacked; while it is not empty the plan is not to be carried out (it
 * was made with those reads taken as empty).
 */
export function planArticle(ctx: PlanContext, snapshot: Snapshot): { plan: Plan; needs: Read[] } {
  const { analyzer, thresholds, model, extraction, article, now, hash } = ctx;
  const nameOf = analyzer.nameOf;
  const needs = new Map<string, Read>();
  const read = <T>(r: Read, absent: T): T => {
    const key = readKey(r);
    if (snapshot.has(key)) return snapshot.get(key) as T;
    needs.set(key, r);
    return absent;
  };
  const eventsNear = (parties: string[], span: Span, margin: number) =>
    read<EventRecord[]>({ kind: 'near', parties, span, margin }, []);
  const openFor = (parties: string[], span: Span) =>
    read<ExpectationRecord[]>({ kind: 'open', parties, span }, []).filter((x) => !closed.has(x.id));

  const plan: Plan = { writes: [], events: [], expectations: [], matches: [], alerts: [], quieted: [] };
  /** Raises an alert, or keeps it quiet when the article's arrival says it is no news. */
  const raise = (entry: { alert: Alert; when?: Condition }, eventDay?: string) => {
    const quiet = quietReason(entry.alert.kind, { eventDay, published: article.published }, ctx.arrival, now);
    (quiet ? plan.quieted : plan.alerts).push(entry);
  };
  const write = (w: Write) => plan.writes.push(w) - 1;
  const source = sourceOf(article);
  const stats = read<TermStats>({ kind: 'terms', terms: termsOf(extraction) }, { docs: 0, df: new Map() });
  const signature = signatureOf(extraction.terms, article.lang, stats);
  const withWords = (e: ExtractedEvent): ExtractedEvent & Pick<EventRecord, 'signature' | 'numbers'> =>
    e.historical ? e : { ...e, signature, numbers: extraction.numbers };
  // This article's words count from the next one on.
  write({ op: 'addTerms', articleId: article.id, terms: Object.keys(extraction.terms) });

  /** `${eventId}|${articleId}`: this event answered an expectation that article opened */
  const answered = new Set<string>();
  /**
   * Events this plan created, joined or matched, and the ids this article's events are created
   * under. A later event of the article never matches these: not the article's own events, and
   * not, a second time, one it reported already. By id rather than by "has this article as a
   * source", so a run repeated after a crash sees what the crashed run wrote as its own.
   */
  const touched = new Set<string>(extraction.events.map((_, i) => ownEventId(ctx, i)));
  /**
   * An update (a later version of an article analysed before): the events its earlier versions
   * read. The same reading again is that event, silently; a new reading never joins one of them,
   * as two events of one article are two events.
   */
  const prior = ctx.prior;
  const priorEvents = new Set(Object.values(prior?.readings ?? {}));
  for (const id of priorEvents) touched.add(id);
  const reread = new Map<number, EventRecord>();
  for (const [i, e] of extraction.events.entries()) {
    const id = prior?.readings[readingKey(e)];
    if (!id) continue;
    const record = read<EventRecord | null>({ kind: 'event', id }, null);
    if (record) reread.set(i, record);
  }
  /** Expectations this plan created: an article stating one twice opens it once. */
  const opened = new Set<string>();
  /** Expectations this plan closed (fulfilled, restated, called off), as they are after it. */
  const closed = new Map<string, ExpectationRecord>();

  for (const [i, said] of extraction.events.entries()) {
    const known = reread.get(i);
    if (known) {
      // Read before: nothing new to write, match or alert; the record keeps its sources.
      plan.events.push(known);
      continue;
    }
    const extracted = withWords(said);
    const { record, isNew, match } = placeEvent(extracted, i);
    if (match) plan.matches.push({ match });
    // Another report of an event that fulfilled an expectation fulfils it too (no second alert).
    if (match?.kind === 'same_event' && !extracted.preview) alsoFulfils(record);
    // New coverage of a known event: sent only to subscribers who opted into event.same_event.
    if (match?.kind === 'same_event' && !extracted.historical)
      raise({ alert: sameEventAlert(record, source, match, nameOf, hash, now) }, eventDayOf(record));
    plan.events.push(record);
    // A preview (its headline looks ahead) fulfils nothing, even through the event it joined.
    const fulfils = extracted.preview ? [] : fulfilWith(record);
    if (isNew && !extracted.historical)
      raise(
        {
          alert: newEventAlert(record, nameOf, hash, now),
          ...(fulfils.length ? { when: { failed: fulfils } } : {}),
        },
        eventDayOf(record),
      );
  }

  for (const x of extraction.expectations) {
    // Its counted terms went into its signature; the record keeps the signature only.
    const { terms: _terms, ...stated } = x;
    const record: ExpectationRecord = {
      ...stated,
      id: `x_${hash(`${article.id}|${x.text}`)}`,
      state: 'open',
      source,
      signature: signatureOf(x.terms ?? {}, article.lang, stats),
    };
    // A later article restating an open expectation adds nothing to wait for: it is kept as a
    // restatement, which closes with the first and raises no alert of its own.
    const open = openFor(indexKeys(record), record.due);
    const first = open.find((o) => o.source.articleId !== article.id && restates(record, o));
    // Its id comes from this article: one that exists already is this article's, written by a run
    // that crashed before it finished, and this plan carries on where that one stopped.
    if (opened.has(record.id)) continue;
    opened.add(record.id);
    if (first) {
      const restatement = { ...record, restates: first.restates ?? first.id };
      write({ op: 'createExpectation', expectation: restatement });
      plan.expectations.push(restatement);
      continue;
    }
    write({ op: 'createExpectation', expectation: record });
    plan.expectations.push(record);
    // The follow-up may have been reported before the article that expected it arrived.
    const earlier = eventsNear(indexKeys(record), record.due, 0).filter(
      (e) => !touched.has(e.id) && !e.sources.some((s) => s.articleId === article.id) && !e.historical,
    );
    let done: number | undefined;
    for (const e of earlier) {
      if (answered.has(`${e.id}|${article.id}`)) {
        // A restatement of an expectation this event already answered: closed with it, quietly.
        done = closeAsRestated(record, e);
        if (done !== undefined) break;
        continue;
      }
      done = tryFulfil(record, e);
      if (done !== undefined) break;
    }
    raise({
      alert: openedAlert(record, nameOf, hash, now),
      ...(done !== undefined ? { when: { failed: [done] } } : {}),
    });
  }

  for (const c of extraction.cancellations) callOff(c);
  // What an earlier version raised is not raised again: an expectation stated in both versions
  // has one id, and so has its alert. By the alerts actually raised, not by what the base holds,
  // so a re-run after a crash before the alerts were queued still raises them.
  if (prior) {
    const raised = new Set(prior.alerts);
    plan.alerts = plan.alerts.filter((a) => !raised.has(a.alert.id));
    plan.quieted = plan.quieted.filter((a) => !raised.has(a.alert.id));
  }
  return { plan, needs: [...needs.values()] };

  function placeEvent(e: ExtractedEvent, index: number) {
    if (e.historical) {
      const id = historicalId(e, hash);
      touched.add(id);
      const existing = read<EventRecord | null>({ kind: 'event', id }, null);
      // Joining a recounted historical event is bookkeeping, not news: no match is reported.
      if (existing) {
        write({ op: 'addSource', eventId: id, source });
        return { record: withSource(existing, source), isNew: false, match: undefined };
      }
      const record: EventRecord = { ...e, id, sources: [source] };
      write({ op: 'createEvent', event: record });
      return { record: asStored(record), isNew: true, match: undefined };
    }
    const candidates = eventsNear(indexKeys(e), e.date, CANDIDATE_MARGIN_DAYS).filter(
      (c) => !touched.has(c.id),
    );
    const match = matchEvent(e, candidates, thresholds, nameOf, analyzer, model.sameEvent);
    if (match) {
      touched.add(match.targetId);
      write({ op: 'addSource', eventId: match.targetId, source });
      const target = candidates.find((c) => c.id === match.targetId)!;
      return {
        record: withSource(target, source),
        isNew: false,
        match: { ...match, eventId: match.targetId },
      };
    }
    const id = ownEventId(ctx, index);
    const record: EventRecord = { ...e, id, sources: [source] };
    // Written even when it exists: then a crashed run of this same job wrote it, and creating it
    // again finishes its indexes. It is still this article's news, and its alert is raised again
    // under the same id (delivered once).
    const existing = read<EventRecord | null>({ kind: 'event', id }, null);
    write({ op: 'createEvent', event: record });
    return {
      record: existing ? withSource(existing, source) : asStored(record),
      isNew: true,
      match: undefined,
    };
  }

  /** The expectations of other articles that `event` fulfilled, reported as fulfilled by this report too. */
  function alsoFulfils(event: EventRecord) {
    for (const x of read<ExpectationRecord[]>({ kind: 'fulfilledBy', eventId: event.id }, [])) {
      if (x.source.articleId === article.id || !x.fulfilledBy) continue;
      plan.matches.push({
        match: {
          kind: 'fulfils',
          targetId: x.id,
          eventId: event.id,
          score: x.fulfilledBy.score,
          reasons: ['another report of the event that fulfilled it', ...x.fulfilledBy.reasons],
        },
      });
    }
  }

  /** Closes the open expectation a report calls off ("the fourth round was postponed"). */
  function callOff(c: ExtractedCancellation) {
    const today = dayOf(article);
    for (const x of openFor(c.participants, cancelSpan(article))) {
      if (x.source.articleId === article.id || x.due.to < today) continue;
      const parties = x.participants.filter((p) => c.participants.includes(p));
      const typed = c.types.some((t) =>
        x.types.some((e) => analyzer.answers(t, e) || analyzer.answers(e, t)),
      );
      if (parties.length < Math.min(2, x.participants.length) || !typed) continue;
      const by: CancelledBy = {
        source,
        text: c.text,
        reasons: [`parties: ${parties.map(nameOf).join(', ')}`, `type: ${c.types.join('/')} called off`],
      };
      write({ op: 'cancel', id: x.id, by });
      closed.set(x.id, { ...x, state: 'cancelled', cancelledBy: by });
    }
  }

  /**
   * Fulfils, for every article that opened expectations this event answers, the one it
   * answers best; the article's other expectations it answers are restatements and close
   * with it quietly. A later report of the same event finds them closed. Returns the fulfil
   * writes that raise alerts.
   */
  function fulfilWith(event: EventRecord): number[] {
    if (event.historical) return [];
    const open = openFor(indexKeys(event), event.date).filter(
      (x) => !event.sources.some((s) => s.articleId === x.source.articleId),
    );
    const byArticle = new Map<string, ExpectationRecord[]>();
    for (const x of open.filter((o) => !o.restates))
      byArticle.set(x.source.articleId, [...(byArticle.get(x.source.articleId) ?? []), x]);
    const fulfilled: number[] = [];
    for (const [articleId, xs] of byArticle) {
      const firsts = firstAnswers(xs, event);
      const best = bestFulfilment(event, xs, thresholds, analyzer, nameOf, model.fulfils, firsts);
      if (!best) continue;
      if (answered.has(`${event.id}|${articleId}`)) continue;
      fulfilled.push(
        fulfil(
          xs.find((o) => o.id === best.targetId)!,
          event,
          best,
        ),
      );
      for (const x of xs) if (x.id !== best.targetId) closeAsRestated(x, event);
    }
    // Restatements close with the expectation they restate: fulfilled by this event, they are
    // fulfilled too (a match, no alert); closed otherwise, they close quietly.
    for (const r of open.filter((o) => o.restates)) {
      const origin =
        closed.get(r.restates!) ??
        read<ExpectationRecord | null>({ kind: 'expectation', id: r.restates! }, null);
      if (!origin || origin.state === 'open') continue;
      if (origin.fulfilledBy?.eventId === event.id) {
        const by = {
          ...origin.fulfilledBy,
          reasons: ['restates an expectation this event fulfilled', ...origin.fulfilledBy.reasons],
        };
        const w = write({ op: 'fulfil', id: r.id, by });
        closed.set(r.id, { ...r, state: 'fulfilled', fulfilledBy: by });
        plan.matches.push({
          match: { kind: 'fulfils', targetId: r.id, eventId: event.id, score: by.score, reasons: by.reasons },
          when: { ok: [w] },
        });
      } else {
        write({ op: 'markOverdue', id: r.id });
        closed.set(r.id, { ...r, state: 'overdue' });
      }
    }
    return fulfilled;
  }

  /**
   * The expectations `event` is the first answer to: no other event of all their parties, of a
   * type answering them, came between their statement and this one.
   */
  function firstAnswers(xs: ExpectationRecord[], event: EventRecord): Set<string> {
    const firsts = new Set<string>();
    for (const x of xs) {
      // Only for what could be fulfilled at all: the read is over the whole window.
      if ('ruledOut' in fulfilmentFeatures(x, event, analyzer)) continue;
      if (event.date.from <= x.due.from) {
        firsts.add(x.id);
        continue;
      }
      const between = eventsNear(x.participants, { from: x.due.from, to: event.date.from }, 0);
      const earlier = between.some(
        (e) =>
          e.id !== event.id &&
          !e.historical &&
          e.date.to < event.date.from &&
          (e.sources[0]?.published ?? '') > x.source.published &&
          x.participants.every((p) => e.participants.includes(p)) &&
          (e.types ?? [e.type]).some((t) => x.types.some((w) => analyzer.answers(t, w))),
      );
      if (!earlier) firsts.add(x.id);
    }
    return firsts;
  }

  /** Fulfils `x` with `event` if the event answers it well enough: the fulfil write, if any. */
  function tryFulfil(x: ExpectationRecord, event: EventRecord): number | undefined {
    const best = bestFulfilment(event, [x], thresholds, analyzer, nameOf, model.fulfils);
    return best ? fulfil(x, event, best) : undefined;
  }

  /** Closes `x` as answered by `event` without a match or an alert, if the event answers it. */
  function closeAsRestated(x: ExpectationRecord, event: EventRecord): number | undefined {
    const s = scoreFulfilment(x, event, analyzer, nameOf, model.fulfils);
    if (!s || s.score < (thresholds.fulfils ?? model.fulfils.threshold)) return undefined;
    const by: FulfilledBy = {
      eventId: event.id,
      source: event.sources[0] ?? source,
      score: s.score,
      reasons: [...s.reasons, 'restates an expectation this event fulfilled'],
    };
    closed.set(x.id, { ...x, state: 'fulfilled', fulfilledBy: by });
    return write({ op: 'fulfil', id: x.id, by });
  }

  function fulfil(x: ExpectationRecord, event: EventRecord, best: Match): number {
    const by: FulfilledBy = {
      eventId: event.id,
      source: event.sources[0] ?? source,
      score: best.score,
      reasons: best.reasons,
    };
    const w = write({ op: 'fulfil', id: x.id, by });
    closed.set(x.id, { ...x, state: 'fulfilled', fulfilledBy: by });
    answered.add(`${event.id}|${x.source.articleId}`);
    const fulfilled: ExpectationRecord = { ...x, state: 'fulfilled', fulfilledBy: by };
    plan.matches.push({ match: { ...best, eventId: event.id }, when: { ok: [w] } });
    raise(
      { alert: fulfilledAlert(fulfilled, event, best, nameOf, hash, now), when: { ok: [w] } },
      eventDayOf(event),
    );
    return w;
  }
}
