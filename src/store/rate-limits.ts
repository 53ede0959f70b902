// A per-endpoint rate limit shared by every process through Redis (rate-limiter-flexible's
// fixed windows), so many deliver workers together stay under what one receiver accepts.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { redisKeys, type RedisKeys } from './keys';

export class EndpointRateLimiter {
  private readonly limiters = new Map<number, RateLimiterRedis>();
  private readonly keys: RedisKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = redisKeys(prefix);
  }

  /** Milliseconds to wait before sending to `url`; 0 when a request may go now (and is counted). */
  async wait(url: string, perSecond: number): Promise<number> {
    const key = createHash('sha1').update(url).digest('hex').slice(0, 20);
    try {
      await this.limiter(perSecond).consume(key);
      return 0;
    } catch (err) {
      if (err instanceof RateLimiterRes) return Math.max(1, err.msBeforeNext);
      throw err;
    }
  }

  /** Whole points per whole seconds: 0.5/s becomes 1 per 2 s. */
  private limiter(perSecond: number): RateLimiterRedis {
    let limiter = this.limiters.get(perSecond);
    if (!limiter) {
      const slow = perSecond < 1;
      limiter = new RateLimiterRedis({
        storeClient: this.redis,
        keyPrefix: this.keys.rateLimit(perSecond),
        points: slow ? 1 : Math.floor(perSecond),
        duration: slow ? Math.ceil(1 / perSecond) : 1,
      });
      this.limiters.set(perSecond, limiter);
    }
    return limiter;
  }
}
