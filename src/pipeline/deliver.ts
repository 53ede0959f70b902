// The deliver stage: send one message (an alert, or a digest) to one subscriber channel, at
// most once. The delivered-record is written before the job is acknowledged and checked before
// sending; the message id is stable across retries (webhook-id, Message-ID), so a receiver can
// drop the one duplicate a crash between send and record could cause. A delivery that fails for
// good goes to the dead letters, from which it can be re-driven.
import { channelsOf, type ChannelName, type Subscriber } from '../domain/alerts';
import type { Alert } from '../domain/types';
import { NewswatchError, PermanentError, type ErrorCode } from '../errors';
import { DeliveryError, type Channel } from '../notify/channel';
import type { DeliverJob } from '../queue/queues';
import type { AlertStore, DeliveryAttempt } from '../store/alerts';
import type { DeadLetter, DeadLetterStore } from '../store/dead-letters';
import type { DigestStore } from '../store/digests';
import type { SubscriberStore } from '../store/subscribers';

export interface DeliverDeps {
  alerts: AlertStore;
  channel: (name: ChannelName) => Channel | undefined;
  subscriber: (id: string) => Promise<Subscriber | undefined>;
  channelState: Pick<SubscriberStore, 'channelState' | 'disable' | 'pauseState'>;
  deadLetters: Pick<DeadLetterStore, 'add'>;
  digests: Pick<DigestStore, 'batch'>;
  /** Milliseconds before this endpoint may be sent to again (0: now); absent means no limit. */
  rateLimit?: ((url: string, perSecond: number) => Promise<number>) | undefined;
  /** WEBHOOK_RATE_LIMIT: requests per second per endpoint, unless the subscriber sets its own */
  ratePerSecond: number;
  now: () => Date;
}

/** Where this run stands in the job's retry schedule. */
export interface AttemptInfo {
  /** the delivery job's id, which names its dead letter */
  jobId: string;
  /** 1 for the first attempt */
  attempt: number;
  /** no retry follows a failure of this attempt */
  last: boolean;
}

export type DeliverResult =
  | { outcome: 'delivered'; messageId: string }
  | { outcome: 'already-delivered' }
  | { outcome: 'skipped'; reason: string }
  | { outcome: 'rate-limited'; waitMs: number };

const ERROR_CODES: Record<ChannelName, ErrorCode> = {
  webhook: 'NW_WEBHOOK_FAILED',
  email: 'NW_EMAIL_FAILED',
};

/** The id receivers deduplicate by: the same on every attempt and re-drive of one delivery. */
export const messageIdOf = (job: DeliverJob) =>
  job.digest ? job.digest.id : `${job.alertId}_${job.subscriberId}`;
const keyOf = (job: DeliverJob) => (job.digest ? job.digest.id : job.alertId);

export async function deliver(deps: DeliverDeps, job: DeliverJob, info: AttemptInfo): Promise<DeliverResult> {
  if (await deps.alerts.isDelivered(keyOf(job), job.subscriberId, job.channel))
    return { outcome: 'already-delivered' };
  const at = deps.now();
  const code = ERROR_CODES[job.channel];
  const alerts = await alertsOf(deps, job, code);
  const base = {
    subscriberId: job.subscriberId,
    channel: job.channel,
    at: at.toISOString(),
    attempt: info.attempt,
    digestId: job.digest?.id,
  };
  const log = (a: Partial<DeliveryAttempt> & Pick<DeliveryAttempt, 'outcome'>) =>
    Promise.all(alerts.map((alert) => deps.alerts.logAttempt(alert.id, { ...base, ...a })));

  const sub = await deps.subscriber(job.subscriberId);
  // A subscriber removed, or a channel dropped, since the job was queued: nothing is owed any more.
  if (!sub || !channelsOf(sub).includes(job.channel)) {
    const reason = `subscriber ${job.subscriberId} has no ${job.channel} channel any more`;
    await log({ outcome: 'skipped', error: reason });
    return { outcome: 'skipped', reason };
  }
  // Paused since the job was queued: a paused subscriber receives nothing until resumed.
  const [paused, state] = await Promise.all([
    deps.channelState.pauseState(sub.id),
    deps.channelState.channelState(sub.id, job.channel),
  ]);
  const stopped = paused
    ? `subscriber paused at ${paused.at}`
    : state.unsubscribedAt
      ? `unsubscribed at ${state.unsubscribedAt}`
      : state.disabled
        ? `channel disabled at ${state.disabled.at}: ${state.disabled.reason}`
        : undefined;
  if (stopped) {
    await log({ outcome: 'skipped', error: stopped });
    return { outcome: 'skipped', reason: stopped };
  }

  const deadLetter = async (reason: DeadLetter['reason'], error: string, status?: number) =>
    deps.deadLetters.add({
      id: info.jobId,
      job,
      alertIds: alerts.map((a) => a.id),
      reason,
      error,
      status,
      attempts: info.attempt,
      at: at.toISOString(),
    });

  const channel = deps.channel(job.channel);
  if (!channel) {
    const error = `the ${job.channel} channel is not configured${job.channel === 'email' ? ' (set SMTP_URL and MAIL_FROM)' : ''}`;
    await log({ outcome: 'failed', error, final: true });
    await deadLetter('unconfigured', error);
    throw new PermanentError(code, error);
  }

  if (job.channel === 'webhook' && deps.rateLimit && sub.webhook) {
    const waitMs = await deps.rateLimit(sub.webhook.url, sub.webhook.ratePerSecond ?? deps.ratePerSecond);
    if (waitMs > 0) return { outcome: 'rate-limited', waitMs };
  }

  try {
    const receipt = await channel.send(sub, { id: messageIdOf(job), alerts, digest: job.digest, at });
    const attempt: DeliveryAttempt = {
      ...base,
      outcome: 'delivered',
      status: receipt.status,
      latencyMs: receipt.latencyMs,
      messageId: receipt.messageId,
    };
    await deps.alerts.markDelivered(keyOf(job), attempt);
    await log(attempt);
    return { outcome: 'delivered', messageId: receipt.messageId };
  } catch (err) {
    const failure = err instanceof DeliveryError ? err : undefined;
    const gone = failure?.gone ?? false;
    const permanent = gone || (failure?.permanent ?? false);
    const final = permanent || info.last;
    const message = (err as Error).message;
    await log({ outcome: 'failed', status: failure?.status, error: message, final });
    if (gone) await deps.channelState.disable(sub.id, job.channel, message, at);
    if (final)
      await deadLetter(gone ? 'gone' : permanent ? 'permanent' : 'exhausted', message, failure?.status);
    if (permanent)
      throw new PermanentError(err instanceof NewswatchError ? err.code : code, message, { cause: err });
    throw err;
  }
}

async function alertsOf(deps: DeliverDeps, job: DeliverJob, code: ErrorCode): Promise<Alert[]> {
  const ids = job.digest ? await deps.digests.batch(job.subscriberId, job.digest.period) : [job.alertId];
  const found = (await deps.alerts.getMany(ids)).filter((a): a is Alert => a !== undefined);
  if (found.length === 0)
    throw new PermanentError(
      code,
      `${job.digest ? `digest ${job.digest.id}` : `alert ${job.alertId}`} is not stored`,
    );
  return found;
}
