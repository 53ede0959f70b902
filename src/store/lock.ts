// A mutual-exclusion lock shared by every process on one Redis, for read-then-write sections
// that must not interleave across machines (analysis: match against the base, then write to it).
import type { Redis } from 'ioredis';
import pLimit, { type LimitFunction } from 'p-limit';
import { Mutex, type LostLockError } from 'redis-semaphore';

export interface LockOptions {
  /** how long the lock outlives a holder that died without releasing it */
  ttlMs: number;
  /** how long to wait for the lock before giving up (the caller's job then fails and is retried) */
  acquireTimeoutMs: number;
  /** pause between attempts while another holder has it */
  retryIntervalMs?: number;
  /**
   * Sections of this process waiting when one ends run under the same hold, without releasing
   * and taking the lock again, up to this many in a row; then the lock is released so other
   * processes get their turn. 1: release after every section.
   */
  maxStreak?: number;
  /** ... and for at most this long in a row (ms) */
  maxHoldMs?: number;
}

/**
 * One lock for all analysis, not one per entity: an article touches several entities' indexes at
 * once and the news is skewed (NATO or Kuwait is in most articles here), so per-entity locks would
 * serialise nearly as much, at the price of ordered multi-key locking for a section of milliseconds. The TTL is generous and
 * renewed while the holder runs, so a slow analysis keeps it and a crashed one frees it soon.
 */
export const ANALYZE_LOCK: LockOptions = {
  ttlMs: 30_000,
  acquireTimeoutMs: 60_000,
  retryIntervalMs: 5,
  // Handing the lock from one article to the next in the same process costs nothing; handing it
  // to another process costs its next poll. A streak keeps the hold for a busy process, short
  // enough that another process's analysis waits a fraction of a second, never minutes.
  maxStreak: 16,
  maxHoldMs: 250,
};

export class LockTimeoutError extends Error {
  constructor(name: string, waitedMs: number) {
    super(`lock "${name}" not acquired within ${waitedMs} ms: another process holds it`);
    this.name = 'LockTimeoutError';
  }
}

export class RedisLock {
  private readonly conn: Redis;
  /**
   * Sections of this process queue here first, so only one of them at a time asks Redis: the
   * next one starts the moment the last ends, instead of polling Redis against its own process.
   */
  private readonly local: LimitFunction = pLimit(1);
  /** the hold kept from one local section to the next, while a streak lasts */
  private held: { mutex: Mutex; since: number; sections: number } | undefined;

  /**
   * @param onLost called when a renewal finds the lock gone (Redis lost it, or the process stalled
   *   past the TTL): the section already running is not undone, only reported.
   */
  constructor(
    redis: Redis,
    prefix: string,
    readonly name: string,
    private readonly options: LockOptions,
    private readonly onLost: (err: Error) => void = () => {},
  ) {
    // redis-semaphore names its key `mutex:<name>`; a connection with our key prefix keeps it
    // under the service prefix (`<prefix>mutex:<name>`) with everything else.
    this.conn = redis.duplicate({ keyPrefix: prefix });
    // A Redis outage is logged by the main connection; without a listener ioredis would print it again.
    this.conn.on('error', () => {});
  }

  /** Runs `section` while holding the lock; rejects with LockTimeoutError if it cannot be had in time. */
  run<T>(section: () => Promise<T>): Promise<T> {
    return this.local(() => this.runHeld(section));
  }

  private async runHeld<T>(section: () => Promise<T>): Promise<T> {
    const { maxStreak = 1, maxHoldMs = Number.POSITIVE_INFINITY } = this.options;
    this.held ??= { mutex: await this.acquire(), since: Date.now(), sections: 0 };
    const hold = this.held;
    try {
      return await section();
    } finally {
      hold.sections += 1;
      const keep =
        this.local.pendingCount > 0 && hold.sections < maxStreak && Date.now() - hold.since < maxHoldMs;
      if (!keep) {
        this.held = undefined;
        // Deletes the key only if it still holds this holder's token (a compare-and-delete script).
        await hold.mutex.release();
      }
    }
  }

  private async acquire(): Promise<Mutex> {
    const { ttlMs, acquireTimeoutMs, retryIntervalMs = 25 } = this.options;
    const mutex = new Mutex(this.conn, this.name, {
      lockTimeout: ttlMs,
      acquireTimeout: acquireTimeoutMs,
      retryInterval: retryIntervalMs,
      // Renew at a third of the TTL, so two renewals can be missed before the lock lapses.
      refreshInterval: Math.round(ttlMs / 3),
      onLockLost: (err: LostLockError) => this.onLost(err),
    });
    if (!(await mutex.tryAcquire())) throw new LockTimeoutError(this.name, acquireTimeoutMs);
    return mutex;
  }

  async close(): Promise<void> {
    this.conn.disconnect();
  }
}
