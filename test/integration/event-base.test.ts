// The event base's candidate queries on the real Redis: which events and open expectations
// matching gets for an article, bounded per party so a party in every other event (NATO)
// cannot make matching slower as the base grows; plus the bulk load and the undo operations.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord, ExpectationRecord, SourceRef } from '../../src/domain/types';
import { RedisEventBase } from '../../src/store/event-base';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { runPrefix } from '../../src/testing/seed-scenario';

const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefixes: string[] = [];
function freshBase(candidatesPerParty?: number): RedisEventBase {
  const prefix = runPrefix('event-base');
  prefixes.push(prefix);
  return new RedisEventBase(redis, prefix, { candidatesPerParty });
}

afterAll(async () => {
  for (const p of prefixes) await deleteKeys(redis, p);
  redis.disconnect();
});

const source = (articleId: string, day: string): SourceRef => ({
  articleId,
  url: `https://news.example/${articleId}`,
  title: articleId,
  published: `${day}T08:00:00.000Z`,
  lang: 'en',
});

const event = (id: string, day: string, participants = ['nato']): EventRecord => ({
  id,
  type: 'meeting',
  family: 'engagement',
  participants,
  actors: [],
  date: { value: day, precision: 'day', from: day, to: day },
  historical: false,
  evidence: `${participants.join(' and ')} met on ${day}`,
  sources: [source(`a-${id}`, day)],
});

const expectation = (id: string, from: string, to: string, participants = ['nato']): ExpectationRecord => ({
  id,
  types: ['meeting'],
  participants,
  due: { from, to },
  horizon: 'near_future',
  text: `${participants.join(' and ')} are expected to meet`,
  state: 'open',
  source: source(`a-${id}`, from),
});

describe('eventsNear', () => {
  // NATO is busy in January; Kuwait meets NATO once, on the 20th.
  const events = [
    event('a', '2026-01-10'),
    event('b', '2026-01-12'),
    event('c', '2026-01-14'),
    event('d', '2026-01-15'),
    event('e', '2026-01-16'),
    event('f', '2026-01-18'),
    event('k', '2026-01-20', ['kuwait', 'nato']),
    event('g', '2026-01-25'),
    event('h', '2026-02-20'),
  ];
  const capped = freshBase(3);
  const uncapped = freshBase();
  beforeAll(async () => {
    for (const base of [capped, uncapped]) await base.insertMany(events);
  });

  it.each([
    {
      what: 'a day with a week of margin: the day itself, then the nearest days',
      parties: ['nato'],
      span: ['2026-01-15', '2026-01-15'],
      margin: 7,
      cap: true,
      want: ['c', 'd', 'e'],
    },
    {
      what: 'a rarer party still brings its own events however busy the other is',
      parties: ['kuwait', 'nato'],
      span: ['2026-01-15', '2026-01-15'],
      margin: 7,
      cap: true,
      want: ['k', 'c', 'd', 'e'],
    },
    {
      what: 'an expectation window: the earliest events in it first',
      parties: ['nato'],
      span: ['2026-01-11', '2026-01-31'],
      margin: 0,
      cap: true,
      want: ['b', 'c', 'd'],
    },
    {
      what: 'only the margin reaches an event',
      parties: ['nato'],
      span: ['2026-02-01', '2026-02-01'],
      margin: 7,
      cap: true,
      want: ['g'],
    },
    {
      what: 'under the cap, every event of the window and none outside it',
      parties: ['nato'],
      span: ['2026-01-01', '2026-01-31'],
      margin: 0,
      cap: false,
      want: ['a', 'b', 'c', 'd', 'e', 'f', 'k', 'g'],
    },
    {
      what: 'a party with no events',
      parties: ['oman'],
      span: ['2026-01-01', '2026-01-31'],
      margin: 7,
      cap: false,
      want: [],
    },
  ])('$what', async ({ parties, span, margin, cap, want }) => {
    const found = await (cap ? capped : uncapped).eventsNear(
      parties,
      { from: span[0]!, to: span[1]! },
      margin,
    );
    expect(found.map((e) => e.id)).toEqual(want);
    // Candidates come whole: matching needs their sources to tell an article's own events apart.
    for (const e of found) expect(e.sources).toEqual([source(`a-${e.id}`, e.date.from)]);
  });
});

describe('openExpectationsFor', () => {
  const xs = [
    expectation('x1', '2026-01-01', '2026-01-10'),
    expectation('x2', '2026-01-05', '2026-02-05'),
    expectation('x3', '2026-01-20', '2026-03-31'),
    expectation('x4', '2026-02-10', '2026-02-20'),
    expectation('x5', '2025-11-01', '2025-12-31'),
    expectation('x6', '2026-01-02', '2026-04-30'),
    expectation('x7', '2026-01-01', '2026-01-31'),
  ];
  const capped = freshBase(2);
  const uncapped = freshBase();
  beforeAll(async () => {
    for (const base of [capped, uncapped]) {
      await base.insertMany([], xs);
      // A fulfilled expectation waits for nothing any more.
      await base.fulfil('x7', { eventId: 'e', source: source('later', '2026-01-12'), score: 1, reasons: [] });
    }
  });

  it.each([
    {
      what: 'windows around a day, not those closed before or opened after',
      span: ['2026-01-15', '2026-01-15'],
      cap: false,
      want: ['x2', 'x6'],
    },
    {
      what: 'windows reaching a span, closing soonest first',
      span: ['2026-01-08', '2026-01-21'],
      cap: false,
      want: ['x1', 'x2', 'x3', 'x6'],
    },
    { what: 'a window long closed', span: ['2025-12-15', '2025-12-20'], cap: false, want: ['x5'] },
    {
      what: 'capped: the windows closing soonest',
      span: ['2026-01-08', '2026-01-21'],
      cap: true,
      want: ['x1', 'x2'],
    },
  ])('$what', async ({ span, cap, want }) => {
    const found = await (cap ? capped : uncapped).openExpectationsFor(['nato'], {
      from: span[0]!,
      to: span[1]!,
    });
    expect(found.map((x) => x.id)).toEqual(want);
  });
});

