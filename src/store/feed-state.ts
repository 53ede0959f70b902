// Per-feed polling state in Redis: validators for conditional GET, health, and the error
// backoff that keeps a failing feed from being hammered while the others go on.
import type { Redis } from 'ioredis';
import type { FeedHealth } from '../domain/feed-alerts';

export interface FeedState extends FeedHealth {
  etag?: string | undefined;
  lastModified?: string | undefined;
  itemsSeen: number;
  /** the failing spell (its `failingSince`) whose `feed.failing` alert was already raised */
  failingAlertedFor?: string | undefined;
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
      failingSince: h.failingSince || undefined,
      failingAlertedFor: h.failingAlertedFor || undefined,
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
      // A success ends the failing spell: the next failure starts a new one, with an alert of its own.
      .hdel(key, 'nextPollAt', 'failingSince', 'failingAlertedFor')
      .hincrby(key, 'itemsSeen', v.newItems)
      .exec();
  }

  /**
   * Records a failure and returns the streak and when the feed may be polled again: after the
   * backoff, or after the server's Retry-After (`retryAfterMs`) when that is longer.
   */
  async recordFailure(
    feedId: string,
    now: Date,
    error: string,
    retryAfterMs = 0,
  ): Promise<{ errorStreak: number; nextPollAt: Date }> {
    const key = this.key(feedId);
    const [streakReply] = (await this.redis
      .multi()
      .hincrby(key, 'errorStreak', 1)
      .hsetnx(key, 'failingSince', now.toISOString())
      .exec()) ?? [[null, 1]];
    const streak = Number(streakReply?.[1] ?? 1);
    const nextPollAt = new Date(now.getTime() + Math.max(backoffMs(streak), retryAfterMs));
    await this.redis.hset(key, {
      lastErrorAt: now.toISOString(),
      lastError: error.slice(0, 500),
      nextPollAt: nextPollAt.toISOString(),
    });
    return { errorStreak: streak, nextPollAt };
  }

  /** Notes that the spell starting at `failingSince` has had its alert, so later polls raise none. */
  async markFailingAlerted(feedId: string, failingSince: string): Promise<void> {
    await this.redis.hset(this.key(feedId), 'failingAlertedFor', failingSince);
  }
}
