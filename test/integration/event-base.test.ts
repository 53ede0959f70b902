// The event base's contract, run against RedisEventBase on the real Redis and against
// MemoryEventBase (replay and eval): the candidates matching gets for an article, bounded per party
// so a party in every other event (NATO) cannot make matching slower as the base grows; the close
// gate that keeps two workers from alerting twice; the bulk load, the undo operations and the
// operators' reads. Then what only Redis has (a crash part-way through, key prefixes), and the two
// answering alike on a seeded random workload.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord, ExpectationRecord, SourceRef } from '../../src/domain/types';
import { CANDIDATES_PER_PARTY, RedisEventBase } from '../../src/store/event-base';
import { MemoryEventBase, type EventBaseWithOperatorReads } from '../../src/store/memory-event-base';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { runPrefix } from '../../src/demo/seed-scenario';

const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const prefixes: string[] = [];
function freshRedisBase(candidatesPerParty?: number): RedisEventBase {
  const prefix = runPrefix('event-base');
  prefixes.push(prefix);
  return new RedisEventBase(redis, prefix, { candidatesPerParty });
}

afterAll(async () => {
  for (const p of prefixes) await deleteKeys(redis, p);
  redis.disconnect();
});

type Base = EventBaseWithOperatorReads;

const implementations: { name: string; fresh: (candidatesPerParty?: number) => Base }[] = [
  { name: 'RedisEventBase', fresh: freshRedisBase },
  { name: 'MemoryEventBase', fresh: (candidatesPerParty) => new MemoryEventBase({ candidatesPerParty }) },
];

const source = (articleId: string, day: string, time = '08:00:00'): SourceRef => ({
  articleId,
  url: `https://news.example/${articleId}`,
  title: articleId,
  published: `${day}T${time}.000Z`,
  lang: 'en',
});

