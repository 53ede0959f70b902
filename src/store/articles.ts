// Seen items and stored articles. An item is new only if none of its keys (guid, canonical
// URL) was seen before, decided atomically by SADD so two pollers cannot both take it. A scraped
// article claims its identities (canonical URL, content fingerprint) for its id, so a copy reached
// another way is recognised as the article that holds them. For updates: each feed item's last
// version stamp (expiring, so the state is bounded by what the feeds listed lately), each article's
// version, and what the analyses of its versions left (PriorAnalysis).
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { PriorAnalysis } from '../domain/plan';
import type { ArticleInput } from '../domain/types';
import { redisKeys, type RedisKeys } from './keys';
import { storeScripts, type StoreScripts } from './scripts';

export const hashKey = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 24);

const DAY = 24 * 3600;
/**
 * An item's version stamp lives this long after the last poll that listed it: an item gone from
 * its feed for a month is forgotten (its article is not), and one listed again after that is
 * recognised by the seen set and takes its stamp again without being read.
 */
export const ITEM_VERSION_TTL_SECONDS = 30 * DAY;
/** What an article's analyses left is kept this long after the last one, past any item stamp. */
export const PRIOR_ANALYSIS_TTL_SECONDS = 90 * DAY;

export class ArticleStore {
  private readonly k: RedisKeys['articles'];
  private readonly scripts: StoreScripts;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.k = redisKeys(prefix).articles;
    this.scripts = storeScripts(redis);
  }

  /** True when none of an item's keys was seen; marks nothing (the poll stage marks after queueing). */
  async unseen(keys: string[]): Promise<boolean> {
    const members = [...new Set(keys)].map(hashKey);
    const flags = await this.redis.smismember(this.k.seen, ...members);
    return flags.every((f) => f === 0);
  }

  /** The item's last version stamp, or null when none is known; changes nothing. */
  async itemStamp(itemKey: string): Promise<string | null> {
    return this.redis.get(this.k.itemVersion(hashKey(itemKey)));
  }

  /** Marks an item's keys seen; true when none was seen before. */
  async markSeen(keys: string[]): Promise<boolean> {
    const members = [...new Set(keys)].map(hashKey);
    const added = await this.redis.sadd(this.k.seen, ...members);
    return added === members.length;
  }

  /**
   * Claims every key for `articleId` at once, unless another article holds one of them: then that
   * article's id is returned and the unclaimed keys point to it too. Claiming again for the same id
   * succeeds, so a scrape job that runs twice keeps its article.
   */
  async claim(articleId: string, keys: string[]): Promise<string | undefined> {
    // claim.lua: one script, so two scrapers of two copies cannot both find every key free.
    const claims = [...new Set(keys)].map((k) => this.k.claim(hashKey(k)));
    const owner = await this.scripts.claim(claims, articleId);
    return owner === articleId || owner === null ? undefined : owner;
  }

  /**
   * Records `stamp` as the item's version and returns the one it replaces (null when none is
   * known), in one SET ... GET so two polls cannot both see the old one. Every call renews the TTL.
   */
  async stampItem(itemKey: string, stamp: string): Promise<string | null> {
    return this.redis.set(this.k.itemVersion(hashKey(itemKey)), stamp, 'EX', ITEM_VERSION_TTL_SECONDS, 'GET');
  }

  /**
   * Stores `article` as the version after `expected` (0: none stored yet), unless another scrape
   * stored a version meanwhile: then false, and the caller reads the article again.
   */
  async saveVersion(article: ArticleInput, expected: number): Promise<boolean> {
    // save-version.lua: compare-and-set on the stored version.
    return this.scripts.saveVersion(this.k.article(article.id), expected, JSON.stringify(article));
  }

  /** What the analyses of the article's versions so far left; undefined before the first. */
  async priorAnalysis(articleId: string): Promise<PriorAnalysis | undefined> {
    const raw = await this.redis.get(this.k.analysis(articleId));
    return raw ? (JSON.parse(raw) as PriorAnalysis) : undefined;
  }

  /** Kept once the analysis's alerts are queued, never before: a crash in between raises them again. */
  async savePriorAnalysis(articleId: string, prior: PriorAnalysis): Promise<void> {
    await this.redis.set(this.k.analysis(articleId), JSON.stringify(prior), 'EX', PRIOR_ANALYSIS_TTL_SECONDS);
  }

  async save(article: ArticleInput): Promise<void> {
    await this.redis.set(this.k.article(article.id), JSON.stringify(article));
  }

  async get(id: string): Promise<ArticleInput | undefined> {
    const raw = await this.redis.get(this.k.article(id));
    return raw ? (JSON.parse(raw) as ArticleInput) : undefined;
  }
}
