// Wrong operator tokens counted per client address in Redis (rate-limiter-flexible, a fixed window
// from the first failure), shared by every HTTP process. Only failures are counted: a right token
// is let through unless its address is already locked out, so an operator who logs in often is
// never refused for it, and a locked-out address learns nothing, right token or wrong.
import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { redisKeys } from './keys';

export type Attempt =
  | { refused: false; failures: number }
  /** locked out: no token is checked until the window ends */
  | { refused: true; failures: number; retryAfterS: number };

export class LoginFailures {
  private readonly limiter: RateLimiterRedis;

  constructor(
    redis: Redis,
    prefix: string,
    readonly maxFailures: number,
    windowMs: number,
  ) {
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: redisKeys(prefix).loginFailures,
      points: maxFailures,
      duration: Math.max(1, Math.ceil(windowMs / 1000)),
    });
  }

  /**
   * What to do with a token from `address` that was (`right`) or was not the operator's. A wrong
   * one is counted first, atomically, so a burst of parallel guesses gets no more than the limit.
   */
  async attempt(address: string, right: boolean): Promise<Attempt> {
    if (right) {
      const res = await this.limiter.get(address);
      const failures = res?.consumedPoints ?? 0;
      return failures >= this.maxFailures && res
        ? { refused: true, failures, retryAfterS: retryAfterS(res) }
        : { refused: false, failures };
    }
    try {
      const res = await this.limiter.consume(address);
      return { refused: false, failures: res.consumedPoints };
    } catch (err) {
      if (err instanceof RateLimiterRes)
        return { refused: true, failures: err.consumedPoints, retryAfterS: retryAfterS(err) };
      throw err;
    }
  }
}

const retryAfterS = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));
