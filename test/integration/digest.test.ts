// Digest subscribers: alerts wait in Redis until the period closes (the subscriber's cron tick,
// in its time zone), then one message per channel carries them all, once.
import { afterEach, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../src/domain/alerts';
import { startSmtpServer, type TestSmtpServer } from '../support/smtp-server';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/demo/webhook-receiver';
import { generateWebhookSecret } from '../../src/notify/webhook';
import { closeDigest } from '../../workers/digests';
import { validatorFor } from '../support/payload-schema';
import { fulfilledFixture, iranEventFixture, startDeliveryRig, type DeliveryRig } from '../support/delivery';

let rig: DeliveryRig | undefined;
let smtp: TestSmtpServer | undefined;
let hook: WebhookReceiver | undefined;
afterEach(async () => {
  await rig?.close();
  await smtp?.close();
  await hook?.close();
  rig = smtp = hook = undefined;
});

describe('digest delivery', () => {
  it('sends one email and one webhook holding all the alerts of the period, once', async () => {
    smtp = await startSmtpServer();
    const secret = generateWebhookSecret();
    hook = await startWebhookReceiver({ secret });
    const brief: Subscriber = {
      id: 'morning-brief',
      name: 'Morning brief',
      email: ['brief@example.org'],
      webhook: { url: hook.url, secrets: [secret] },
      filters: { entities: ['kuwait'] },
      mode: 'digest',
      digest: { schedule: '0 7 * * *', timezone: 'Asia/Kuwait' },
    };
    rig = await startDeliveryRig('digest', [brief], { SMTP_URL: smtp.url });
    // Raised through the day, in this order: the digest keeps it.
    const alerts = [3, 1, 2].map((n, hour) => fulfilledFixture(n, new Date(Date.UTC(2026, 0, 31, 9 + hour))));
    for (const a of alerts) await rig.raise(a);
    await rig.raise(iranEventFixture()); // filtered out: never in the digest
    expect(smtp.received).toEqual([]);
    expect(hook.received).toEqual([]);

    // The cron tick: 07:00 in Kuwait is 04:00 UTC. A second scheduler closing the same period adds nothing.
    const tick = new Date('2026-02-01T04:00:00.000Z');
    await closeDigest(rig.service.ctx, brief, tick);
    await closeDigest(rig.service.ctx, brief, new Date(tick.getTime() + 800));
    await rig.idle();

    expect(smtp.accepted()).toHaveLength(1);
    const mail = smtp.accepted()[0]!.parsed;
    expect(mail.subject).toBe('newswatch digest: 3 alerts to 1 Feb 2026');
    expect(String(mail.headers.get('x-newswatch-alerts')).split(' ')).toEqual(alerts.map((a) => a.id));
    expect(mail.text!.match(/Expected follow-up happened/g)).toHaveLength(3);
    expect(hook.accepted()).toHaveLength(1);
    const body = hook.accepted()[0]!.payload as { type: string; data: { alerts: { id: string }[] } };
    expect(body.type).toBe('digest');
    expect(validatorFor('digest')(body)).toEqual([]);
    expect(body.data.alerts.map((a) => a.id)).toEqual(alerts.map((a) => a.id));
    expect(await rig.service.ctx.stores.alerts.deliveryLog(alerts[1]!.id)).toMatchObject([
      { channel: 'webhook', outcome: 'delivered', digestId: 'dg_morning-brief_1769918400' },
      { channel: 'email', outcome: 'delivered', digestId: 'dg_morning-brief_1769918400' },
    ]);

    // The next period had nothing: nothing is sent.
    await closeDigest(rig.service.ctx, brief, new Date('2026-02-02T04:00:00.000Z'));
    await rig.idle();
    expect(smtp.received).toHaveLength(1);
    expect(hook.received).toHaveLength(1);
  });
});
