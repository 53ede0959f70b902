// The readiness rule /readyz applies: a closed worker or a scheduler that stopped ticking makes the
// process not ready, named; a worker paused by backpressure and a tick a little late do not.
import { describe, expect, it } from 'vitest';
import { judgeReadiness, schedulerCheck, workerCheck } from '../../src/domain/readiness';

describe('schedulerCheck', () => {
  const everyMs = 15_000;
  it.each([
    [
      'ticked a moment ago',
      { running: true, lastTickAt: 100_000, everyMs },
      101_000,
      true,
      'last tick 1 s ago',
    ],
    ['one tick missed', { running: true, lastTickAt: 100_000, everyMs }, 130_000, true, 'last tick 30 s ago'],
    [
      'three ticks missed',
      { running: true, lastTickAt: 100_000, everyMs },
      146_000,
      false,
      'no tick for 46 s',
    ],
    ['stopped', { running: false, lastTickAt: 100_000, everyMs }, 100_000, false, 'stopped'],
  ])('%s', (_what, s, now, ok, detail) => {
    const check = schedulerCheck(s, now);
    expect(check.ok).toBe(ok);
    expect(check.detail).toContain(detail);
  });
});

describe('workerCheck', () => {
  it.each([
    [{ running: true, closing: false, paused: false }, true, 'running'],
    [{ running: true, closing: false, paused: true }, true, 'paused by backpressure'],
    [{ running: false, closing: false, paused: false }, false, 'not running'],
    [{ running: true, closing: true, paused: false }, false, 'closing'],
  ])('%j', (w, ok, detail) => {
    const check = workerCheck({ name: 'scrape', ...w });
    expect(check).toMatchObject({ name: 'worker:scrape', ok });
    expect(check.detail).toContain(detail);
  });
});

describe('judgeReadiness', () => {
  it('names every failed check, in order, and is ready only when none failed', () => {
    const up = { name: 'redis', ok: true, detail: 'answers' };
    expect(judgeReadiness([up])).toMatchObject({ status: 'ready', failed: [] });
    const r = judgeReadiness([
      { name: 'redis', ok: false, detail: 'no answer' },
      up,
      { name: 'worker:poll', ok: false, detail: 'closed' },
    ]);
    expect(r).toMatchObject({ status: 'not ready', failed: ['redis', 'worker:poll'] });
  });
});
