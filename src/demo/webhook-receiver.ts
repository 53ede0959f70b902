// A real HTTP webhook receiver on 127.0.0.1 for tests and the demo: it checks Standard Webhooks
// signatures the way a subscriber would, records every request, and can be told to fail or hang
// so that retries, 410 handling and timeouts are exercised over a real socket.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedWebhook {
  /** webhook-id header ('' when missing). */
  id: string;
  /** webhook-timestamp header as a Date (invalid Date when missing or malformed). */
  timestamp: Date;
  /** The body parsed as JSON, or the raw text when it is not JSON. */
  payload: unknown;
  /** True when the signature matched the receiver's secret and the timestamp was fresh. */
  verified: boolean;
  /** The status this receiver answered; 0 when told to hang. */
  status: number;
}

export interface WebhookReceiverOptions {
  secret: string;
  /** How many requests (in arrival order) get the failure status. Default: all of them when
   * `status` is given, none otherwise. */
  failFirst?: number;
  /** Status for the failing requests (default 500), e.g. 410 to say the endpoint is gone. */
  status?: number;
  /** Retry-After header (seconds) to send with failure answers. */
  retryAfterSeconds?: number;
  /** Accept requests but never answer them, to exercise the sender's timeout. */
  hang?: boolean;
  /** Listen on this port (to come back on the same URL after close); any free port by default. */
  port?: number;
}

export type DeliveryPredicate = (delivery: ReceivedWebhook, all: readonly ReceivedWebhook[]) => boolean;

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** The deliveries this receiver accepted (2xx): what the subscriber acted on. */
  accepted(): ReceivedWebhook[];
  /** Resolves with the first delivery (already received or yet to come) matching the predicate. */
  waitFor(predicate?: DeliveryPredicate, timeoutMs?: number): Promise<ReceivedWebhook>;
  /** Calls back after each request is recorded; returns a function that unsubscribes. */
  onDelivery(callback: (delivery: ReceivedWebhook) => void): () => void;
  close(): Promise<void>;
}

export async function startWebhookReceiver(opts: WebhookReceiverOptions): Promise<WebhookReceiver> {
  const webhook = new Webhook(opts.secret);
  const failStatus = opts.status ?? 500;
  const failFirst = opts.failFirst ?? (opts.status === undefined ? 0 : Number.POSITIVE_INFINITY);
  const received: ReceivedWebhook[] = [];
  const listeners = new Set<(delivery: ReceivedWebhook) => void>();
  let requestCount = 0;

  const server = createServer((req, res) => {
    readBody(req).then(
      (body) => {
        requestCount += 1;
        const verified = verify(webhook, body, req);
        let status = 204;
        if (opts.hang)
          status = 0; // never answer; close() destroys the socket
        else if (!verified) status = 401;
        else if (requestCount <= failFirst) status = failStatus;
        if (status !== 0) answer(res, status, status >= 300 ? opts.retryAfterSeconds : undefined);
        const delivery: ReceivedWebhook = {
          id: header(req, 'webhook-id') ?? '',
          timestamp: new Date(Number(header(req, 'webhook-timestamp')) * 1000),
          payload: parseJson(body),
          verified,
          status,
        };
        received.push(delivery);
        for (const listener of listeners) listener(delivery);
      },
      () => res.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const onDelivery = (callback: (delivery: ReceivedWebhook) => void) => {
    listeners.add(callback);
    return () => listeners.delete(callback);
  };

  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    accepted: () => received.filter((d) => d.status >= 200 && d.status < 300),
    onDelivery,
    waitFor(predicate = () => true, timeoutMs = 5000) {
      const already = received.find((d) => predicate(d, received));
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          off();
          reject(
            new Error(
              `webhook receiver: no matching delivery within ${timeoutMs} ms (${received.length} received)`,
            ),
          );
        }, timeoutMs);
        const off = onDelivery((delivery) => {
          if (!predicate(delivery, received)) return;
          clearTimeout(timer);
          off();
          resolve(delivery);
        });
      });
    },
    close() {
      listeners.clear();
      server.closeAllConnections(); // hung requests would otherwise keep close() waiting
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function verify(webhook: Webhook, body: string, req: IncomingMessage): boolean {
  const headers: Record<string, string> = {};
  for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature']) {
    headers[name] = header(req, name) ?? '';
  }
  try {
    webhook.verify(body, headers, { jsonParse: false });
    return true;
  } catch {
    return false;
  }
}

function answer(res: ServerResponse, status: number, retryAfterSeconds: number | undefined): void {
  if (retryAfterSeconds !== undefined) res.setHeader('retry-after', String(retryAfterSeconds));
  res.writeHead(status).end();
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
