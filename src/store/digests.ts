// Digest buffers: alerts wait here for their subscriber's next period. Closing a period moves
// the buffer into a batch named by the period, atomically and once, so any number of schedulers
// closing the same period agree on one batch, and a re-run sends the same one.
import type { Redis } from 'ioredis';
import { redisKeys, type RedisKeys } from './keys';
import { storeScripts, type StoreScripts } from './scripts';

const BATCH_TTL_SECONDS = 30 * 24 * 3600; // long enough to re-drive a dead-lettered digest

export class DigestStore {
  private readonly k: RedisKeys['digests'];
  private readonly scripts: StoreScripts;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.k = redisKeys(prefix).digests;
    this.scripts = storeScripts(redis);
  }

  /** Buffers an alert for the subscriber's next digest; adding it twice keeps one. */
  async add(subscriberId: string, alertId: string, createdAt: string): Promise<void> {
    await this.redis.zadd(this.k.buffer(subscriberId), 'NX', String(Date.parse(createdAt)), alertId);
  }

  async pending(subscriberId: string): Promise<string[]> {
    return this.redis.zrange(this.k.buffer(subscriberId), '0', '-1');
  }

  /** Closes the period: the buffered alert ids, oldest first, now the period's batch. */
  async close(subscriberId: string, period: string): Promise<string[]> {
    // close-digest.lua: renames the buffer only when the batch does not exist yet, so the period closes once.
    return this.scripts.closeDigest(
      { buffer: this.k.buffer(subscriberId), batch: this.k.batch(subscriberId, period) },
      BATCH_TTL_SECONDS,
    );
  }

  async batch(subscriberId: string, period: string): Promise<string[]> {
    return this.redis.zrange(this.k.batch(subscriberId, period), '0', '-1');
  }

  /** When the subscriber's previous period closed, for the `from` of the next digest. */
  async lastClosed(subscriberId: string): Promise<string | undefined> {
    return (await this.redis.get(this.k.lastClosed(subscriberId))) ?? undefined;
  }

  async setLastClosed(subscriberId: string, at: string): Promise<void> {
    await this.redis.set(this.k.lastClosed(subscriberId), at);
  }
}
