// The event base in Redis: events and expectations with the indexes matching reads its
// candidates through (entity -> events by date, entity -> open expectations by due date),
// so the cost of matching an article grows with its candidates, not with the base.
import type { ChainableCommander, Redis } from 'ioredis';
import { daysBetween, type Day } from '../domain/dates';
import type { TermStats } from '../domain/signature';
import { indexKeys, type EventRecord, type ExpectationRecord, type SourceRef } from '../domain/types';
import { redisKeys, type RedisKeys } from './keys';
import { storeScripts, type StoreScripts } from './scripts';

const dayNumber = (d: Day) => daysBetween('1970-01-01', d);

/**
 * Candidates one party contributes to one query. A party such as NATO takes part in a large
 * share of all events, so an uncapped date window over its index would grow with the base;
 * the nearest in date are kept, which is where another report or a follow-up lies.
 */
export const CANDIDATES_PER_PARTY = 20;

/** Records per pipeline in insertMany: large enough to amortise round trips, small enough not to stall Redis. */
const BULK_CHUNK = 2000;

export interface EventBase {
  getEvent(id: string): Promise<EventRecord | undefined>;
  /**
   * Stores a new event with its indexes in one step; false when the id exists already (its
   * record is left as it is; the given sources it lacks are added).
   */
  createEvent(event: EventRecord): Promise<boolean>;
  /** Adds a report to an event; false when that article was a source already. */
  addSource(eventId: string, source: SourceRef): Promise<boolean>;
  /**
   * Events of any of `parties` starting within [from - margin, to + margin]; per party at most
   * CANDIDATES_PER_PARTY, those inside the span first (earliest first), then the nearest.
   */
  eventsNear(parties: string[], span: { from: Day; to: Day }, marginDays: number): Promise<EventRecord[]>;
  getExpectation(id: string): Promise<ExpectationRecord | undefined>;
  /** Stores a new open expectation with its indexes in one step; false when the id exists already. */
  createExpectation(x: ExpectationRecord): Promise<boolean>;
  /**
   * Open expectations of any of `parties` whose window reaches `span`; per party at most
   * CANDIDATES_PER_PARTY, the windows closing soonest first.
   */
  openExpectationsFor(parties: string[], span: { from: Day; to: Day }): Promise<ExpectationRecord[]>;
  /**
   * Marks an expectation fulfilled. Only the first event for an expectation wins (true); this is
   * what keeps two workers from raising two fulfilment alerts. The same event asking again (a job
   * re-run after a crash) is told true as well, and finishes a close the crash interrupted.
   */
  fulfil(id: string, by: NonNullable<ExpectationRecord['fulfilledBy']>): Promise<boolean>;
  /** Open expectations whose window closed before `day`. */
  expiredBefore(day: Day): Promise<ExpectationRecord[]>;
  /** Marks an expectation overdue; false when it was closed (fulfilled, overdue) already. */
  markOverdue(id: string): Promise<boolean>;
  /** Marks an expectation called off; false when it was closed already. */
  cancel(id: string, by: NonNullable<ExpectationRecord['cancelledBy']>): Promise<boolean>;
  /** The expectations an event fulfilled: a later report of the event fulfils them too. */
  fulfilledBy(eventId: string): Promise<ExpectationRecord[]>;
  /** How many read articles hold each of `terms`, and how many were read (text similarity's weights). */
  termStats(terms: readonly string[]): Promise<TermStats>;
  /**
   * Counts one more article read, holding `terms`. An article counted already (its job run again
   * after a crash) is not counted twice.
   */
  addTerms(terms: readonly string[], articleId: string): Promise<void>;
}

export class RedisEventBase implements EventBase {
  private readonly cap: number;
  /** Operators' lists (the API) read `allEvents` and `allExpectations`; matching never does. */
  private readonly k: RedisKeys['events'];
  private readonly scripts: StoreScripts;

  constructor(
    private readonly redis: Redis,
    prefix: string,
    options: { candidatesPerParty?: number } = {},
  ) {
    this.cap = options.candidatesPerParty ?? CANDIDATES_PER_PARTY;
    this.k = redisKeys(prefix).events;
    this.scripts = storeScripts(redis);
  }

