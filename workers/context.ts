// Wiring: builds every dependency the roles share (connection, queues, stores, analyzer,
// feeds, subscribers) from the configuration. Tests and the demo pass overrides.
import type { Redis } from 'ioredis';
import { loadAnalyzer, loadSubscribers } from '../src/config/data-files';
import { loadEventsFile, storeDeclared } from '../src/config/events-file';
import type { Config } from '../src/config/env';
import type { Subscriber } from '../src/domain/alerts';
import type { Analyzer } from '../src/domain/analyzer';
import { loadFeedsFile, type FeedDefinition } from '../src/feeds/load';
import { FeedRegistry } from '../src/feeds/registry';
import { fetchResource } from '../src/ingest/fetch';
import { politeFetcher } from '../src/ingest/polite-fetch';
import type { Logger } from '../src/log';
import type { PageFetcher } from '../src/pipeline/poll';
import { createQueues, type Queues } from '../src/queue/bull';
import { AlertStore } from '../src/store/alerts';
import { ArticleStore } from '../src/store/articles';
import { RedisEventBase } from '../src/store/event-base';
import { FeedStateStore } from '../src/store/feed-state';
import { GivenUpPageStore } from '../src/store/given-up-pages';
import { HostGate } from '../src/store/host-gate';
import { ANALYZE_LOCK, RedisLock } from '../src/store/lock';
import { FeedStore } from '../src/store/feeds';
import { WatchStore } from '../src/store/watches';
import { connectRedis } from '../src/store/redis';
import { closePinnedAgents, type LookupAll } from '../src/ingest/ssrf';
import { MetricsRecorder } from '../src/metrics';
import { RobotsCache } from '../src/store/robots-cache';
import { createDeliveryServices, type DeliveryServices } from './delivery';

export interface Context {
  config: Config;
  log: Logger;
  redis: Redis;
  queues: Queues;
  analyzer: Analyzer;
  /** feeds.yml's and those managed at run time, not removed; a live view of `feedRegistry` */
  readonly feeds: FeedDefinition[];
  /** every feed, kept current across processes once watched (workers/service.ts watches it) */
  feedRegistry: FeedRegistry;
  feedStore: FeedStore;
  /** counters behind /metrics, kept in Redis so every process's counts add up */
  metrics: MetricsRecorder;
  subscribers: Subscriber[];
  fetch: PageFetcher;
  stores: {
    feeds: FeedStateStore;
    articles: ArticleStore;
    events: RedisEventBase;
    alerts: AlertStore;
    /** article pages given up, until re-driven (src/pipeline/owed-pages.ts) */
    givenUp: GivenUpPageStore;
    /** subscribers' watches: entities and words that raise article.match (src/domain/watch.ts) */
    watches: WatchStore;
  };
  /** held across processes while an article is matched against the base and written to it */
  analyzeLock: RedisLock;
  /** channels, subscriber and channel state, dead letters, digests, rate limit (workers/delivery.ts) */
  delivery: DeliveryServices;
  now: () => Date;
  close(): Promise<void>;
}

export interface ContextOverrides {
  feeds?: FeedDefinition[];
  subscribers?: Subscriber[];
  now?: () => Date;
  /** name resolution for every fetch (feeds, pages); tests give several site names to loopback */
  lookup?: LookupAll;
}

