// Alerts and their delivery log in Redis. The delivered-record is written with NX, so a
// delivery job that runs twice finds it and sends nothing the second time.
import type { Redis } from 'ioredis';
import type { Alert } from '../domain/types';
import { redisKeys, type RedisKeys } from './keys';

export interface DeliveryAttempt {
  subscriberId: string;
  channel: string;
  at: string;
  outcome: 'delivered' | 'failed' | 'skipped';
  /** 1 for the first attempt of this delivery job, counting retries and re-drives */
  attempt?: number | undefined;
  status?: number | undefined;
  latencyMs?: number | undefined;
  error?: string | undefined;
  /** webhook-id or Message-ID the receiver saw */
  messageId?: string | undefined;
  /** set when the alert went out inside a digest */
  digestId?: string | undefined;
  /** a failure after which nothing more is tried: the delivery went to the dead letters */
  final?: boolean | undefined;
}

/** One (subscriber, channel) line of an alert's delivery log. */
export interface DeliveryStatus {
  subscriberId: string;
  channel: string;
  outcome: 'delivered' | 'retrying' | 'dead-lettered' | 'skipped';
  attempts: number;
  lastAt: string;
  status?: number | undefined;
  latencyMs?: number | undefined;
  error?: string | undefined;
  messageId?: string | undefined;
  digestId?: string | undefined;
}

export class AlertStore {
  private readonly k: RedisKeys['alerts'];

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.k = redisKeys(prefix).alerts;
  }

  /** Stores an alert once; false when it was stored before (a re-run of the same decision). */
  async save(alert: Alert): Promise<boolean> {
    const created = await this.redis.set(this.k.alert(alert.id), JSON.stringify(alert), 'NX');
    if (created !== 'OK') return false;
    await this.redis.zadd(this.k.recent, Date.parse(alert.createdAt), alert.id);
    return true;
  }

  async get(id: string): Promise<Alert | undefined> {
    const raw = await this.redis.get(this.k.alert(id));
    return raw ? (JSON.parse(raw) as Alert) : undefined;
  }

  async getMany(ids: readonly string[]): Promise<(Alert | undefined)[]> {
    if (ids.length === 0) return [];
    const raw = await this.redis.mget(...ids.map((id) => this.k.alert(id)));
    return raw.map((r) => (r ? (JSON.parse(r) as Alert) : undefined));
  }

  async recent(limit = 50): Promise<Alert[]> {
    const ids = await this.redis.zrevrange(this.k.recent, 0, limit - 1);
    const all = await this.getMany(ids);
    return all.filter((a): a is Alert => a !== undefined);
  }

  /** `messageKey` is the alert id, or the digest id for a digest. */
  private deliveredKey(messageKey: string, subscriberId: string, channel: string) {
    return this.k.delivered(messageKey, subscriberId, channel);
  }

  async isDelivered(messageKey: string, subscriberId: string, channel: string): Promise<boolean> {
    return (await this.redis.exists(this.deliveredKey(messageKey, subscriberId, channel))) === 1;
  }

  /** The record a re-run checks before sending; it holds the message id the receiver saw. */
  async delivered(
    messageKey: string,
    subscriberId: string,
    channel: string,
  ): Promise<DeliveryAttempt | undefined> {
    const raw = await this.redis.get(this.deliveredKey(messageKey, subscriberId, channel));
    return raw ? (JSON.parse(raw) as DeliveryAttempt) : undefined;
  }

  async markDelivered(messageKey: string, attempt: DeliveryAttempt): Promise<boolean> {
    const key = this.deliveredKey(messageKey, attempt.subscriberId, attempt.channel);
    return (await this.redis.set(key, JSON.stringify(attempt), 'NX')) === 'OK';
  }

  async logAttempt(alertId: string, attempt: DeliveryAttempt): Promise<void> {
    await this.redis.rpush(this.k.deliveries(alertId), JSON.stringify(attempt));
  }

  /** Every attempt to deliver an alert, oldest first. */
  async attempts(alertId: string): Promise<DeliveryAttempt[]> {
    const raw = await this.redis.lrange(this.k.deliveries(alertId), 0, -1);
    return raw.map((r) => JSON.parse(r) as DeliveryAttempt);
  }

  /** The delivery log of an alert, one line per subscriber channel: what the API shows. */
  async deliveryLog(alertId: string): Promise<DeliveryStatus[]> {
    return summarise(await this.attempts(alertId));
  }
}

/** Folds attempts, oldest first, into one status per (subscriber, channel). */
export function summarise(attempts: readonly DeliveryAttempt[]): DeliveryStatus[] {
  const out = new Map<string, DeliveryStatus>();
  for (const a of attempts) {
    const key = `${a.subscriberId}\u0000${a.channel}`;
    const prev = out.get(key);
    if (prev?.outcome === 'delivered') continue; // nothing after a success changes what the subscriber got
    const counted = a.outcome === 'skipped' ? 0 : 1;
    out.set(key, {
      subscriberId: a.subscriberId,
      channel: a.channel,
      outcome:
        a.outcome === 'delivered'
          ? 'delivered'
          : a.outcome === 'skipped'
            ? 'skipped'
            : a.final
              ? 'dead-lettered'
              : 'retrying',
      attempts: (prev?.attempts ?? 0) + counted,
      lastAt: a.at,
      status: a.status,
      latencyMs: a.latencyMs,
      error: a.error,
      messageId: a.messageId,
      digestId: a.digestId,
    });
  }
  return [...out.values()];
}