  async getEvent(id: string): Promise<EventRecord | undefined> {
    const [raw, sources] = await Promise.all([
      this.redis.get(this.k.event(id)),
      this.redis.hvals(this.k.sources(id)),
    ]);
    return raw ? withSources(raw, sources) : undefined;
  }

  async createEvent(event: EventRecord): Promise<boolean> {
    const { sources, ...core } = event;
    // create-event.lua: the event with its indexes in one step, so a crash never leaves an event
    // matching cannot find; an event stored already only gains the sources it lacks.
    return this.scripts.createEvent(
      {
        event: this.k.event(event.id),
        sources: this.k.sources(event.id),
        allEvents: this.k.allEvents,
        eventsOf: indexKeys(event).map((p) => this.k.eventsOf(p)),
      },
      {
        json: JSON.stringify(core),
        id: event.id,
        day: dayNumber(event.date.from),
        sources: sources.map((s) => [s.articleId, JSON.stringify(s)] as [string, string]),
      },
    );
  }

  private indexEvent(m: ChainableCommander, event: EventRecord): ChainableCommander {
    for (const s of event.sources) m.hsetnx(this.k.sources(event.id), s.articleId, JSON.stringify(s));
    for (const p of indexKeys(event)) m.zadd(this.k.eventsOf(p), dayNumber(event.date.from), event.id);
    m.zadd(this.k.allEvents, dayNumber(event.date.from), event.id);
    return m;
  }

  async addSource(eventId: string, source: SourceRef): Promise<boolean> {
    return (await this.redis.hsetnx(this.k.sources(eventId), source.articleId, JSON.stringify(source))) === 1;
  }

  async eventsNear(
    parties: string[],
    span: { from: Day; to: Day },
    marginDays: number,
  ): Promise<EventRecord[]> {
    const from = dayNumber(span.from);
    const to = dayNumber(span.to);
    // One round trip for every party: its events inside the span, earliest first (the first
    // event after an expectation is the one that fulfils it), then those in the margins,
    // nearest to the span first; at most `cap` of each, of which the first `cap` are kept.
    const m = this.redis.pipeline();
    for (const p of parties) {
      const key = this.k.eventsOf(p);
      m.zrangebyscore(key, from, to, 'WITHSCORES', 'LIMIT', 0, this.cap);
      m.zrevrangebyscore(key, `(${from}`, from - marginDays, 'WITHSCORES', 'LIMIT', 0, this.cap);
      m.zrangebyscore(key, `(${to}`, to + marginDays, 'WITHSCORES', 'LIMIT', 0, this.cap);
    }
    const replies = await execAll<string[]>(m);
    const distance = (score: number) => (score < from ? from - score : score - to);
    const ids = new Set<string>();
    parties.forEach((_, i) => {
      const margins = [...scored(replies[3 * i + 1]!), ...scored(replies[3 * i + 2]!)].sort(
        (a, b) => distance(a.score) - distance(b.score) || a.score - b.score,
      );
      const kept = [...scored(replies[3 * i]!), ...margins].slice(0, this.cap);
      for (const { id } of kept.sort(byScoreThenId)) ids.add(id);
    });
    return this.getEvents([...ids]);
  }

  /** Events by id in one round trip, in the order given; missing ones are left out. */
  private async getEvents(ids: string[]): Promise<EventRecord[]> {
    if (ids.length === 0) return [];
    const m = this.redis.pipeline();
    for (const id of ids) m.get(this.k.event(id)).hvals(this.k.sources(id));
    const replies = await execAll<string | string[] | null>(m);
    const events: EventRecord[] = [];
    ids.forEach((_, i) => {
      const raw = replies[2 * i] as string | null;
      if (raw) events.push(withSources(raw, replies[2 * i + 1] as string[]));
    });
    return events;
  }

  async getExpectation(id: string): Promise<ExpectationRecord | undefined> {
    const raw = await this.redis.get(this.k.expectation(id));
    return raw ? (JSON.parse(raw) as ExpectationRecord) : undefined;
  }

