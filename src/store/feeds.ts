// Feeds managed at run time, in Redis: those added through the API or the CLI, and operator
// changes (pause, schedule, removal) to feeds.yml's. Every change bumps a version and is
// published, so schedulers and workers in every process pick it up without a restart.
import type { Redis } from 'ioredis';
import type { StoredFeed } from '../feeds/runtime';
import { redisKeys, type RedisKeys } from './keys';

export class FeedStore {
  private readonly k: RedisKeys['feeds'];

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.k = redisKeys(prefix).feeds;
  }

  private get hash() {
    return this.k.managed;
  }

  private get versionKey() {
    return this.k.version;
  }

  /** The pub/sub channel a change is announced on (its message is the new version). */
  get channel(): string {
    return this.k.changed;
  }

  async all(): Promise<StoredFeed[]> {
    const raw = await this.redis.hvals(this.hash);
    return raw.map((r) => JSON.parse(r) as StoredFeed).sort((a, b) => a.id.localeCompare(b.id));
  }

  async get(id: string): Promise<StoredFeed | undefined> {
    const raw = await this.redis.hget(this.hash, id);
    return raw ? (JSON.parse(raw) as StoredFeed) : undefined;
  }

  /** Stores a record under a new id; false, and nothing written, when the id is taken (two adds racing). */
  async create(record: StoredFeed): Promise<boolean> {
    const created = (await this.redis.hsetnx(this.hash, record.id, JSON.stringify(record))) === 1;
    if (created) await this.announce();
    return created;
  }

  /** Adds or replaces a record. */
  async put(record: StoredFeed): Promise<void> {
    await this.redis.hset(this.hash, record.id, JSON.stringify(record));
    await this.announce();
  }

  /** Changes since start are detected by this number, should a published message be missed. */
  async version(): Promise<number> {
    return Number((await this.redis.get(this.versionKey)) ?? 0);
  }

  private async announce(): Promise<void> {
    const version = await this.redis.incr(this.versionKey);
    await this.redis.publish(this.channel, String(version));
  }

  /**
   * Calls `onChange` after every announced change, on a connection of its own (a subscribed
   * connection can do nothing else). Returns the function that stops listening.
   */
  async subscribe(onChange: () => void, onError: (err: Error) => void): Promise<() => Promise<void>> {
    const sub = this.redis.duplicate();
    sub.on('error', onError);
    sub.on('message', (channel: string) => {
      if (channel === this.channel) onChange();
    });
    await sub.subscribe(this.channel);
    return async () => {
      sub.disconnect();
    };
  }
}
