// Article pages given up, kept in Redis until re-driven: which item of which feed was owed, why
// it was given up, how often it was tried and the last error. Modelled on the delivery dead
// letters (src/store/dead-letters.ts): without this list, a page given up would be lost unseen.
import type { Redis } from 'ioredis';
import { redisKeys } from './keys';
import { TimedRecords } from './timed-records';
import type { GiveUpReason } from '../domain/page-retry';
import type { ScrapeJob } from '../queue/queues';

export interface GivenUpPage {
  /** the scrape job's id: the same page link always has the same one */
  id: string;
  /** what re-driving puts back on the scrape queue */
  job: ScrapeJob;
  url: string;
  feedId: string;
  reason: GiveUpReason;
  /** the last attempt's error, naming the URL */
  error: string;
  /** the HTTP status of the last attempt, when it had one */
  status?: number | undefined;
  attempts: number;
  at: string;
}

/** Kept under `<prefix>given-up-pages` and `<prefix>given-up-pages:by-time` (src/store/timed-records.ts). */
export class GivenUpPageStore extends TimedRecords<GivenUpPage> {
  constructor(redis: Redis, prefix: string) {
    super(redis, redisKeys(prefix).givenUpPages);
  }
}
