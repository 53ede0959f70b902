// Webhook delivery as a subscriber meets it, on real parts: the alert and deliver workers on the
// real Redis, real receivers on 127.0.0.1 that verify Standard Webhooks signatures, and the
// operator API for re-driving dead letters.
import { afterEach, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../src/domain/alerts';
import { buildApp } from '../../src/http/app';
import { appAuth } from '../../src/http/auth';
import { createLogger } from '../../src/log';
import { generateWebhookSecret } from '../../src/notify/webhook';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/demo/webhook-receiver';
import { deliveryRoutesDeps } from '../../workers/delivery';
import { fulfilledFixture, iranEventFixture, startDeliveryRig, type DeliveryRig } from '../support/delivery';

const receivers: WebhookReceiver[] = [];
let rig: DeliveryRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function receiver(opts: Parameters<typeof startWebhookReceiver>[0]) {
  const r = await startWebhookReceiver(opts);
  receivers.push(r);
  return r;
}

const hook = (id: string, url: string, secrets: string[], extra: Partial<Subscriber> = {}): Subscriber => ({
  id,
  name: id,
  webhook: { url, secrets },
  filters: {},
  ...extra,
});

describe('webhook delivery', () => {
  it('signs so the subscriber verifies with its secret; a receiver holding another secret refuses, and the alert is dead-lettered at once', async () => {
    const secret = generateWebhookSecret();
    const good = await receiver({ secret });
    const other = await receiver({ secret: generateWebhookSecret() });
    rig = await startDeliveryRig('wh-sign', [
      hook('right-secret', good.url, [secret]),
      hook('wrong-secret', other.url, [secret]),
    ]);
    const alert = fulfilledFixture();
    await rig.raise(alert);

    expect(good.received).toMatchObject([{ verified: true, status: 204, id: `${alert.id}_right-secret` }]);
    expect((good.received[0]!.payload as { type: string; version: number }).type).toBe(
      'expectation.fulfilled',
    );
    // A 401 will be refused again however often we ask: one attempt, then the dead letters.
    expect(other.received).toMatchObject([{ verified: false, status: 401 }]);
    const letters = await rig.service.ctx.delivery.stores.deadLetters.list();
    expect(letters).toMatchObject([
      { job: { subscriberId: 'wrong-secret' }, reason: 'permanent', status: 401, attempts: 1 },
    ]);
  });

  it('gets the alert to a receiver that fails 3 times exactly once, under one webhook-id', async () => {
    const secret = generateWebhookSecret();
    const flaky = await receiver({ secret, failFirst: 3 });
    rig = await startDeliveryRig('wh-flaky', [hook('desk', flaky.url, [secret])], { DELIVERY_ATTEMPTS: '5' });
    const alert = fulfilledFixture();
    await rig.raise(alert);

    expect(flaky.received.map((d) => d.status)).toEqual([500, 500, 500, 204]);
    expect(flaky.accepted()).toHaveLength(1);
    expect(new Set(flaky.received.map((d) => d.id))).toEqual(new Set([`${alert.id}_desk`]));
    expect(await rig.service.ctx.stores.alerts.deliveryLog(alert.id)).toMatchObject([
      { subscriberId: 'desk', outcome: 'delivered', attempts: 4, status: 204 },
    ]);
  });

  it('leaves the alert in the dead letters when the receiver is down for the whole schedule; the API re-drives it', async () => {
    const secret = generateWebhookSecret();
    const first = await startWebhookReceiver({ secret });
    const { url } = first;
    await first.close(); // nothing listens there for the whole (shortened) retry schedule
    rig = await startDeliveryRig('wh-down', [hook('desk', url, [secret])]);
    const alert = fulfilledFixture();
    await rig.raise(alert);

    const app = await buildApp({
      logger: createLogger('silent'),
      operatorToken: 'operator-token-for-tests',
      redisPing: async () => true,
      queues: [],
      delivery: deliveryRoutesDeps(rig.service.ctx),
      auth: appAuth(rig.service.ctx.config, rig.service.ctx.redis),
    });
    const auth = { authorization: 'Bearer operator-token-for-tests' };
    const listed = await app.inject({ url: '/api/dead-letters', headers: auth });
    expect(listed.statusCode).toBe(200);
    const [letter] = listed.json<{ deadLetters: { id: string; alertIds: string[]; error: string }[] }>()
      .deadLetters;
    expect(letter).toMatchObject({ alertIds: [alert.id], error: expect.stringContaining(url) });

    const back = await receiver({ secret, port: Number(new URL(url).port) });
    const redrive = await app.inject({
      method: 'POST',
      url: `/api/dead-letters/${letter!.id}/redrive`,
      headers: auth,
    });
    expect(redrive.statusCode).toBe(202);
    await rig.idle();
    expect(back.accepted().map((d) => d.id)).toEqual([`${alert.id}_desk`]);
    expect((await app.inject({ url: '/api/dead-letters', headers: auth })).json()).toEqual({
      deadLetters: [],
    });
    const unknown = await app.inject({
      method: 'POST',
      url: '/api/dead-letters/nope/redrive',
      headers: auth,
    });
    expect(unknown.statusCode).toBe(404);
    expect((await app.inject({ url: '/api/dead-letters' })).statusCode).toBe(401);
    await app.close();
  });

  it('disables an endpoint that answers 410 Gone: visible, and later alerts are not sent to it', async () => {
    const secret = generateWebhookSecret();
    const gone = await receiver({ secret, status: 410 });
    rig = await startDeliveryRig('wh-gone', [hook('old-desk', gone.url, [secret])]);
    const first = fulfilledFixture(1);
    await rig.raise(first);
    const state = rig.service.ctx.delivery.stores.subscribers;
    expect(await state.disabledChannels()).toMatchObject([
      { subscriberId: 'old-desk', channel: 'webhook', reason: expect.stringContaining('410') },
    ]);
    expect(await rig.service.ctx.delivery.stores.deadLetters.list()).toMatchObject([
      { alertIds: [first.id], reason: 'gone', attempts: 1 },
    ]);

    const second = fulfilledFixture(2);
    await rig.raise(second);
    expect(gone.received).toHaveLength(1); // only the first alert ever reached it
    expect(await rig.service.ctx.stores.alerts.deliveryLog(second.id)).toMatchObject([
      { subscriberId: 'old-desk', outcome: 'skipped', error: expect.stringContaining('disabled') },
    ]);
  });

  it('signs with both secrets during a rotation, so receivers holding either accept', async () => {
    const oldSecret = generateWebhookSecret();
    const newSecret = generateWebhookSecret();
    const notYetRotated = await receiver({ secret: oldSecret });
    const rotated = await receiver({ secret: newSecret });
    rig = await startDeliveryRig('wh-rotate', [
      hook('old-side', notYetRotated.url, [newSecret, oldSecret]),
      hook('new-side', rotated.url, [newSecret, oldSecret]),
    ]);
    await rig.raise(fulfilledFixture());
    expect(notYetRotated.received).toMatchObject([{ verified: true, status: 204 }]);
    expect(rotated.received).toMatchObject([{ verified: true, status: 204 }]);
  });

  it('holds deliveries to an endpoint over its rate limit until its next window, sending nothing early', async () => {
    const secret = generateWebhookSecret();
    const slow = await receiver({ secret });
    // One request per 100 s: the second alert must wait, however many workers are free.
    rig = await startDeliveryRig('wh-rate', [
      hook('desk', slow.url, [secret], {
        webhook: { url: slow.url, secrets: [secret], ratePerSecond: 0.01 },
      }),
    ]);
    const a = fulfilledFixture(1);
    const b = iranEventFixture();
    const q = rig.service.ctx.queues;
    await q.alert.add(a.kind, { alert: a }, { jobId: `alert-${a.id}` });
    await q.alert.add(b.kind, { alert: b }, { jobId: `alert-${b.id}` });
    const states = async () =>
      (await Promise.all([a.id, b.id].map((id) => q.deliver.getJob(`deliver-${id}-desk-webhook`)))).map(
        (j) => (j ? j.getState() : 'missing'),
      );
    for (let i = 0; i < 200; i++) {
      const s = await Promise.all(await states());
      if (s.includes('completed') && s.includes('delayed')) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    expect((await Promise.all(await states())).sort()).toEqual(['completed', 'delayed']);
    expect(slow.received).toHaveLength(1);
    const log = [
      ...(await rig.service.ctx.stores.alerts.attempts(a.id)),
      ...(await rig.service.ctx.stores.alerts.attempts(b.id)),
    ];
    expect(log.map((x) => x.outcome)).toEqual(['delivered']); // waiting is no failed attempt
  });
});
