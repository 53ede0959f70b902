// Article pages given up, kept in Redis until re-driven: which item of which feed was owed, why
// it was given up, how often it was tried and the last error. Modelled on the delivery dead
// letters (src/store/dead-letters.ts): without this list, a page given up would be lost unseen.
import type { Redis } from 'ioredis';
import type { GiveUpReason } from '../domain/page-retry';
import type { ScrapeJob } from '../queue/queues';

export interface GivenUpPage {
  /** the scrape job's id: the same page link always has the same one */
  id: string;
  /** what re-driving puts back on the scrape queue */
  job: ScrapeJob;
  url: string;
  feedId: string;
  reason: GiveUpReason;
  /** the last attempt's error, naming the URL */
  error: string;
  /** the HTTP status of the last attempt, when it had one */
  status?: number | undefined;
  attempts: number;
  at: string;
}

export class GivenUpPageStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private get hash() {
    return `${this.prefix}given-up-pages`;
  }

  private get byTime() {
    return `${this.prefix}given-up-pages:by-time`;
  }

  /** Idempotent: the same page given up again replaces its entry. */
  async add(page: GivenUpPage): Promise<void> {
    await this.redis
      .multi()
      .hset(this.hash, page.id, JSON.stringify(page))
      .zadd(this.byTime, Date.parse(page.at), page.id)
      .exec();
  }

  async get(id: string): Promise<GivenUpPage | undefined> {
    const raw = await this.redis.hget(this.hash, id);
    return raw ? (JSON.parse(raw) as GivenUpPage) : undefined;
  }

  /** Newest first. */
  async list(opts: { limit?: number; offset?: number } = {}): Promise<GivenUpPage[]> {
    const offset = opts.offset ?? 0;
    const ids = await this.redis.zrevrange(this.byTime, offset, offset + (opts.limit ?? 100) - 1);
    if (ids.length === 0) return [];
    const raw = await this.redis.hmget(this.hash, ...ids);
    return raw.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as GivenUpPage);
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
