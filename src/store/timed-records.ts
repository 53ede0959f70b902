// Records kept in Redis until an operator acts on them, newest first: a hash of JSON records by id
// and a sorted set of their ids by time. Delivery dead letters and given-up pages are both kept so.
import type { Redis } from 'ioredis';
import type { RedisKeys } from './keys';

export class TimedRecords<T extends { id: string; at: string }> {
  private readonly hash: string;
  private readonly byTime: string;

  /** `keys.records`, a hash of the records, and `keys.byTime`, their order (src/store/keys.ts). */
  constructor(
    private readonly redis: Redis,
    keys: RedisKeys['deadLetters'] | RedisKeys['givenUpPages'],
  ) {
    this.hash = keys.records;
    this.byTime = keys.byTime;
  }

  /** Idempotent: a record added again under its id replaces the earlier one. */
  async add(record: T): Promise<void> {
    await this.redis
      .multi()
      .hset(this.hash, record.id, JSON.stringify(record))
      .zadd(this.byTime, Date.parse(record.at), record.id)
      .exec();
  }

  async get(id: string): Promise<T | undefined> {
    const raw = await this.redis.hget(this.hash, id);
    return raw ? (JSON.parse(raw) as T) : undefined;
  }

  /** Newest first. */
  async list(opts: { limit?: number; offset?: number } = {}): Promise<T[]> {
    const offset = opts.offset ?? 0;
    const ids = await this.redis.zrevrange(this.byTime, offset, offset + (opts.limit ?? 100) - 1);
    if (ids.length === 0) return [];
    const raw = await this.redis.hmget(this.hash, ...ids);
    return raw.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as T);
  }

  async count(): Promise<number> {
    return this.redis.zcard(this.byTime);
  }

  /** True when it was there. */
  async remove(id: string): Promise<boolean> {
    const [[, removed] = []] =
      (await this.redis.multi().hdel(this.hash, id).zrem(this.byTime, id).exec()) ?? [];
    return removed === 1;
  }
}
