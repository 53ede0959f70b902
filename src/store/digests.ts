// Digest buffers: alerts wait here for their subscriber's next period. Closing a period moves
// the buffer into a batch named by the period, atomically and once, so any number of schedulers
// closing the same period agree on one batch, and a re-run sends the same one.
import type { Redis } from 'ioredis';

const BATCH_TTL_SECONDS = 30 * 24 * 3600; // long enough to re-drive a dead-lettered digest

// KEYS: buffer, batch. Renames only when the batch does not exist yet: the period closes once.
const CLOSE = `
if redis.call('EXISTS', KEYS[2]) == 0 and redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('RENAME', KEYS[1], KEYS[2])
  redis.call('EXPIRE', KEYS[2], ARGV[1])
end
return redis.call('ZRANGE', KEYS[2], 0, -1)
`;

export class DigestStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private buffer(subscriberId: string) {
    return `${this.prefix}digest:${subscriberId}:buffer`;
  }

  private batchKey(subscriberId: string, period: string) {
    return `${this.prefix}digest:${subscriberId}:batch:${period}`;
  }

  /** Buffers an alert for the subscriber's next digest; adding it twice keeps one. */
  async add(subscriberId: string, alertId: string, createdAt: string): Promise<void> {
    await this.redis.zadd(this.buffer(subscriberId), 'NX', String(Date.parse(createdAt)), alertId);
  }

  async pending(subscriberId: string): Promise<string[]> {
    return this.redis.zrange(this.buffer(subscriberId), '0', '-1');
  }

  /** Closes the period: the buffered alert ids, oldest first, now the period's batch. */
  async close(subscriberId: string, period: string): Promise<string[]> {
    return (await this.redis.eval(
      CLOSE,
      2,
      this.buffer(subscriberId),
      this.batchKey(subscriberId, period),
      String(BATCH_TTL_SECONDS),
    )) as string[];
  }

  async batch(subscriberId: string, period: string): Promise<string[]> {
    return this.redis.zrange(this.batchKey(subscriberId, period), '0', '-1');
  }

  /** When the subscriber's previous period closed, for the `from` of the next digest. */
  async lastClosed(subscriberId: string): Promise<string | undefined> {
    return (await this.redis.get(`${this.prefix}digest:${subscriberId}:last-closed`)) ?? undefined;
  }

  async setLastClosed(subscriberId: string, at: string): Promise<void> {
    await this.redis.set(`${this.prefix}digest:${subscriberId}:last-closed`, at);
  }
}
