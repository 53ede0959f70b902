// The feeds' health in one line, above the dashboard's feed table: how many are in each state
// (src/domain/feed-alerts.ts: feedStatus), and how many were removed. Pure: states in, counts out.
import type { FeedStatus } from './feed-alerts';

/** Always counted, zero included: what an operator scans for first. */
const ALWAYS: readonly FeedStatus[] = ['ok', 'backing off', 'failing', 'paused'];
/** Counted when some feed is in them. */
const WHEN_ANY: readonly FeedStatus[] = ['never polled', 'broken', 'needs JavaScript', 'silent'];

export interface FeedSummary {
  /** feeds polled or paused: not removed */
  total: number;
  counts: { state: FeedStatus; count: number }[];
  removed: number;
}

export function summarizeFeeds(states: readonly (FeedStatus | 'removed')[]): FeedSummary {
  const count = (state: string) => states.filter((s) => s === state).length;
  const removed = count('removed');
  return {
    total: states.length - removed,
    counts: [
      ...ALWAYS.map((state) => ({ state, count: count(state) })),
      ...WHEN_ANY.map((state) => ({ state, count: count(state) })).filter((c) => c.count > 0),
    ],
    removed,
  };
}
