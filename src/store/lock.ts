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
}

/**
 * One lock for all analysis, not one per entity: the parties of an article are known only after
 * extraction, and an article touches several entities' indexes at once, so finer locks would
 * need ordered multi-key locking for a section that takes milliseconds. The TTL is generous and
 * renewed while the holder runs, so a slow analysis keeps it and a crashed one frees it soon.
 */
export const ANALYZE_LOCK: LockOptions = { ttlMs: 30_000, acquireTimeoutMs: 60_000, retryIntervalMs: 5 };

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
    try {
      return await section();
    } finally {
      // Deletes the key only if it still holds this holder's token (a compare-and-delete script).
      await mutex.release();
    }
  }

  async close(): Promise<void> {
    this.conn.disconnect();
  }
}