  async createExpectation(x: ExpectationRecord): Promise<boolean> {
    // create-expectation.lua: the expectation with its indexes in one step; one stored already is
    // indexed again only while open (a closed one must not come back into the open indexes).
    return this.scripts.createExpectation(
      {
        expectation: this.k.expectation(x.id),
        openByDue: this.k.openByDue,
        all: this.k.allExpectations,
        openOf: indexKeys(x).map((p) => this.k.openOf(p)),
      },
      { json: JSON.stringify(x), id: x.id, dueDay: dayNumber(x.due.to) },
    );
  }

  private indexExpectation(m: ChainableCommander, x: ExpectationRecord): ChainableCommander {
    for (const p of indexKeys(x)) m.zadd(this.k.openOf(p), dayNumber(x.due.to), x.id);
    m.zadd(this.k.openByDue, dayNumber(x.due.to), x.id);
    m.zadd(this.k.allExpectations, dayNumber(x.due.to), x.id);
    return m;
  }

  async openExpectationsFor(parties: string[], span: { from: Day; to: Day }): Promise<ExpectationRecord[]> {
    // Ascending by the end of the window from the span's start: the windows closing soonest
    // come first, and those (due before the span ends) reach the span for certain. Windows that
    // open after the span are passed over, not counted against the cap: each party reads on,
    // a widening page at a time, until it has `cap` that reach the span, none are left, or it
    // has read OPEN_PAGES pages (5 × cap windows: a party in every other story, NATO, must not
    // make each article read all its windows as the base grows).
    const reaches = (x: ExpectationRecord) => x.state === 'open' && x.due.from <= span.to;
    const kept = parties.map(() => [] as ExpectationRecord[]);
    const offset = parties.map(() => 0);
    let pending = parties.map((_, i) => i);
    for (let page = this.cap, round = 0; pending.length > 0 && round < OPEN_PAGES; page *= 4, round++) {
      const m = this.redis.pipeline();
      for (const i of pending)
        m.zrangebyscore(this.k.openOf(parties[i]!), dayNumber(span.from), '+inf', 'LIMIT', offset[i]!, page);
      const replies = await execAll<string[]>(m);
      const records = await this.getExpectations([...new Set(replies.flat())]);
      const byId = new Map(records.map((x) => [x.id, x]));
      pending = pending.filter((i, n) => {
        const reply = replies[n]!;
        offset[i]! += reply.length;
        for (const id of reply) {
          const x = byId.get(id);
          if (x && reaches(x) && kept[i]!.length < this.cap) kept[i]!.push(x);
        }
        return kept[i]!.length < this.cap && reply.length === page;
      });
    }
    const seen = new Set<string>();
    return kept.flat().filter((x) => !seen.has(x.id) && seen.add(x.id));
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
    return this.getExpectations(await this.redis.smembers(this.k.fulfilledBy(eventId)));
  }

  async termStats(terms: readonly string[]): Promise<TermStats> {
    if (terms.length === 0)
      return { docs: Number((await this.redis.get(this.k.termDocs)) ?? 0), df: new Map() };
    const [counts, docs] = await execAll<(string | null)[] | string | null>(
      this.redis
        .pipeline()
        .hmget(this.k.termDf, ...terms)
        .get(this.k.termDocs),
    );
    const df = new Map<string, number>();
    (counts as (string | null)[]).forEach((c, i) => c !== null && df.set(terms[i]!, Number(c)));
    return { docs: Number(docs ?? 0), df };
  }

  async addTerms(terms: readonly string[], articleId: string): Promise<void> {
    // One command for the article, not one per term: the counts are kept for every article read.
    // add-terms.lua: nothing when the article's mark says it was counted already.
    await this.scripts.addTerms(
      { df: this.k.termDf, docs: this.k.termDocs, counted: this.k.termsCounted(articleId) },
      COUNTED_TTL_SECONDS,
      terms,
    );
  }

  async expiredBefore(day: Day): Promise<ExpectationRecord[]> {
    const ids = await this.redis.zrangebyscore(this.k.openByDue, '-inf', `(${dayNumber(day)}`);
    const all = await Promise.all(ids.map((id) => this.getExpectation(id)));
    return all.filter((x): x is ExpectationRecord => x !== undefined && x.state === 'open');
  }

  async markOverdue(id: string): Promise<boolean> {
    return this.close(id, 'overdue', (x) => ({ ...x, state: 'overdue' }), true);
  }

