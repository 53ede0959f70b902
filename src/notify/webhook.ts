// Delivers one message to one subscriber endpoint as a Standard Webhooks POST
// (https://www.standardwebhooks.com): signed, time-limited, and failing with a WebhookError
// that tells the delivery stage whether to retry, when, or to stop (410 Gone).
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { NewswatchError, type ErrorCode } from '../errors';

export interface WebhookEndpoint {
  url: string;
  /** `whsec_` + base64 key, as generateWebhookSecret() makes and the subscriber stores. */
  secret: string;
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

export class WebhookError extends NewswatchError {
  constructor(
    code: ErrorCode,
    message: string,
    readonly url: string,
    /** The HTTP status the endpoint answered; undefined when no answer came (timeout, refused). */
    readonly status: number | undefined,
    /** From the Retry-After header, when the endpoint sent one. */
    readonly retryAfterSeconds: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
    this.name = 'WebhookError';
  }

  /** 410 Gone: the subscriber removed this endpoint; retrying is pointless, disable it instead. */
  get gone(): boolean {
    return this.status === 410;
  }
}

export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString('base64')}`;
}

export async function sendWebhook(
  endpoint: WebhookEndpoint,
  message: WebhookMessage,
  opts: { timeoutMs?: number } = {},
): Promise<WebhookResult> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const signature = new Webhook(endpoint.secret).sign(message.id, message.timestamp, message.body);
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(endpoint.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'newswatch-webhook/1',
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(message.timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: message.body,
      // A signed payload must not be forwarded elsewhere: a redirect counts as a failure.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw noAnswerError(endpoint.url, timeoutMs, err);
  }
  const latencyMs = Math.round(performance.now() - started);
  // The answer's body means nothing to us; cancelling it frees the connection.
  await response.body?.cancel().catch(() => undefined);
  if (response.status >= 200 && response.status < 300) return { status: response.status, latencyMs };
  throw new WebhookError(
    'NW_WEBHOOK_FAILED',
    `webhook ${endpoint.url} answered HTTP ${response.status}`,
    endpoint.url,
    response.status,
    parseRetryAfter(response.headers.get('retry-after')),
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
  // fetch hides the socket error (ECONNREFUSED, ENOTFOUND) in `cause`; name it in the message.
  const cause = err instanceof Error && err.cause instanceof Error ? err.cause.message : String(err);
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
