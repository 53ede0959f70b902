// The one place that names the pipeline's queues, their job payloads and job ids
// (STYLE.md principle 6). Nothing else spells a queue name.
import type { ChannelName } from '../domain/alerts';
import type { Alert, ArticleInput } from '../domain/types';
import type { FeedItem } from '../ingest/types';

export const QUEUES = ['poll', 'scrape', 'analyze', 'alert', 'deliver'] as const;
export type QueueName = (typeof QUEUES)[number];

export interface PollJob {
  feedId: string;
  /** the schedule slot this poll belongs to (epoch minutes), for one poll per feed and slot */
  slot: number;
}

export interface ScrapeJob {
  feedId: string;
  item: FeedItem;
  /** the item's version stamp when it is read again because it changed (src/pipeline/poll.ts) */
  version?: string | undefined;
  /** listed by the feed's first successful poll: its alerts stay quiet (src/domain/alert-quiet.ts) */
  backlog?: true | undefined;
}

export interface AnalyzeJob {
  article: ArticleInput;
  /** the ScrapeJob's backlog flag, carried on */
  backlog?: true | undefined;
}

export interface AlertJob {
  alert: Alert;
}

/** A digest: the alerts buffered for one subscriber until a period closed, sent as one message. */
export interface DigestRef {
  /** `dg_<subscriber>_<period>`: the message id of the digest on every channel */
  id: string;
  /** the period key (the scheduled close time, epoch seconds) naming its batch */
  period: string;
  /** the previous close, when known, and this one (ISO) */
  from?: string | undefined;
  to: string;
}

/** One message to one subscriber on one channel: an alert (instant mode) or a digest. */
export type DeliverJob = { subscriberId: string; channel: ChannelName } & (
  { alertId: string; digest?: undefined } | { digest: DigestRef; alertId?: undefined }
);

export interface JobPayloads {
  poll: PollJob;
  scrape: ScrapeJob;
  analyze: AnalyzeJob;
  alert: AlertJob;
  deliver: DeliverJob;
}

/**
 * Deterministic job ids: BullMQ ignores an add whose id it already holds, which is what makes
 * several schedulers poll a feed once per slot and a re-run deliver nothing twice.
 * Ids avoid ':' (BullMQ reserves it).
 */
export const jobId = {
  poll: (j: PollJob) => `poll-${j.feedId}-${j.slot}`,
  // A changed item or a new version of an article is new work: its id says which version it is.
  scrape: (articleKey: string, version?: string) =>
    version ? `scrape-${articleKey}-${version}` : `scrape-${articleKey}`,
  analyze: (articleId: string, version?: number) =>
    version && version > 1 ? `analyze-${articleId}-v${version}` : `analyze-${articleId}`,
  alert: (alertId: string) => `alert-${alertId}`,
  deliver: (j: DeliverJob) =>
    j.digest ? `deliver-${j.digest.id}-${j.channel}` : `deliver-${j.alertId}-${j.subscriberId}-${j.channel}`,
};