  /** Closes an open expectation as called off (postponed, cancelled); false if it was not open. */
  async cancel(id: string, by: NonNullable<ExpectationRecord['cancelledBy']>): Promise<boolean> {
    return this.close(id, 'cancelled', (x) => ({ ...x, state: 'cancelled', cancelledBy: by }), false);
  }

  /**
   * Stores many new events and open expectations in a few round trips (loading declared or
   * bulk data); like createEvent and createExpectation, an id that exists already is left as
   * it is. Returns how many of each were created.
   */
  async insertMany(
    events: readonly EventRecord[],
    expectations: readonly ExpectationRecord[] = [],
  ): Promise<{ events: number; expectations: number }> {
    let createdEvents = 0;
    let createdExpectations = 0;
    for (let i = 0; i < events.length; i += BULK_CHUNK) {
      const chunk = events.slice(i, i + BULK_CHUNK);
      const fresh = await this.setMissing(
        chunk.map((e) => {
          const { sources: _sources, ...core } = e;
          return [this.k.event(e.id), JSON.stringify(core)];
        }),
      );
      const m = this.redis.pipeline();
      chunk.forEach((e, j) => fresh[j] && this.indexEvent(m, e));
      await m.exec();
      createdEvents += fresh.filter(Boolean).length;
    }
    for (let i = 0; i < expectations.length; i += BULK_CHUNK) {
      const chunk = expectations.slice(i, i + BULK_CHUNK);
      const fresh = await this.setMissing(chunk.map((x) => [this.k.expectation(x.id), JSON.stringify(x)]));
      const m = this.redis.pipeline();
      chunk.forEach((x, j) => fresh[j] && this.indexExpectation(m, x));
      await m.exec();
      createdExpectations += fresh.filter(Boolean).length;
    }
    return { events: createdEvents, expectations: createdExpectations };
  }

  /** SET NX for each pair in one round trip; true where the key was new. */
  private async setMissing(pairs: [string, string][]): Promise<boolean[]> {
    const m = this.redis.pipeline();
    for (const [key, value] of pairs) m.set(key, value, 'NX');
    return (await execAll<string | null>(m)).map((reply) => reply === 'OK');
  }

  /** Removes an event, its sources and its index entries (undoing a replay or a bench round). */
  async deleteEvent(id: string): Promise<void> {
    const raw = await this.redis.get(this.k.event(id));
    const m = this.redis
      .multi()
      .del(this.k.event(id), this.k.sources(id), this.k.fulfilledBy(id))
      .zrem(this.k.allEvents, id);
    if (raw) for (const p of indexKeys(JSON.parse(raw) as EventRecord)) m.zrem(this.k.eventsOf(p), id);
    await m.exec();
  }

  /** Takes one article off an event's sources. */
  async removeSource(eventId: string, articleId: string): Promise<void> {
    await this.redis.hdel(this.k.sources(eventId), articleId);
  }

  /** Removes an expectation in any state, its close gate and its index entries. */
  async deleteExpectation(id: string): Promise<void> {
    const x = await this.getExpectation(id);
    const m = this.redis
      .multi()
      .del(this.k.expectation(id), this.k.closeGate(id))
      .zrem(this.k.openByDue, id)
      .zrem(this.k.allExpectations, id);
    for (const p of x ? indexKeys(x) : []) m.zrem(this.k.openOf(p), id);
    if (x?.fulfilledBy) m.srem(this.k.fulfilledBy(x.fulfilledBy.eventId), id);
    await m.exec();
  }

  /** Takes one read article's terms off the counts (undoing a bench round). */
  async removeTerms(terms: readonly string[], articleId: string): Promise<void> {
    const m = this.redis.pipeline();
    m.del(this.k.termsCounted(articleId));
    for (const t of terms) m.hincrby(this.k.termDf, t, -1);
    m.decr(this.k.termDocs);
    const replies = (await execAll<number>(m)).slice(1);
    const gone = terms.filter((_, i) => replies[i]! <= 0);
    const m2 = this.redis.pipeline();
    if (gone.length) m2.hdel(this.k.termDf, ...gone);
    if (replies.at(-1)! <= 0) m2.del(this.k.termDocs);
    await m2.exec();
  }

