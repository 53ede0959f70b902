// Scoring as truth tables: what makes a follow-up, what makes another report of one event.
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, bestFulfilment, scoreFulfilment, scoreSameEvent } from '../../src/domain/match';
import type { EventRecord, ExpectationRecord, ExtractedEvent } from '../../src/domain/types';
import { analyzerPromise } from '../support/analyzer';

const expectation: ExpectationRecord = {
  id: 'x1',
  types: ['meeting'],
  participants: ['kuwait', 'nato'],
  due: { from: '2026-01-14', to: '2026-04-14' },
  horizon: 'near_future',
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
  family: 'engagement',
  participants: ['kuwait', 'nato'],
  actors: [],
  place: 'brussels',
  date: { value: '2026-01-28', precision: 'day', from: '2026-01-28', to: '2026-01-28' },
  historical: false,
  evidence: '',
  ...over,
});

const day = (d: string) => ({ value: d, precision: 'day' as const, from: d, to: d });

describe('scoreFulfilment', () => {
  it.each([
    ['same parties, a dialogue answering the expected meeting', {}, 0.95],
    ['exactly the expected type', { type: 'meeting' }, 1],
    ['the expected type among the types the report names', { types: ['agreement', 'meeting'] }, 1],
    ['one of two parties', { participants: ['kuwait', 'iran'] }, undefined],
    ['two of three parties', { participants: ['kuwait', 'nato', 'iran'] }, 0.95],
    ['an unrelated type', { type: 'exercise', family: 'military' }, undefined],
    ['after the window', { date: day('2026-05-01') }, undefined],
    ['before the window', { date: day('2026-01-02') }, undefined],
    ['no shared party', { participants: ['iran', 'iraq'] }, undefined],
    [
      'a month overlapping the window',
      { date: { value: '2026-04', precision: 'month' as const, from: '2026-04-01', to: '2026-04-30' } },
      0.95,
    ],
  ])('%s → %s', async (_, over, score) => {
    const an = await analyzerPromise;
    expect(scoreFulfilment(expectation, event(over), an, an.nameOf)?.score).toBe(score);
  });

  it.each([
    ['an expected summit, a preparatory meeting', ['summit'], 'meeting', false],
    ['an expected meeting, a summit', ['meeting'], 'summit', true],
    ['an expected visit, the host receiving the visitor', ['visit'], 'meeting', true],
    ['an expected conference, a summit', ['conference'], 'summit', true],
    ['an expected agreement, a summit', ['agreement'], 'summit', false],
  ])('%s → fulfils: %s', async (_, types, type, fulfils) => {
    const an = await analyzerPromise;
    const s = scoreFulfilment({ ...expectation, types }, event({ type }), an, an.nameOf);
    expect((s?.score ?? 0) >= DEFAULT_THRESHOLDS.fulfils).toBe(fulfils);
  });

  it('explains itself in words an analyst reads', async () => {
    const an = await analyzerPromise;
    expect(scoreFulfilment(expectation, event({}), an, an.nameOf)!.reasons).toEqual([
      'parties: Kuwait, NATO all take part',
      'type: dialogue answers the expected meeting',
      'date: 2026-01-28 falls inside the window 2026-01-14 to 2026-04-14',
    ]);
  });

  it('picks nothing below the threshold and skips expectations no longer open', async () => {
    const an = await analyzerPromise;
    const weak = event({ participants: ['kuwait', 'iran'], type: 'exercise', family: 'military' });
    expect(bestFulfilment(weak, [expectation], DEFAULT_THRESHOLDS, an, an.nameOf)).toBeUndefined();
    const fulfilled = { ...expectation, state: 'fulfilled' as const };
    expect(bestFulfilment(event({}), [fulfilled], DEFAULT_THRESHOLDS, an, an.nameOf)).toBeUndefined();
    expect(bestFulfilment(event({}), [expectation], DEFAULT_THRESHOLDS, an, an.nameOf)).toMatchObject({
      kind: 'fulfils',
      targetId: 'x1',
    });
  });
});

describe('scoreSameEvent', () => {
  const known: EventRecord = { ...event({ type: 'meeting' }), id: 'e1', sources: [] };
  it.each([
    ['the same meeting reported in another language', { type: 'meeting' }, true],
    [
      'a report the day after that dates it only by its publication',
      {
        type: 'meeting',
        date: { value: '2026-01-29', precision: 'reported' as const, from: '2026-01-26', to: '2026-01-29' },
      },
      true,
    ],
    ['a day later, both reports dating it to the day', { type: 'meeting', date: day('2026-01-29') }, false],
    ['dialogue vs meeting on the same day', {}, true],
    [
      'one report names only the hosts',
      { type: 'meeting', participants: ['kuwait', 'nato', 'gcc', 'qatar'] },
      true,
    ],
    ['a week later', { type: 'meeting', date: day('2026-02-04') }, false],
    ['another place, all else the same', { type: 'meeting', place: 'doha' }, true],
    ['another place and another type of the family', { type: 'summit', place: 'doha' }, false],
    ['another family', { type: 'exercise', family: 'military' }, false],
    ['other parties', { type: 'meeting', participants: ['iran', 'iraq'] }, false],
  ])('%s → same: %s', async (_, over, same) => {
    const an = await analyzerPromise;
    const s = scoreSameEvent(event(over), known, DEFAULT_THRESHOLDS, an.nameOf, an);
    expect((s?.score ?? 0) >= DEFAULT_THRESHOLDS.sameEvent).toBe(same);
  });
});
