// When a failed delivery is tried again: exponential, ×5 per attempt, with ±20% jitter so that
// receivers recovering from an outage are not hit by every retry at once. With the defaults
// (8 attempts, 5 s) the retries come after about 5 s, 25 s, 2 min, 10 min, 52 min, 4.3 h and
// 21.7 h: some 27 hours in all, as the webhook services we learn from retry for about a day.
// Pure: the random draw comes in as an argument.

export const BACKOFF_FACTOR = 5;
export const JITTER = 0.2;
/** A Retry-After longer than this is not honoured as asked: we still try within a day. */
export const MAX_RETRY_AFTER_MS = 24 * 3600 * 1000;

/**
 * The delay before the next attempt, after `attemptsMade` failed ones (1 after the first).
 * `random` is in [0, 1). A receiver's Retry-After, when longer, wins.
 */
export function deliveryDelay(
  attemptsMade: number,
  baseMs: number,
  random: number,
  retryAfterMs?: number,
): number {
  const exponential = baseMs * BACKOFF_FACTOR ** Math.max(0, attemptsMade - 1);
  const jittered = exponential * (1 - JITTER + 2 * JITTER * random);
  const asked = retryAfterMs === undefined ? 0 : Math.min(retryAfterMs, MAX_RETRY_AFTER_MS);
  return Math.round(Math.max(jittered, asked));
}

/** The delays between `attempts` attempts, without jitter: what the README and the logs quote. */
export function retrySchedule(attempts: number, baseMs: number): number[] {
  return Array.from({ length: Math.max(0, attempts - 1) }, (_, i) => baseMs * BACKOFF_FACTOR ** i);
}
