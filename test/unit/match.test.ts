// Scoring as truth tables: what makes a follow-up, what makes another report of one event.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_THRESHOLDS,
  bestFulfilment,
  fulfilmentFeatures,
  sameEventFeatures,
  scoreFulfilment,
  scoreSameEvent,
} from '../../src/domain/match';
import type { EventRecord, ExpectationRecord, ExtractedEvent } from '../../src/domain/types';
import { analyzerPromise } from '../support/analyzer';

const expectation: ExpectationRecord = {
  id: 'x1',
  types: ['meeting'],
  participants: ['kuwait', 'nato'],
  // "next week", said on the 21st: a window of days, as most stated expectations have
  due: { from: '2026-01-21', to: '2026-02-01' },
  horizon: 'next_week',
  text: 'further meetings are expected soon',
  state: 'open',
  source: {
    articleId: 'a1',
    url: 'http://127.0.0.1/a1',
    title: 'a1',
    published: '2026-01-14T07:00:00Z',
    lang: 'ar',
  },
};

const event = (over: Partial<ExtractedEvent>): ExtractedEvent => ({
  type: 'dialogue',
  types: ['dialogue'],
  family: 'consult',
  participants: ['kuwait', 'nato'],
  actors: [],
  place: 'brussels',
  date: { value: '2026-01-28', precision: 'day', from: '2026-01-28', to: '2026-01-28' },
  historical: false,
  evidence: '',
  ...over,
});

const day = (d: string) => ({ value: d, precision: 'day' as const, from: d, to: d });

/** Whether the shipped model (data/match-model.json) links the pair. */
async function fulfils(x: ExpectationRecord, e: ExtractedEvent): Promise<boolean> {
  const an = await analyzerPromise;
  const s = scoreFulfilment(x, e, an, an.nameOf, an.model!.fulfils);
  return s !== undefined && s.score >= an.model!.fulfils.threshold;
}
async function same(a: ExtractedEvent, b: EventRecord): Promise<boolean> {
  const an = await analyzerPromise;
  const s = scoreSameEvent(a, b, DEFAULT_THRESHOLDS, an.nameOf, an, an.model!.sameEvent);
  return s !== undefined && s.score >= an.model!.sameEvent.threshold;
}

