// Service configuration: read from the environment once at start, validated, with every
// default in this one module. README's configuration table lists the same variables.
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { NewswatchError } from '../errors';

const envSchema = z.object({
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  NEWSWATCH_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_:-]+$/, 'letters, digits, _ - and : only')
    .default('nw:'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  OPERATOR_TOKEN: z.string().min(16, 'at least 16 characters').optional(),
  FEEDS_FILE: z.string().default('feeds.yml'),
  SUBSCRIBERS_FILE: z.string().default('subscribers.yml'),
  ENTITIES_FILE: z.string().default('data/entities.yml'),
  LEXICON_FILE: z.string().default('data/lexicon.yml'),
  USER_AGENT: z.string().default('newswatch/0.1 (+https://github.com/newswatch/newswatch)'),
  FETCH_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  FETCH_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(5 * 1024 * 1024),
  MATCH_SAME_EVENT: z.coerce.number().min(0).max(1).default(0.75),
  MATCH_FULFILS: z.coerce.number().min(0).max(1).default(0.8),
  WORKER_CONCURRENCY: z.coerce.number().int().positive().default(4),
  DELIVERY_ATTEMPTS: z.coerce.number().int().positive().default(8),
  DELIVERY_BACKOFF_MS: z.coerce.number().int().positive().default(5_000),
  SWEEP_SCHEDULE: z.string().default('*/10 * * * *'),
  OVERDUE_GRACE_DAYS: z.coerce.number().int().nonnegative().default(2),
});

export interface Config {
  redisUrl: string;
  prefix: string;
  host: string;
  port: number;
  /** generated at start when OPERATOR_TOKEN is unset; see `operatorTokenGenerated` */
  operatorToken: string;
  operatorTokenGenerated: boolean;
  feedsFile: string;
  subscribersFile: string;
  entitiesFile: string;
  lexiconFile: string;
  userAgent: string;
  fetchTimeoutMs: number;
  fetchMaxBytes: number;
  thresholds: { sameEvent: number; fulfils: number; related: number; sameEventMaxDays: number };
  workerConcurrency: number;
  delivery: { attempts: number; backoffMs: number };
  /** cron schedule of the overdue sweep, and days of grace after a window closes */
  sweep: { schedule: string; graceDays: number };
}

export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `environment: ${i.path.join('.')}: ${i.message}`);
    throw new NewswatchError('NW_CONFIG_INVALID', lines.join('\n'));
  }
  const e = parsed.data;
  return {
    redisUrl: e.REDIS_URL,
    prefix: e.NEWSWATCH_PREFIX,
    host: e.HOST,
    port: e.PORT,
    operatorToken: e.OPERATOR_TOKEN ?? randomBytes(24).toString('base64url'),
    operatorTokenGenerated: e.OPERATOR_TOKEN === undefined,
    feedsFile: e.FEEDS_FILE,
    subscribersFile: e.SUBSCRIBERS_FILE,
    entitiesFile: e.ENTITIES_FILE,
    lexiconFile: e.LEXICON_FILE,
    userAgent: e.USER_AGENT,
    fetchTimeoutMs: e.FETCH_TIMEOUT_MS,
    fetchMaxBytes: e.FETCH_MAX_BYTES,
    thresholds: {
      sameEvent: e.MATCH_SAME_EVENT,
      fulfils: e.MATCH_FULFILS,
      related: 0.4,
      sameEventMaxDays: 2,
    },
    workerConcurrency: e.WORKER_CONCURRENCY,
    delivery: { attempts: e.DELIVERY_ATTEMPTS, backoffMs: e.DELIVERY_BACKOFF_MS },
    sweep: { schedule: e.SWEEP_SCHEDULE, graceDays: e.OVERDUE_GRACE_DAYS },
  };
}
