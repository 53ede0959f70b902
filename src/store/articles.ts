// Seen items and stored articles. An item is new only if none of its keys (guid, canonical
// URL) was seen before, decided atomically by SADD so two pollers cannot both take it.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ArticleInput } from '../domain/types';

export const hashKey = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 24);

export class ArticleStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Marks an item's keys seen; true when none was seen before. */
  async markSeen(keys: string[]): Promise<boolean> {
    const members = [...new Set(keys)].map(hashKey);
    const added = await this.redis.sadd(`${this.prefix}seen`, ...members);
    return added === members.length;
  }

  async save(article: ArticleInput): Promise<void> {
    await this.redis.set(`${this.prefix}article:${article.id}`, JSON.stringify(article));
  }

  async get(id: string): Promise<ArticleInput | undefined> {
    const raw = await this.redis.get(`${this.prefix}article:${id}`);
    return raw ? (JSON.parse(raw) as ArticleInput) : undefined;
  }
}
