// Delivers one message to one subscriber endpoint as a Standard Webhooks POST
// (https://www.standardwebhooks.com): signed, time-limited, and failing with a WebhookError
// that tells the delivery stage whether to retry, when, or to stop (410 Gone). A subscriber
// chooses the URL, so it passes the SSRF guard first and the POST goes to the vetted address.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { request, type Dispatcher } from 'undici';
import { alertPayload, digestPayload } from '../domain/alert-payload';
import type { ErrorCode } from '../errors';
import { addressGuard, AddressRefusedError, pinnedAgent, type GuardOptions } from '../ingest/ssrf';
import { DeliveryError, type Channel } from './channel';

export interface WebhookEndpoint {
  url: string;
  /**
   * `whsec_` + base64 keys, as generateWebhookSecret() makes them. Two during a rotation: the
   * message carries a signature for each, so receivers holding either secret accept it.
   */
  secrets: readonly string[];
}

export interface WebhookMessage {
  /** Stable across retries, so the receiver can drop duplicates (webhook-id). */
  id: string;
  /** When this attempt is sent: receivers reject timestamps more than 5 minutes from their clock. */
  timestamp: Date;
  /** The JSON text to POST; signed byte for byte, so it must not be re-serialised after signing. */
  body: string;
}

export interface WebhookResult {
  status: number;
  latencyMs: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

export class WebhookError extends DeliveryError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly url: string,
    status: number | undefined,
    /** From the Retry-After header, when the endpoint sent one. */
    private readonly retryAfter: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(code, message, status, options);
    this.name = 'WebhookError';
  }

  override get retryAfterSeconds(): number | undefined {
    return this.retryAfter;
  }

  /** 410 Gone: the subscriber removed this endpoint; retrying is pointless, disable it instead. */
  override get gone(): boolean {
    return this.status === 410;
  }

  /** A 4xx other than 408 (timeout) and 429 (slow down) will be refused again however often we ask. */
  get permanent(): boolean {
    // An address the guard refuses stays refused until the operator changes FETCH_ALLOW_PRIVATE.
    if (this.code === 'NW_ADDRESS_REFUSED') return true;
    const s = this.status;
    return s !== undefined && s >= 400 && s < 500 && s !== 408 && s !== 429;
  }
}

/** The deadline, and the address ranges a webhook may reach although not public (FETCH_ALLOW_PRIVATE). */
export type WebhookOptions = { timeoutMs?: number } & GuardOptions;

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export async function sendWebhook(
  endpoint: WebhookEndpoint,
  message: WebhookMessage,
  opts: WebhookOptions = {},
): Promise<WebhookResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (endpoint.secrets.length === 0) throw new Error(`webhook ${endpoint.url}: no secret to sign with`);
  // Space-separated signatures, one per secret, as the Standard Webhooks spec allows.
  const signature = endpoint.secrets
    .map((secret) => new Webhook(secret).sign(message.id, message.timestamp, message.body))
    .join(' ');
  const started = performance.now();
  let response: Dispatcher.ResponseData;
  try {
    const target = new URL(endpoint.url);
    const agent = pinnedAgent(target.hostname, await addressGuard(opts).vet(target, endpoint.url));
    // undici's request, not fetch: a webhook needs no WHATWG streams or body decoding, and fetch's
    // machinery was most of a delivery's CPU. It follows no redirect: a signed payload must not be
    // forwarded elsewhere, so a 3xx counts as a failure.
    response = await request(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'newswatch-webhook/1',
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(message.timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: message.body,
      signal: AbortSignal.timeout(timeoutMs),
      dispatcher: agent,
    });
  } catch (err) {
    if (err instanceof AddressRefusedError)
      throw new WebhookError(
        'NW_ADDRESS_REFUSED',
        `webhook ${err.message}`,
        endpoint.url,
        undefined,
        undefined,
        {
          cause: err,
        },
      );
    throw noAnswerError(endpoint.url, timeoutMs, err);
  }
  const latencyMs = Math.round(performance.now() - started);
  // The answer's body means nothing to us: a short one is read and dropped so the connection can
  // be reused; a long one closes it.
  await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
  const status = response.statusCode;
  if (status >= 200 && status < 300) return { status, latencyMs };
  const retryAfter = response.headers['retry-after'];
  throw new WebhookError(
    'NW_WEBHOOK_FAILED',
    `webhook ${endpoint.url} answered HTTP ${status}`,
    endpoint.url,
    status,
    parseRetryAfter(Array.isArray(retryAfter) ? (retryAfter[0] ?? null) : (retryAfter ?? null)),
  );
}

function noAnswerError(url: string, timeoutMs: number, err: unknown): WebhookError {
  const timedOut = err instanceof Error && (err.name === 'TimeoutError' || err.name === 'AbortError');
  if (timedOut) {
    return new WebhookError(
      'NW_HTTP_TIMEOUT',
      `webhook ${url} did not answer within ${timeoutMs} ms`,
      url,
      undefined,
      undefined,
      { cause: err },
    );
  }
  // Name the socket error (ECONNREFUSED, ENOTFOUND) in the message, wherever the client put it.
  const cause =
    err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
  return new WebhookError(
    'NW_WEBHOOK_FAILED',
    `webhook ${url} unreachable: ${cause}`,
    url,
    undefined,
    undefined,
    {
      cause: err,
    },
  );
}

/** Retry-After is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). */
function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** The webhook channel: the versioned payload (alert-v1 or digest-v1), signed and POSTed. */
export function webhookChannel(opts: WebhookOptions = {}): Channel {
  return {
    name: 'webhook',
    async send(sub, message) {
      if (!sub.webhook) throw new Error(`subscriber ${sub.id} has no webhook`);
      const payload = message.digest
        ? digestPayload(message.digest, message.alerts)
        : alertPayload(message.alerts[0]!);
      const result = await sendWebhook(
        sub.webhook,
        { id: message.id, timestamp: message.at, body: JSON.stringify(payload) },
        opts,
      );
      return { ...result, messageId: message.id };
    },
  };
}
