// The pure rules of an owed page: when a failed page is tried again, when it is only postponed,
// and when it is given up (and why).
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_PAGE_RETRY,
  hostHoldMs,
  judgePageFailure,
  MAX_HOLD_MS,
  pageRetryDelay,
  pageRetrySchedule,
  type PageFailure,
} from '../../src/domain/page-retry';

const MIN = 60_000;
const HOUR = 60 * MIN;

describe('pageRetryDelay', () => {
  it.each([
    // attemptsMade, random, host hold, expected delay
    [1, 0, undefined, 1 * MIN],
    [2, 0, undefined, 2 * MIN],
    [8, 0, undefined, 128 * MIN],
    [9, 0, undefined, 4 * HOUR], // capped: 256 min is past 4 h
    [13, 0, undefined, 4 * HOUR],
    [500, 0, undefined, 4 * HOUR], // no overflow however far
    [1, 0.5, undefined, 66_000], // jitter only lengthens: +10%
    [1, 0.999999, undefined, 72_000], // at most +20%
    [1, 0, 200_000, 200_000], // a 429 with Retry-After: 200 waits the 200 s, not one minute
    [8, 0, 200_000, 128 * MIN], // a shorter hold does not shorten the schedule
    [1, 0, 7 * 24 * HOUR, MAX_HOLD_MS], // nor does a week's hold park a page for a week
    [1, 0, -5, 1 * MIN],
  ])('after %i failed attempts (random %f, hold %s) waits %i ms', (made, random, hold, expected) => {
    expect(pageRetryDelay(made, DEFAULT_PAGE_RETRY, random, hold)).toBe(expected);
  });

  it('spreads the default 14 attempts over at least a day', () => {
    const schedule = pageRetrySchedule(DEFAULT_PAGE_RETRY);
    expect(schedule).toHaveLength(13);
    const total = schedule.reduce((a, b) => a + b, 0);
    expect(total).toBe((255 + 5 * 240) * MIN); // 24 h 15 min
    expect(total).toBeGreaterThanOrEqual(24 * HOUR);
  });

  it('follows a shrunk policy as given (what the fault tests run on)', () => {
    expect(pageRetrySchedule({ attempts: 5, baseMs: 100, capMs: 300 })).toEqual([100, 200, 300, 300]);
  });
});

describe('judgePageFailure', () => {
  const busy = (heldByServer: boolean, waitMs = 5_000): PageFailure => ({
    kind: 'host-busy',
    waitMs,
    heldByServer,
  });
  it.each<[string, PageFailure, number, ReturnType<typeof judgePageFailure>]>([
    ['our own spacing: postponed, no attempt used', busy(false), 1, { verdict: 'postpone', delayMs: 5_000 }],
    [
      'our own spacing on the last attempt: still postponed',
      busy(false),
      14,
      { verdict: 'postpone', delayMs: 5_000 },
    ],
    ['a tiny wait of ours: at least a second', busy(false, 3), 1, { verdict: 'postpone', delayMs: 1_000 }],
    ['a server hold at the gate: an attempt', busy(true), 1, { verdict: 'retry' }],
    ['a server hold on the last attempt', busy(true), 14, { verdict: 'give-up', reason: 'exhausted' }],
    ['429 with Retry-After', { kind: 'http', status: 429, retryAfterMs: 200_000 }, 3, { verdict: 'retry' }],
    ['503', { kind: 'http', status: 503 }, 1, { verdict: 'retry' }],
    ['500', { kind: 'http', status: 500 }, 1, { verdict: 'retry' }],
    ['408', { kind: 'http', status: 408 }, 1, { verdict: 'retry' }],
    ['404: gone at once', { kind: 'http', status: 404 }, 1, { verdict: 'give-up', reason: 'gone' }],
    ['410: gone at once', { kind: 'http', status: 410 }, 1, { verdict: 'give-up', reason: 'gone' }],
    ['403: refused at once', { kind: 'http', status: 403 }, 1, { verdict: 'give-up', reason: 'refused' }],
    ['451: refused at once', { kind: 'http', status: 451 }, 1, { verdict: 'give-up', reason: 'refused' }],
    ['a PDF', { kind: 'not-html' }, 1, { verdict: 'give-up', reason: 'not-html' }],
    ['over the size cap', { kind: 'too-large' }, 1, { verdict: 'give-up', reason: 'too-large' }],
    ['no article text', { kind: 'permanent' }, 1, { verdict: 'give-up', reason: 'permanent' }],
    ['a timeout', { kind: 'transient' }, 13, { verdict: 'retry' }],
    ['a timeout on the last attempt', { kind: 'transient' }, 14, { verdict: 'give-up', reason: 'exhausted' }],
  ])('%s', (_name, failure, attempt, expected) => {
    expect(judgePageFailure(failure, attempt, 14)).toEqual(expected);
  });
});

describe('hostHoldMs', () => {
  it.each<[PageFailure | undefined, number | undefined]>([
    [{ kind: 'http', status: 429, retryAfterMs: 200_000 }, 200_000],
    [{ kind: 'http', status: 503, retryAfterMs: 30_000 }, 30_000],
    [{ kind: 'http', status: 500, retryAfterMs: 30_000 }, undefined], // only 429 and 503 ask to come back
    [{ kind: 'http', status: 429 }, undefined],
    [{ kind: 'host-busy', waitMs: 150_000, heldByServer: true }, 150_000],
    [{ kind: 'host-busy', waitMs: 150_000, heldByServer: false }, undefined],
    [{ kind: 'transient' }, undefined],
    [undefined, undefined],
  ])('%j holds %s ms', (failure, expected) => {
    expect(hostHoldMs(failure)).toBe(expected);
  });
});
