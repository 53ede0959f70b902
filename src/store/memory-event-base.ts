// The event base in process memory, so replay and eval can run without Redis: the same contract as
// RedisEventBase (test/integration/event-base.test.ts runs one suite against both), and no I/O.
import { daysBetween, type Day } from '../domain/dates';
import type { TermStats } from '../domain/signature';
import { indexKeys, type EventRecord, type ExpectationRecord, type SourceRef } from '../domain/types';
import { CANDIDATES_PER_PARTY, OPEN_PAGES, type EventBase, type RedisEventBase } from './event-base';

/** Everything RedisEventBase offers, matching's reads and the operators' alike. */
export type EventBaseWithOperatorReads = { [K in keyof RedisEventBase]: RedisEventBase[K] };

type Scored = { id: string; score: number };

/** Day numbers as RedisEventBase scores by; a day that is no date is refused, as Redis refuses the score. */
function dayNumber(d: Day): number {
  const n = daysBetween('1970-01-01', d);
  if (!Number.isFinite(n)) throw new Error(`not a day: ${JSON.stringify(d)}`);
  return n;
}

/** Redis's order within a sorted set: by score, then by member. */
function byScoreThenId(a: Scored, b: Scored): number {
  return a.score - b.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** A bound of a score range: inclusive unless `open`. */
type Bound = { score: number; open?: boolean };

/**
 * A sorted set as Redis keeps one: members ordered by score then id, read by score range through
 * binary search, so a read costs the members it returns, not the size of the set.
 */
class SortedIndex {
  private readonly entries: Scored[] = [];
  private readonly scores = new Map<string, number>();

  get size(): number {
    return this.entries.length;
  }

  has(id: string): boolean {
    return this.scores.has(id);
  }

  scoreOf(id: string): number | undefined {
    return this.scores.get(id);
  }

  members(): IterableIterator<string> {
    return this.scores.keys();
  }

  /** ZADD: adds the member, or moves it to its new score. */
  add(id: string, score: number): void {
    const current = this.scores.get(id);
    if (current === score) return;
    if (current !== undefined) this.entries.splice(this.positionOf({ id, score: current }), 1);
    this.entries.splice(this.positionOf({ id, score }), 0, { id, score });
    this.scores.set(id, score);
  }

  /** ZREM. */
  remove(id: string): void {
    const score = this.scores.get(id);
    if (score === undefined) return;
    this.entries.splice(this.positionOf({ id, score }), 1);
    this.scores.delete(id);
  }

  /** ZRANGEBYSCORE min max LIMIT offset count: ascending; every member when count is negative. */
  range(min: Bound, max: Bound, count: number, offset = 0): Scored[] {
    const start = this.firstAbove(min) + offset;
    const end = this.firstAbove({ score: max.score, open: !max.open });
    const stop = count < 0 ? end : Math.min(end, start + count);
    return start < stop ? this.entries.slice(start, stop).map((e) => ({ ...e })) : [];
  }

  /** ZREVRANGEBYSCORE max min LIMIT 0 count: descending; every member when count is negative. */
  revRange(max: Bound, min: Bound, count: number): Scored[] {
    const start = this.firstAbove(min);
    const end = this.firstAbove({ score: max.score, open: !max.open });
    const stop = count < 0 ? start : Math.max(start, end - count);
    const out: Scored[] = [];
    for (let i = end - 1; i >= stop; i--) out.push({ ...this.entries[i]! });
    return out;
  }

  /** The index of the first entry above `bound` (at or above it when the bound is closed). */
  private firstAbove(bound: Bound): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.entries[mid]!.score;
      if (bound.open ? s <= bound.score : s < bound.score) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Where `entry` is, or would go, in the order. */
  private positionOf(entry: Scored): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (byScoreThenId(this.entries[mid]!, entry) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

const ALL: Bound = { score: -Infinity };
const NONE_ABOVE: Bound = { score: Infinity };

/**
 * RedisEventBase's model kept in Maps: the same records (stored as JSON, so every read hands out
 * a copy), the same indexes (per party by day number, open expectations by the end of their
 * window) and the same close gates, read in the same order with the same caps.
 */
export class MemoryEventBase implements EventBase, EventBaseWithOperatorReads {
  private readonly cap: number;
  /** event id -> the event without its sources, as JSON */
  private readonly events = new Map<string, string>();
  /** event id -> article id -> source as JSON, in the order added */
  private readonly sources = new Map<string, Map<string, string>>();
  private readonly eventsOf = new Map<string, SortedIndex>();
  private readonly allEvents = new SortedIndex();
  private readonly expectations = new Map<string, string>();
  /** each expectation's window start, so a read can pass over windows not yet open unparsed */
  private readonly dueFromOf = new Map<string, string>();
  private readonly openOf = new Map<string, SortedIndex>();
  private readonly openByDue = new SortedIndex();
  private readonly allExpectations = new SortedIndex();
  /** expectation id -> its closer (the fulfilling event's id, or the reason) */
  private readonly closeGates = new Map<string, string>();
  /** event id -> the expectations it fulfilled */
  private readonly fulfilledOf = new Map<string, Set<string>>();
  /** term -> how many read articles hold it */
  private readonly termDf = new Map<string, number>();
  private termDocs = 0;
  /** articles whose terms were counted: a re-run counts none twice */
  private readonly termsCounted = new Set<string>();

  constructor(options: { candidatesPerParty?: number | undefined } = {}) {
    this.cap = options.candidatesPerParty ?? CANDIDATES_PER_PARTY;
  }

  async getEvent(id: string): Promise<EventRecord | undefined> {
    return this.readEvent(id);
  }

  async createEvent(event: EventRecord): Promise<boolean> {
    const day = dayNumber(event.date.from);
    const { sources, ...core } = event;
    const created = !this.events.has(event.id);
    if (created) this.events.set(event.id, JSON.stringify(core));
    for (const s of sources) this.addSourceNow(event.id, s);
    if (!created) return false;
    for (const p of indexKeys(event)) this.indexOf(this.eventsOf, p).add(event.id, day);
    this.allEvents.add(event.id, day);
    return true;
  }

  async addSource(eventId: string, source: SourceRef): Promise<boolean> {
    return this.addSourceNow(eventId, source);
  }

  async eventsNear(
    parties: string[],
    span: { from: Day; to: Day },
    marginDays: number,
  ): Promise<EventRecord[]> {
    const from = dayNumber(span.from);
    const to = dayNumber(span.to);
    const distance = (score: number) => (score < from ? from - score : score - to);
    const ids = new Set<string>();
    for (const p of parties) {
      const index = this.eventsOf.get(p);
      if (!index) continue;
      const inside = index.range({ score: from }, { score: to }, this.cap);
      const margins = [
        ...index.revRange({ score: from, open: true }, { score: from - marginDays }, this.cap),
        ...index.range({ score: to, open: true }, { score: to + marginDays }, this.cap),
      ].sort((a, b) => distance(a.score) - distance(b.score) || a.score - b.score);
      const kept = [...inside, ...margins].slice(0, this.cap);
      for (const { id } of kept.sort(byScoreThenId)) ids.add(id);
    }
    return this.readEvents([...ids]);
  }

  async getExpectation(id: string): Promise<ExpectationRecord | undefined> {
    return this.readExpectation(id);
  }

  async createExpectation(x: ExpectationRecord): Promise<boolean> {
    const current = this.readExpectation(x.id);
    // An existing one is indexed again only while it is open, as RedisEventBase's script does:
    // a closed one must not come back into the open indexes.
    if (current && current.state !== 'open') return false;
    const day = dayNumber(x.due.to);
    if (!current) this.putExpectation(x);
    this.indexExpectation(x, day);
    return !current;
  }

  async openExpectationsFor(parties: string[], span: { from: Day; to: Day }): Promise<ExpectationRecord[]> {
    // As RedisEventBase reads: per party, the first `cap` windows that reach the span, those
    // opening after it passed over rather than counted.
    const from = dayNumber(span.from);
    const seen = new Set<string>();
    const out: ExpectationRecord[] = [];
    for (const p of parties) {
      const index = this.openOf.get(p);
      let kept = 0;
      for (
        let offset = 0, page = this.cap, round = 0;
        index && kept < this.cap && round < OPEN_PAGES;
        offset += page, page *= 4, round++
      ) {
        const ids = index.range({ score: from }, NONE_ABOVE, page, offset);
        // One record read at a time, and none past the cap: a page is wider than what is kept.
        for (const { id } of ids) {
          if (kept >= this.cap) break;
          // the window's start is kept beside the record: the many that open later cost no parse
          if ((this.dueFromOf.get(id) ?? '') > span.to) continue;
          const x = this.readExpectation(id);
          if (!x || x.state !== 'open' || x.due.from > span.to) continue;
          kept++;
          if (seen.has(x.id)) continue;
          seen.add(x.id);
          out.push(x);
        }
        if (ids.length < page) break;
      }
    }
    return out;
  }

  async fulfil(id: string, by: NonNullable<ExpectationRecord['fulfilledBy']>): Promise<boolean> {
    return this.close(
      id,
      by.eventId,
      (x) => ({ ...x, state: 'fulfilled', fulfilledBy: by }),
      true,
      by.eventId,
    );
  }

  async fulfilledBy(eventId: string): Promise<ExpectationRecord[]> {
    return this.readExpectations([...(this.fulfilledOf.get(eventId) ?? [])]);
  }

  async termStats(terms: readonly string[]): Promise<TermStats> {
    const df = new Map<string, number>();
    for (const t of terms) {
      const n = this.termDf.get(t);
      if (n !== undefined) df.set(t, n);
    }
    return { docs: this.termDocs, df };
  }

  async addTerms(terms: readonly string[], articleId: string): Promise<void> {
    if (this.termsCounted.has(articleId)) return;
    this.termsCounted.add(articleId);
    for (const t of terms) this.termDf.set(t, (this.termDf.get(t) ?? 0) + 1);
    this.termDocs++;
  }

  async expiredBefore(day: Day): Promise<ExpectationRecord[]> {
    const ids = this.openByDue.range(ALL, { score: dayNumber(day), open: true }, -1).map((s) => s.id);
    return this.readExpectations(ids).filter((x) => x.state === 'open');
  }

  async markOverdue(id: string): Promise<boolean> {
    return this.close(id, 'overdue', (x) => ({ ...x, state: 'overdue' }), true);
  }

  async cancel(id: string, by: NonNullable<ExpectationRecord['cancelledBy']>): Promise<boolean> {
    return this.close(id, 'cancelled', (x) => ({ ...x, state: 'cancelled', cancelledBy: by }), false);
  }

  /**
   * Stores many new events and open expectations; an id that exists already is left as it is (an
   * existing event gets none of the given sources, unlike createEvent). How many of each were created.
   */
  async insertMany(
    events: readonly EventRecord[],
    expectations: readonly ExpectationRecord[] = [],
  ): Promise<{ events: number; expectations: number }> {
    // Every day is checked before anything is written, so a bad record leaves the base as it was.
    const eventDays = events.map((e) => dayNumber(e.date.from));
    const dueDays = expectations.map((x) => dayNumber(x.due.to));
    let createdEvents = 0;
    let createdExpectations = 0;
    events.forEach((e, i) => {
      if (this.events.has(e.id)) return;
      const { sources, ...core } = e;
      this.events.set(e.id, JSON.stringify(core));
      for (const s of sources) this.addSourceNow(e.id, s);
      for (const p of indexKeys(e)) this.indexOf(this.eventsOf, p).add(e.id, eventDays[i]!);
      this.allEvents.add(e.id, eventDays[i]!);
      createdEvents += 1;
    });
    expectations.forEach((x, i) => {
      if (this.expectations.has(x.id)) return;
      this.putExpectation(x);
      this.indexExpectation(x, dueDays[i]!);
      createdExpectations += 1;
    });
    return { events: createdEvents, expectations: createdExpectations };
  }

  /** Removes an event, its sources and its index entries. */
  async deleteEvent(id: string): Promise<void> {
    const raw = this.events.get(id);
    this.events.delete(id);
    this.sources.delete(id);
    this.fulfilledOf.delete(id);
    this.allEvents.remove(id);
    if (raw) for (const p of indexKeys(JSON.parse(raw) as EventRecord)) this.unindex(this.eventsOf, p, id);
  }

  /** Takes one article off an event's sources. */
  async removeSource(eventId: string, articleId: string): Promise<void> {
    const of = this.sources.get(eventId);
    of?.delete(articleId);
    if (of?.size === 0) this.sources.delete(eventId);
  }

  /** Removes an expectation in any state, its close gate and its index entries. */
  async deleteExpectation(id: string): Promise<void> {
    const x = this.readExpectation(id);
    this.expectations.delete(id);
    this.dueFromOf.delete(id);
    this.closeGates.delete(id);
    this.openByDue.remove(id);
    this.allExpectations.remove(id);
    for (const p of x ? indexKeys(x) : []) this.unindex(this.openOf, p, id);
    if (x?.fulfilledBy) this.fulfilledOf.get(x.fulfilledBy.eventId)?.delete(id);
  }

  /** Takes one read article's terms off the counts (undoing a bench round). */
  async removeTerms(terms: readonly string[], articleId: string): Promise<void> {
    this.termsCounted.delete(articleId);
    for (const t of terms) {
      const n = (this.termDf.get(t) ?? 0) - 1;
      if (n > 0) this.termDf.set(t, n);
      else this.termDf.delete(t);
    }
    this.termDocs = Math.max(0, this.termDocs - 1);
  }

  // ---- operators' reads, as RedisEventBase answers them ----

  /**
   * Events of any of `entities` (every event when none is given) starting within [from, to],
   * newest first, that pass `where`; at most `limit`.
   */
  async listEvents(q: {
    entities?: readonly string[] | undefined;
    from?: Day | undefined;
    to?: Day | undefined;
    limit: number;
    where?: ((e: EventRecord) => boolean) | undefined;
  }): Promise<EventRecord[]> {
    const indexes = q.entities?.length ? q.entities.map((e) => this.eventsOf.get(e)) : [this.allEvents];
    const max = q.to ? { score: dayNumber(q.to) } : NONE_ABOVE;
    const min = q.from ? { score: dayNumber(q.from) } : ALL;
    return this.newestPassing(indexes, max, min, q.limit, (ids) => this.readEvents(ids), q.where);
  }

  /** Events every one of `entities` took part in, historical ones included, oldest first. */
  async timeline(entities: readonly string[], limit = 1000): Promise<EventRecord[]> {
    if (entities.length === 0) return [];
    const indexes: SortedIndex[] = [];
    for (const e of entities) {
      const index = this.eventsOf.get(e);
      if (!index) return [];
      indexes.push(index);
    }
    const smallest = indexes.reduce((a, b) => (b.size < a.size ? b : a));
    const common: Scored[] = [];
    for (const id of smallest.members()) {
      const scores = indexes.map((index) => index.scoreOf(id));
      if (scores.every((s) => s !== undefined)) common.push({ id, score: Math.min(...scores) });
    }
    const ids = common
      .sort(byScoreThenId)
      .slice(0, limit)
      .map(({ id }) => id);
    return this.readEvents(ids);
  }

  /**
   * Expectations in one state (any when none is given) of any of `entities`. Open ones come
   * soonest due first; closed ones latest due first.
   */
  async listExpectations(q: {
    state?: ExpectationRecord['state'] | undefined;
    entities?: readonly string[] | undefined;
    limit: number;
  }): Promise<ExpectationRecord[]> {
    const load = (ids: string[]) => this.readExpectations(ids);
    const ofEntities = (x: ExpectationRecord) =>
      !q.entities?.length || x.participants.some((p) => q.entities!.includes(p));
    if (q.state === 'open') {
      const indexes = q.entities?.length ? q.entities.map((e) => this.openOf.get(e)) : [this.openByDue];
      const ids = [
        ...new Set(
          indexes
            .flatMap((index) => index?.range(ALL, NONE_ABOVE, q.limit) ?? [])
            .sort(byScoreThenId)
            .map((s) => s.id),
        ),
      ];
      return load(ids.slice(0, q.limit)).filter((x) => x.state === 'open');
    }
    return this.newestPassing(
      [this.allExpectations],
      NONE_ABOVE,
      ALL,
      q.limit,
      load,
      (x) => (q.state === undefined || x.state === q.state) && ofEntities(x),
    );
  }

  /** How many events and expectations the base holds, and how many expectations are open. */
  async counts(): Promise<{ events: number; expectations: number; openExpectations: number }> {
    return {
      events: this.allEvents.size,
      expectations: this.allExpectations.size,
      openExpectations: this.openByDue.size,
    };
  }

  /** Opens a closed expectation again; false when it is open already or unknown. */
  async reopen(id: string): Promise<boolean> {
    const x = this.readExpectation(id);
    if (!x || x.state === 'open') return false;
    const { fulfilledBy: _f, cancelledBy: _c, ...rest } = x;
    const reopened: ExpectationRecord = { ...rest, state: 'open' };
    const day = dayNumber(reopened.due.to);
    this.putExpectation(reopened);
    this.closeGates.delete(id);
    this.indexExpectation(reopened, day);
    return true;
  }

  // ---- the model underneath ----

  /** RedisEventBase's close: one gate holding the closer, see its comment on `close`. */
  private close(
    id: string,
    reason: string,
    update: (x: ExpectationRecord) => ExpectationRecord,
    again: boolean,
    fulfilledBy?: string,
  ): boolean {
    if (!this.expectations.has(id)) return false; // no gate for an id that does not exist
    const holder = this.closeGates.get(id);
    const won = holder === undefined;
    if (won) this.closeGates.set(id, reason);
    else if (holder !== reason) return false;
    const x = this.readExpectation(id);
    if (!x) return false;
    if (!won && x.state !== 'open') return again;
    this.putExpectation(update(x));
    for (const p of indexKeys(x)) this.unindex(this.openOf, p, id);
    if (fulfilledBy)
      this.fulfilledOf.set(fulfilledBy, new Set([...(this.fulfilledOf.get(fulfilledBy) ?? []), id]));
    this.openByDue.remove(id);
    return true;
  }

  /** The newest members of `indexes` within [min, max] passing `where`, read as RedisEventBase reads them. */
  private newestPassing<T>(
    indexes: readonly (SortedIndex | undefined)[],
    max: Bound,
    min: Bound,
    limit: number,
    load: (ids: string[]) => T[],
    where: (record: T) => boolean = () => true,
  ): T[] {
    for (let window = limit; ; window *= 4) {
      const replies = indexes.map((index) => index?.revRange(max, min, window) ?? []);
      const byId = new Map<string, number>();
      for (const { id, score } of replies.flat()) byId.set(id, score);
      const ids = [...byId]
        .map(([id, score]) => ({ id, score }))
        .sort((a, b) => byScoreThenId(b, a))
        .map(({ id }) => id);
      const passing = load(ids).filter(where);
      const exhausted = replies.every((r) => r.length < window);
      if (passing.length >= limit || exhausted) return passing.slice(0, limit);
    }
  }

  private indexExpectation(x: ExpectationRecord, day: number): void {
    for (const p of indexKeys(x)) this.indexOf(this.openOf, p).add(x.id, day);
    this.openByDue.add(x.id, day);
    this.allExpectations.add(x.id, day);
  }

  private indexOf(indexes: Map<string, SortedIndex>, key: string): SortedIndex {
    let index = indexes.get(key);
    if (!index) indexes.set(key, (index = new SortedIndex()));
    return index;
  }

  /** Takes `id` off a party's index, dropping the index once empty (as Redis drops an empty key). */
  private unindex(indexes: Map<string, SortedIndex>, key: string, id: string): void {
    const index = indexes.get(key);
    index?.remove(id);
    if (index?.size === 0) indexes.delete(key);
  }

  private addSourceNow(eventId: string, source: SourceRef): boolean {
    let of = this.sources.get(eventId);
    if (!of) this.sources.set(eventId, (of = new Map()));
    if (of.has(source.articleId)) return false;
    of.set(source.articleId, JSON.stringify(source));
    return true;
  }

  private readEvent(id: string): EventRecord | undefined {
    const raw = this.events.get(id);
    if (!raw) return undefined;
    const event = JSON.parse(raw) as EventRecord;
    event.sources = [...(this.sources.get(id)?.values() ?? [])]
      .map((s) => JSON.parse(s) as SourceRef)
      .sort((a, b) => a.published.localeCompare(b.published));
    return event;
  }

  /** Events by id in the order given; missing ones are left out. */
  private readEvents(ids: string[]): EventRecord[] {
    return ids.map((id) => this.readEvent(id)).filter((e): e is EventRecord => e !== undefined);
  }

  private putExpectation(x: ExpectationRecord): void {
    this.expectations.set(x.id, JSON.stringify(x));
    this.dueFromOf.set(x.id, x.due.from);
  }

  private readExpectation(id: string): ExpectationRecord | undefined {
    const raw = this.expectations.get(id);
    return raw ? (JSON.parse(raw) as ExpectationRecord) : undefined;
  }

  private readExpectations(ids: string[]): ExpectationRecord[] {
    return ids.map((id) => this.readExpectation(id)).filter((x): x is ExpectationRecord => x !== undefined);
  }
}
