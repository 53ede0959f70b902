// Watches (src/domain/watch.ts) in Redis: one hash, `<prefix>watches`, id → the watch as JSON. A
// resource of their own, keyed to a subscriber id (of subscribers.yml or one added at run time), so
// a subscriber can hold many and a watch outlives a restart. Every analysis reads the whole hash
// once: watches are queries an operator types, tens or hundreds, not a data set.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Watch } from '../domain/watch';
import { redisKeys } from './keys';

export class WatchStore {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.key = redisKeys(prefix).watches;
  }

  /** Every watch, oldest first. */
  async list(): Promise<Watch[]> {
    const all = await this.redis.hvals(this.key);
    return all
      .map((r) => JSON.parse(r) as Watch)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<Watch | undefined> {
    const raw = await this.redis.hget(this.key, id);
    return raw ? (JSON.parse(raw) as Watch) : undefined;
  }

  /** Adds or replaces; the caller validates first (src/watches/admin.ts). */
  async put(watch: Watch): Promise<void> {
    await this.redis.hset(this.key, watch.id, JSON.stringify(watch));
  }

  async remove(id: string): Promise<boolean> {
    return (await this.redis.hdel(this.key, id)) === 1;
  }
}

/** A new watch id: `wt_` and 12 random base32 letters. */
export function newWatchId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  return `wt_${[...randomBytes(12)].map((b) => alphabet[b % 32]).join('')}`;
}
