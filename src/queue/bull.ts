// BullMQ queues for every stage, with the retry and retention policy of each in one table.
import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import { DEFAULT_PAGE_RETRY, type PageRetryPolicy } from '../domain/page-retry';
import { QUEUES, type JobPayloads, type QueueName } from './queues';

export type Queues = { [K in QueueName]: Queue<JobPayloads[K]> };

const HOUR = 3600;
const DAY = 24 * HOUR;

/**
 * Completed jobs are kept for a while because their ids are what deduplicates a re-add
 * (the same feed slot, the same article, the same delivery); failed deliveries are kept
 * indefinitely as dead letters.
 */
export function jobOptions(
  delivery: { attempts: number; backoffMs: number },
  pages: PageRetryPolicy = DEFAULT_PAGE_RETRY,
): Record<QueueName, JobsOptions> {
  return {
    poll: { attempts: 1, removeOnComplete: { age: DAY }, removeOnFail: { age: 7 * DAY } },
    scrape: {
      attempts: pages.attempts,
      // PAGE_BACKOFF: doubling from PAGE_RETRY_BASE to PAGE_RETRY_CAP, never sooner than the
      // host's Retry-After (pageRetryDelay); the worker's policy decides, `delay` is for show.
      backoff: { type: PAGE_BACKOFF, delay: pages.baseMs },
      removeOnComplete: { age: 7 * DAY },
      removeOnFail: { age: 30 * DAY },
    },
    analyze: {
      attempts: 3,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: { age: DAY },
      removeOnFail: false,
    },
    alert: {
      attempts: 5,
      backoff: { type: 'exponential', delay: 2_000 },
      removeOnComplete: { age: 7 * DAY },
      removeOnFail: false,
    },
    deliver: {
      attempts: delivery.attempts,
      // DELIVERY_BACKOFF: ×5 per attempt with jitter (deliveryDelay), about a day over 8 attempts.
      backoff: { type: DELIVERY_BACKOFF, delay: delivery.backoffMs },
      removeOnComplete: { age: 30 * DAY },
      removeOnFail: false,
    },
  };
}

/** The deliver queue's backoff type, computed by the worker's backoffStrategy (workers/roles.ts). */
export const DELIVERY_BACKOFF = 'delivery';

/** The scrape queue's backoff type, computed by the worker's backoffStrategy (workers/roles.ts). */
export const PAGE_BACKOFF = 'page';

/** BullMQ's own keys sit under the service prefix too: `<prefix>bull:<queue>:...`. */
export const bullPrefix = (prefix: string) => `${prefix}bull`;

export function createQueues(
  connection: Redis,
  prefix: string,
  delivery: { attempts: number; backoffMs: number },
  pages: PageRetryPolicy = DEFAULT_PAGE_RETRY,
): Queues {
  const opts = jobOptions(delivery, pages);
  const make = <K extends QueueName>(name: K) => {
    const queue = new Queue<JobPayloads[K]>(name, {
      connection,
      prefix: bullPrefix(prefix),
      defaultJobOptions: opts[name],
    });
    // A Redis outage reaches every queue on the connection; the connection's owner logs it once.
    // Without a listener BullMQ prints each one raw on stderr, beside the JSON log lines.
    queue.on('error', () => {});
    return queue;
  };
  return Object.fromEntries(QUEUES.map((name) => [name, make(name)])) as unknown as Queues;
}
