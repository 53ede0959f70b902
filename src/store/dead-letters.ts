// Deliveries that ran out of attempts or failed for good, kept in Redis until re-driven: what
// was owed (alert or digest, subscriber, channel), why it failed, and how often it was tried.
import type { Redis } from 'ioredis';
import type { DeliverJob } from '../queue/queues';

export interface DeadLetter {
  /** the delivery job's id: the same (alert, subscriber, channel) always has the same one */
  id: string;
  job: DeliverJob;
  /** the alerts the message carried (one, or a digest's) */
  alertIds: string[];
  /** exhausted: the last attempt failed; permanent: the receiver refused it; gone: HTTP 410, endpoint disabled; disabled: the endpoint was already disabled */
  reason: 'exhausted' | 'permanent' | 'gone' | 'disabled' | 'unconfigured';
  error: string;
  status?: number | undefined;
  attempts: number;
  at: string;
}

export class DeadLetterStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private get hash() {
    return `${this.prefix}dead-letters`;
  }

  private get byTime() {
    return `${this.prefix}dead-letters:by-time`;
  }

  /** Idempotent: the same delivery dead-lettered again replaces its entry. */
  async add(letter: DeadLetter): Promise<void> {
    await this.redis
      .multi()
      .hset(this.hash, letter.id, JSON.stringify(letter))
      .zadd(this.byTime, Date.parse(letter.at), letter.id)
      .exec();
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    const raw = await this.redis.hget(this.hash, id);
    return raw ? (JSON.parse(raw) as DeadLetter) : undefined;
  }

  /** Newest first. */
  async list(opts: { limit?: number; offset?: number } = {}): Promise<DeadLetter[]> {
    const offset = opts.offset ?? 0;
    const ids = await this.redis.zrevrange(this.byTime, offset, offset + (opts.limit ?? 100) - 1);
    if (ids.length === 0) return [];
    const raw = await this.redis.hmget(this.hash, ...ids);
    return raw.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as DeadLetter);
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
