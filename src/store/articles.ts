// Seen items and stored articles. An item is new only if none of its keys (guid, canonical
// URL) was seen before, decided atomically by SADD so two pollers cannot both take it. A scraped
// article claims its identities (canonical URL, content fingerprint) for its id, so a copy reached
// another way is recognised as the article that holds them.
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

  /**
   * Claims every key for `articleId` at once, unless another article holds one of them: then that
   * article's id is returned and the unclaimed keys point to it too. Claiming again for the same id
   * succeeds, so a scrape job that runs twice keeps its article.
   */
  async claim(articleId: string, keys: string[]): Promise<string | undefined> {
    const redisKeys = [...new Set(keys)].map((k) => `${this.prefix}claim:${hashKey(k)}`);
    const owner = (await this.redis.eval(CLAIM, redisKeys.length, ...redisKeys, articleId)) as string | null;
    return owner === articleId || owner === null ? undefined : owner;
  }

  async save(article: ArticleInput): Promise<void> {
    await this.redis.set(`${this.prefix}article:${article.id}`, JSON.stringify(article));
  }

  async get(id: string): Promise<ArticleInput | undefined> {
    const raw = await this.redis.get(`${this.prefix}article:${id}`);
    return raw ? (JSON.parse(raw) as ArticleInput) : undefined;
  }
}

/** One script, so two scrapers of two copies cannot both find every key free. */
const CLAIM = `
local owner = ARGV[1]
for _, key in ipairs(KEYS) do
  local held = redis.call('GET', key)
  if held and held ~= ARGV[1] then owner = held break end
end
for _, key in ipairs(KEYS) do redis.call('SET', key, owner, 'NX') end
return owner`;