const event = (id: string, day: string, participants = ['nato'], type = 'meeting'): EventRecord => ({
  id,
  type,
  family: 'consult',
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

const by = (eventId: string): NonNullable<ExpectationRecord['fulfilledBy']> => ({
  eventId,
  source: source(`a-${eventId}`, '2026-01-11'),
  score: 1,
  reasons: ['same parties, in the window'],
});

const calledOff: NonNullable<ExpectationRecord['cancelledBy']> = {
  source: source('postponed', '2026-01-09'),
  text: 'the meeting was postponed',
  reasons: ['postponed'],
};

const ids = (records: { id: string }[]) => records.map((r) => r.id);
const aDay = { from: '2026-01-15', to: '2026-01-15' };

describe.each(implementations)('$name', ({ fresh }) => {
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
    const capped = fresh(3);
    const uncapped = fresh();
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
      expect(ids(found)).toEqual(want);
      // Candidates come whole: matching needs their sources to tell an article's own events apart.
      for (const e of found) expect(e.sources).toEqual([source(`a-${e.id}`, e.date.from)]);
    });

    it(`gives at most CANDIDATES_PER_PARTY (${CANDIDATES_PER_PARTY}) of one party by default, the nearest`, async () => {
      const base = fresh();
      const days = Array.from({ length: 25 }, (_, i) => `2026-03-${String(i + 1).padStart(2, '0')}`);
      await base.insertMany(days.map((d) => event(`n${d}`, d)));
      const found = await base.eventsNear(['nato'], { from: '2026-03-10', to: '2026-03-10' }, 30);
      // The 10th, then the 9th and 11th, the 8th and 12th ... until twenty: the 1st to the 20th.
      expect(ids(found)).toEqual(days.slice(0, CANDIDATES_PER_PARTY).map((d) => `n${d}`));
    });

    it('takes the earlier of two events as far from the span when the cap leaves room for one', async () => {
      const base = fresh(1);
      await base.insertMany([
        event('late', '2026-01-17'),
        event('early', '2026-01-13'),
        event('far', '2026-01-12'),
      ]);
      expect(ids(await base.eventsNear(['nato'], aDay, 7))).toEqual(['early']);
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
    const capped = fresh(2);
    const uncapped = fresh();
    beforeAll(async () => {
      for (const base of [capped, uncapped]) {
        await base.insertMany([], xs);
        // A fulfilled expectation waits for nothing any more.
        await base.fulfil('x7', by('e'));
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
      expect(ids(found)).toEqual(want);
    });

    it('caps each party on its own, party by party in the order asked, each expectation once', async () => {
      const base = fresh(2);
      await base.insertMany(
        [],
        [
          expectation('n1', '2026-01-01', '2026-01-20'),
          expectation('n2', '2026-01-01', '2026-01-21'),
          expectation('n3', '2026-01-01', '2026-01-22'),
          expectation('both', '2026-01-01', '2026-01-25', ['kuwait', 'nato']),
          expectation('k1', '2026-01-01', '2026-01-30', ['kuwait']),
        ],
      );
      expect(ids(await base.openExpectationsFor(['kuwait', 'nato'], aDay))).toEqual([
        'both',
        'k1',
        'n1',
        'n2',
      ]);
      expect(ids(await base.openExpectationsFor(['nato', 'kuwait'], aDay))).toEqual([
        'n1',
        'n2',
        'both',
        'k1',
      ]);
    });
    it('passes over windows that open after the span rather than let them use up the cap', async () => {
      const base = fresh(2);
      await base.insertMany(
        [],
        [
          expectation('spring1', '2026-03-01', '2026-03-05'),
          expectation('spring2', '2026-03-01', '2026-03-06'),
          expectation('spring3', '2026-03-02', '2026-03-07'),
          expectation('year', '2026-01-01', '2026-12-31'),
        ],
      );
      // Four windows close before "year" does; three of them have not opened on the 15th of
      // January, so the one window that has is what an article of that day can fulfil.
      expect(ids(await base.openExpectationsFor(['nato'], aDay))).toEqual(['year']);
      expect(ids(await base.openExpectationsFor(['nato'], { from: '2026-03-03', to: '2026-03-03' }))).toEqual(
        ['spring1', 'spring2'],
      );
    });
  });

  describe('events and their sources', () => {
    it('writes an event and its indexes together, and a second create only adds the sources it lacks', async () => {
      const base = fresh();
      const e = event('e5', '2026-02-02', ['kuwait', 'nato']);
      expect(await base.createEvent(e)).toBe(true);
      expect(ids(await base.eventsNear(['kuwait'], { from: '2026-02-02', to: '2026-02-02' }, 0))).toEqual([
        'e5',
      ]);
      expect(
        await base.createEvent({ ...e, evidence: 'changed', sources: [source('another', '2026-02-03')] }),
      ).toBe(false);
      const stored = (await base.getEvent('e5'))!;
      expect(stored.sources.map((s) => s.articleId)).toEqual(['a-e5', 'another']);
      expect(stored.evidence).toBe(e.evidence);
      expect(await base.getEvent('nothing')).toBeUndefined();
    });

    it('keeps an existing event under the parties and day it was stored with when its id comes again', async () => {
      const base = fresh();
      // A historical event is one per root, parties and year: "in 2004" and "in December 2004"
      // give the same id, so a second reading may carry another day or more parties.
      await base.createEvent(event('h1', '2004-01-01', ['kuwait', 'nato']));
      await base.createEvent({ ...event('h1', '2004-12-01', ['kuwait', 'nato', 'iran']), sources: [] });
      const near = (party: string, day: string) =>
        base.eventsNear([party], { from: day, to: day }, 0).then(ids);
      expect(await near('kuwait', '2004-01-01')).toEqual(['h1']);
      expect(await near('kuwait', '2004-12-01')).toEqual([]);
      expect(await near('iran', '2004-12-01')).toEqual([]);
      expect((await base.getEvent('h1'))!.participants).toEqual(['kuwait', 'nato']);
    });

    it('adds a report once, and gives the sources in order of publication whatever the order added', async () => {
      const base = fresh();
      await base.createEvent(event('e1', '2026-01-10'));
      expect(await base.addSource('e1', source('late', '2026-01-12'))).toBe(true);
      expect(await base.addSource('e1', source('early', '2026-01-09', '23:00:00'))).toBe(true);
      expect(await base.addSource('e1', { ...source('late', '2026-01-12'), title: 'again' })).toBe(false);
      const stored = (await base.getEvent('e1'))!;
      expect(stored.sources.map((s) => s.articleId)).toEqual(['early', 'a-e1', 'late']);
      expect(stored.sources[2]!.title).toBe('late');
      expect(ids(await base.eventsNear(['nato'], { from: '2026-01-10', to: '2026-01-10' }, 0))).toEqual([
        'e1',
      ]);
    });

    it('hands out copies: changing a record read from the base does not change the base', async () => {
      const base = fresh();
      await base.createEvent(event('e1', '2026-01-10', ['kuwait', 'nato']));
      await base.createExpectation(expectation('x1', '2026-01-01', '2026-01-31'));
      const read = (await base.getEvent('e1'))!;
      read.participants.push('oman');
      read.sources[0]!.title = 'scribbled';
      read.evidence = 'scribbled';
      const [near] = await base.eventsNear(['kuwait'], { from: '2026-01-10', to: '2026-01-10' }, 0);
      near!.date.from = '2030-01-01';
      (await base.getExpectation('x1'))!.state = 'fulfilled';
      const [open] = await base.openExpectationsFor(['nato'], aDay);
      open!.participants.length = 0;

      expect(await base.getEvent('e1')).toEqual(event('e1', '2026-01-10', ['kuwait', 'nato']));
      expect(await base.getExpectation('x1')).toEqual(expectation('x1', '2026-01-01', '2026-01-31'));
      expect(ids(await base.openExpectationsFor(['nato'], aDay))).toEqual(['x1']);
      expect(ids(await base.listEvents({ entities: ['oman'], limit: 10 }))).toEqual([]);
    });
  });

  describe('the close gate', () => {
    it('lets the first event fulfil; the same event asking again is told yes, any other closer no', async () => {
      const base = fresh();
      await base.createExpectation(expectation('x1', '2026-01-01', '2026-01-31'));
      expect(await base.fulfil('x1', by('e1'))).toBe(true);
      // The job re-run after a crash: yes again, so it raises the alert the crashed run may not have.
      expect(await base.fulfil('x1', by('e1'))).toBe(true);
      expect(await base.fulfil('x1', by('e2'))).toBe(false);
      expect(await base.markOverdue('x1')).toBe(false);
      expect(await base.cancel('x1', calledOff)).toBe(false);
      expect(await base.getExpectation('x1')).toEqual({
        ...expectation('x1', '2026-01-01', '2026-01-31'),
        state: 'fulfilled',
        fulfilledBy: by('e1'),
      });
      expect(await base.openExpectationsFor(['nato'], aDay)).toEqual([]);
      expect(await base.expiredBefore('2026-12-31')).toEqual([]);
      expect((await base.counts()).openExpectations).toBe(0);
    });

    it('lets only one of several events racing to fulfil win, and the record names the winner', async () => {
      const base = fresh();
      await base.createExpectation(expectation('x1', '2026-01-01', '2026-01-31'));
      const racers = ['e1', 'e2', 'e3', 'e4', 'e5'];
      const won = await Promise.all(racers.map((e) => base.fulfil('x1', by(e))));
      expect(won.filter(Boolean)).toHaveLength(1);
      const winner = racers[won.indexOf(true)]!;
      expect((await base.getExpectation('x1'))!.fulfilledBy!.eventId).toBe(winner);
    });

    it('marks an expectation overdue once; the sweep run again is told yes, a late event no', async () => {
      const base = fresh();
      await base.createExpectation(expectation('x1', '2026-01-01', '2026-01-10'));
      expect(await base.markOverdue('x1')).toBe(true);
      expect(await base.markOverdue('x1')).toBe(true);
      expect(await base.fulfil('x1', by('e1'))).toBe(false);
      expect(await base.cancel('x1', calledOff)).toBe(false);
      const x = (await base.getExpectation('x1'))!;
      expect(x.state).toBe('overdue');
      expect(x.fulfilledBy).toBeUndefined();
      expect(await base.expiredBefore('2026-02-01')).toEqual([]);
    });

    it('calls an expectation off once, with the report that did; nothing closes it after', async () => {
      const base = fresh();
      await base.createExpectation(expectation('x1', '2026-01-01', '2026-01-31'));
      expect(await base.cancel('x1', calledOff)).toBe(true);
      expect(await base.cancel('x1', calledOff)).toBe(false);
      expect(await base.fulfil('x1', by('e1'))).toBe(false);
      expect(await base.markOverdue('x1')).toBe(false);
      expect(await base.getExpectation('x1')).toEqual({
        ...expectation('x1', '2026-01-01', '2026-01-31'),
        state: 'cancelled',
        cancelledBy: calledOff,
      });
      expect(await base.openExpectationsFor(['nato'], aDay)).toEqual([]);
    });

    it('closes nothing it does not know', async () => {
      const base = fresh();
      expect(await base.fulfil('ghost', by('e1'))).toBe(false);
      expect(await base.markOverdue('ghost')).toBe(false);
      expect(await base.cancel('ghost', calledOff)).toBe(false);
      expect(await base.getExpectation('ghost')).toBeUndefined();
    });

    it('leaves no gate for an id it does not know: the expectation that later gets the id closes as any other', async () => {
      const base = fresh();
      // An operator's cancel of an id that is not there yet (the page once left a gate behind).
      expect(await base.cancel('later', calledOff)).toBe(false);
      expect(await base.markOverdue('later')).toBe(false);
      expect(await base.fulfil('later', by('e1'))).toBe(false);
      await base.createExpectation(expectation('later', '2026-01-01', '2026-01-31'));
      expect(await base.fulfil('later', by('e2'))).toBe(true);
      expect((await base.getExpectation('later'))!).toMatchObject({
        state: 'fulfilled',
        fulfilledBy: { eventId: 'e2' },
      });
    });
  });

  describe('createExpectation', () => {
    it('stores a new one open, and leaves an open one with the same id as it is', async () => {
      const base = fresh();
      const x = expectation('x1', '2026-01-01', '2026-01-31');
      expect(await base.createExpectation(x)).toBe(true);
      expect(await base.createExpectation({ ...x, text: 'changed' })).toBe(false);
      expect(await base.getExpectation('x1')).toEqual(x);
      expect(ids(await base.openExpectationsFor(['nato'], aDay))).toEqual(['x1']);
      expect(await base.counts()).toEqual({ events: 0, expectations: 1, openExpectations: 1 });
    });

    it.each([
      { closedAs: 'fulfilled', close: (b: Base) => b.fulfil('x2', by('e2')) },
      { closedAs: 'overdue', close: (b: Base) => b.markOverdue('x2') },
      { closedAs: 'cancelled', close: (b: Base) => b.cancel('x2', calledOff) },
    ])('never re-opens a $closedAs one created again', async ({ closedAs, close }) => {
      const base = fresh();
      const x = expectation('x2', '2026-01-01', '2026-03-01');
      await base.createExpectation(x);
      expect(await close(base)).toBe(true);
      expect(await base.createExpectation(x)).toBe(false);
      expect((await base.getExpectation('x2'))!.state).toBe(closedAs);
      expect(await base.openExpectationsFor(['nato'], aDay)).toEqual([]);
      expect(await base.expiredBefore('2026-12-31')).toEqual([]);
      expect(await base.listExpectations({ state: 'open', limit: 10 })).toEqual([]);
      expect((await base.counts()).openExpectations).toBe(0);
    });
  });

  describe('reopen', () => {
    it('opens a fulfilled expectation again, without its fulfilment, for another event to fulfil', async () => {
      const base = fresh();
      const x = expectation('x1', '2026-01-01', '2026-01-31');
      await base.createExpectation(x);
      await base.fulfil('x1', by('e1'));
      expect(await base.reopen('x1')).toBe(true);
      expect(await base.getExpectation('x1')).toEqual(x);
      expect(ids(await base.openExpectationsFor(['nato'], aDay))).toEqual(['x1']);
      expect((await base.counts()).openExpectations).toBe(1);
      expect(await base.fulfil('x1', by('e2'))).toBe(true);
      expect((await base.getExpectation('x1'))!.fulfilledBy!.eventId).toBe('e2');
    });

    it('opens a cancelled one again without its cancellation; an open or unknown one is refused', async () => {
      const base = fresh();
      const x = expectation('x1', '2026-01-01', '2026-01-10');
      await base.createExpectation(x);
      expect(await base.reopen('x1')).toBe(false);
      await base.cancel('x1', calledOff);
      expect(await base.reopen('x1')).toBe(true);
      expect(await base.getExpectation('x1')).toEqual(x);
      expect(await base.reopen('x1')).toBe(false);
      expect(await base.reopen('ghost')).toBe(false);
      expect(ids(await base.expiredBefore('2026-01-11'))).toEqual(['x1']);
    });
  });

  describe('expiredBefore', () => {
    it('gives the open expectations whose window closed before the day, closing earliest first', async () => {
      const base = fresh();
      await base.insertMany(
        [],
        [
          expectation('ends-9th', '2026-01-01', '2026-01-09'),
          expectation('ends-3rd', '2026-01-01', '2026-01-03'),
          expectation('ends-10th', '2026-01-01', '2026-01-10'),
          expectation('ends-11th', '2026-01-05', '2026-01-11', ['kuwait']),
          expectation('fulfilled', '2026-01-01', '2026-01-05'),
        ],
      );
      await base.fulfil('fulfilled', by('e1'));
      expect(ids(await base.expiredBefore('2026-01-10'))).toEqual(['ends-3rd', 'ends-9th']);
      await base.markOverdue('ends-3rd');
      expect(ids(await base.expiredBefore('2026-01-12'))).toEqual(['ends-9th', 'ends-10th', 'ends-11th']);
      expect(await base.expiredBefore('2026-01-01')).toEqual([]);
    });
  });

  describe('counts', () => {
    it('counts events, expectations in any state, and the open ones', async () => {
      const base = fresh();
      expect(await base.counts()).toEqual({ events: 0, expectations: 0, openExpectations: 0 });
      await base.insertMany(
        [event('e1', '2026-01-01'), event('e2', '2026-01-02', ['kuwait', 'nato']), event('e3', '2026-01-03')],
        [
          expectation('x1', '2026-01-01', '2026-01-31'),
          expectation('x2', '2026-01-01', '2026-01-31'),
          expectation('x3', '2026-01-01', '2026-01-31'),
        ],
      );
      await base.fulfil('x1', by('e1'));
      await base.cancel('x2', calledOff);
      expect(await base.counts()).toEqual({ events: 3, expectations: 3, openExpectations: 1 });
      await base.deleteEvent('e2');
      await base.deleteExpectation('x3');
      expect(await base.counts()).toEqual({ events: 2, expectations: 2, openExpectations: 0 });
      await base.reopen('x1');
      expect(await base.counts()).toEqual({ events: 2, expectations: 2, openExpectations: 1 });
    });
  });

  describe('timeline', () => {
    it('gives the events every party took part in, historical ones too, oldest first', async () => {
      const base = fresh();
      await base.insertMany([
        event('both-5th', '2026-01-05', ['kuwait', 'nato']),
        event('nato-6th', '2026-01-06', ['nato']),
        { ...event('all-3rd', '2025-01-03', ['qatar', 'nato', 'kuwait']), historical: true },
        event('kuwait-7th', '2026-01-07', ['kuwait']),
        event('both-9th', '2026-01-09', ['nato', 'kuwait']),
      ]);
      expect(ids(await base.timeline(['kuwait', 'nato']))).toEqual(['all-3rd', 'both-5th', 'both-9th']);
      expect(ids(await base.timeline(['nato', 'kuwait'], 2))).toEqual(['all-3rd', 'both-5th']);
      expect(ids(await base.timeline(['kuwait']))).toEqual(['all-3rd', 'both-5th', 'kuwait-7th', 'both-9th']);
      expect(await base.timeline(['kuwait', 'oman'])).toEqual([]);
      expect(await base.timeline([])).toEqual([]);
      const [first] = await base.timeline(['kuwait', 'nato']);
      expect(first!.sources).toEqual([source('a-all-3rd', '2025-01-03')]);
    });
  });

  describe('listEvents', () => {
    // Eight meetings in February, two summits in January: the summits lie beyond the first reads.
    const events = [
      ...Array.from({ length: 8 }, (_, i) => event(`m${i + 1}`, `2026-02-0${i + 1}`, ['nato'])),
      event('s1', '2026-01-10', ['kuwait', 'nato'], 'summit'),
      event('s2', '2026-01-20', ['qatar'], 'summit'),
      event('k1', '2026-02-03', ['kuwait']),
    ];
    const base = fresh();
    beforeAll(() => base.insertMany(events));

    it('gives the newest first, at most the limit', async () => {
      expect(ids(await base.listEvents({ limit: 3 }))).toEqual(['m8', 'm7', 'm6']);
    });

    it('gives those passing `where`, newest first, however many newer ones fail it', async () => {
      const summits = await base.listEvents({ limit: 2, where: (e) => e.type === 'summit' });
      expect(ids(summits)).toEqual(['s2', 's1']);
      expect(ids(await base.listEvents({ limit: 1, where: (e) => e.type === 'summit' }))).toEqual(['s2']);
      expect(await base.listEvents({ limit: 5, where: (e) => e.type === 'visit' })).toEqual([]);
    });

    it('keeps to the parties and the days asked, each event once', async () => {
      expect(ids(await base.listEvents({ entities: ['kuwait'], limit: 10 }))).toEqual(['k1', 's1']);
      expect(ids(await base.listEvents({ entities: ['kuwait', 'qatar', 'nato'], limit: 4 }))).toEqual([
        'm8',
        'm7',
        'm6',
        'm5',
      ]);
      expect(
        ids(
          await base.listEvents({
            entities: ['kuwait', 'nato'],
            from: '2026-01-10',
            to: '2026-02-03',
            limit: 10,
          }),
        ),
      ).toEqual(['m3', 'k1', 'm2', 'm1', 's1']);
      expect(
        ids(
          await base.listEvents({
            from: '2026-01-15',
            to: '2026-02-01',
            limit: 10,
          }),
        ),
      ).toEqual(['m1', 's2']);
    });
  });

  describe('listExpectations', () => {
    const base = fresh();
    beforeAll(async () => {
      await base.insertMany(
        [],
        [
          expectation('open-feb', '2026-01-01', '2026-02-28'),
          expectation('open-jan', '2026-01-01', '2026-01-31', ['kuwait']),
          expectation('open-mar', '2026-01-01', '2026-03-31', ['kuwait', 'nato']),
          expectation('done-jan', '2026-01-01', '2026-01-20'),
          expectation('done-apr', '2026-01-01', '2026-04-30', ['qatar']),
          expectation('off-feb', '2026-01-01', '2026-02-10'),
        ],
      );
      await base.fulfil('done-jan', by('e1'));
      await base.fulfil('done-apr', by('e2'));
      await base.cancel('off-feb', calledOff);
    });

    it('gives open ones soonest due first, each once across parties', async () => {
      expect(ids(await base.listExpectations({ state: 'open', limit: 10 }))).toEqual([
        'open-jan',
        'open-feb',
        'open-mar',
      ]);
      expect(
        ids(await base.listExpectations({ state: 'open', entities: ['nato', 'kuwait'], limit: 10 })),
      ).toEqual(['open-jan', 'open-feb', 'open-mar']);
      expect(ids(await base.listExpectations({ state: 'open', entities: ['kuwait'], limit: 1 }))).toEqual([
        'open-jan',
      ]);
    });

    it('gives closed ones, and all, latest due first', async () => {
      expect(ids(await base.listExpectations({ state: 'fulfilled', limit: 10 }))).toEqual([
        'done-apr',
        'done-jan',
      ]);
      expect(ids(await base.listExpectations({ state: 'fulfilled', entities: ['nato'], limit: 10 }))).toEqual(
        ['done-jan'],
      );
      expect(ids(await base.listExpectations({ state: 'cancelled', limit: 10 }))).toEqual(['off-feb']);
      expect(ids(await base.listExpectations({ limit: 3 }))).toEqual(['done-apr', 'open-mar', 'open-feb']);
    });
  });

  describe('insertMany', () => {
    it('stores and indexes new records in bulk and leaves existing ids as they are', async () => {
      const base = fresh();
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
      expect(ids(near)).toEqual(['n1', 'old', 'n2']);
      expect(await base.getEvent('n2')).toEqual(event('n2', '2026-01-12', ['qatar']));
      expect(
        ids(await base.openExpectationsFor(['kuwait'], { from: '2026-02-01', to: '2026-02-01' })),
      ).toEqual(['x1']);
    });

    it('counts only what it created: an id twice in one call, or stored before, counts once', async () => {
      const base = fresh();
      await base.createExpectation(expectation('x-old', '2026-01-01', '2026-01-31'));
      const created = await base.insertMany(
        [event('e1', '2026-01-10'), event('e1', '2026-01-11', ['oman']), event('e2', '2026-01-12')],
        [
          expectation('x-old', '2026-01-01', '2026-02-28', ['oman']),
          expectation('x1', '2026-01-01', '2026-01-31'),
          expectation('x1', '2026-01-01', '2026-01-31'),
        ],
      );
      expect(created).toEqual({ events: 2, expectations: 1 });
      expect(await base.counts()).toEqual({ events: 2, expectations: 2, openExpectations: 2 });
      expect((await base.getEvent('e1'))!.date.from).toBe('2026-01-10');
      expect((await base.getExpectation('x-old'))!.due.to).toBe('2026-01-31');
      expect(await base.insertMany([], [])).toEqual({ events: 0, expectations: 0 });
    });
  });

  describe('undo', () => {
    it('deletes events and sources, and reopens an expectation by deleting and recreating it', async () => {
      const base = fresh();
      await base.insertMany([event('e1', '2026-01-10', ['kuwait', 'nato']), event('e2', '2026-01-11')]);
      expect(await base.addSource('e2', source('second-report', '2026-01-12'))).toBe(true);
      await base.removeSource('e2', 'second-report');
      expect((await base.getEvent('e2'))!.sources.map((s) => s.articleId)).toEqual(['a-e2']);

      await base.deleteEvent('e1');
      expect(await base.getEvent('e1')).toBeUndefined();
      const near = await base.eventsNear(['kuwait', 'nato'], { from: '2026-01-01', to: '2026-01-31' }, 0);
      expect(ids(near)).toEqual(['e2']);
      expect(await base.timeline(['kuwait'])).toEqual([]);

      const x = expectation('x1', '2026-01-01', '2026-03-01');
      await base.createExpectation(x);
      expect(await base.fulfil('x1', by('e2'))).toBe(true);
      await base.deleteExpectation('x1');
      expect(await base.getExpectation('x1')).toBeUndefined();
      expect(await base.listExpectations({ limit: 10 })).toEqual([]);
      expect(await base.createExpectation(x)).toBe(true);
      expect(ids(await base.openExpectationsFor(['nato'], aDay))).toEqual(['x1']);
      // The close gate went with it: the reopened expectation can be fulfilled, once, again.
      expect(await base.fulfil('x1', by('e2'))).toBe(true);
      expect(await base.fulfil('x1', by('e1'))).toBe(false);
    });
  });

  describe('what matching reads beyond candidates', () => {
    it('finds events and expectations by the people they name, not only by their parties', async () => {
      const base = fresh();
      await base.createEvent({ ...event('talks', '2026-01-15', ['russia']), names: ['جبير'] });
      await base.createExpectation({
        ...expectation('visit', '2026-01-10', '2026-01-20', ['saudi-arabia']),
        names: ['جبير'],
      });
      expect(ids(await base.eventsNear(['n:جبير'], aDay, 0))).toEqual(['talks']);
      expect(ids(await base.openExpectationsFor(['n:جبير'], aDay))).toEqual(['visit']);
      expect(await base.eventsNear(['n:لافروف'], aDay, 0)).toEqual([]);
    });

    it('tells which expectations an event fulfilled, so a later report of it fulfils them too', async () => {
      const base = fresh();
      await base.createEvent(event('e1', '2026-01-15'));
      await base.createExpectation(expectation('x1', '2026-01-01', '2026-03-01'));
      await base.createExpectation(expectation('x2', '2026-01-01', '2026-03-01'));
      expect(await base.fulfilledBy('e1')).toEqual([]);
      await base.fulfil('x1', by('e1'));
      await base.markOverdue('x2');
      expect((await base.fulfilledBy('e1')).map((x) => [x.id, x.state])).toEqual([['x1', 'fulfilled']]);
    });

    it('counts the articles read and how many hold each term', async () => {
      const base = fresh();
      expect(await base.termStats(['قم'])).toEqual({ docs: 0, df: new Map() });
      await base.addTerms(['قم', 'كويت'], 'a1');
      await base.addTerms(['قم'], 'a2');
      // a2's job run again after a crash: its words are not counted twice
      await base.addTerms(['قم'], 'a2');
      const stats = await base.termStats(['قم', 'كويت', 'ناتو']);
      expect(stats.docs).toBe(2);
      expect([...stats.df].sort()).toEqual([
        ['قم', 2],
        ['كويت', 1],
      ]);
    });
  });
});

describe('RedisEventBase only', () => {
  it('finishes a fulfilment whose gate was taken but whose record was never written, and no other event can take it', async () => {
    const base = freshRedisBase();
    await base.createExpectation(expectation('x1', '2026-01-01', '2026-03-01'));
    // The crashed run took the gate for e2 and died before writing the record.
    await redis.set(`${prefixes.at(-1)!}expectation:x1:closed`, 'e2');
    expect(await base.fulfil('x1', by('e9'))).toBe(false);
    expect(await base.fulfil('x1', by('e2'))).toBe(true);
    expect((await base.getExpectation('x1'))!).toMatchObject({
      state: 'fulfilled',
      fulfilledBy: { eventId: 'e2' },
    });
    expect(await base.openExpectationsFor(['nato'], aDay)).toEqual([]);
    // The same event asking again is told yes (its alert is raised again under the same id);
    // the overdue sweep is told no.
    expect(await base.fulfil('x1', by('e2'))).toBe(true);
    expect(await base.markOverdue('x1')).toBe(false);
  });

  it('writes no key at all when asked to close an id it does not know', async () => {
    const base = freshRedisBase();
    const prefix = prefixes.at(-1)!;
    await base.createExpectation(expectation('x1', '2026-01-01', '2026-01-31'));
    const before = (await redis.keys(`${prefix}*`)).sort();
    expect(await base.cancel('ghost', calledOff)).toBe(false);
    expect(await base.fulfil('ghost', by('e1'))).toBe(false);
    expect(await base.markOverdue('ghost')).toBe(false);
    expect((await redis.keys(`${prefix}*`)).sort()).toEqual(before);
  });

  it('keeps each base under its prefix: another prefix sees none of it, and deleting the prefix empties it', async () => {
    const one = freshRedisBase();
    const other = freshRedisBase();
    await one.insertMany([event('e1', '2026-01-10')], [expectation('x1', '2026-01-01', '2026-01-31')]);
    expect(await other.getEvent('e1')).toBeUndefined();
    expect(await other.eventsNear(['nato'], aDay, 30)).toEqual([]);
    expect(await other.counts()).toEqual({ events: 0, expectations: 0, openExpectations: 0 });
    await one.fulfil('x1', by('e1'));
    await deleteKeys(redis, prefixes.at(-2)!);
    expect(await one.counts()).toEqual({ events: 0, expectations: 0, openExpectations: 0 });
    expect(await one.getExpectation('x1')).toBeUndefined();
    // The gate went with the rest: the same id created again can be fulfilled by another event.
    await one.createExpectation(expectation('x1', '2026-01-01', '2026-01-31'));
    expect(await one.fulfil('x1', by('e2'))).toBe(true);
  });
});

describe('MemoryEventBase answers as RedisEventBase does', () => {
  it('on a seeded random workload of writes, closes, undos and reads', async () => {
    const random = mulberry32(20260115);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;
    const some = <T>(xs: readonly T[], max: number): T[] => {
      const n = 1 + Math.floor(random() * max);
      return Array.from({ length: n }, () => pick(xs));
    };
    const parties = ['nato', 'kuwait', 'qatar', 'oman'];
    const day = (n: number) => `2026-01-${String(n).padStart(2, '0')}`;
    const anyDay = () => day(1 + Math.floor(random() * 20));
    const eventIds = Array.from({ length: 30 }, (_, i) => `e${String(i).padStart(2, '0')}`);
    const expectationIds = Array.from({ length: 20 }, (_, i) => `x${String(i).padStart(2, '0')}`);
    let published = 0;
    // Every report is published at its own second: Redis gives reports published at the same
    // instant in hash order, which nothing promises.
    const report = (articleId: string): SourceRef => {
      published += 1;
      const at = new Date(Date.parse(`${anyDay()}T00:00:00Z`) + published * 1000).toISOString();
      return { ...source(articleId, '2026-01-01'), published: at };
    };
    const randomEvent = (): EventRecord => {
      const d = anyDay();
      return {
        ...event(pick(eventIds), d, [...new Set(some(parties, 3))], pick(['meeting', 'summit', 'visit'])),
        sources: some(['r1', 'r2', 'r3'], 2).map(report),
      };
    };
    const randomExpectation = (): ExpectationRecord => {
      const from = 1 + Math.floor(random() * 20);
      return expectation(pick(expectationIds), day(from), day(from + Math.floor(random() * 10)), [
        ...new Set(some(parties, 2)),
      ]);
    };
    const span = () => {
      const a = anyDay();
      const b = anyDay();
      return a <= b ? { from: a, to: b } : { from: b, to: a };
    };
    const where = () =>
      pick([undefined, (e: EventRecord) => e.type === 'summit', (e: EventRecord) => e.historical]);

    const writes: ((b: Base) => Promise<unknown>)[] = [];
    const reads: ((b: Base) => Promise<unknown>)[] = [];
    for (let step = 0; step < 300; step++) {
      const w = Math.floor(random() * 12);
      const e = randomEvent();
      const x = randomExpectation();
      const xid = pick(expectationIds);
      const eid = pick(eventIds);
      const article = pick(['r1', 'r2', 'r3', 'r4']);
      const batch = [randomEvent(), randomEvent()];
      const batchX = [randomExpectation(), randomExpectation()];
      const closer = pick(eventIds.slice(0, 4));
      const added = report(article);
      const deleteIt = random() < 0.5;
      writes.push(
        [
          (b: Base) => b.createEvent(e),
          (b: Base) => b.createEvent(e),
          (b: Base) => b.addSource(eid, added),
          (b: Base) => b.removeSource(eid, article),
          (b: Base) => b.deleteEvent(eid),
          (b: Base) => b.insertMany(batch, batchX),
          (b: Base) => b.createExpectation(x),
          (b: Base) => b.fulfil(xid, by(closer)),
          (b: Base) => b.markOverdue(xid),
          (b: Base) => b.cancel(xid, calledOff),
          (b: Base) => b.reopen(xid),
          (b: Base) => (deleteIt ? b.deleteExpectation(xid) : b.createExpectation(x)),
        ][w]!,
      );
      const near = { parties: some(parties, 3), span: span(), margin: Math.floor(random() * 6) };
      const openFor = { parties: some(parties, 3), span: span() };
      const listed = {
        entities: random() < 0.4 ? undefined : some(parties, 2),
        from: random() < 0.5 ? undefined : day(1 + Math.floor(random() * 10)),
        to: random() < 0.5 ? undefined : day(10 + Math.floor(random() * 10)),
        limit: 1 + Math.floor(random() * 6),
        where: where(),
      };
      const along = some(parties, 2);
      const state = pick([undefined, 'open', 'fulfilled', 'overdue', 'cancelled'] as const);
      const xEntities = random() < 0.5 ? undefined : some(parties, 2);
      const expired = anyDay();
      const [readEvent, readExpectation] = [pick(eventIds), pick(expectationIds)];
      reads.push(async (b: Base) => [
        await b.eventsNear(near.parties, near.span, near.margin),
        await b.openExpectationsFor(openFor.parties, openFor.span),
        await b.expiredBefore(expired),
        await b.listEvents(listed),
        await b.timeline(along, 1 + (step % 5)),
        await b.listExpectations({ state, entities: xEntities, limit: 1 + (step % 4) }),
        await b.counts(),
        await b.getEvent(readEvent),
        await b.getExpectation(readExpectation),
      ]);
    }

    const inRedis = freshRedisBase(3);
    const inMemory = new MemoryEventBase({ candidatesPerParty: 3 });
    for (let step = 0; step < writes.length; step++) {
      const wrote = [await writes[step]!(inRedis), await writes[step]!(inMemory)];
      expect(wrote[1], `write ${step}`).toEqual(wrote[0]);
      const read = [await reads[step]!(inRedis), await reads[step]!(inMemory)];
      expect(read[1], `reads after write ${step}`).toEqual(read[0]);
    }
    // The workload reached what it is for: capped candidates and closed expectations.
    expect((await inMemory.counts()).expectations).toBeGreaterThan(
      (await inMemory.counts()).openExpectations,
    );
    expect((await inMemory.eventsNear(parties, { from: day(1), to: day(20) }, 0)).length).toBeGreaterThan(3);
  });
});

/** A small seeded generator, so the workload is the same on every run. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
