// Subscribers added at run time (what the API will call) receive alerts like those of
// subscribers.yml, are validated by the same schema, and cannot shadow a declared one.
import { afterEach, describe, expect, it } from 'vitest';
import { subscriberSchema } from '../../src/config/data-files';
import { generateWebhookSecret } from '../../src/notify/webhook';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/demo/webhook-receiver';
import { fulfilledFixture, startDeliveryRig, type DeliveryRig } from '../support/delivery';

let rig: DeliveryRig | undefined;
const receivers: WebhookReceiver[] = [];
afterEach(async () => {
  await rig?.close();
  rig = undefined;
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

describe('run-time subscribers', () => {
  it('delivers to a subscriber added at run time, never to one removed, and lets subscribers.yml win an id', async () => {
    const secret = generateWebhookSecret();
    const declared = await startWebhookReceiver({ secret });
    const added = await startWebhookReceiver({ secret });
    receivers.push(declared, added);
    rig = await startDeliveryRig('subs-store', [
      { id: 'desk', name: 'Declared desk', webhook: { url: declared.url, secrets: [secret] }, filters: {} },
    ]);
    const store = rig.service.ctx.delivery.stores.subscribers;
    // Input as the API will receive it: the file's shorthand, validated by the file's schema.
    await store.put(
      subscriberSchema.parse({ id: 'added', name: 'Added', webhook: { url: added.url, secret } }),
    );
    await store.put(
      subscriberSchema.parse({ id: 'desk', name: 'Shadow', webhook: { url: added.url, secret } }),
    );

    const first = fulfilledFixture(1);
    await rig.raise(first);
    expect(declared.accepted().map((d) => d.id)).toEqual([`${first.id}_desk`]);
    expect(added.accepted().map((d) => d.id)).toEqual([`${first.id}_added`]);

    await store.remove('added');
    await rig.raise(fulfilledFixture(2));
    expect(added.accepted()).toHaveLength(1);
    expect(declared.accepted()).toHaveLength(2);
  });

  it('rejects input the file would reject, naming the field', () => {
    const result = subscriberSchema.safeParse({ id: 'Bad Id', name: 'x', email: 'nope' });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toEqual(['id', 'email']);
  });
});
