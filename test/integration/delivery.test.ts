// Delivery on real parts: the real Redis for the delivered-record and log, a real receiver
// that verifies signatures. A delivery job that runs twice must not send twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../src/domain/alerts';
import type { Alert } from '../../src/domain/types';
import { generateWebhookSecret, sendWebhook } from '../../src/notify/webhook';
import { deliver, type DeliverDeps } from '../../src/pipeline/deliver';
import { AlertStore } from '../../src/store/alerts';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { runPrefix } from '../../src/testing/seed-scenario';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/testing/webhook-receiver';

const alert: Alert = {
  id: 'al_test',
  kind: 'expectation.fulfilled',
  createdAt: '2026-01-31T08:00:00.000Z',
  title: 'Expected meeting happened',
  parties: [{ id: 'kuwait', name: 'Kuwait' }],
  sources: [],
  reasons: ['parties: Kuwait, NATO all take part'],
};

describe('deliver', () => {
  const prefix = runPrefix('deliver');
  const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const alerts = new AlertStore(redis, prefix);
  const secret = generateWebhookSecret();
  let receiver: WebhookReceiver;
  let deps: DeliverDeps;

  beforeAll(async () => {
    receiver = await startWebhookReceiver({ secret, failFirst: 1 });
    const sub: Subscriber = { id: 'desk', name: 'Desk', webhook: { url: receiver.url, secret }, filters: {} };
    deps = {
      alerts,
      subscriber: (id) => (id === sub.id ? sub : undefined),
      sendWebhook,
      now: () => new Date(),
    };
    await alerts.save(alert);
  });

  afterAll(async () => {
    await receiver.close();
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  const job = { alertId: alert.id, subscriberId: 'desk', channel: 'webhook' as const };

  it('fails the attempt the receiver refuses, then delivers on the retry, logging both', async () => {
    await expect(deliver(deps, job)).rejects.toMatchObject({ status: 500 });
    expect(await deliver(deps, job)).toBe('delivered');
    const log = await alerts.attempts(alert.id);
    expect(log.map((a) => a.outcome)).toEqual(['failed', 'delivered']);
    expect(log[1]!.status).toBe(204);
  });

  it('sends nothing when the same job runs again after success', async () => {
    const before = receiver.received.length;
    expect(await deliver(deps, job)).toBe('already-delivered');
    expect(receiver.received.length).toBe(before);
  });

  it('keeps one webhook-id across attempts, so a receiver can drop a duplicate', () => {
    const ids = new Set(receiver.received.map((r) => r.id));
    expect(receiver.received).toHaveLength(2);
    expect(ids.size).toBe(1);
    expect(receiver.received[1]).toMatchObject({
      verified: true,
      payload: { type: 'expectation.fulfilled', data: { id: 'al_test' } },
    });
  });
});
