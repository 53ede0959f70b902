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
    ['same parties, family type, in window', {}, 0.95],
    ['exactly the expected type', { type: 'meeting' }, 1],
    ['one of two parties', { participants: ['kuwait', 'iran'] }, 0.75],
    ['an unrelated type', { type: 'exercise', family: 'military' }, 0.7],
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
    expect(scoreFulfilment(expectation, event(over), an.familyOf, an.nameOf)?.score).toBe(score);
  });

  it('explains itself in words an analyst reads', async () => {
    const an = await analyzerPromise;
    expect(scoreFulfilment(expectation, event({}), an.familyOf, an.nameOf)!.reasons).toEqual([
      'parties: Kuwait, NATO all take part',
      'type: dialogue answers the expected meeting (engagement)',
      'date: 2026-01-28 falls inside the window 2026-01-14 to 2026-04-14',
    ]);
  });

  it('picks nothing below the threshold and skips expectations no longer open', async () => {
    const an = await analyzerPromise;
    const weak = event({ participants: ['kuwait', 'iran'], type: 'exercise', family: 'military' });
    expect(bestFulfilment(weak, [expectation], DEFAULT_THRESHOLDS, an.familyOf, an.nameOf)).toBeUndefined();
    const fulfilled = { ...expectation, state: 'fulfilled' as const };
    expect(
      bestFulfilment(event({}), [fulfilled], DEFAULT_THRESHOLDS, an.familyOf, an.nameOf),
    ).toBeUndefined();
    expect(
      bestFulfilment(event({}), [expectation], DEFAULT_THRESHOLDS, an.familyOf, an.nameOf),
    ).toMatchObject({
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
      'a day later, same place (time zones, late reports)',
      { type: 'meeting', date: day('2026-01-29') },
      true,
    ],
    ['dialogue vs meeting on the same day', {}, true],
    ['a week later', { type: 'meeting', date: day('2026-02-04') }, false],
    ['another place', { type: 'meeting', place: 'doha' }, false],
    ['another family', { type: 'exercise', family: 'military' }, false],
    ['other parties', { type: 'meeting', participants: ['iran', 'iraq'] }, false],
  ])('%s → same: %s', async (_, over, same) => {
    const an = await analyzerPromise;
    const s = scoreSameEvent(event(over), known, DEFAULT_THRESHOLDS, an.nameOf);
    expect((s?.score ?? 0) >= DEFAULT_THRESHOLDS.sameEvent).toBe(same);
  });
});