  // ---- operators' reads (the API and the dashboard); matching reads through the methods above ----

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
    const keys = q.entities?.length ? q.entities.map((e) => this.k.eventsOf(e)) : [this.k.allEvents];
    const max = q.to ? dayNumber(q.to) : '+inf';
    const min = q.from ? dayNumber(q.from) : '-inf';
    return this.newestPassing(keys, max, min, q.limit, (ids) => this.getEvents(ids), q.where);
  }

  /** Events every one of `entities` took part in, historical ones included, oldest first. */
  async timeline(entities: readonly string[], limit = 1000): Promise<EventRecord[]> {
    if (entities.length === 0) return [];
    const keys = entities.map((e) => this.k.eventsOf(e));
    const reply = await this.redis.zinter(keys.length, ...keys, 'AGGREGATE', 'MIN', 'WITHSCORES');
    const ids = scored(reply)
      .sort(byScoreThenId)
      .slice(0, limit)
      .map(({ id }) => id);
    return this.getEvents(ids);
  }

  /**
   * Expectations in one state (any when none is given) of any of `entities`. Open ones come
   * soonest due first (what an operator watches); closed ones latest due first.
   */
  async listExpectations(q: {
    state?: ExpectationRecord['state'] | undefined;
    entities?: readonly string[] | undefined;
    limit: number;
  }): Promise<ExpectationRecord[]> {
    const load = (ids: string[]) => this.getExpectations(ids);
    const ofEntities = (x: ExpectationRecord) =>
      !q.entities?.length || x.participants.some((p) => q.entities!.includes(p));
    if (q.state === 'open') {
      const keys = q.entities?.length ? q.entities.map((e) => this.k.openOf(e)) : [this.k.openByDue];
      const m = this.redis.pipeline();
      for (const key of keys) m.zrangebyscore(key, '-inf', '+inf', 'WITHSCORES', 'LIMIT', 0, q.limit);
      const ids = [
        ...new Set(
          (await execAll<string[]>(m))
            .flatMap(scored)
            .sort(byScoreThenId)
            .map((s) => s.id),
        ),
      ];
      return (await load(ids.slice(0, q.limit))).filter((x) => x.state === 'open');
    }
    return this.newestPassing(
      [this.k.allExpectations],
      '+inf',
      '-inf',
      q.limit,
      load,
      (x) => (q.state === undefined || x.state === q.state) && ofEntities(x),
    );
  }

  /** How many events and expectations the base holds, and how many expectations are open. */
  async counts(): Promise<{ events: number; expectations: number; openExpectations: number }> {
    const [events, expectations, openExpectations] = await execAll<number>(
      this.redis.pipeline().zcard(this.k.allEvents).zcard(this.k.allExpectations).zcard(this.k.openByDue),
    );
    return { events: events!, expectations: expectations!, openExpectations: openExpectations! };
  }

  /**
   * Opens a closed expectation again (an operator's correction: the fulfilment was wrong, the
   * cancellation did not hold); false when it is open already or unknown.
   */
  async reopen(id: string): Promise<boolean> {
    const x = await this.getExpectation(id);
    if (!x || x.state === 'open') return false;
    const { fulfilledBy: _f, cancelledBy: _c, ...rest } = x;
    const reopened: ExpectationRecord = { ...rest, state: 'open' };
    const m = this.redis
      .multi()
      .set(this.k.expectation(id), JSON.stringify(reopened))
      .del(this.k.closeGate(id));
    await this.indexExpectation(m, reopened).exec();
    return true;
  }

  private async getExpectations(ids: string[]): Promise<ExpectationRecord[]> {
    if (ids.length === 0) return [];
    const raws = await this.redis.mget(ids.map((id) => this.k.expectation(id)));
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as ExpectationRecord);
  }

  /**
   * The newest (highest score) members of `keys` within [min, max] whose records pass `where`,
   * at most `limit`: reads a window of ids per key and widens it while filtering leaves too few.
   */
  private async newestPassing<T extends { id: string }>(
    keys: readonly string[],
    max: number | string,
    min: number | string,
    limit: number,
    load: (ids: string[]) => Promise<T[]>,
    where: (record: T) => boolean = () => true,
  ): Promise<T[]> {
    for (let window = limit; ; window *= 4) {
      const m = this.redis.pipeline();
      for (const key of keys) m.zrevrangebyscore(key, max, min, 'WITHSCORES', 'LIMIT', 0, window);
      const replies = await execAll<string[]>(m);
      const byId = new Map<string, number>();
      for (const { id, score } of replies.flatMap(scored)) byId.set(id, score);
      const ids = [...byId]
        .map(([id, score]) => ({ id, score }))
        .sort((a, b) => byScoreThenId(b, a))
        .map(({ id }) => id);
      const passing = (await load(ids)).filter(where);
      const exhausted = replies.every((r) => r.length / 2 < window);
      if (passing.length >= limit || exhausted) return passing.slice(0, limit);
    }
  }

  /**
   * Closes an open expectation (fulfilled, overdue, cancelled) behind one NX gate: whichever comes
   * first wins, so an expectation is never both fulfilled and overdue, nor alerted twice.
   *
   * The gate holds the closer (the fulfilling event's id, or the reason). A closer that finds the
   * gate holding itself is the same close run again after a crash (BullMQ re-runs the job): it
   * finishes what the crash left undone, and with `again` answers true even when the record was
   * closed already, so the re-run raises the alert the crashed run never queued (its id is the
   * same, so it is delivered once).
   *
   * The gate is taken only for an expectation that exists, in the same script that checks it: a
   * gate left for an unknown id would shut out the expectation that later gets that id.
   */
  private async close(
    id: string,
    reason: string,
    update: (x: ExpectationRecord) => ExpectationRecord,
    again: boolean,
    fulfilledBy?: string,
  ): Promise<boolean> {
    // take-close-gate.lua: the gate is taken only if the expectation exists.
    const gate = await this.scripts.takeCloseGate(
      { expectation: this.k.expectation(id), gate: this.k.closeGate(id) },
      reason,
    );
    if (gate === GATE_UNKNOWN || gate === GATE_HELD_BY_ANOTHER) return false;
    const won = gate === GATE_TAKEN;
    const x = await this.getExpectation(id);
    if (!x) return false;
    if (!won && x.state !== 'open') return again;
    const m = this.redis.multi().set(this.k.expectation(id), JSON.stringify(update(x)));
    for (const p of indexKeys(x)) m.zrem(this.k.openOf(p), id);
    if (fulfilledBy) m.sadd(this.k.fulfilledBy(fulfilledBy), id);
    m.zrem(this.k.openByDue, id);
    await m.exec();
    return true;
  }
}

