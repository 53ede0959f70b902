// sendWebhook against the real receiver over real sockets: what a subscriber sees and what the
// delivery stage learns from each kind of failure.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { generateWebhookSecret, sendWebhook, WebhookError } from '../../src/notify/webhook';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/demo/webhook-receiver';

const open: WebhookReceiver[] = [];
async function receiver(opts: Parameters<typeof startWebhookReceiver>[0]): Promise<WebhookReceiver> {
  const r = await startWebhookReceiver(opts);
  open.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(open.splice(0).map((r) => r.close()));
});

// The receiver is on loopback, which the SSRF guard refuses unless allowed (test/hostile/ssrf.test.ts).
const LOCAL = { allowPrivate: ['127.0.0.0/8'] };

const alert = { kind: 'expectation_fulfilled', title: 'Kuwait–NATO dialogue held in Brussels' };
const message = (id = 'alert-1:sub-1:webhook') => ({
  id,
  timestamp: new Date(),
  body: JSON.stringify(alert),
});

async function failure(promise: Promise<unknown>): Promise<WebhookError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WebhookError);
  return err as WebhookError;
}

describe('sendWebhook', () => {
  it('delivers a payload the subscriber can verify with its secret', async () => {
    const secret = generateWebhookSecret();
    const r = await receiver({ secret });
    const result = await sendWebhook({ url: r.url, secrets: [secret] }, message(), LOCAL);
    expect(result.status).toBe(204);
    expect(result.latencyMs).toBeGreaterThanOrEqual(0);
    const got = await r.waitFor((d) => d.id === 'alert-1:sub-1:webhook', 1000);
    expect(got).toMatchObject({ verified: true, payload: alert });
  });

  it('is refused with 401 when signed with another secret', async () => {
    const r = await receiver({ secret: generateWebhookSecret() });
    const err = await failure(
      sendWebhook({ url: r.url, secrets: [generateWebhookSecret()] }, message(), LOCAL),
    );
    expect(err.code).toBe('NW_WEBHOOK_FAILED');
    expect(err.status).toBe(401);
    expect(err.gone).toBe(false);
    expect(err.message).toContain(r.url);
    expect(err.message).toContain('401');
    expect(r.received).toMatchObject([{ verified: false, status: 401 }]);
  });

  it('fails with the status and Retry-After while the endpoint errors, then succeeds', async () => {
    const secret = generateWebhookSecret();
    const r = await receiver({ secret, failFirst: 1, retryAfterSeconds: 30 });
    const err = await failure(sendWebhook({ url: r.url, secrets: [secret] }, message(), LOCAL));
    expect(err.status).toBe(500);
    expect(err.retryAfterSeconds).toBe(30);
    await expect(sendWebhook({ url: r.url, secrets: [secret] }, message(), LOCAL)).resolves.toMatchObject({
      status: 204,
    });
    expect(r.received.map((d) => d.status)).toEqual([500, 204]);
  });

  it('marks 410 Gone so the subscription can be disabled instead of retried', async () => {
    const secret = generateWebhookSecret();
    const r = await receiver({ secret, status: 410 });
    const err = await failure(sendWebhook({ url: r.url, secrets: [secret] }, message(), LOCAL));
    expect(err.status).toBe(410);
    expect(err.gone).toBe(true);
  });

  it('gives up on an endpoint that never answers', async () => {
    const secret = generateWebhookSecret();
    const r = await receiver({ secret, hang: true });
    const err = await failure(
      sendWebhook({ url: r.url, secrets: [secret] }, message(), { ...LOCAL, timeoutMs: 200 }),
    );
    expect(err.code).toBe('NW_HTTP_TIMEOUT');
    expect(err.status).toBeUndefined();
    expect(err.message).toContain(r.url);
    expect(r.received).toHaveLength(1); // the request did arrive; only the answer never came
  });

  it('reports an unreachable endpoint without a status', async () => {
    const secret = generateWebhookSecret();
    const r = await startWebhookReceiver({ secret });
    const url = r.url;
    await r.close(); // nothing listens on that port any more
    const err = await failure(sendWebhook({ url, secrets: [secret] }, message(), LOCAL));
    expect(err.code).toBe('NW_WEBHOOK_FAILED');
    expect(err.status).toBeUndefined();
    expect(err.message).toContain(url);
    expect(err.message).toContain('ECONNREFUSED');
  });

  it('does not follow a redirect: the signed payload goes nowhere else, and the 3xx is a failure', async () => {
    const secret = generateWebhookSecret();
    const elsewhere = await receiver({ secret });
    let asked = 0;
    const redirecting = createServer((_req, res) => {
      asked += 1;
      res.writeHead(307, { location: elsewhere.url }).end();
    });
    await new Promise<void>((resolve) => redirecting.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(redirecting.address() as AddressInfo).port}/hook`;
    try {
      const err = await failure(sendWebhook({ url, secrets: [secret] }, message(), LOCAL));
      expect(err.status).toBe(307);
      expect(asked).toBe(1);
      expect(elsewhere.received).toHaveLength(0);
    } finally {
      redirecting.closeAllConnections();
      await new Promise((resolve) => redirecting.close(resolve));
    }
  });
});

describe('generateWebhookSecret', () => {
  it('makes distinct whsec_ secrets holding 24 random bytes', () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(a.slice('whsec_'.length), 'base64')).toHaveLength(24);
    expect(generateWebhookSecret()).not.toBe(a);
  });
});
