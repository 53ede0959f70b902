// Per-feed polling state in Redis: validators for conditional GET, health, the error backoff that
// keeps a failing feed from being hammered while the others go on, and what the feed yields (when
// new items came, empty listings, pages without text) for the silent and broken verdicts.
import type { Redis } from 'ioredis';
import type { FeedHealth } from '../domain/feed-alerts';
import { MAX_ARRIVALS } from '../domain/feed-health';
import { redisKeys, type RedisKeys } from './keys';

export interface FeedState extends FeedHealth {
  etag?: string | undefined;
  lastModified?: string | undefined;
  itemsSeen: number;
  /** the failing spell (its `failingSince`) whose `feed.failing` alert was already raised */
  failingAlertedFor?: string | undefined;
  /** the silence (its last arrival) whose `feed.silent` alert was already raised */
  silentAlertedFor?: string | undefined;
  /** the breakage spell (breakageSpell) whose `feed.broken` alert was already raised */
  brokenAlertedFor?: string | undefined;
}

/** What a scraped page of the feed gave: text, or none and why ("needs JavaScript: ..." for a script shell). */
export type PageYield = { text: true } | { text: false; needsJavaScript: boolean; reason: string };

export type AlertMark = 'failingAlertedFor' | 'silentAlertedFor' | 'brokenAlertedFor';

/** Exponential backoff for a failing feed: 1, 2, 4 ... minutes, capped at six hours. */
export function backoffMs(errorStreak: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, errorStreak - 1), 6 * 3600_000);
}

export class FeedStateStore {
  private readonly k: RedisKeys['feedState'];

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.k = redisKeys(prefix).feedState;
  }

  private key(feedId: string) {
    return this.k.state(feedId);
  }

  /** first-seen times of new items, newest first, trimmed to MAX_ARRIVALS */
  private arrivalsKey(feedId: string) {
    return this.k.arrivals(feedId);
  }

  async get(feedId: string): Promise<FeedState> {
    const [[, hash], [, list]] = ((await this.redis
      .multi()
      .hgetall(this.key(feedId))
      .lrange(this.arrivalsKey(feedId), 0, MAX_ARRIVALS - 1)
      .exec()) ?? [
      [null, {}],
      [null, []],
    ]) as [[unknown, Record<string, string>], [unknown, string[]]];
    const h = hash ?? {};
    const count = (v: string | undefined) => (v ? Number(v) : undefined);
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
      arrivals: list ?? [],
      listedAt: h.listedAt || undefined,
      emptyPolls: count(h.emptyPolls),
      emptySince: h.emptySince || undefined,
      textlessPages: count(h.textlessPages),
      textlessSince: h.textlessSince || undefined,
      scriptPages: count(h.scriptPages),
      lastTextlessPage: h.lastTextlessPage || undefined,
      lastTextlessReason: h.lastTextlessReason || undefined,
      silentAlertedFor: h.silentAlertedFor || undefined,
      brokenAlertedFor: h.brokenAlertedFor || undefined,
    };
  }

  /**
   * A poll that worked. `listed` is how many items its document listed (absent when unknown, as
   * for a 304 after a document that listed some): none starts or lengthens an empty spell, some end
   * it. New items are an arrival, the feed's cadence.
   */
  async recordSuccess(
    feedId: string,
    now: Date,
    v: { etag?: string | undefined; lastModified?: string | undefined; newItems: number; listed?: number },
  ): Promise<void> {
    const key = this.key(feedId);
    const tx = this.redis.multi();
    if (v.newItems > 0)
      tx.lpush(this.arrivalsKey(feedId), now.toISOString()).ltrim(
        this.arrivalsKey(feedId),
        0,
        MAX_ARRIVALS - 1,
      );
    if (v.listed !== undefined && v.listed > 0)
      tx.hset(key, 'listedAt', now.toISOString()).hdel(key, 'emptyPolls', 'emptySince');
    else if (v.listed === 0) tx.hincrby(key, 'emptyPolls', 1).hsetnx(key, 'emptySince', now.toISOString());
    await tx
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
    await this.markAlerted(feedId, 'failingAlertedFor', failingSince);
  }

  /** Notes that the spell named `spell` has had the alert `mark` is for. */
  async markAlerted(feedId: string, mark: AlertMark, spell: string): Promise<void> {
    await this.redis.hset(this.key(feedId), mark, spell);
  }

  /**
   * What one of the feed's pages gave. A page with text ends the run of pages without; one
   * without lengthens it, and a page that is no script shell ends the run of those that were.
   */
  async recordPage(feedId: string, now: Date, url: string, page: PageYield): Promise<void> {
    const key = this.key(feedId);
    if (page.text) {
      await this.redis.hdel(
        key,
        'textlessPages',
        'textlessSince',
        'scriptPages',
        'lastTextlessPage',
        'lastTextlessReason',
      );
      return;
    }
    const tx = this.redis
      .multi()
      .hincrby(key, 'textlessPages', 1)
      .hsetnx(key, 'textlessSince', now.toISOString())
      .hset(key, { lastTextlessPage: url.slice(0, 2000), lastTextlessReason: page.reason.slice(0, 500) });
    if (page.needsJavaScript) tx.hincrby(key, 'scriptPages', 1);
    else tx.hset(key, 'scriptPages', 0);
    await tx.exec();
  }
}