describe('scoreFulfilment', () => {
  it.each([
    ['same parties, a dialogue answering the expected meeting', {}, true],
    ['exactly the expected type', { type: 'meeting', types: ['meeting'] }, true],
    [
      'the expected type among the types the report names',
      { type: 'agreement', types: ['agreement', 'meeting'] },
      true,
    ],
    ['one of two parties', { participants: ['kuwait', 'iran'] }, false],
    ['an unrelated type', { type: 'exercise', types: ['exercise'], family: 'cooperation' }, false],
    ['after the window', { date: day('2026-05-01') }, false],
    ['before the window', { date: day('2026-01-15') }, false],
    ['no shared party', { participants: ['iran', 'iraq'] }, false],
    ['a different round', { ordinals: [3] }, false],
  ])('%s → %s', async (_, over, want) => {
    expect(await fulfils({ ...expectation, names: ['جبير'], ordinals: [2] }, event(over))).toBe(want);
  });

  it('takes one of two parties with the person the expectation named, on the day it named', async () => {
    // «سيزور الجبير موسكو الثلاثاء»: the report of the Moscow talks names no Saudi party, only him.
    const tuesday = {
      ...expectation,
      types: ['visit'],
      names: ['جبير'],
      due: { from: '2026-01-27', to: '2026-01-27' },
    };
    const talks = { type: 'meeting', types: ['meeting'], participants: ['kuwait'], date: day('2026-01-27') };
    const an = await analyzerPromise;
    expect(fulfilmentFeatures(tuesday, event({ ...talks, names: ['جبير'] }), an)).toHaveProperty('features');
    expect(fulfilmentFeatures(tuesday, event(talks), an)).toEqual({
      ruledOut: 'parties: 1 of 2 expected take part',
    });
  });

  it('takes an expectation of one party without a person when a day was stated and the very type comes on it', async () => {
    // "OPEC+ meets on Sunday": the report of Sunday's OPEC+ meeting names no one the first did.
    const sunday = {
      ...expectation,
      participants: ['opec'],
      horizon: 'by 2026-01-25',
      due: { from: '2026-01-25', to: '2026-01-25' },
    };
    const an = await analyzerPromise;
    const meeting = {
      type: 'meeting',
      types: ['meeting'],
      participants: ['opec', 'saudi-arabia'],
      date: day('2026-01-25'),
    };
    expect(fulfilmentFeatures(sunday, event(meeting), an)).toHaveProperty('features');
    // …a related type, a week's window, or no day stated: one party is not enough
    expect(
      fulfilmentFeatures(sunday, event({ ...meeting, type: 'dialogue', types: ['dialogue'] }), an),
    ).toEqual({
      ruledOut: 'one expected party and no person named in both',
    });
    expect(
      fulfilmentFeatures({ ...sunday, due: { from: '2026-01-21', to: '2026-02-01' } }, event(meeting), an),
    ).toEqual({ ruledOut: 'one expected party and no person named in both' });
    expect(fulfilmentFeatures({ ...sunday, horizon: 'default' }, event(meeting), an)).toEqual({
      ruledOut: 'one expected party and no person named in both',
    });
  });

  it.each([
    ['an expected summit, a preparatory meeting', ['summit'], 'meeting', false],
    ['an expected meeting, a summit', ['meeting'], 'summit', true],
    ['an expected visit, the host receiving the visitor', ['visit'], 'meeting', true],
    ['an expected conference, a summit', ['conference'], 'summit', true],
    ['an expected agreement, a summit', ['agreement'], 'summit', false],
  ])('%s → fulfils: %s', async (_, types, type, want) => {
    expect(await fulfils({ ...expectation, types }, event({ type, types: [type] }))).toBe(want);
  });

  it('explains itself in words an analyst reads', async () => {
    const an = await analyzerPromise;
    expect(scoreFulfilment(expectation, event({}), an, an.nameOf)!.reasons).toEqual([
      'parties: Kuwait, NATO all take part',
      'type: dialogue answers the expected meeting',
      'date: 28 Jan 2026 falls inside the window 21 Jan 2026 – 1 Feb 2026',
    ]);
  });

  it('picks nothing below the threshold and skips expectations no longer open', async () => {
    const an = await analyzerPromise;
    const model = an.model!.fulfils;
    const weak = event({ participants: ['kuwait', 'iran'], type: 'exercise', family: 'cooperation' });
    expect(bestFulfilment(weak, [expectation], DEFAULT_THRESHOLDS, an, an.nameOf, model)).toBeUndefined();
    const fulfilled = { ...expectation, state: 'fulfilled' as const };
    expect(bestFulfilment(event({}), [fulfilled], DEFAULT_THRESHOLDS, an, an.nameOf, model)).toBeUndefined();
    expect(bestFulfilment(event({}), [expectation], DEFAULT_THRESHOLDS, an, an.nameOf, model)).toMatchObject({
      kind: 'fulfils',
      targetId: 'x1',
    });
  });
});

describe('scoreSameEvent', () => {
  const known: EventRecord = { ...event({ type: 'meeting', types: ['meeting'] }), id: 'e1', sources: [] };
  const meeting = { type: 'meeting', types: ['meeting'] };
  it.each([
    ['the same meeting reported in another language', meeting, true],
    [
      'a report the day after that dates it only by its publication',
      {
        ...meeting,
        date: { value: '2026-01-29', precision: 'reported' as const, from: '2026-01-26', to: '2026-01-29' },
      },
      true,
    ],
    ['a day later, both reports dating it to the day', { ...meeting, date: day('2026-01-29') }, false],
    [
      'one report names only the hosts',
      { ...meeting, participants: ['kuwait', 'nato', 'gcc', 'qatar'] },
      true,
    ],
    ['a week later', { ...meeting, date: day('2026-02-04') }, false],
    ['the next round', { ...meeting, ordinals: [2] }, false],
    ['a strike on the same day', { type: 'strike', types: ['strike'], family: 'fight' }, false],
    ['other parties', { ...meeting, participants: ['iran', 'iraq'] }, false],
    [
      'one shared party, a type and the day: never enough',
      { ...meeting, participants: ['kuwait', 'iran'], place: undefined },
      false,
    ],
  ])('%s → same: %s', async (_, over, want) => {
    expect(await same(event(over), { ...known, ordinals: [1] })).toBe(want);
  });

  it('rules a pair out with the reason, or scores it with reasons', async () => {
    const an = await analyzerPromise;
    expect(
      sameEventFeatures(event({ ...meeting, ordinals: [2] }), { ...known, ordinals: [1] }, 2, an),
    ).toEqual({
      ruledOut: 'round 2 and round 1',
    });
    const s = scoreSameEvent(event(meeting), known, DEFAULT_THRESHOLDS, an.nameOf, an, an.model!.sameEvent)!;
    expect(s.reasons).toEqual([
      'parties: Kuwait, NATO in both reports',
      'type: both meeting',
      'date: 28 Jan 2026 in both',
      'place: Brussels in both',
    ]);
  });
});
