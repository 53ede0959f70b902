// The overdue sweep on the real Redis: an expectation whose window closed without a
// follow-up becomes overdue once, with one alert; a fulfilled one is left alone.
import { afterAll, describe, expect, it } from 'vitest';
import type { ExpectationRecord } from '../../src/domain/types';
import { sweepOverdue } from '../../src/pipeline/sweep';
import { RedisEventBase } from '../../src/store/event-base';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { runPrefix } from '../../src/demo/seed-scenario';

const expectation = (id: string, to: string): ExpectationRecord => ({
  id,
  types: ['summit'],
  participants: ['gcc', 'nato'],
  due: { from: '2025-11-01', to },
  horizon: 'next_month',
  text: 'a summit is expected next month',
  state: 'open',
  source: {
    articleId: `a-${id}`,
    url: `https://news.example/${id}`,
    title: id,
    published: '2025-11-01T08:00:00Z',
    lang: 'en',
  },
});

describe('overdue sweep', () => {
  const prefix = runPrefix('overdue');
  const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const base = new RedisEventBase(redis, prefix);
  const deps = (today: string) => ({
    base,
    nameOf: (id: string) => id.toUpperCase(),
    now: () => new Date(`${today}T12:00:00Z`),
    graceDays: 2,
  });

  afterAll(async () => {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('waits out the grace days, then raises one overdue alert per expectation, once', async () => {
    await base.createExpectation(expectation('late', '2025-12-31'));
    await base.createExpectation(expectation('kept', '2025-12-31'));
    await base.createExpectation(expectation('future', '2026-03-31'));
    await base.fulfil('kept', {
      eventId: 'e1',
      source: expectation('kept', '2025-12-31').source,
      score: 1,
      reasons: [],
    });

    expect(await sweepOverdue(deps('2026-01-02'))).toEqual([]);
    const alerts = await sweepOverdue(deps('2026-01-03'));
    expect(alerts.map((a) => [a.kind, a.expectation?.id])).toEqual([['expectation.overdue', 'late']]);
    expect(alerts[0]!.title).toBe('Overdue: no summit of GCC – NATO reported by 31 Dec 2025');
    expect(await sweepOverdue(deps('2026-01-04'))).toEqual([]);
    expect((await base.getExpectation('late'))!.state).toBe('overdue');
    expect((await base.getExpectation('kept'))!.state).toBe('fulfilled');
    expect((await base.getExpectation('future'))!.state).toBe('open');
  });

  it('never fulfils an expectation already overdue', async () => {
    expect(
      await base.fulfil('late', {
        eventId: 'e2',
        source: expectation('late', '2025-12-31').source,
        score: 1,
        reasons: [],
      }),
    ).toBe(false);
    const open = await base.openExpectationsFor(['gcc'], { from: '2025-12-01', to: '2025-12-31' });
    expect(open.map((x) => x.id)).toEqual(['future']);
  });
});