export async function createContext(
  config: Config,
  log: Logger,
  overrides: ContextOverrides = {},
): Promise<Context> {
  const [analyzer, feeds] = await Promise.all([
    loadAnalyzer(config.entitiesFile, config.lexiconFile, config.modelFile),
    overrides.feeds ?? loadFeedsFile(config.feedsFile),
  ]);
  // After the gazetteer: a filter naming an entity it does not know is a config error, not a silent miss.
  const subscribers =
    overrides.subscribers ??
    (await loadSubscribers(config.subscribersFile, {
      has: (id) => analyzer.gazetteer.get(id) !== undefined,
    }));
  const now = overrides.now ?? (() => new Date());
  // Validated before connecting, so a bad events.yml stops the start like a bad feeds.yml.
  const declared = await loadEventsFile(config.eventsFile, config.lexiconFile, analyzer, now());
  const redis = connectRedis(config.redisUrl);
  redis.on('error', (err) => log.warn({ err: err.message }, 'redis connection error'));
  // The stores' connection, apart from BullMQ's: it pipelines what a turn of the event loop asks.
  const storeRedis = connectRedis(config.redisUrl, { autoPipelining: true });
  storeRedis.on('error', () => {}); // the same outage is logged once, by the connection above
  const queues = createQueues(redis, config.prefix, config.delivery, config.pageRetry);
  const plainFetch: PageFetcher = (url, opts = {}) =>
    fetchResource(url, {
      timeoutMs: config.fetchTimeoutMs,
      maxBytes: config.fetchMaxBytes,
      userAgent: config.userAgent,
      allowPrivate: config.fetchAllowPrivate,
      lookup: overrides.lookup,
      ...(opts.etag ? { etag: opts.etag } : {}),
      ...(opts.lastModified ? { lastModified: opts.lastModified } : {}),
      ...(opts.accept ? { accept: opts.accept } : {}),
    });
  // Every fetch takes its turn per host across all processes; a lease outlives the fetch deadline.
  const gate = new HostGate(storeRedis, config.prefix, {
    ...config.hosts,
    leaseMs: config.fetchTimeoutMs + 5_000,
  });
  const fetch = politeFetcher({
    gate,
    robots: new RobotsCache(storeRedis, config.prefix),
    fetch: plainFetch,
  });
  const stores = {
    feeds: new FeedStateStore(storeRedis, config.prefix),
    articles: new ArticleStore(storeRedis, config.prefix),
    events: new RedisEventBase(storeRedis, config.prefix),
    alerts: new AlertStore(storeRedis, config.prefix),
    givenUp: new GivenUpPageStore(storeRedis, config.prefix),
    watches: new WatchStore(storeRedis, config.prefix),
  };
  if (declared) {
    const created = await storeDeclared(stores.events, declared);
    log.info({ file: config.eventsFile, created }, 'declared events and expectations loaded');
  } else {
    log.warn({ file: config.eventsFile }, 'no events file: no declared events or expectations');
  }
  const feedStore = new FeedStore(redis, config.prefix);
  const feedRegistry = new FeedRegistry(feeds, feedStore, (err) =>
    log.warn({ err: err.message }, 'could not reload the feeds'),
  );
  await feedRegistry.refresh();
  const analyzeLock = new RedisLock(redis, config.prefix, 'analyze', ANALYZE_LOCK, (err) =>
    log.error(
      { err: err.message },
      'analyze lock lost while analysing; another process may have run at once',
    ),
  );
  const delivery = createDeliveryServices(config, storeRedis, redis, log, {
    subscribers: () => subscribers,
    regionsOf: (feedId) => feedRegistry.get(feedId)?.region ?? [],
    names: {
      entity: (id, lang) => analyzer.gazetteer.get(id)?.names[lang]?.[0],
      feed: (id) => feedRegistry.get(id)?.name,
    },
  });
  const metrics = new MetricsRecorder(storeRedis, config.prefix, (err) =>
    log.warn({ err: err.message }, 'metrics not recorded yet; kept for the next write'),
  );
  return {
    config,
    log,
    redis,
    queues,
    analyzer,
    get feeds() {
      return feedRegistry.active();
    },
    feedRegistry,
    feedStore,
    metrics,
    subscribers,
    fetch,
    stores,
    analyzeLock,
    delivery,
    now,
    async close() {
      delivery.close();
      await Promise.all(Object.values(queues).map((q) => q.close()));
      await analyzeLock.close();
      // What the last jobs counted, before the connection goes.
      await metrics.close();
      await closePinnedAgents();
      storeRedis.disconnect();
      redis.disconnect();
    },
  };
}
