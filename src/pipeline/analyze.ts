// The analyze stage: extract an article's events and expectations, match them against the
// event base, update the base and decide which alerts are owed. I/O only through EventBase.
import { fulfilledAlert, newEventAlert, openedAlert, sameEventAlert } from '../domain/alerts';
import type { Analyzer } from '../domain/analyzer';
import { extractArticle, historicalKey } from '../domain/extract';
import {
  bestFulfilment,
  DEFAULT_MODEL,
  fulfilmentFeatures,
  matchEvent,
  scoreFulfilment,
  type MatchModel,
  type MatchThresholds,
} from '../domain/match';
import { cosine, signatureOf } from '../domain/signature';
import type {
  Alert,
  ArticleInput,
  EventRecord,
  ExpectationRecord,
  ExtractedEvent,
  Extraction,
  Match,
  SourceRef,
} from '../domain/types';
import { indexKeys } from '../domain/types';
import { hashKey } from '../store/articles';
import type { EventBase } from '../store/event-base';

export interface AnalyzeDeps {
  analyzer: Analyzer;
  base: EventBase;
  thresholds: MatchThresholds;
  /** the fitted weights (data/match-model.json); hand-set ones when absent */
  model?: MatchModel | undefined;
  now: () => Date;
}

export interface AnalyzeResult {
  events: EventRecord[];
  expectations: ExpectationRecord[];
  /** decisions linking this article to what the base held before it */
  matches: (Match & { eventId?: string | undefined })[];
  alerts: Alert[];
}

/**
 * Whether a later article's expectation is one an earlier article stated: within one article a
 * party more or less is the same sentence said twice (sameExpectation), but across articles it
 * takes the same parties (two at least), an expected type in common, windows that meet, and a
 * person both name or the same words.
 */
