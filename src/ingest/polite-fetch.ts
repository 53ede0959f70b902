// Fetching as a polite crawler, around the one HTTP client: every request waits for its turn at
// the host gate; a 429/503 with Retry-After holds the host for every worker and is waited out when
// short; article pages are checked against the site's robots.txt first. Feeds are not: an
// operator who declares a feed has chosen to poll it.
import { setTimeout as sleep } from 'node:timers/promises';
import { NewswatchError, PermanentError } from '../errors';
import { HostBusyError, type HostGate } from '../store/host-gate';
import type { RobotsCache } from '../store/robots-cache';
import { HttpStatusError, type FetchedResource } from './fetch';
import { AddressRefusedError } from './ssrf';
import {
  DEFAULT_ROBOTS_TIMING,
  nextCachedRobots,
  robotsEntryFrom,
  robotsUrlFor,
  robotsVerdict,
  ROBOTS_TOKEN,
  type CachedRobots,
  type RobotsFetchOutcome,
  type RobotsTiming,
} from './robots';

export interface FetchRequest {
  etag?: string | undefined;
  lastModified?: string | undefined;
  accept?: string;
  /** check robots.txt first: article pages do, declared feeds do not */
  robots?: boolean;
}

export type Fetcher = (url: string, req?: FetchRequest) => Promise<FetchedResource>;

export interface PoliteFetchDeps {
  gate: HostGate;
  robots: RobotsCache;
  /** the plain client with the service's limits and User-Agent (fetchResource) */
  fetch: Fetcher;
  robotsToken?: string;
  robotsTiming?: RobotsTiming;
  now?: () => number;
}

/** The page is off limits to newswatch: skip it, never retry it. */
export class RobotsDisallowedError extends PermanentError {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super('NW_ROBOTS_DISALLOWED', `${url}: not fetched: ${reason}`);
    this.name = 'RobotsDisallowedError';
  }
}

/** robots.txt could not be read, which RFC 9309 treats as "disallow all" for now: retry later. */
export class RobotsUnavailableError extends NewswatchError {
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super('NW_ROBOTS_UNAVAILABLE', `${url}: not fetched yet: ${reason}`);
    this.name = 'RobotsUnavailableError';
  }
}

/** A server that keeps answering 429 with a short Retry-After gets this many tries per fetch. */
const MAX_TRIES = 3;
const ROBOTS_POLL_MS = 100;

/** A longer Retry-After is read as a day: a typo or a hostile server must not shut a host out for years. */
export const MAX_RETRY_AFTER_MS = 24 * 3600_000;

/** How long the server asked us to stay away, when the failure says so. */
export function retryAfterMs(err: unknown): number | undefined {
  if (err instanceof HttpStatusError && err.retryAfterSeconds !== undefined) {
    return Math.min(err.retryAfterSeconds * 1000, MAX_RETRY_AFTER_MS);
  }
  if (err instanceof HostBusyError && err.heldByServer) return err.waitMs;
  return undefined;
}

export function politeFetcher(deps: PoliteFetchDeps): Fetcher {
  const now = deps.now ?? Date.now;
  const timing = deps.robotsTiming ?? DEFAULT_ROBOTS_TIMING;
  const token = deps.robotsToken ?? ROBOTS_TOKEN;
  const { gate } = deps;
  // The robots.txt fetcher may wait its turn at the gate and then for the response.
  const robotsLockMs = gate.options.maxWaitMs + gate.options.leaseMs;
  const loading = new Map<string, Promise<CachedRobots>>();

  async function gated(url: string, req: FetchRequest): Promise<FetchedResource> {
    const { robots: _robots, ...plain } = req;
    for (let tries = 1; ; tries++) {
      // After a Retry-After the next turn is at least that far off; allow for the time it took to get here.
      const lease = await gate.acquire(url, tries > 1 ? { maxWaitMs: gate.options.maxWaitMs + 1000 } : {});
      try {
        return await deps.fetch(url, plain);
      } catch (err) {
        const waitMs = serverWait(err);
        if (waitMs === undefined) throw err;
        await gate.holdOff(url, waitMs);
        // Too long to hold a worker: the error names the URL and the wait, and the job is retried later.
        if (waitMs > gate.options.maxWaitMs || tries >= MAX_TRIES) throw err;
      } finally {
        await lease.release();
      }
    }
  }

  async function fetchRobots(
    origin: string,
    pageUrl: string,
    previous?: CachedRobots,
  ): Promise<CachedRobots> {
    const robotsUrl = robotsUrlFor(pageUrl);
    let outcome: RobotsFetchOutcome;
    try {
      const res = await gated(robotsUrl, { accept: 'text/plain' });
      outcome = { status: res.status, body: res.body };
    } catch (err) {
      // Our own wait limit says nothing about the site; the page's job is retried.
      if (err instanceof HostBusyError) throw err;
      // robots.txt shares the page's origin: where it may not be fetched, neither may the page,
      // and waiting for the site to answer would only retry a refusal.
      if (err instanceof AddressRefusedError && err.target === robotsUrl) throw err;
      if (err instanceof HttpStatusError) outcome = { status: err.status, body: Buffer.alloc(0) };
      else outcome = { error: withoutUrl((err as Error).message, robotsUrl) };
    }
    const at = now();
    const next = nextCachedRobots(previous, robotsEntryFrom(outcome, at), at, timing);
    const keepMs =
      next.entry.kind === 'unreachable' ? next.freshUntil - at : next.entry.fetchedAt + timing.staleMs - at;
    await deps.robots.set(origin, next, keepMs);
    return next;
  }

  async function loadRobots(origin: string, pageUrl: string): Promise<CachedRobots> {
    for (;;) {
      const cached = await deps.robots.get(origin);
      if (cached && cached.freshUntil > now()) return cached;
      if (await deps.robots.lock(origin, robotsLockMs)) {
        try {
          return await fetchRobots(origin, pageUrl, cached);
        } finally {
          await deps.robots.unlock(origin);
        }
      }
      // Another worker is fetching it; its answer lands in the cache (or its lock lapses).
      await sleep(ROBOTS_POLL_MS);
    }
  }

  function robotsFor(pageUrl: string): Promise<CachedRobots> {
    const origin = new URL(pageUrl).origin;
    let pending = loading.get(origin);
    if (!pending) {
      pending = loadRobots(origin, pageUrl).finally(() => loading.delete(origin));
      loading.set(origin, pending);
    }
    return pending;
  }

  return async (url, req = {}) => {
    if (req.robots) {
      const { entry } = await robotsFor(url);
      const verdict = robotsVerdict(entry, url, token);
      if (verdict.verdict === 'disallowed') throw new RobotsDisallowedError(url, verdict.reason);
      if (verdict.verdict === 'unavailable') throw new RobotsUnavailableError(url, verdict.reason);
    }
    return gated(url, req);
  };
}

/** Only these two statuses ask a client to come back later (RFC 9110 §10.2.3, RFC 6585 §4). */
function serverWait(err: unknown): number | undefined {
  if (!(err instanceof HttpStatusError) || (err.status !== 429 && err.status !== 503)) return undefined;
  return retryAfterMs(err);
}

function withoutUrl(message: string, url: string): string {
  return message.startsWith(`${url}: `) ? message.slice(url.length + 2) : message;
}
