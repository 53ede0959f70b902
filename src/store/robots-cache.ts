// robots.txt entries per origin in Redis, shared by every worker, with a short lock so that one
// worker fetches a site's robots.txt while the others wait for its answer.
import type { Redis } from 'ioredis';
import type { CachedRobots } from '../ingest/robots';
import { redisKeys, type RedisKeys } from './keys';

export class RobotsCache {
  private readonly k: RedisKeys['robots'];

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.k = redisKeys(prefix).robots;
  }

  private key(origin: string) {
    return this.k.entry(origin);
  }

  async get(origin: string): Promise<CachedRobots | undefined> {
    const raw = await this.redis.get(this.key(origin));
    return raw ? (JSON.parse(raw) as CachedRobots) : undefined;
  }

  /** Kept `keepMs` in Redis, which may outlive freshness: a stale copy still stands in for an unreachable file. */
  async set(origin: string, cached: CachedRobots, keepMs: number): Promise<void> {
    await this.redis.set(this.key(origin), JSON.stringify(cached), 'PX', Math.max(1, Math.round(keepMs)));
  }

  /** true when this caller is the one to fetch; the lock lapses by itself if the fetcher dies. */
  async lock(origin: string, ms: number): Promise<boolean> {
    return (await this.redis.set(this.k.lock(origin), '1', 'PX', ms, 'NX')) === 'OK';
  }

  async unlock(origin: string): Promise<void> {
    await this.redis.del(this.k.lock(origin));
  }
}
