// When a failed article page is tried again, and when it is given up. An item stays owed until
// its article is stored or it is definitively given up, so a site in trouble for hours loses
// nothing: retries double from `baseMs` up to `capMs` (1 min, 2, 4, ... 128 min, then every 4 h
// with the defaults: 14 attempts over 24 h 15 min), each stretched by up to +20% jitter (never
// shortened, so the schedule always spans its full length), and never sooner than a hold the
// host asked for (a 429/503 Retry-After, or one already set at the host gate). A wait of our own
// making (the host's turn is taken, or its spacing not yet over) is no attempt at all: the job is
// only postponed. Pure: errors come in described (PageFailure), the random draw as an argument.

export interface PageRetryPolicy {
  /** attempts in all, the first one included (PAGE_RETRY_ATTEMPTS) */
  attempts: number;
  /** the delay after the first failed attempt; it doubles after each (PAGE_RETRY_BASE) */
  baseMs: number;
  /** the longest scheduled delay between two attempts (PAGE_RETRY_CAP) */
  capMs: number;
}

export const DEFAULT_PAGE_RETRY: PageRetryPolicy = {
  attempts: 14,
  baseMs: 60_000,
  capMs: 4 * 3600_000,
};

/** A delay is stretched by up to this fraction, so pages that failed together are not retried together. */
export const PAGE_JITTER = 0.2;
/** A host's hold longer than this is read as a day: a typo or a hostile server must not park a page for years. */
export const MAX_HOLD_MS = 24 * 3600_000;
/** Our own waits (a host's slots or spacing) postpone a page at least this long, so it does not spin. */
export const MIN_POSTPONE_MS = 1_000;

/** One failed attempt at a page, as the scrape stage saw it (src/pipeline/owed-pages.ts describes errors). */
export type PageFailure =
  /** the host gate gave no turn: a server's Retry-After (`heldByServer`), or our own slot/spacing limit */
  | { kind: 'host-busy'; waitMs: number; heldByServer: boolean }
  /** an HTTP status other than 2xx/3xx, with the server's Retry-After when it sent one */
  | { kind: 'http'; status: number; retryAfterMs?: number | undefined }
  /** the page is over FETCH_MAX_BYTES */
  | { kind: 'too-large' }
  /** the page is no HTML (a PDF, an image, a download) */
  | { kind: 'not-html' }
  /** cannot succeed however often it is tried: no article text, an address the SSRF guard refuses, a bad URL */
  | { kind: 'permanent' }
  /** anything else: a timeout, a refused connection, robots.txt unreachable, too many redirects */
  | { kind: 'transient' };

/**
 * Why a page is given up. exhausted: every attempt failed; gone: 404 or 410; refused: another
 * 4xx (401, 403, 451, ...; 408 and 429 are retried); not-html and too-large: the page is no
 * article page newswatch can read, and will not become one by waiting; permanent: the error says
 * why it can never succeed; stalled: the worker running it died or hung more often than BullMQ
 * allows (a page that crashes the reader), so BullMQ failed it without an attempt of ours ending.
 */
export const GIVE_UP_REASONS = [
  'exhausted',
  'gone',
  'refused',
  'not-html',
  'too-large',
  'permanent',
  'stalled',
] as const;
export type GiveUpReason = (typeof GIVE_UP_REASONS)[number];

export type PageVerdict =
  /** not an attempt: run again after `delayMs` without using one */
  | { verdict: 'postpone'; delayMs: number }
  /** an attempt used; the queue's backoff (pageRetryDelay) says when the next one runs */
  | { verdict: 'retry' }
  | { verdict: 'give-up'; reason: GiveUpReason };

/** What to do after `attempt` (1 for the first) of `attempts` failed this way. */
export function judgePageFailure(failure: PageFailure, attempt: number, attempts: number): PageVerdict {
  if (failure.kind === 'host-busy' && !failure.heldByServer)
    return { verdict: 'postpone', delayMs: Math.max(MIN_POSTPONE_MS, Math.round(failure.waitMs)) };
  const definitive = definitiveReason(failure);
  if (definitive) return { verdict: 'give-up', reason: definitive };
  return attempt >= attempts ? { verdict: 'give-up', reason: 'exhausted' } : { verdict: 'retry' };
}

function definitiveReason(failure: PageFailure): GiveUpReason | undefined {
  switch (failure.kind) {
    case 'http': {
      const { status } = failure;
      if (status === 404 || status === 410) return 'gone';
      if (status >= 400 && status < 500 && status !== 408 && status !== 429) return 'refused';
      return undefined;
    }
    case 'too-large':
    case 'not-html':
    case 'permanent':
      return failure.kind;
    default:
      return undefined;
  }
}

/** The hold the host asked for with this failure: a 429/503 Retry-After, or the gate's record of one. */
export function hostHoldMs(failure: PageFailure | undefined): number | undefined {
  if (!failure) return undefined;
  if (failure.kind === 'host-busy') return failure.heldByServer ? failure.waitMs : undefined;
  if (failure.kind === 'http' && (failure.status === 429 || failure.status === 503))
    return failure.retryAfterMs;
  return undefined;
}

/**
 * The delay before the next attempt after `attemptsMade` failed ones (1 after the first).
 * `random` is in [0, 1). A host's hold, when longer, wins (up to MAX_HOLD_MS).
 */
export function pageRetryDelay(
  attemptsMade: number,
  policy: Pick<PageRetryPolicy, 'baseMs' | 'capMs'>,
  random: number,
  holdMs?: number,
): number {
  const scheduled = scheduledDelay(attemptsMade, policy);
  const jittered = scheduled * (1 + PAGE_JITTER * random);
  const held = holdMs === undefined ? 0 : Math.min(Math.max(0, holdMs), MAX_HOLD_MS);
  return Math.round(Math.max(jittered, held));
}

/** The delays between the policy's attempts, without jitter: what the README and the tests quote. */
export function pageRetrySchedule(policy: PageRetryPolicy): number[] {
  return Array.from({ length: Math.max(0, policy.attempts - 1) }, (_, i) => scheduledDelay(i + 1, policy));
}

function scheduledDelay(attemptsMade: number, policy: Pick<PageRetryPolicy, 'baseMs' | 'capMs'>): number {
  // 2 ** 60 is past any cap; a larger exponent only risks Infinity.
  const doublings = Math.min(60, Math.max(0, attemptsMade - 1));
  return Math.min(policy.capMs, policy.baseMs * 2 ** doublings);
}
