// Per-feed polling state in Redis: validators for conditional GET, health, and the error
// backoff that keeps a failing feed from being hammered while the others go on.
import type { Redis } from 'ioredis';

export interface FeedState {
  etag?: string | undefined;
  lastModified?: string | undefined;
  lastSuccessAt?: string | undefined;
  lastErrorAt?: string | undefined;
  lastError?: string | undefined;
  errorStreak: number;
  itemsSeen: number;
  /** while a feed fails, polls before this time are skipped */
  nextPollAt?: string | undefined;
}

/** Exponential backoff for a failing feed: 1, 2, 4 ... minutes, capped at six hours. */
export function backoffMs(errorStreak: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, errorStreak - 1), 6 * 3600_000);
}

export class FeedStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key(feedId: string) {
    return `${this.prefix}feed:${feedId}`;
  }

  async get(feedId: string): Promise<FeedState> {
    const h = await this.redis.hgetall(this.key(feedId));
    return {
      etag: h.etag || undefined,
      lastModified: h.lastModified || undefined,
      lastSuccessAt: h.lastSuccessAt || undefined,
      lastErrorAt: h.lastErrorAt || undefined,
      lastError: h.lastError || undefined,
      errorStreak: Number(h.errorStreak ?? 0),
      itemsSeen: Number(h.itemsSeen ?? 0),
      nextPollAt: h.nextPollAt || undefined,
    };
  }

  async recordSuccess(
    feedId: string,
    now: Date,
    v: { etag?: string | undefined; lastModified?: string | undefined; newItems: number },
  ): Promise<void> {
    const key = this.key(feedId);
    await this.redis
      .multi()
      .hset(key, {
        lastSuccessAt: now.toISOString(),
        errorStreak: 0,
        etag: v.etag ?? '',
        lastModified: v.lastModified ?? '',
      })
      .hdel(key, 'nextPollAt')
      .hincrby(key, 'itemsSeen', v.newItems)
      .exec();
  }

  /** Records a failure and returns the streak and when the feed may be polled again. */
  async recordFailure(
    feedId: string,
    now: Date,
    error: string,
  ): Promise<{ errorStreak: number; nextPollAt: Date }> {
    const key = this.key(feedId);
    const streak = await this.redis.hincrby(key, 'errorStreak', 1);
    const nextPollAt = new Date(now.getTime() + backoffMs(streak));
    await this.redis.hset(key, {
      lastErrorAt: now.toISOString(),
      lastError: error.slice(0, 500),
      nextPollAt: nextPollAt.toISOString(),
    });
    return { errorStreak: streak, nextPollAt };
  }
}
