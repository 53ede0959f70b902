// One HTTP GET with the limits a poller needs: a deadline for the whole exchange, a cap on the body
// (counted as it streams, so a huge or endless page is cut off), conditional GET, and errors that name the URL.
import { NewswatchError, PermanentError } from '../errors';

export interface FetchOptions {
  /** Deadline for headers and body together. */
  timeoutMs?: number;
  /** Cap on the decoded body, in bytes. */
  maxBytes?: number;
  userAgent?: string;
  etag?: string;
  lastModified?: string;
  accept?: string;
}

export interface FetchedResource {
  status: number;
  /** The final URL, after redirects. */
  url: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: Buffer;
  notModified: boolean;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
export const DEFAULT_USER_AGENT = 'newswatch/0.1 (+https://github.com/newswatch)';

/** A non-2xx answer: workers read `status` and `retryAfterSeconds` to decide when, or whether, to try again. */
export class HttpStatusError extends NewswatchError {
  constructor(
    readonly url: string,
    readonly status: number,
    readonly retryAfterSeconds?: number,
  ) {
    const retry = retryAfterSeconds === undefined ? '' : `, retry after ${retryAfterSeconds} s`;
    super('NW_HTTP_STATUS', `${url}: HTTP ${status}${retry}`);
    this.name = 'HttpStatusError';
  }
}

export async function fetchResource(url: string, opts: FetchOptions = {}): Promise<FetchedResource> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  assertHttpUrl(url);

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);

  try {
    const res = await fetch(url, {
      headers: requestHeaders(opts),
      redirect: 'follow',
      signal: controller.signal,
    });
    const finalUrl = res.url || url;
    const headers = headersRecord(res.headers);

    if (res.status === 304) {
      await res.body?.cancel();
      return { status: 304, url: finalUrl, headers, body: Buffer.alloc(0), notModified: true };
    }
    if (res.status < 200 || res.status > 299) {
      await res.body?.cancel();
      throw new HttpStatusError(url, res.status, parseRetryAfter(res.headers.get('retry-after'), Date.now()));
    }
    // A compressed body only grows when decoded, so a declared length over the cap is already too much.
    const declared = Number(res.headers.get('content-length'));
    if (Number.isFinite(declared) && declared > maxBytes) {
      controller.abort();
      throw tooLarge(url, maxBytes);
    }
    const body = await readCapped(res, maxBytes, () => {
      controller.abort();
      return tooLarge(url, maxBytes);
    });
    return { status: res.status, url: finalUrl, headers, body, notModified: false };
  } catch (err) {
    if (err instanceof NewswatchError) throw err;
    if (timedOut) {
      throw new NewswatchError('NW_HTTP_TIMEOUT', `${url}: no complete response within ${timeoutMs} ms`, {
        cause: err,
      });
    }
    throw new NewswatchError('NW_FEED_UNREACHABLE', `${url}: unreachable (${networkCause(err)})`, {
      cause: err,
    });
  } finally {
    clearTimeout(timer);
  }
}

/** Retry-After is either delay-seconds or an HTTP-date; `now` is an argument so the rule stays testable. */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, Math.ceil((at - now) / 1000));
}

async function readCapped(res: Response, maxBytes: number, onTooLarge: () => Error): Promise<Buffer> {
  if (!res.body) return Buffer.alloc(0);
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw onTooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

function requestHeaders(opts: FetchOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'user-agent': opts.userAgent ?? DEFAULT_USER_AGENT,
    accept: opts.accept ?? '*/*',
  };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
  return headers;
}

function headersRecord(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

function assertHttpUrl(url: string): void {
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new PermanentError('NW_FEED_UNREACHABLE', `${url}: not a valid URL`);
  }
  if (protocol !== 'http:' && protocol !== 'https:') {
    throw new PermanentError(
      'NW_FEED_UNREACHABLE',
      `${url}: only http and https can be fetched, not ${protocol}`,
    );
  }
}

function tooLarge(url: string, maxBytes: number): NewswatchError {
  return new NewswatchError('NW_HTTP_TOO_LARGE', `${url}: body exceeds the ${maxBytes}-byte cap`);
}

/** undici hides the socket error under `cause` (and, with several addresses, under `cause.errors`). */
function networkCause(err: unknown): string {
  const cause = (err as { cause?: unknown })?.cause ?? err;
  const code = (cause as { code?: unknown })?.code;
  if (typeof code === 'string') return code;
  const inner = (cause as { errors?: { code?: unknown }[] })?.errors?.find(
    (e) => typeof e?.code === 'string',
  );
  if (inner) return String(inner.code);
  return cause instanceof Error ? cause.message : String(cause);
}
