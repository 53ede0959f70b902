// Wiring: builds every dependency the roles share (connection, queues, stores, analyzer,
// feeds, subscribers) from the configuration. Tests and the demo pass overrides.
import type { Redis } from 'ioredis';
import { loadAnalyzer, loadSubscribers } from '../src/config/data-files';
import type { Config } from '../src/config/env';
import type { Subscriber } from '../src/domain/alerts';
import type { Analyzer } from '../src/domain/analyzer';
import { loadFeedsFile, type FeedDefinition } from '../src/feeds/load';
import { fetchResource } from '../src/ingest/fetch';
import type { Logger } from '../src/log';
import type { PageFetcher } from '../src/pipeline/poll';
import { createQueues, type Queues } from '../src/queue/bull';
import { AlertStore } from '../src/store/alerts';
import { ArticleStore } from '../src/store/articles';
import { RedisEventBase } from '../src/store/event-base';
import { FeedStateStore } from '../src/store/feed-state';
import { connectRedis } from '../src/store/redis';

export interface Context {
  config: Config;
  log: Logger;
  redis: Redis;
  queues: Queues;
  analyzer: Analyzer;
  feeds: FeedDefinition[];
  subscribers: Subscriber[];
  fetch: PageFetcher;
  stores: { feeds: FeedStateStore; articles: ArticleStore; events: RedisEventBase; alerts: AlertStore };
  now: () => Date;
  close(): Promise<void>;
}

export interface ContextOverrides {
  feeds?: FeedDefinition[];
  subscribers?: Subscriber[];
  now?: () => Date;
}

export async function createContext(
  config: Config,
  log: Logger,
  overrides: ContextOverrides = {},
): Promise<Context> {
  const [analyzer, feeds, subscribers] = await Promise.all([
    loadAnalyzer(config.entitiesFile, config.lexiconFile),
    overrides.feeds ?? loadFeedsFile(config.feedsFile),
    overrides.subscribers ?? loadSubscribers(config.subscribersFile),
  ]);
  const redis = connectRedis(config.redisUrl);
  redis.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  const queues = createQueues(redis, config.prefix, config.delivery);
  const fetch: PageFetcher = (url, opts = {}) =>
    fetchResource(url, {
      timeoutMs: config.fetchTimeoutMs,
      maxBytes: config.fetchMaxBytes,
      userAgent: config.userAgent,
      ...(opts.etag ? { etag: opts.etag } : {}),
      ...(opts.lastModified ? { lastModified: opts.lastModified } : {}),
      ...(opts.accept ? { accept: opts.accept } : {}),
    });
  return {
    config,
    log,
    redis,
    queues,
    analyzer,
    feeds,
    subscribers,
    fetch,
    stores: {
      feeds: new FeedStateStore(redis, config.prefix),
      articles: new ArticleStore(redis, config.prefix),
      events: new RedisEventBase(redis, config.prefix),
      alerts: new AlertStore(redis, config.prefix),
    },
    now: overrides.now ?? (() => new Date()),
    async close() {
      await Promise.all(Object.values(queues).map((q) => q.close()));
      redis.disconnect();
    },
  };
}
