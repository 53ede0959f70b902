// Deliveries that ran out of attempts or failed for good, kept in Redis until re-driven: what
// was owed (alert or digest, subscriber, channel), why it failed, and how often it was tried.
import type { Redis } from 'ioredis';
import { redisKeys } from './keys';
import { TimedRecords } from './timed-records';
import type { DeliverJob } from '../queue/queues';

export interface DeadLetter {
  /** the delivery job's id: the same (alert, subscriber, channel) always has the same one */
  id: string;
  job: DeliverJob;
  /** the alerts the message carried (one, or a digest's) */
  alertIds: string[];
  /** exhausted: the last attempt failed; permanent: the receiver refused it; gone: HTTP 410, endpoint disabled; disabled: the endpoint was already disabled */
  reason: 'exhausted' | 'permanent' | 'gone' | 'disabled' | 'unconfigured';
  error: string;
  status?: number | undefined;
  attempts: number;
  at: string;
}

/** Kept under `<prefix>dead-letters` and `<prefix>dead-letters:by-time` (src/store/timed-records.ts). */
export class DeadLetterStore extends TimedRecords<DeadLetter> {
  constructor(redis: Redis, prefix: string) {
    super(redis, redisKeys(prefix).deadLetters);
  }
}
