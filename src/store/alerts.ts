// Alerts and their delivery log in Redis. The delivered-record is written with NX, so a
// delivery job that runs twice finds it and sends nothing the second time.
import type { Redis } from 'ioredis';
import type { Alert } from '../domain/types';

export interface DeliveryAttempt {
  subscriberId: string;
  channel: string;
  at: string;
  outcome: 'delivered' | 'failed' | 'skipped';
  status?: number | undefined;
  latencyMs?: number | undefined;
  error?: string | undefined;
}

export class AlertStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  /** Stores an alert once; false when it was stored before (a re-run of the same decision). */
  async save(alert: Alert): Promise<boolean> {
    const created = await this.redis.set(`${this.prefix}alert:${alert.id}`, JSON.stringify(alert), 'NX');
    if (created !== 'OK') return false;
    await this.redis.zadd(`${this.prefix}alerts`, Date.parse(alert.createdAt), alert.id);
    return true;
  }

  async get(id: string): Promise<Alert | undefined> {
    const raw = await this.redis.get(`${this.prefix}alert:${id}`);
    return raw ? (JSON.parse(raw) as Alert) : undefined;
  }

  async recent(limit = 50): Promise<Alert[]> {
    const ids = await this.redis.zrevrange(`${this.prefix}alerts`, 0, limit - 1);
    const all = await Promise.all(ids.map((id) => this.get(id)));
    return all.filter((a): a is Alert => a !== undefined);
  }

  private deliveredKey(alertId: string, subscriberId: string, channel: string) {
    return `${this.prefix}delivered:${alertId}:${subscriberId}:${channel}`;
  }

  async isDelivered(alertId: string, subscriberId: string, channel: string): Promise<boolean> {
    return (await this.redis.exists(this.deliveredKey(alertId, subscriberId, channel))) === 1;
  }

  async markDelivered(alertId: string, attempt: DeliveryAttempt): Promise<boolean> {
    const key = this.deliveredKey(alertId, attempt.subscriberId, attempt.channel);
    return (await this.redis.set(key, JSON.stringify(attempt), 'NX')) === 'OK';
  }

  async logAttempt(alertId: string, attempt: DeliveryAttempt): Promise<void> {
    await this.redis.rpush(`${this.prefix}deliveries:${alertId}`, JSON.stringify(attempt));
  }

  async attempts(alertId: string): Promise<DeliveryAttempt[]> {
    const raw = await this.redis.lrange(`${this.prefix}deliveries:${alertId}`, 0, -1);
    return raw.map((r) => JSON.parse(r) as DeliveryAttempt);
  }
}