function withSources(raw: string, sources: string[]): EventRecord {
  const event = JSON.parse(raw) as EventRecord;
  event.sources = sources
    .map((s) => JSON.parse(s) as SourceRef)
    .sort((a, b) => a.published.localeCompare(b.published));
  return event;
}

// take-close-gate.lua's replies (2: held by this closer already, a re-run after a crash).
const GATE_UNKNOWN = 0;
const GATE_TAKEN = 1;
const GATE_HELD_BY_ANOTHER = 3;

/**
 * A job's re-run may come this long after the run that crashed (BullMQ's retries with backoff):
 * an article's mark that its terms were counted is kept as long, then let go (Redis stays bounded).
 */
const COUNTED_TTL_SECONDS = 7 * 24 * 3600;

/** How many widening pages of a party's open windows one read looks through at most. */
export const OPEN_PAGES = 2;

/** Pairs of a WITHSCORES reply. */
function scored(reply: string[]): { id: string; score: number }[] {
  const out: { id: string; score: number }[] = [];
  for (let i = 0; i < reply.length; i += 2) out.push({ id: reply[i]!, score: Number(reply[i + 1]) });
  return out;
}

/** The order ZRANGEBYSCORE returns, so candidates come out as they did before the cap. */
function byScoreThenId(a: { id: string; score: number }, b: { id: string; score: number }): number {
  return a.score - b.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Runs a pipeline, throwing the first command error rather than returning it. */
async function execAll<T>(m: ChainableCommander): Promise<T[]> {
  return ((await m.exec()) ?? []).map(([err, reply]) => {
    if (err) throw err;
    return reply as T;
  });
}
