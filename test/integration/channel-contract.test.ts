// The contract every delivery channel keeps, run against both: webhook (a real receiver that
// verifies signatures) and email (a real SMTP server, read back). Real BullMQ workers on the real
// Redis, with the retry schedule shortened to 3 attempts 20 ms apart.
import { afterEach, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../src/domain/alerts';
import { deliveryRoutesDeps } from '../../workers/delivery';
import {
  emailHarness,
  fulfilledFixture,
  iranEventFixture,
  startDeliveryRig,
  webhookHarness,
  type DeliveryRig,
  type Endpoint,
} from '../support/delivery';

describe.each([webhookHarness, emailHarness])('$name channel contract', (harness) => {
  let endpoint: Endpoint | undefined;
  let rig: DeliveryRig | undefined;
  afterEach(async () => {
    await rig?.close();
    await endpoint?.close();
    rig = endpoint = undefined;
  });

  const subscriber = (id: string, ep: Endpoint, filters: Subscriber['filters'] = {}): Subscriber => ({
    id,
    name: id,
    ...ep.channelsFor(id),
    filters,
  });

  async function start(opts: { failFirst?: number; down?: boolean }, subs: (ep: Endpoint) => Subscriber[]) {
    endpoint = await harness.start(opts);
    rig = await startDeliveryRig(`contract-${harness.name}`, subs(endpoint), endpoint.env);
    return { endpoint, rig };
  }

  it('delivers an alert once, even when it is raised again and its delivery job runs twice', async () => {
    const { endpoint, rig } = await start({}, (ep) => [subscriber('desk', ep)]);
    const alert = fulfilledFixture();
    await rig.raise(alert);
    await rig.raise(alert); // the analyze stage re-running: same alert id, same job ids
    // A crash after sending but before the ack: the job runs again from the start.
    const jobId = `deliver-${alert.id}-desk-${harness.name}`;
    const job = await rig.service.ctx.queues.deliver.getJob(jobId);
    expect(await job!.getState()).toBe('completed');
    await job!.remove();
    await rig.service.ctx.queues.deliver.add('deliver', job!.data, { jobId });
    await rig.idle();

    expect(endpoint.accepted()).toEqual([
      { subscriberId: 'desk', alertIds: [alert.id], messageId: expect.stringContaining(`${alert.id}_desk`) },
    ]);
    const log = await rig.service.ctx.stores.alerts.deliveryLog(alert.id);
    expect(log).toMatchObject([
      { subscriberId: 'desk', channel: harness.name, outcome: 'delivered', attempts: 1 },
    ]);
  });

  it('retries a failed send and delivers the alert once it goes through', async () => {
    const { endpoint, rig } = await start({ failFirst: 2 }, (ep) => [subscriber('desk', ep)]);
    const alert = fulfilledFixture();
    await rig.raise(alert);

    expect(endpoint.reached()).toBe(3);
    expect(endpoint.accepted().map((m) => m.alertIds)).toEqual([[alert.id]]);
    const attempts = await rig.service.ctx.stores.alerts.attempts(alert.id);
    expect(attempts.map((a) => [a.attempt, a.outcome])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'delivered'],
    ]);
    expect(await rig.service.ctx.delivery.stores.deadLetters.list()).toEqual([]);
  });

  it('dead-letters the alert after the last attempt, and a re-drive delivers it', async () => {
    const { endpoint, rig } = await start({ down: true }, (ep) => [subscriber('desk', ep)]);
    const alert = fulfilledFixture();
    await rig.raise(alert);

    const letters = await rig.service.ctx.delivery.stores.deadLetters.list();
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      job: { alertId: alert.id, subscriberId: 'desk', channel: harness.name },
      alertIds: [alert.id],
      reason: 'exhausted',
      attempts: 3,
    });
    expect(letters[0]!.error).toMatch(/ECONNREFUSED|unreachable/);
    expect(await rig.service.ctx.stores.alerts.deliveryLog(alert.id)).toMatchObject([
      { outcome: 'dead-lettered', attempts: 3 },
    ]);
    expect(endpoint.accepted()).toEqual([]);

    await endpoint.bringUp();
    const redriven = await deliveryRoutesDeps(rig.service.ctx).deadLetters.redrive(letters[0]!.id);
    expect(redriven).toMatchObject({ id: letters[0]!.id });
    await rig.idle();

    expect(endpoint.accepted().map((m) => m.alertIds)).toEqual([[alert.id]]);
    expect(await rig.service.ctx.delivery.stores.deadLetters.list()).toEqual([]);
    expect(await rig.service.ctx.stores.alerts.deliveryLog(alert.id)).toMatchObject([
      { outcome: 'delivered' },
    ]);
  });

  it('sends nothing to a subscriber whose filters do not match', async () => {
    const { endpoint, rig } = await start({}, (ep) => [
      subscriber('kuwait-desk', ep, { entities: ['kuwait'] }),
      subscriber('iran-desk', ep, { entities: ['iran'] }),
      subscriber('overdue-only', ep, { kinds: ['expectation.overdue'] }),
    ]);
    const kuwait = fulfilledFixture();
    const iran = iranEventFixture();
    await rig.raise(kuwait);
    await rig.raise(iran);

    const got = endpoint.accepted().map((m) => [m.subscriberId, m.alertIds[0]]);
    expect(got.sort()).toEqual(
      [
        ['iran-desk', iran.id],
        ['kuwait-desk', kuwait.id],
      ].sort(),
    );
    const jobs = await rig.service.ctx.queues.deliver.getJobs(['completed', 'failed', 'waiting', 'delayed']);
    expect(jobs.filter((j) => j.data.subscriberId === 'overdue-only')).toEqual([]);
  });
});