describe('insertMany', () => {
  it('stores and indexes new records in bulk and leaves existing ids as they are', async () => {
    const base = freshBase();
    expect(await base.createEvent(event('old', '2026-01-10', ['kuwait']))).toBe(true);
    const created = await base.insertMany(
      [
        event('old', '2026-01-11', ['qatar']),
        event('n1', '2026-01-10', ['kuwait']),
        event('n2', '2026-01-12', ['qatar']),
      ],
      [expectation('x1', '2026-01-01', '2026-03-01', ['kuwait'])],
    );
    expect(created).toEqual({ events: 2, expectations: 1 });
    expect((await base.getEvent('old'))!.participants).toEqual(['kuwait']);
    const near = await base.eventsNear(['kuwait', 'qatar'], { from: '2026-01-10', to: '2026-01-12' }, 0);
    expect(near.map((e) => e.id)).toEqual(['n1', 'old', 'n2']);
    expect(await base.getEvent('n2')).toEqual(event('n2', '2026-01-12', ['qatar']));
    expect(
      (await base.openExpectationsFor(['kuwait'], { from: '2026-02-01', to: '2026-02-01' })).map((x) => x.id),
    ).toEqual(['x1']);
  });
});

describe('undo', () => {
  it('deletes events and sources, and reopens an expectation by deleting and recreating it', async () => {
    const base = freshBase();
    await base.insertMany([event('e1', '2026-01-10', ['kuwait', 'nato']), event('e2', '2026-01-11')]);
    expect(await base.addSource('e2', source('second-report', '2026-01-12'))).toBe(true);
    await base.removeSource('e2', 'second-report');
    expect((await base.getEvent('e2'))!.sources.map((s) => s.articleId)).toEqual(['a-e2']);

    await base.deleteEvent('e1');
    expect(await base.getEvent('e1')).toBeUndefined();
    const near = await base.eventsNear(['kuwait', 'nato'], { from: '2026-01-01', to: '2026-01-31' }, 0);
    expect(near.map((e) => e.id)).toEqual(['e2']);

    const x = expectation('x1', '2026-01-01', '2026-03-01');
    const by = { eventId: 'e2', source: source('a-e2', '2026-01-11'), score: 1, reasons: [] };
    await base.createExpectation(x);
    expect(await base.fulfil('x1', by)).toBe(true);
    await base.deleteExpectation('x1');
    expect(await base.getExpectation('x1')).toBeUndefined();
    expect(await base.createExpectation(x)).toBe(true);
    expect(
      (await base.openExpectationsFor(['nato'], { from: '2026-01-15', to: '2026-01-15' })).map((o) => o.id),
    ).toEqual(['x1']);
    // The close gate went with it: the reopened expectation can be fulfilled, once, again.
    expect(await base.fulfil('x1', by)).toBe(true);
    expect(await base.fulfil('x1', { ...by, eventId: 'e1' })).toBe(false);
  });
});

describe('a job run again after a crash part-way through its writes', () => {
  const by = { eventId: 'e2', source: source('a-e2', '2026-01-11'), score: 1, reasons: [] };

  it('finishes a fulfilment whose gate was taken but whose record was never written, and no other event can take it', async () => {
    const base = freshBase();
    await base.createExpectation(expectation('x1', '2026-01-01', '2026-03-01'));
    // The crashed run took the gate for e2 and died before writing the record.
    await redis.set(`${prefixes.at(-1)!}expectation:x1:closed`, 'e2');
    expect(await base.fulfil('x1', { ...by, eventId: 'e9' })).toBe(false);
    expect(await base.fulfil('x1', by)).toBe(true);
    expect((await base.getExpectation('x1'))!).toMatchObject({
      state: 'fulfilled',
      fulfilledBy: { eventId: 'e2' },
    });
    expect(await base.openExpectationsFor(['nato'], { from: '2026-01-15', to: '2026-01-15' })).toEqual([]);
    // The same event asking again is told yes (its alert is raised again under the same id);
    // the overdue sweep is told no.
    expect(await base.fulfil('x1', by)).toBe(true);
    expect(await base.markOverdue('x1')).toBe(false);
  });

  it('writes an event and its indexes together, and a second create only adds the sources it lacks', async () => {
    const base = freshBase();
    const e = event('e5', '2026-02-02', ['kuwait', 'nato']);
    expect(await base.createEvent(e)).toBe(true);
    expect(
      (await base.eventsNear(['kuwait'], { from: '2026-02-02', to: '2026-02-02' }, 0)).map((x) => x.id),
    ).toEqual(['e5']);
    expect(
      await base.createEvent({ ...e, evidence: 'changed', sources: [source('another', '2026-02-03')] }),
    ).toBe(false);
    const stored = (await base.getEvent('e5'))!;
    expect(stored.sources.map((s) => s.articleId)).toEqual(['a-e5', 'another']);
    expect(stored.evidence).toBe(e.evidence);
  });

  it('never puts a closed expectation back in the open indexes when it is created again', async () => {
    const base = freshBase();
    const x = expectation('x2', '2026-01-01', '2026-03-01');
    await base.createExpectation(x);
    await base.fulfil('x2', by);
    expect(await base.createExpectation(x)).toBe(false);
    expect(await base.openExpectationsFor(['nato'], { from: '2026-01-15', to: '2026-01-15' })).toEqual([]);
    expect((await base.getExpectation('x2'))!.state).toBe('fulfilled');
  });
});
