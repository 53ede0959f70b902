// A paused subscriber receives nothing, instant or digest, until it is resumed: the alert and
// deliver workers on the real Redis and BullMQ, real receivers verifying signatures, the pause
// and resume asked of the running service's API over HTTP.
import { afterEach, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../src/domain/alerts';
import { generateWebhookSecret } from '../../src/notify/webhook';
import { jobId } from '../../src/queue/queues';
import { waitForIdle } from '../../src/demo/idle';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/demo/webhook-receiver';
import { closeDigest } from '../../workers/digests';
import { freePort, fulfilledFixture, startDeliveryRig, type DeliveryRig } from '../support/delivery';

const TOKEN = 'pause-test-operator-token-0123456789';
let rig: DeliveryRig | undefined;
const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

async function hook(id: string, extra: Partial<Subscriber> = {}) {
  const secret = generateWebhookSecret();
  const receiver = await startWebhookReceiver({ secret });
  receivers.push(receiver);
  const sub: Subscriber = {
    id,
    name: id,
    webhook: { url: receiver.url, secrets: [secret] },
    filters: {},
    ...extra,
  };
  return { sub, receiver };
}

async function start(label: string, subs: Subscriber[]) {
  const port = await freePort();
  rig = await startDeliveryRig(
    label,
    subs,
    { HOST: '127.0.0.1', PORT: String(port), OPERATOR_TOKEN: TOKEN },
    ['alert', 'deliver', 'http'],
  );
  const base = `http://127.0.0.1:${port}`;
  /** what an operator's script does: POST /api/subscribers/:id/pause|resume with the token */
  const operator = async (action: 'pause' | 'resume', id: string) => {
    const res = await fetch(`${base}/api/subscribers/${id}/${action}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.status).toBe(200);
  };
  return { rig, operator };
}

const ids = (r: WebhookReceiver) => r.accepted().map((d) => d.id);

describe('a paused subscriber', () => {
  it('gets no webhook while another does, and gets the next alert after it is resumed', async () => {
    const desk = await hook('desk');
    const other = await hook('other');
    const { rig, operator } = await start('pause-instant', [desk.sub, other.sub]);

    await operator('pause', 'desk');
    const first = fulfilledFixture(1);
    await rig.raise(first);
    expect(ids(other.receiver)).toEqual([`${first.id}_other`]);
    expect(desk.receiver.received).toEqual([]);
    expect(await rig.service.ctx.stores.alerts.deliveryLog(first.id)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          subscriberId: 'desk',
          outcome: 'skipped',
          error: expect.stringContaining('subscriber paused at'),
        }),
      ]),
    );

    await operator('resume', 'desk');
    const second = fulfilledFixture(2);
    await rig.raise(second);
    // The alert raised while it was paused is not sent late; the next one is.
    expect(ids(desk.receiver)).toEqual([`${second.id}_desk`]);
    expect(desk.receiver.received.every((d) => d.verified)).toBe(true);
    expect(ids(other.receiver)).toEqual([`${first.id}_other`, `${second.id}_other`]);
  });

  it('gets no webhook for an alert queued before it was paused and delivered after', async () => {
    const desk = await hook('desk');
    const other = await hook('other');
    const { rig, operator } = await start('pause-queued', [desk.sub, other.sub]);
    const { queues } = rig.service.ctx;

    // The deliveries wait in the queue (as behind a backlog) while the operator pauses.
    await queues.deliver.pause();
    const alert = fulfilledFixture(1);
    await queues.alert.add(alert.kind, { alert }, { jobId: jobId.alert(alert.id) });
    await waitForIdle([queues.alert], 20_000);
    expect(await queues.deliver.getJobCounts('waiting')).toEqual({ waiting: 2 });
    await operator('pause', 'desk');
    await queues.deliver.resume();
    await rig.idle();

    expect(desk.receiver.received).toEqual([]);
    expect(ids(other.receiver)).toEqual([`${alert.id}_other`]);
  });

  it('gets no digest while paused; what was buffered before the pause comes in the first digest after it', async () => {
    const brief = await hook('brief', {
      mode: 'digest',
      digest: { schedule: '0 7 * * *', timezone: 'Asia/Kuwait' },
    });
    const { rig, operator } = await start('pause-digest', [brief.sub]);
    const before = fulfilledFixture(1, new Date('2026-01-31T09:00:00Z'));
    const during = fulfilledFixture(2, new Date('2026-01-31T10:00:00Z'));
    const after = fulfilledFixture(3, new Date('2026-02-01T09:00:00Z'));

    await rig.raise(before);
    await operator('pause', 'brief');
    await rig.raise(during);
    await closeDigest(rig.service.ctx, brief.sub, new Date('2026-02-01T04:00:00Z'));
    await rig.idle();
    expect(brief.receiver.received).toEqual([]);

    await operator('resume', 'brief');
    await rig.raise(after);
    await closeDigest(rig.service.ctx, brief.sub, new Date('2026-02-02T04:00:00Z'));
    await rig.idle();
    expect(brief.receiver.accepted()).toHaveLength(1);
    const digest = brief.receiver.accepted()[0]!.payload as { data: { alerts: { id: string }[] } };
    expect(digest.data.alerts.map((a) => a.id)).toEqual([before.id, after.id]);
  });
});