function restates(x: ExpectationRecord, o: ExpectationRecord): boolean {
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

/** Reports of one event fall within this many days of each other. */
const CANDIDATE_MARGIN_DAYS = 7;

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

/** A record as the base gives it back: JSON, so no undefined fields. */
function asStored(record: EventRecord): EventRecord {
  return JSON.parse(JSON.stringify(record)) as EventRecord;
}

/** Historical events are keyed by what they are, so every article recounting one joins it. */
export function historicalId(e: Pick<ExtractedEvent, 'family' | 'participants' | 'date'>): string {
  return `ev_${hashKey(historicalKey(e))}`;
}

export async function analyzeArticle(deps: AnalyzeDeps, article: ArticleInput): Promise<AnalyzeResult> {
  return matchArticle(deps, article, extractArticle(deps.analyzer, article));
}

/**
 * Matches what was read from an article against the base and updates it. Split from extraction
 * (pure, and a third of the work) so a worker can read an article before taking the analyze lock
 * and hold the lock only while it reads and writes the base.
 */
export async function matchArticle(
  deps: AnalyzeDeps,
  article: ArticleInput,
  extraction: Extraction,
): Promise<AnalyzeResult> {
  const { analyzer, base, thresholds } = deps;
  const model = deps.model ?? analyzer.model ?? DEFAULT_MODEL;
  const nameOf = analyzer.nameOf;
  // Words weigh by how rare they are among what was read before this article.
  const terms = [
    ...new Set([
      ...Object.keys(extraction.terms),
      ...extraction.expectations.flatMap((x) => Object.keys(x.terms ?? {})),
    ]),
  ];
  // Asked together with the candidate reads below: the connection sends them in one go.
  const statsRead = base.termStats(terms);
  statsRead.catch(() => undefined);
  let stats: Awaited<typeof statsRead> = { docs: 0, df: new Map() };
  let signature = signatureOf({}, article.lang, stats);
  const withWords = (e: ExtractedEvent): ExtractedEvent & Pick<EventRecord, 'signature' | 'numbers'> =>
    e.historical ? e : { ...e, signature, numbers: extraction.numbers };
  const now = deps.now();
  const source = sourceOf(article);
  const result: AnalyzeResult = { events: [], expectations: [], matches: [], alerts: [] };
  /** `${eventId}|${articleId}`: this event answered an expectation that article opened */
  const answered = new Set<string>();
  /**
   * Events this run created, joined or matched, and the ids this article's events are created
   * under. A later event of the article never matches these: not the article's own events, and
   * not, a second time, one it reported already. By id rather than by "has this article as a
   * source", so a run repeated after a crash sees what the crashed run wrote as its own.
   */
  const touched = new Set<string>(extraction.events.map((_, i) => ownEventId(i)));
  /** Expectations this run created: an article stating one twice opens it once. */
  const opened = new Set<string>();
  /** Expectations this run closed (fulfilled, restated, called off): no longer open to it. */
  const closed = new Set<string>();

  // Every read the article's own dates and parties call for, asked at once: the auto-pipelined
  // connection sends them together, so the lock is held for a couple of round trips instead of
  // one or two per event and expectation. Each read is used as it was before any of this run's
  // writes: what this run touched or closed is filtered out where it is used (`touched`,
  // `closed`), and anything else is only ever written under the same lock. Reads for other
  // arguments (a matched event's own dates) go to the base as they come.
  const reads = new Map<string, Promise<unknown>>();
  const nearKey = (parties: string[], span: { from: string; to: string }, margin: number) =>
    `near|${parties.join(',')}|${span.from}|${span.to}|${margin}`;
  const openKey = (parties: string[], span: { from: string; to: string }) =>
    `open|${parties.join(',')}|${span.from}|${span.to}`;
  const ask = <T>(key: string, read: () => Promise<T>) => {
    if (reads.has(key)) return;
    const p = read();
    p.catch(() => undefined); // a read never used must not be an unhandled rejection
    reads.set(key, p);
  };
  const today = article.publishedDay ?? article.published.slice(0, 10);
  const cancelSpan = { from: today, to: '9999-12-31' };
  for (const e of extraction.events) {
    if (e.historical) continue;
    const keys = indexKeys(e);
    ask(nearKey(keys, e.date, CANDIDATE_MARGIN_DAYS), () =>
      base.eventsNear(keys, e.date, CANDIDATE_MARGIN_DAYS),
    );
    ask(openKey(keys, e.date), () => base.openExpectationsFor(keys, e.date));
  }
  for (const x of extraction.expectations) {
    const keys = indexKeys(x);
    ask(openKey(keys, x.due), () => base.openExpectationsFor(keys, x.due));
    ask(nearKey(keys, x.due, 0), () => base.eventsNear(keys, x.due, 0));
  }
  for (const c of extraction.cancellations)
    ask(openKey(c.participants, cancelSpan), () => base.openExpectationsFor(c.participants, cancelSpan));
  const eventsNear = async (parties: string[], span: { from: string; to: string }, margin: number) =>
    ((await reads.get(nearKey(parties, span, margin))) as EventRecord[] | undefined) ??
    (await base.eventsNear(parties, span, margin));
  const openExpectationsFor = async (parties: string[], span: { from: string; to: string }) =>
    (
      ((await reads.get(openKey(parties, span))) as ExpectationRecord[] | undefined) ??
      (await base.openExpectationsFor(parties, span))
    ).filter((x) => !closed.has(x.id));

  stats = await statsRead;
  signature = signatureOf(extraction.terms, article.lang, stats);
  // This article's words count from the next one on; sent now, awaited at the end.
  const counted = base.addTerms(Object.keys(extraction.terms));
  counted.catch(() => undefined);

  for (const [i, read] of extraction.events.entries()) {
    const extracted = withWords(read);
    const { record, isNew, match } = await placeEvent(extracted, i);
    if (match) result.matches.push(match);
    // Another report of an event that fulfilled an expectation fulfils it too (no second alert).
    if (match?.kind === 'same_event' && !extracted.preview) await alsoFulfils(record);
    // New coverage of a known event: sent only to subscribers who opted into event.same_event.
    if (match?.kind === 'same_event' && !extracted.historical)
      result.alerts.push(sameEventAlert(record, source, match, nameOf, hashKey, now));
    result.events.push(record);
    // A preview (its headline looks ahead) fulfils nothing, even through the event it joined.
    const fulfilled = extracted.preview ? false : await fulfilWith(record);
    if (isNew && !extracted.historical && !fulfilled)
      result.alerts.push(newEventAlert(record, nameOf, hashKey, now));
  }

  for (const x of extraction.expectations) {
    // Its counted terms went into its signature; the record keeps the signature only.
    const { terms: _terms, ...said } = x;
    const record: ExpectationRecord = {
      ...said,
      id: `x_${hashKey(`${article.id}|${x.text}`)}`,
      state: 'open',
      source,
      signature: signatureOf(x.terms ?? {}, article.lang, stats),
    };
    // A later article restating an open expectation adds nothing to wait for: it is kept as a
    // restatement, which closes with the first and raises no alert of its own.
    const open = await openExpectationsFor(indexKeys(record), record.due);
    const first = open.find((o) => o.source.articleId !== article.id && restates(record, o));
    // Its id comes from this article: one that exists already is this article's, written by a run
    // that crashed before it finished, and this run carries on where that one stopped.
    if (opened.has(record.id)) continue;
    if (first) {
      opened.add(record.id);
      const restatement = { ...record, restates: first.restates ?? first.id };
      await base.createExpectation(restatement);
      result.expectations.push(restatement);
      continue;
    }
    opened.add(record.id);
    await base.createExpectation(record);
    result.expectations.push(record);
    // The follow-up may have been reported before the article that expected it arrived.
    const earlier = (await eventsNear(indexKeys(record), record.due, 0)).filter(
      (e) => !touched.has(e.id) && !e.sources.some((s) => s.articleId === article.id) && !e.historical,
    );
    let done = false;
    for (const e of earlier) {
      if (answered.has(`${e.id}|${article.id}`)) {
        // A restatement of an expectation this event already answered: closed with it, quietly.
        done = await closeAsRestated(record, e);
        if (done) break;
        continue;
      }
      if (await tryFulfil(record, e)) {
        done = true;
        break;
      }
    }
    if (!done) result.alerts.push(openedAlert(record, nameOf, hashKey, now));
  }

  for (const c of extraction.cancellations) await callOff(c);
  await counted;
  return result;

  /** The expectations of other articles that `event` fulfilled, reported as fulfilled by this report too. */
  async function alsoFulfils(event: EventRecord) {
    for (const x of await base.fulfilledBy(event.id)) {
      if (x.source.articleId === article.id || !x.fulfilledBy) continue;
      result.matches.push({
        kind: 'fulfils',
        targetId: x.id,
        eventId: event.id,
        score: x.fulfilledBy.score,
        reasons: ['another report of the event that fulfilled it', ...x.fulfilledBy.reasons],
      });
    }
  }

  /** Closes the open expectation a report calls off ("the fourth round was postponed"). */
  async function callOff(c: (typeof extraction.cancellations)[number]) {
    const open = await openExpectationsFor(c.participants, cancelSpan);
    for (const x of open) {
      if (x.source.articleId === article.id || x.due.to < today) continue;
      const parties = x.participants.filter((p) => c.participants.includes(p));
      const typed = c.types.some((t) =>
        x.types.some((e) => analyzer.answers(t, e) || analyzer.answers(e, t)),
      );
      if (parties.length < Math.min(2, x.participants.length) || !typed) continue;
      if (
        await base.cancel(x.id, {
          source,
          text: c.text,
          reasons: [`parties: ${parties.map(nameOf).join(', ')}`, `type: ${c.types.join('/')} called off`],
        })
      )
        closed.add(x.id);
    }
  }

  async function placeEvent(e: ExtractedEvent, index: number) {
    if (e.historical) {
      const id = historicalId(e);
      touched.add(id);
      const record: EventRecord = { ...e, id, sources: [source] };
      const created = await base.createEvent(record);
      if (!created) await base.addSource(id, source);
      // Joining a recounted historical event is bookkeeping, not news: no match is reported.
      return {
        record: created ? asStored(record) : (await base.getEvent(id))!,
        isNew: created,
        match: undefined,
      };
    }
    const candidates = await eventsNear(indexKeys(e), e.date, CANDIDATE_MARGIN_DAYS);
    const match = matchEvent(
      e,
      candidates.filter((c) => !touched.has(c.id)),
      thresholds,
      nameOf,
      analyzer,
      model.sameEvent,
    );
    if (match) {
      touched.add(match.targetId);
      await base.addSource(match.targetId, source);
      return {
        record: (await base.getEvent(match.targetId))!,
        isNew: false,
        match: { ...match, eventId: match.targetId },
      };
    }
    const id = ownEventId(index);
    const record: EventRecord = { ...e, id, sources: [source] };
    const created = await base.createEvent(record);
    // Created: the base holds what was written, so it is not read back (one round trip less
    // under the analyze lock). Not created: the id is this article's, so a crashed run of this
    // same job wrote it; the event is still this article's news, and its alert is raised again
    // under the same id (delivered once).
    return { record: created ? asStored(record) : (await base.getEvent(id))!, isNew: true, match: undefined };
  }

  function ownEventId(index: number): string {
    return `ev_${hashKey(`${article.id}|${index}`)}`;
  }

  /**
   * Fulfils, for every article that opened expectations this event answers, the one it
   * answers best; the article's other expectations it answers are restatements and close
   * with it quietly. A later report of the same event finds them closed. True when any was.
   */
  async function fulfilWith(event: EventRecord): Promise<boolean> {
    if (event.historical) return false;
    const open = (await openExpectationsFor(indexKeys(event), event.date)).filter(
      (x) => !event.sources.some((s) => s.articleId === x.source.articleId),
    );
    const byArticle = new Map<string, ExpectationRecord[]>();
    for (const x of open.filter((o) => !o.restates))
      byArticle.set(x.source.articleId, [...(byArticle.get(x.source.articleId) ?? []), x]);
    let any = false;
    for (const [articleId, xs] of byArticle) {
      const firsts = await firstAnswers(xs, event);
      const best = bestFulfilment(event, xs, thresholds, analyzer, nameOf, model.fulfils, firsts);
      if (!best) continue;
      if (answered.has(`${event.id}|${articleId}`)) continue;
      if (
        await fulfil(
          xs.find((o) => o.id === best.targetId)!,
          event,
          best,
        )
      )
        any = true;
      for (const x of xs) if (x.id !== best.targetId) await closeAsRestated(x, event);
    }
    // Restatements close with the expectation they restate: fulfilled by this event, they are
    // fulfilled too (a match, no alert); closed otherwise, they close quietly.
    for (const r of open.filter((o) => o.restates)) {
      const origin = await base.getExpectation(r.restates!);
      if (origin?.state === 'open') continue;
      if (origin?.fulfilledBy?.eventId === event.id) {
        const by = {
          ...origin.fulfilledBy,
          reasons: ['restates an expectation this event fulfilled', ...origin.fulfilledBy.reasons],
        };
        if (await base.fulfil(r.id, by)) {
          closed.add(r.id);
          result.matches.push({
            kind: 'fulfils',
            targetId: r.id,
            eventId: event.id,
            score: by.score,
            reasons: by.reasons,
          });
        }
      } else if (origin) {
        if (await base.markOverdue(r.id)) closed.add(r.id);
      }
    }
    return any;
  }

  /**
   * The expectations `event` is the first answer to: no other event of all their parties, of a
   * type answering them, came between their statement and this one.
   */
  async function firstAnswers(xs: ExpectationRecord[], event: EventRecord): Promise<Set<string>> {
    const firsts = new Set<string>();
    for (const x of xs) {
      // Only for what could be fulfilled at all: the read is over the whole window.
      if ('ruledOut' in fulfilmentFeatures(x, event, analyzer)) continue;
      if (event.date.from <= x.due.from) {
        firsts.add(x.id);
        continue;
      }
      const between = await eventsNear(x.participants, { from: x.due.from, to: event.date.from }, 0);
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

  /** Fulfils `x` with `event` if the event answers it well enough. */
  async function tryFulfil(x: ExpectationRecord, event: EventRecord): Promise<boolean> {
    const best = bestFulfilment(event, [x], thresholds, analyzer, nameOf, model.fulfils);
    return best ? fulfil(x, event, best) : false;
  }

  /** Closes `x` as answered by `event` without a match or an alert, if the event answers it. */
  async function closeAsRestated(x: ExpectationRecord, event: EventRecord): Promise<boolean> {
    const s = scoreFulfilment(x, event, analyzer, nameOf, model.fulfils);
    if (!s || s.score < (thresholds.fulfils ?? model.fulfils.threshold)) return false;
    const done = await base.fulfil(x.id, {
      eventId: event.id,
      source: event.sources[0] ?? source,
      score: s.score,
      reasons: [...s.reasons, 'restates an expectation this event fulfilled'],
    });
    if (done) closed.add(x.id);
    return done;
  }

  async function fulfil(x: ExpectationRecord, event: EventRecord, best: Match): Promise<boolean> {
    const by = {
      eventId: event.id,
      source: event.sources[0] ?? source,
      score: best.score,
      reasons: best.reasons,
    };
    if (!(await base.fulfil(x.id, by))) return false;
    closed.add(x.id);
    answered.add(`${event.id}|${x.source.articleId}`);
    const fulfilled: ExpectationRecord = { ...x, state: 'fulfilled', fulfilledBy: by };
    result.matches.push({ ...best, eventId: event.id });
    result.alerts.push(fulfilledAlert(fulfilled, event, best, nameOf, hashKey, now));
    return true;
  }
}
