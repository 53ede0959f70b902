// Every Redis key the service writes, in one place, built from the key prefix (NEWSWATCH_PREFIX):
// what each holds, its type and how long it lives. The stores read their keys from here and
// nowhere else (test/unit/redis-keys.test.ts fails on a key template anywhere else), so a key is
// named once and the layout of a deployed Redis can be read off this file. The names are what
// deployed data is stored under: changing one loses that data (the same test pins every name).
// BullMQ's own queue keys are BullMQ's: it names them under `<prefix>bull` (bullPrefix in
// src/queue/bull.ts, kept there so the queue folder needs nothing from this one). Libraries that
// name their keys under a prefix we give (rate-limiter-flexible, redis-semaphore) are listed with
// the names they make.

/** Every key name of the service under `prefix`, grouped by the store that owns them. */
export function redisKeys(prefix: string) {
  return {
    /** SCAN MATCH pattern for every key under the prefix, BullMQ's too (tests and the demo delete them). */
    all: `${prefix}*`,

    /** src/store/articles.ts */
    articles: {
      /** set: sha256 (24 hex) of every feed item key (guid, canonical URL) ever queued. No TTL. */
      seen: `${prefix}seen`,
      /** string: a feed item's last version stamp, by the item key's hash. TTL 30 days, renewed each poll. */
      itemVersion: (itemKeyHash: string) => `${prefix}itemver:${itemKeyHash}`,
      /** string: the article id holding an identity (canonical URL, fingerprint), by its hash. No TTL. */
      claim: (keyHash: string) => `${prefix}claim:${keyHash}`,
      /** string: the stored article as JSON (ArticleInput, with its version). No TTL. */
      article: (articleId: string) => `${prefix}article:${articleId}`,
      /** string: what the analyses of an article's versions left (PriorAnalysis JSON). TTL 90 days. */
      analysis: (articleId: string) => `${prefix}analysis:${articleId}`,
    },

    /** src/store/event-base.ts */
    events: {
      /** string: an event as JSON, without its sources. No TTL. */
      event: (eventId: string) => `${prefix}event:${eventId}`,
      /** hash: article id -> source JSON, the reports of an event. No TTL. */
      sources: (eventId: string) => `${prefix}event:${eventId}:sources`,
      /** set: ids of the expectations an event fulfilled. No TTL. */
      fulfilledBy: (eventId: string) => `${prefix}event:${eventId}:fulfilled`,
      /** sorted set: an entity's events, scored by start day number. No TTL. */
      eventsOf: (entity: string) => `${prefix}idx:events:${entity}`,
      /** sorted set: every event by start day number (operators' lists). No TTL. */
      allEvents: `${prefix}idx:all-events`,
      /** string: an expectation as JSON, in any state. No TTL. */
      expectation: (expectationId: string) => `${prefix}expectation:${expectationId}`,
      /** string: the close gate (SET NX): who closed the expectation (event id or reason). No TTL. */
      closeGate: (expectationId: string) => `${prefix}expectation:${expectationId}:closed`,
      /** sorted set: an entity's open expectations, scored by the due window's last day. No TTL. */
      openOf: (entity: string) => `${prefix}idx:open-expectations:${entity}`,
      /** sorted set: every open expectation by the due window's last day. No TTL. */
      openByDue: `${prefix}idx:open-expectations`,
      /** sorted set: every expectation, any state, by the due window's last day. No TTL. */
      allExpectations: `${prefix}idx:all-expectations`,
      /** hash: term -> how many read articles hold it (text similarity's document frequency). No TTL. */
      termDf: `${prefix}terms:df`,
      /** string (counter): how many articles' terms were counted. No TTL. */
      termDocs: `${prefix}terms:docs`,
      /** string: the mark that an article's terms were counted (a re-run counts nothing). TTL 7 days. */
      termsCounted: (articleId: string) => `${prefix}terms:counted:${articleId}`,
    },

    /** src/store/alerts.ts */
    alerts: {
      /** string: an alert as JSON, written once (SET NX). No TTL. */
      alert: (alertId: string) => `${prefix}alert:${alertId}`,
      /** sorted set: alert ids by creation time (ms). No TTL. */
      recent: `${prefix}alerts`,
      /** string: the attempt that delivered a message (alert or digest id) to one channel (SET NX). No TTL. */
      delivered: (messageKey: string, subscriberId: string, channel: string) =>
        `${prefix}delivered:${messageKey}:${subscriberId}:${channel}`,
      /** list: every delivery attempt of an alert as JSON, oldest first. No TTL. */
      deliveries: (alertId: string) => `${prefix}deliveries:${alertId}`,
    },

    /** src/store/digests.ts */
    digests: {
      /** sorted set: alert ids waiting for the subscriber's next digest, by creation time. No TTL. */
      buffer: (subscriberId: string) => `${prefix}digest:${subscriberId}:buffer`,
      /** sorted set: the alert ids of one closed period (the buffer renamed). TTL 30 days. */
      batch: (subscriberId: string, period: string) => `${prefix}digest:${subscriberId}:batch:${period}`,
      /** string: when the subscriber's previous period closed (ISO time). No TTL. */
      lastClosed: (subscriberId: string) => `${prefix}digest:${subscriberId}:last-closed`,
    },

    /** src/store/subscribers.ts */
    subscribers: {
      /** hash: subscriber id -> subscriber JSON, those added at run time. No TTL. */
      runtime: `${prefix}subscribers`,
      /** hash: subscriber id -> PauseState JSON, subscribers an operator paused. No TTL. */
      paused: `${prefix}subscribers:paused`,
      /** hash: `<subscriber>:<channel>` -> DisabledChannel JSON (HTTP 410, an operator). No TTL. */
      disabledChannels: `${prefix}channels:disabled`,
      /** hash: `<subscriber>:<channel>` -> when its recipient unsubscribed (ISO time). No TTL. */
      unsubscribedChannels: `${prefix}channels:unsubscribed`,
      /** list: ConsentRecord JSON of the subscriber's channels subscribed again, oldest first. No TTL. */
      consents: (subscriberId: string) => `${prefix}channels:consents:${subscriberId}`,
    },

    /** src/store/feed-state.ts */
    feedState: {
      /** hash: a feed's polling state (validators, health, backoff, yields). No TTL. */
      state: (feedId: string) => `${prefix}feed:${feedId}`,
      /** list: first-seen times of a feed's new items, newest first, trimmed to MAX_ARRIVALS. No TTL. */
      arrivals: (feedId: string) => `${prefix}feed:${feedId}:arrivals`,
    },

    /** src/store/feeds.ts */
    feeds: {
      /** hash: feed id -> StoredFeed JSON, feeds added or changed at run time. No TTL. */
      managed: `${prefix}feeds:managed`,
      /** string (counter): bumped by every change to the managed feeds. No TTL. */
      version: `${prefix}feeds:version`,
      /** pub/sub channel, not a key: a change is announced on it (the message is the new version). */
      changed: `${prefix}feeds:changed`,
    },

    /**
     * src/store/host-gate.ts: one host's politeness state. The `{host}` hash tag keeps both keys
     * of a host in one Redis Cluster slot, as the scripts that take them together need.
     */
    hosts: {
      /** sorted set: request tokens in flight to the host, scored by when their lease lapses. PTTL ≥ lease. */
      leases: (host: string) => `${prefix}host:{${host}}:leases`,
      /** hash: `next` (earliest next start) and `notBefore` (Retry-After), ms. PTTL ≥ the wait + 60 s. */
      state: (host: string) => `${prefix}host:{${host}}:state`,
    },

    /** src/store/robots-cache.ts */
    robots: {
      /** string: an origin's robots.txt entry (CachedRobots JSON). PX the time it may stand in. */
      entry: (origin: string) => `${prefix}robots:${origin}`,
      /** string: held by the one worker fetching an origin's robots.txt. PX a short lock time. */
      lock: (origin: string) => `${prefix}robots:${origin}:lock`,
    },

    /** src/store/dead-letters.ts (src/store/timed-records.ts) */
    deadLetters: {
      /** hash: delivery job id -> DeadLetter JSON, kept until re-driven. No TTL. */
      records: `${prefix}dead-letters`,
      /** sorted set: the dead letters' ids by when they failed (ms). No TTL. */
      byTime: `${prefix}dead-letters:by-time`,
    },

    /** src/store/given-up-pages.ts (src/store/timed-records.ts) */
    givenUpPages: {
      /** hash: scrape job id -> GivenUpPage JSON, kept until re-driven. No TTL. */
      records: `${prefix}given-up-pages`,
      /** sorted set: the given-up pages' ids by when they were given up (ms). No TTL. */
      byTime: `${prefix}given-up-pages:by-time`,
    },

    /** src/store/watches.ts: hash, watch id -> Watch JSON. No TTL. */
    watches: `${prefix}watches`,

    /** src/metrics.ts: hash, series field -> count or sum, shared by every process. No TTL. */
    metrics: `${prefix}metrics`,

    /** src/store/sessions.ts: string, the operator-token binding of a session, by the id's sha256 (base64url). PX the session lifetime. */
    session: (idHash: string) => `${prefix}session:${idHash}`,

    /**
     * src/store/login-failures.ts: rate-limiter-flexible's key prefix; it keeps wrong-token counts
     * as `<this>:<client address>` (string, PX the window).
     */
    loginFailures: `${prefix}login-failures`,

    /**
     * src/store/rate-limits.ts: rate-limiter-flexible's key prefix for one rate; it keeps a window's
     * count as `<this>:<sha1 of the endpoint URL, 20 hex>` (string, PX the window).
     */
    rateLimit: (perSecond: number) => `${prefix}ratelimit:${perSecond}`,

    /**
     * src/store/lock.ts: the key redis-semaphore names `mutex:<name>` for a lock, kept under the
     * prefix by a connection whose ioredis keyPrefix is the prefix. String: the holder's token,
     * PX the lock TTL, renewed while held.
     */
    mutex: (name: string) => `${prefix}mutex:${name}`,
  } as const;
}

export type RedisKeys = ReturnType<typeof redisKeys>;
