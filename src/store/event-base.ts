// The event base in Redis: events and expectations with the indexes matching reads its
// candidates through (entity -> events by date, entity -> open expectations by due date),
// so the cost of matching an article grows with its candidates, not with the base.
import type { Redis } from 'ioredis';
import { daysBetween, type Day } from '../domain/dates';
import type { EventRecord, ExpectationRecord, SourceRef } from '../domain/types';

const dayNumber = (d: Day) => daysBetween('1970-01-01', d);

export interface EventBase {
  getEvent(id: string): Promise<EventRecord | undefined>;
  /** Stores a new event; false (and nothing written) when the id exists already. */
  createEvent(event: EventRecord): Promise<boolean>;
  /** Adds a report to an event; false when that article was a source already. */
  addSource(eventId: string, source: SourceRef): Promise<boolean>;
  /** Events of any of `parties` starting within [from - margin, to + margin]. */
  eventsNear(parties: string[], span: { from: Day; to: Day }, marginDays: number): Promise<EventRecord[]>;
  getExpectation(id: string): Promise<ExpectationRecord | undefined>;
  /** Stores a new open expectation; false when the id exists already. */
  createExpectation(x: ExpectationRecord): Promise<boolean>;
  /** Open expectations of any of `parties` whose window reaches `span`. */
  openExpectationsFor(parties: string[], span: { from: Day; to: Day }): Promise<ExpectationRecord[]>;
  /**
   * Marks an expectation fulfilled. Only the first caller for an expectation wins (true);
   * this is what keeps two workers from raising two fulfilment alerts.
   */
  fulfil(id: string, by: NonNullable<ExpectationRecord['fulfilledBy']>): Promise<boolean>;
  /** Open expectations whose window closed before `day`. */
  expiredBefore(day: Day): Promise<ExpectationRecord[]>;
  /** Marks an expectation overdue; false when it was closed (fulfilled, overdue) already. */
  markOverdue(id: string): Promise<boolean>;
  /** Marks an expectation called off; false when it was closed already. */
  cancel(id: string, by: NonNullable<ExpectationRecord['cancelledBy']>): Promise<boolean>;
}

export class RedisEventBase implements EventBase {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private k = {
    event: (id: string) => `${this.prefix}event:${id}`,
    sources: (id: string) => `${this.prefix}event:${id}:sources`,
    eventsOf: (entity: string) => `${this.prefix}idx:events:${entity}`,
    expectation: (id: string) => `${this.prefix}expectation:${id}`,
    openOf: (entity: string) => `${this.prefix}idx:open-expectations:${entity}`,
    openByDue: () => `${this.prefix}idx:open-expectations`,
    closeGate: (id: string) => `${this.prefix}expectation:${id}:closed`,
  };

  async getEvent(id: string): Promise<EventRecord | undefined> {
    const [raw, sources] = await Promise.all([
      this.redis.get(this.k.event(id)),
      this.redis.hvals(this.k.sources(id)),
    ]);
    if (!raw) return undefined;
    const event = JSON.parse(raw) as EventRecord;
    event.sources = sources
      .map((s) => JSON.parse(s) as SourceRef)
      .sort((a, b) => a.published.localeCompare(b.published));
    return event;
  }

  async createEvent(event: EventRecord): Promise<boolean> {
    const { sources, ...core } = event;
    const created = await this.redis.set(this.k.event(event.id), JSON.stringify(core), 'NX');
    if (created !== 'OK') return false;
    const m = this.redis.multi();
    for (const s of sources) m.hsetnx(this.k.sources(event.id), s.articleId, JSON.stringify(s));
    for (const p of event.participants) m.zadd(this.k.eventsOf(p), dayNumber(event.date.from), event.id);
    await m.exec();
    return true;
  }

  async addSource(eventId: string, source: SourceRef): Promise<boolean> {
    return (await this.redis.hsetnx(this.k.sources(eventId), source.articleId, JSON.stringify(source))) === 1;
  }

  async eventsNear(
    parties: string[],
    span: { from: Day; to: Day },
    marginDays: number,
  ): Promise<EventRecord[]> {
    const lo = dayNumber(span.from) - marginDays;
    const hi = dayNumber(span.to) + marginDays;
    const ids = new Set<string>();
    for (const p of parties) {
      for (const id of await this.redis.zrangebyscore(this.k.eventsOf(p), lo, hi)) ids.add(id);
    }
    const events = await Promise.all([...ids].map((id) => this.getEvent(id)));
    return events.filter((e): e is EventRecord => e !== undefined);
  }

  async getExpectation(id: string): Promise<ExpectationRecord | undefined> {
    const raw = await this.redis.get(this.k.expectation(id));
    return raw ? (JSON.parse(raw) as ExpectationRecord) : undefined;
  }

  async createExpectation(x: ExpectationRecord): Promise<boolean> {
    const created = await this.redis.set(this.k.expectation(x.id), JSON.stringify(x), 'NX');
    if (created !== 'OK') return false;
    const m = this.redis.multi();
    for (const p of x.participants) m.zadd(this.k.openOf(p), dayNumber(x.due.to), x.id);
    m.zadd(this.k.openByDue(), dayNumber(x.due.to), x.id);
    await m.exec();
    return true;
  }

  async openExpectationsFor(parties: string[], span: { from: Day; to: Day }): Promise<ExpectationRecord[]> {
    const ids = new Set<string>();
    for (const p of parties) {
      for (const id of await this.redis.zrangebyscore(this.k.openOf(p), dayNumber(span.from), '+inf'))
        ids.add(id);
    }
    const all = await Promise.all([...ids].map((id) => this.getExpectation(id)));
    return all.filter(
      (x): x is ExpectationRecord => x !== undefined && x.state === 'open' && x.due.from <= span.to,
    );
  }

  async fulfil(id: string, by: NonNullable<ExpectationRecord['fulfilledBy']>): Promise<boolean> {
    return this.close(id, by.eventId, (x) => ({ ...x, state: 'fulfilled', fulfilledBy: by }));
  }

  async expiredBefore(day: Day): Promise<ExpectationRecord[]> {
    const ids = await this.redis.zrangebyscore(this.k.openByDue(), '-inf', `(${dayNumber(day)}`);
    const all = await Promise.all(ids.map((id) => this.getExpectation(id)));
    return all.filter((x): x is ExpectationRecord => x !== undefined && x.state === 'open');
  }

  async markOverdue(id: string): Promise<boolean> {
    return this.close(id, 'overdue', (x) => ({ ...x, state: 'overdue' }));
  }

  /** Closes an open expectation as called off (postponed, cancelled); false if it was not open. */
  async cancel(id: string, by: NonNullable<ExpectationRecord['cancelledBy']>): Promise<boolean> {
    return this.close(id, 'cancelled', (x) => ({ ...x, state: 'cancelled', cancelledBy: by }));
  }

  /**
   * Closes an open expectation (fulfilled, overdue) behind one NX gate: whichever comes
   * first wins, so an expectation is never both fulfilled and overdue, nor alerted twice.
   */
  private async close(
    id: string,
    reason: string,
    update: (x: ExpectationRecord) => ExpectationRecord,
  ): Promise<boolean> {
    const won = await this.redis.set(this.k.closeGate(id), reason, 'NX');
    if (won !== 'OK') return false;
    const x = await this.getExpectation(id);
    if (!x) return false;
    const m = this.redis.multi().set(this.k.expectation(id), JSON.stringify(update(x)));
    for (const p of x.participants) m.zrem(this.k.openOf(p), id);
    m.zrem(this.k.openByDue(), id);
    await m.exec();
    return true;
  }
}
