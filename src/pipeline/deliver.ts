// The deliver stage: send one alert to one subscriber channel, at most once. The message id
// is stable across retries (webhook-id), so a receiver can drop a duplicate we could not prevent.
import type { Subscriber } from '../domain/alerts';
import { PermanentError } from '../errors';
import type { WebhookEndpoint, WebhookMessage, WebhookResult } from '../notify/webhook';
import type { DeliverJob } from '../queue/queues';
import type { AlertStore } from '../store/alerts';

export interface DeliverDeps {
  alerts: AlertStore;
  subscriber: (id: string) => Subscriber | undefined;
  sendWebhook: (endpoint: WebhookEndpoint, message: WebhookMessage) => Promise<WebhookResult>;
  now: () => Date;
}

export type DeliverOutcome = 'delivered' | 'already-delivered';

export async function deliver(deps: DeliverDeps, job: DeliverJob): Promise<DeliverOutcome> {
  if (await deps.alerts.isDelivered(job.alertId, job.subscriberId, job.channel)) return 'already-delivered';
  const alert = await deps.alerts.get(job.alertId);
  if (!alert) throw new PermanentError('NW_WEBHOOK_FAILED', `alert ${job.alertId} is not stored`);
  const sub = deps.subscriber(job.subscriberId);
  if (!sub?.webhook)
    throw new PermanentError('NW_WEBHOOK_FAILED', `subscriber ${job.subscriberId} has no webhook`);
  const at = deps.now();
  const message = {
    id: `${job.alertId}_${job.subscriberId}`,
    timestamp: at,
    body: JSON.stringify({ type: alert.kind, timestamp: alert.createdAt, data: alert }),
  };
  try {
    const res = await deps.sendWebhook(sub.webhook, message);
    const attempt = {
      subscriberId: sub.id,
      channel: job.channel,
      at: at.toISOString(),
      outcome: 'delivered' as const,
      status: res.status,
      latencyMs: res.latencyMs,
    };
    await deps.alerts.markDelivered(job.alertId, attempt);
    await deps.alerts.logAttempt(job.alertId, attempt);
    return 'delivered';
  } catch (err) {
    const status = (err as { status?: number }).status;
    await deps.alerts.logAttempt(job.alertId, {
      subscriberId: sub.id,
      channel: job.channel,
      at: at.toISOString(),
      outcome: 'failed',
      status,
      error: (err as Error).message,
    });
    throw err;
  }
}
