// The quiet-alert rule (src/domain/alert-quiet.ts): a new feed's backlog and old news are stored
// and matched, but raise no alert; the feed's opt-in and ALERT_RECENCY=0 lift it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_ALERT_RECENCY_MS, quietReason, type Arrival } from '../../src/domain/alert-quiet';
import type { AlertKind } from '../../src/domain/types';

const NOW = new Date('2026-12-02T12:00:00Z');
const window = { recencyMs: DEFAULT_ALERT_RECENCY_MS };
const fresh = { eventDay: '2026-12-01', published: '2026-12-01T09:00:00Z' };
const old = { eventDay: '2026-01-28', published: '2026-01-31T08:00:00Z' };

describe('quietReason', () => {
  it.each<
    [string, AlertKind, { eventDay?: string; published: string }, Arrival | undefined, string | undefined]
  >([
    ['no arrival given (eval, replay): raised', 'event.new', old, undefined, undefined],
    ['a fresh event from a later poll: raised', 'event.new', fresh, window, undefined],
    ['an event of 28 Jan raised on 2 Dec: stale', 'event.new', old, window, 'stale'],
    ['old coverage of a known event: stale', 'event.same_event', old, window, 'stale'],
    [
      'an expectation stated months ago: stale',
      'expectation.opened',
      { published: old.published },
      window,
      'stale',
    ],
    [
      'an expectation stated yesterday: raised',
      'expectation.opened',
      { published: fresh.published },
      window,
      undefined,
    ],
    ['a fulfilment that happened months ago: stale', 'expectation.fulfilled', old, window, 'stale'],
    ['a fresh fulfilment: raised', 'expectation.fulfilled', fresh, window, undefined],
    ['the backlog, however fresh: quiet', 'event.new', fresh, { ...window, backlog: true }, 'backlog'],
    [
      'the backlog opening an expectation: quiet',
      'expectation.opened',
      fresh,
      { ...window, backlog: true },
      'backlog',
    ],
    [
      'the backlog as more coverage: quiet',
      'event.same_event',
      fresh,
      { ...window, backlog: true },
      'backlog',
    ],
    [
      'the backlog fulfilling an expectation today: raised',
      'expectation.fulfilled',
      fresh,
      { ...window, backlog: true },
      undefined,
    ],
    [
      'the backlog fulfilling one months ago: stale',
      'expectation.fulfilled',
      old,
      { ...window, backlog: true },
      'stale',
    ],
    [
      'the feed opted in: its backlog alerts',
      'event.new',
      fresh,
      { ...window, backlog: true, alertBacklog: true },
      undefined,
    ],
    [
      'the feed opted in: its old news alerts',
      'event.new',
      old,
      { ...window, alertBacklog: true },
      undefined,
    ],
    ['ALERT_RECENCY=0: old news alerts', 'event.new', old, { recencyMs: 0 }, undefined],
    ['ALERT_RECENCY=0 keeps the backlog quiet', 'event.new', old, { recencyMs: 0, backlog: true }, 'backlog'],
    [
      'an event on the cutoff day itself: raised',
      'event.new',
      { eventDay: '2026-11-29', published: fresh.published },
      window,
      undefined,
    ],
    [
      'an event the day before the cutoff: stale',
      'event.new',
      { eventDay: '2026-11-28', published: fresh.published },
      window,
      'stale',
    ],
  ])('%s', (_name, kind, facts, arrival, expected) => {
    expect(quietReason(kind, facts, arrival, NOW)).toBe(expected);
  });
});
