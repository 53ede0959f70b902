// robots.txt rules of RFC 9309 as pure functions: what a fetch of robots.txt tells about a site,
// how long that holds, and whether a page may be fetched. The parsing is robots-parser's.
import robotsParser from 'robots-parser';
import { LRUCache } from 'lru-cache';

/** The product token newswatch answers to in `User-agent:` lines (the User-Agent's first word). */
export const ROBOTS_TOKEN = 'newswatch';

/** RFC 9309 §2.5: a crawler must read at least the first 500 KiB; what follows is ignored. */
export const ROBOTS_MAX_BYTES = 500 * 1024;

export type RobotsEntry =
  /** a 2xx: the rules in the file */
  | { kind: 'rules'; body: string; fetchedAt: number }
  /** a 4xx (§2.3.1.3): no rules, everything allowed */
  | { kind: 'allow-all'; status: number; fetchedAt: number }
  /** a 5xx, 429 or no answer (§2.3.1.4): everything disallowed until it can be read */
  | { kind: 'unreachable'; reason: string; fetchedAt: number };

/** An entry and until when it may be used without asking the site again. */
export interface CachedRobots {
  entry: RobotsEntry;
  freshUntil: number;
}

export interface RobotsTiming {
  /** §2.4: a copy should not be used for more than 24 hours */
  freshMs: number;
  /** how soon an unreachable robots.txt is asked for again */
  retryMs: number;
  /** how long a good copy stands in for an unreachable file (§2.3.1.4 allows a cached copy) */
  staleMs: number;
}

export const DEFAULT_ROBOTS_TIMING: RobotsTiming = {
  freshMs: 24 * 3600_000,
  retryMs: 10 * 60_000,
  staleMs: 30 * 24 * 3600_000,
};

export type RobotsFetchOutcome = { status: number; body: Buffer } | { error: string };

export type RobotsVerdict =
  | { verdict: 'allowed' }
  | { verdict: 'disallowed'; reason: string }
  | { verdict: 'unavailable'; reason: string };

export function robotsUrlFor(pageUrl: string): string {
  return new URL('/robots.txt', pageUrl).href;
}

/**
 * What one fetch of robots.txt means. Google treats 429 like a 5xx, and so do we: a site that
 * asks us to slow down has not said "no rules".
 */
export function robotsEntryFrom(outcome: RobotsFetchOutcome, now: number): RobotsEntry {
  if ('error' in outcome) return { kind: 'unreachable', reason: outcome.error, fetchedAt: now };
  const { status, body } = outcome;
  if (status >= 200 && status < 300) {
    // §2.2.2: robots.txt is UTF-8.
    return { kind: 'rules', body: body.subarray(0, ROBOTS_MAX_BYTES).toString('utf8'), fetchedAt: now };
  }
  if (status >= 400 && status < 500 && status !== 429) return { kind: 'allow-all', status, fetchedAt: now };
  return { kind: 'unreachable', reason: `HTTP ${status}`, fetchedAt: now };
}

/** The entry to keep after a fetch: an unreachable file leaves a recent good copy in force. */
export function nextCachedRobots(
  previous: CachedRobots | undefined,
  fetched: RobotsEntry,
  now: number,
  timing: RobotsTiming = DEFAULT_ROBOTS_TIMING,
): CachedRobots {
  if (fetched.kind !== 'unreachable') return { entry: fetched, freshUntil: now + timing.freshMs };
  const fallback = previous?.entry;
  if (fallback && fallback.kind !== 'unreachable' && now - fallback.fetchedAt < timing.staleMs) {
    return { entry: fallback, freshUntil: now + timing.retryMs };
  }
  return { entry: fetched, freshUntil: now + timing.retryMs };
}

export function robotsVerdict(
  entry: RobotsEntry,
  pageUrl: string,
  token: string = ROBOTS_TOKEN,
): RobotsVerdict {
  const robotsUrl = robotsUrlFor(pageUrl);
  if (entry.kind === 'allow-all') return { verdict: 'allowed' };
  if (entry.kind === 'unreachable') {
    return {
      verdict: 'unavailable',
      reason: `${robotsUrl} could not be read (${entry.reason}); its pages wait until it can`,
    };
  }
  const robots = parsedRobots(robotsUrl, entry);
  // undefined: the page is on another origin, which this file does not govern.
  if (robots.isAllowed(pageUrl, token) !== false) return { verdict: 'allowed' };
  const line = robots.getMatchingLineNumber(pageUrl, token);
  const { pathname, search } = new URL(pageUrl);
  return {
    verdict: 'disallowed',
    reason: `${robotsUrl} line ${line} disallows ${readable(pathname + search)} for ${token}`,
  };
}

/** A site's robots.txt parsed once per fetch of it, not once per page checked against it. */
const parsedFiles = new LRUCache<string, ReturnType<typeof robotsParser>>({ max: 512 });
function parsedRobots(robotsUrl: string, entry: RobotsEntry & { kind: 'rules' }) {
  const key = `${robotsUrl} ${entry.fetchedAt} ${entry.body.length}`;
  let robots = parsedFiles.get(key);
  if (!robots) {
    robots = robotsParser(robotsUrl, entry.body);
    parsedFiles.set(key, robots);
  }
  return robots;
}

/** Arabic paths read as Arabic in the reason, not as percent escapes. */
function readable(path: string): string {
  try {
    return decodeURI(path);
  } catch {
    return path;
  }
}
