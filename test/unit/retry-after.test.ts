// Retry-After as RFC 9110 §10.2.3 allows it: delay-seconds or an HTTP-date in any of its three
// forms; anything else is no hint rather than a guess.
import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/ingest/fetch';

const NOW = Date.parse('2026-01-28T10:00:00Z');

describe('parseRetryAfter', () => {
  it.each<[string | null | undefined, number | undefined]>([
    ['120', 120],
    ['0', 0],
    [' 30 ', 30],
    ['Wed, 28 Jan 2026 10:02:00 GMT', 120], // IMF-fixdate
    ['Wednesday, 28-Jan-26 10:02:00 GMT', 120], // RFC 850
    ['Wed Jan 28 10:02:00 2026', 120], // asctime, which is GMT though it says no zone
    ['Wed, 28 Jan 2026 10:00:00 GMT', 0],
    ['Wed, 28 Jan 2026 09:00:00 GMT', 0], // already past
    ['1.5', undefined],
    ['-1', undefined],
    ['2', 2],
    ['soon', undefined],
    ['2026-01-28T10:02:00Z', undefined], // not an HTTP-date
    ['', undefined],
    [null, undefined],
    [undefined, undefined],
  ])('%j → %s seconds', (value, seconds) => {
    expect(parseRetryAfter(value, NOW)).toBe(seconds);
  });
});
