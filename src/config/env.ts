// Service configuration: read from the environment once at start, validated, with every
// default in this one module. README's configuration table lists the same variables.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { NewswatchError } from '../errors';
import ipaddr from 'ipaddr.js';
import { DEFAULT_PAGE_RETRY, type PageRetryPolicy } from '../domain/page-retry';
import { DEFAULT_CONTACT_URL, userAgentFor } from '../ingest/fetch';
import { parseAllowList } from '../ingest/ssrf';

/** `6h`, `30m`, `90s`: a span of time, read by durationMs; must be more than nothing. */
function duration(fallback: string) {
  return z
    .string()
    .default(fallback)
    .transform((value, ctx) => {
      const ms = durationMs(value);
      if (ms === undefined || ms <= 0)
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(value)} is not a duration like 12h, 15m, 90s or 500ms`,
        });
      return ms ?? 0;
    });
}

/** fastify's trustProxy: false, true (every hop), a number of hops, or the proxies' addresses. */
export type TrustProxy = boolean | number | string[];

const PROXY_ADDRESS_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: empty or `false` (the default: the peer is the client), `true`, a hop count, or
 * comma-separated addresses and ranges (`127.0.0.1,10.0.0.0/8`, or proxy-addr's `loopback`,
 * `linklocal`, `uniquelocal`). A message when the value is none of these.
 */
export function parseTrustProxy(value: string): TrustProxy | string {
  const v = value.trim();
  if (v === '' || v === 'false') return false;
  if (v === 'true') return true;
  if (/^\d+$/.test(v)) return Number(v);
  const entries = v.split(',').map((e) => e.trim());
  const bad = entries.find(
    (e) => !PROXY_ADDRESS_NAMES.has(e) && !ipaddr.isValid(e) && !ipaddr.isValidCIDR(e),
  );
  if (bad !== undefined)
    return `${JSON.stringify(bad)} is not an address, a range like 10.0.0.0/8, loopback, true, false or a number of hops`;
  return entries;
}

const envSchema = z.object({
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  // The archive (src/archive): a PostgreSQL server, or PGlite embedded in ARCHIVE_DIR when unset
  // (empty counts as unset). A secret: messages show it through redactDatabaseUrl, never whole.
  DATABASE_URL: z.preprocess(
    (v) => (v === '' ? undefined : v),
    z
      .string()
      .regex(
        /^postgres(?:ql)?:\/\/[^\s]+$/,
        'a postgres:// or postgresql:// URL, e.g. postgres://newswatch@127.0.0.1:5432/newswatch',
      )
      .optional(),
  ),
  ARCHIVE_DIR: z.string().min(1, 'must not be empty').default('data/archive'),
  // How long an article's text is kept after it was read; `forever` keeps it.
  ARCHIVE_TEXT_RETENTION: z
    .string()
    .default('365d')
    .transform((value, ctx) => {
      if (value.trim() === 'forever') return undefined;
      const ms = durationMs(value);
      if (ms === undefined || ms <= 0)
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(value)} is not a duration like 365d or 90d, or forever`,
        });
      return ms ?? 0;
    }),
  NEWSWATCH_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:-]+$/, 'letters, digits, _ - and : only')
    .default('nw:'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  OPERATOR_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  METRICS_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  // Operator sessions and the limit on wrong tokens (src/http/auth.ts); README "Security".
  SESSION_TTL: duration('12h'),
  LOGIN_MAX_FAILURES: z.coerce.number().int().positive().default(10),
  LOGIN_FAILURE_WINDOW: duration('15m'),
  // Behind a reverse proxy: whose X-Forwarded-For, -Proto and -Host to believe (fastify's trustProxy).
  TRUST_PROXY: z
    .string()
    .default('')
    .transform((value, ctx) => {
      const trust = parseTrustProxy(value);
      if (typeof trust === 'string') ctx.addIssue({ code: 'custom', message: trust });
      return typeof trust === 'string' ? false : trust;
    }),
  FEEDS_FILE: z.string().default('feeds.yml'),
  SUBSCRIBERS_FILE: z.string().default('subscribers.yml'),
  EVENTS_FILE: z.string().default('events.yml'),
  ENTITIES_FILE: z.string().default('data/entities.yml'),
  LEXICON_FILE: z.string().default('data/lexicon.yml'),
  CONTACT_URL: z.string().url().default(DEFAULT_CONTACT_URL),
  FETCH_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  HOST_CONCURRENCY: z.coerce.number().int().positive().default(2),
  HOST_MIN_DELAY_MS: z.coerce.number().int().nonnegative().default(1_000),
  HOST_MAX_WAIT_MS: z.coerce.number().int().positive().default(60_000),
  FETCH_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 1024 * 1024),
  // Empty by default: only public addresses are fetched (feeds, their links, redirects, webhooks).
  // Entries: 10.0.0.7, 10.0.0.0/8, ::1/128 (every port), or with the one port they open:
  // 10.0.0.7:8080, 10.0.0.0/8:8080, [::1]:8080. A bad entry is named in the error.
  FETCH_ALLOW_PRIVATE: z
    .string()
    .default('')
    .transform((value, ctx) => {
      try {
        return parseAllowList(value);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
        return [];
      }
    }),
  FEED_MAX_ITEMS: z.coerce.number().int().positive().default(200),
  // Probabilities a link needs; unset, the thresholds fitted with the model (data/match-model.json).
  MATCH_SAME_EVENT: z.coerce.number().min(0).max(1).optional(),
  MATCH_FULFILS: z.coerce.number().min(0).max(1).optional(),
  MATCH_MODEL_FILE: z.string().default('data/match-model.json'),
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(4),
  // Backpressure: scraping pauses while this many articles wait for analysis (0: never pauses).
  SCRAPE_BACKLOG_LIMIT: z.coerce.number().int().nonnegative().default(100),
  // How long a job's lock lasts without renewal, and how often workers look for jobs whose lock
  // lapsed (a crashed process): BullMQ moves those back to waiting. Short values suit tests only.
  WORKER_LOCK_MS: z.coerce.number().int().positive().default(30_000),
  WORKER_STALLED_INTERVAL_MS: z.coerce.number().int().positive().default(30_000),
  // How long `start` waits for running jobs and connections on SIGTERM before it exits 1 anyway.
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(30_000),
  // Article pages: attempts in all, and the delay doubling from BASE up to CAP (src/domain/page-retry.ts).
  PAGE_RETRY_ATTEMPTS: z.coerce.number().int().positive().default(DEFAULT_PAGE_RETRY.attempts),
  PAGE_RETRY_BASE: duration('1m'),
  PAGE_RETRY_CAP: duration('4h'),
  DELIVERY_ATTEMPTS: z.coerce.number().int().positive().default(8),
  DELIVERY_BACKOFF_MS: z.coerce.number().int().positive().default(5_000),
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  WEBHOOK_RATE_LIMIT: z.coerce.number().positive().default(10),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/[^\s]+$/, 'an smtp:// or smtps:// URL, e.g. smtp://127.0.0.1:1025')
    .optional(),
  MAIL_FROM: z.string().min(3).default('newswatch <newswatch@localhost>'),
  UNSUBSCRIBE_SECRET: z.string().min(16, 'at least 16 characters').optional(),
  PUBLIC_URL: z.string().url().optional(),
  SWEEP_SCHEDULE: z.string().default('*/10 * * * *'),
  OVERDUE_GRACE_DAYS: z.coerce.number().int().nonnegative().default(2),
  // 0 turns the window off: every article's alerts are raised, whatever its age.
  ALERT_RECENCY: z
    .string()
    .default('3d')
    .transform((value, ctx) => {
      const ms = value.trim() === '0' ? 0 : durationMs(value);
      if (ms === undefined)
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(value)} is not a duration like 3d, 12h or 90m (0: no window)`,
        });
      return ms ?? 0;
    }),
  FEED_FAILING_AFTER: z
    .string()
    .default('6h')
    .transform((value, ctx) => {
      const ms = durationMs(value);
      if (ms === undefined)
        ctx.addIssue({
          code: 'custom',
          message: `${JSON.stringify(value)} is not a duration like 6h, 30m, 90s or 500ms`,
        });
      return ms ?? 0;
    }),
});

export interface Config {
  redisUrl: string;
  /** the record (src/archive): a PostgreSQL server at databaseUrl (a secret), else PGlite in dir */
  archive: { databaseUrl?: string | undefined; dir: string; textRetentionMs?: number | undefined };
  prefix: string;
  host: string;
  port: number;
  /** generated at start when OPERATOR_TOKEN is unset; see `operatorTokenGenerated` */
  operatorToken: string;
  operatorTokenGenerated: boolean;
  /** accepted on /metrics besides the operator token, so Prometheus need not hold the operator's */
  metricsToken?: string | undefined;
  /** a browser session lasts this long from login, whatever is done in it (SESSION_TTL) */
  sessionTtlMs: number;
  /** wrong operator tokens an address may present per window before it is refused with 429 */
  loginLimit: { maxFailures: number; windowMs: number };
  /** which proxies' X-Forwarded-* headers to believe (TRUST_PROXY); false: none */
  trustProxy: TrustProxy;
  feedsFile: string;
  subscribersFile: string;
  /** operator-declared events and expectations, written into the event base at start */
  eventsFile: string;
  entitiesFile: string;
  lexiconFile: string;
  /** `newswatch/<version> (+<contact url>)`, sent with every fetch */
  userAgent: string;
  contactUrl: string;
  fetchTimeoutMs: number;
  fetchMaxBytes: number;
  /** address ranges, each on one port or every port, fetched although not public (FETCH_ALLOW_PRIVATE); the SSRF guard refuses the rest */
  fetchAllowPrivate: string[];
  /** the newest items of a feed considered per poll, so one huge feed cannot flood the queues */
  feedMaxItems: number;
  /** politeness per host, across every process: requests in flight, spacing, and the longest wait for a turn */
  hosts: { concurrency: number; minDelayMs: number; maxWaitMs: number };
  /** probabilities a link needs (MATCH_SAME_EVENT, MATCH_FULFILS); the model's own when unset */
  thresholds: {
    sameEvent?: number | undefined;
    fulfils?: number | undefined;
    related: number;
    sameEventMaxDays: number;
  };
  /** the fitted matching model (data/match-model.json) */
  modelFile: string;
  workerConcurrency: number;
  /** analyze jobs waiting at which this process stops taking scrape jobs (0: never) */
  scrapeBacklogLimit: number;
  /** BullMQ job lock (renewed at half) and stalled-job check interval (WORKER_LOCK_MS, WORKER_STALLED_INTERVAL_MS) */
  workerLock: { lockMs: number; stalledIntervalMs: number };
  shutdownTimeoutMs: number;
  /** article pages: attempts, and retries doubling from baseMs to capMs, never sooner than the host's hold */
  pageRetry: PageRetryPolicy;
  /** retries (×5 backoff from backoffMs), the webhook deadline and per-endpoint requests per second */
  delivery: { attempts: number; backoffMs: number; webhookTimeoutMs: number; webhookRatePerSecond: number };
  /** SMTP for the email channel; without smtpUrl, email deliveries go to the dead letters */
  email: { smtpUrl?: string | undefined; from: string };
  /** HMAC key of unsubscribe links; generated per run (links die on restart) when UNSUBSCRIBE_SECRET is unset */
  unsubscribe: { secret: string; generated: boolean };
  /** where users reach this service (unsubscribe links); http://localhost:PORT when unset */
  publicUrl: string;
  /** cron schedule of the overdue sweep, and days of grace after a window closes */
  sweep: { schedule: string; graceDays: number };
  /** a feed failing without a success for this long raises `feed.failing` */
  feedFailingAfterMs: number;
  /** alerts about events (or statements) older than this are kept quiet; 0: no window (ALERT_RECENCY) */
  alertRecencyMs: number;
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `environment: ${i.path.join('.')}: ${i.message}`);
    throw new NewswatchError('NW_CONFIG_INVALID', lines.join('\n'));
  }
  const e = parsed.data;
  if (e.PAGE_RETRY_CAP < e.PAGE_RETRY_BASE)
    throw new NewswatchError(
      'NW_CONFIG_INVALID',
      `environment: PAGE_RETRY_CAP: ${env.PAGE_RETRY_CAP ?? '4h'} is shorter than PAGE_RETRY_BASE (${env.PAGE_RETRY_BASE ?? '1m'})`,
    );
  return {
    redisUrl: e.REDIS_URL,
    archive: { databaseUrl: e.DATABASE_URL, dir: e.ARCHIVE_DIR, textRetentionMs: e.ARCHIVE_TEXT_RETENTION },
    prefix: e.NEWSWATCH_PREFIX,
    host: e.HOST,
    port: e.PORT,
    operatorToken: e.OPERATOR_TOKEN ?? randomBytes(24).toString('base64url'),
    operatorTokenGenerated: e.OPERATOR_TOKEN === undefined,
    metricsToken: e.METRICS_TOKEN,
    sessionTtlMs: e.SESSION_TTL,
    loginLimit: { maxFailures: e.LOGIN_MAX_FAILURES, windowMs: e.LOGIN_FAILURE_WINDOW },
    trustProxy: e.TRUST_PROXY,
    feedsFile: e.FEEDS_FILE,
    subscribersFile: e.SUBSCRIBERS_FILE,
    eventsFile: e.EVENTS_FILE,
    entitiesFile: e.ENTITIES_FILE,
    lexiconFile: e.LEXICON_FILE,
    userAgent: userAgentFor(e.CONTACT_URL),
    contactUrl: e.CONTACT_URL,
    fetchTimeoutMs: e.FETCH_TIMEOUT_MS,
    fetchMaxBytes: e.FETCH_MAX_BYTES,
    fetchAllowPrivate: e.FETCH_ALLOW_PRIVATE,
    feedMaxItems: e.FEED_MAX_ITEMS,
    hosts: {
      concurrency: e.HOST_CONCURRENCY,
      minDelayMs: e.HOST_MIN_DELAY_MS,
      maxWaitMs: e.HOST_MAX_WAIT_MS,
    },
    thresholds: {
      sameEvent: e.MATCH_SAME_EVENT,
      fulfils: e.MATCH_FULFILS,
      related: 0.4,
      sameEventMaxDays: 2,
    },
    modelFile: e.MATCH_MODEL_FILE,
    workerConcurrency: e.WORKER_CONCURRENCY,
    scrapeBacklogLimit: e.SCRAPE_BACKLOG_LIMIT,
    workerLock: { lockMs: e.WORKER_LOCK_MS, stalledIntervalMs: e.WORKER_STALLED_INTERVAL_MS },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    pageRetry: {
      attempts: e.PAGE_RETRY_ATTEMPTS,
      baseMs: e.PAGE_RETRY_BASE,
      capMs: e.PAGE_RETRY_CAP,
    },
    delivery: {
      attempts: e.DELIVERY_ATTEMPTS,
      backoffMs: e.DELIVERY_BACKOFF_MS,
      webhookTimeoutMs: e.WEBHOOK_TIMEOUT_MS,
      webhookRatePerSecond: e.WEBHOOK_RATE_LIMIT,
    },
    email: { smtpUrl: e.SMTP_URL, from: e.MAIL_FROM },
    unsubscribe: {
      secret: e.UNSUBSCRIBE_SECRET ?? randomBytes(32).toString('base64url'),
      generated: e.UNSUBSCRIBE_SECRET === undefined,
    },
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    sweep: { schedule: e.SWEEP_SCHEDULE, graceDays: e.OVERDUE_GRACE_DAYS },
    feedFailingAfterMs: e.FEED_FAILING_AFTER,
    alertRecencyMs: e.ALERT_RECENCY,
  };
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `6h`, `30m`, `90s`, `500ms`, `2d`: spans an operator reads at a glance, unlike a count of milliseconds. */
export function durationMs(value: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/.exec(value);
  return m ? Math.round(Number(m[1]) * UNIT_MS[m[2]!]!) : undefined;
}
