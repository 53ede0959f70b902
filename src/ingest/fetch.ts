// One HTTP GET with the limits a poller needs: a deadline for the whole exchange, a cap on the body
// (counted as it streams, so a huge or endless page is cut off), conditional GET, and errors that name the URL.
// Every URL, and every redirect, goes through the SSRF guard first, and the connection goes to the
// address the guard checked (ssrf.ts); redirects are therefore followed here, one hop at a time.
import { fetch as undiciFetch, type Response } from 'undici';
import packageJson from '../../package.json' with { type: 'json' };
import { NewswatchError, PermanentError } from '../errors';
import { addressGuard, AddressRefusedError, allowanceOf, pinnedAgent, portOf, type LookupAll } from './ssrf';

export interface FetchOptions {
  /** Deadline for headers and body together, redirects included. */
  timeoutMs?: number;
  /** Cap on the decoded body, in bytes. */
  maxBytes?: number;
  userAgent?: string;
  etag?: string;
  lastModified?: string;
  accept?: string;
  /** Address ranges that may be fetched although not public (FETCH_ALLOW_PRIVATE); none by default. */
  allowPrivate?: readonly string[] | undefined;
  /** Name resolution for the guard; the system resolver by default. */
  lookup?: LookupAll | undefined;
  /** Redirects followed before giving up. */
  maxRedirects?: number;
}

export interface FetchedResource {
  status: number;
  /** The final URL, after redirects. */
  url: string;
  /** Lower-cased names. */
  headers: Record<string, string>;
  body: Buffer;
  notModified: boolean;
  /** Set when a hop went to a private address that is allowed on every port (atPrivateAddress). */
  privateAddress?: true;
}

/** Errors of fetches that went to, or were refused at, a private address (atPrivateAddress). */
const privateOutcomes = new WeakSet<object>();

/**
 * Whether a fetch, by its result or its error, went to an address that is not public and that no
 * port-specific FETCH_ALLOW_PRIVATE entry vouches for, or was refused at such an address. What
 * happened there (refused, closed, open, what answered) is not for someone who only chose the
 * URL to learn, or the feed probe would map the private network port by port.
 */
export function atPrivateAddress(outcome: unknown): boolean {
  if (typeof outcome !== 'object' || outcome === null) return false;
  if (privateOutcomes.has(outcome)) return true;
  if (outcome instanceof AddressRefusedError) return outcome.address !== undefined;
  return (outcome as Partial<FetchedResource>).privateAddress === true;
}

export const DEFAULT_TIMEOUT_MS = 15_000;
export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;
/** Browsers allow 20; a feed or article that needs more than 5 is misconfigured or a trap. */
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_CONTACT_URL = 'https://github.com/newswatch/newswatch';

/** Names newswatch and where a site's operator can reach whoever runs it; robots.txt is matched on the `newswatch` token. */
export function userAgentFor(contactUrl: string): string {
  return `newswatch/${packageJson.version} (+${contactUrl})`;
}

export const DEFAULT_USER_AGENT = userAgentFor(DEFAULT_CONTACT_URL);

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

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

export async function fetchResource(url: string, opts: FetchOptions = {}): Promise<FetchedResource> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRedirects = opts.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
  let target = httpUrl(url);
  const guard = addressGuard({ allowPrivate: opts.allowPrivate, lookup: opts.lookup });
  let privateHop = false;

  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, timeoutMs);

  try {
    for (let redirects = 0; ; redirects++) {
      const addresses = await abortable(guard.vet(target, url, redirects > 0), controller.signal);
      const port = portOf(target);
      if (addresses.some((a) => allowanceOf(a.address, opts.allowPrivate, port) === 'range'))
        privateHop = true;
      const agent = pinnedAgent(target.hostname, addresses);
      const res = await undiciFetch(target.href, {
        headers: requestHeaders(opts),
        redirect: 'manual',
        signal: controller.signal,
        dispatcher: agent,
      });
      const headers = headersRecord(res.headers);
      const location = res.headers.get('location');
      if (REDIRECT_STATUSES.has(res.status) && location !== null) {
        await res.body?.cancel().catch(() => undefined);
        const next = redirectTarget(url, target, location);
        if (redirects >= maxRedirects) {
          throw new NewswatchError(
            'NW_HTTP_REDIRECTS',
            `${url}: more than ${maxRedirects} redirects (the last one to ${next.href})`,
          );
        }
        target = next;
        continue;
      }
      if (res.status === 304) {
        await res.body?.cancel().catch(() => undefined);
        return {
          status: 304,
          url: target.href,
          headers,
          body: Buffer.alloc(0),
          notModified: true,
          ...(privateHop ? { privateAddress: true as const } : {}),
        };
      }
      if (res.status < 200 || res.status > 299) {
        await res.body?.cancel().catch(() => undefined);
        throw new HttpStatusError(
          url,
          res.status,
          parseRetryAfter(res.headers.get('retry-after'), Date.now()),
        );
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
      return {
        status: res.status,
        url: target.href,
        headers,
        body,
        notModified: false,
        ...(privateHop ? { privateAddress: true as const } : {}),
      };
    }
  } catch (err) {
    const failure =
      err instanceof NewswatchError
        ? err
        : timedOut
          ? new NewswatchError('NW_HTTP_TIMEOUT', `${url}: no complete response within ${timeoutMs} ms`, {
              cause: err,
            })
          : new NewswatchError('NW_FEED_UNREACHABLE', `${url}: unreachable (${networkCause(err)})`, {
              cause: err,
            });
    if (privateHop) privateOutcomes.add(failure);
    throw failure;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3); anything else is no
 * hint at all, rather than a guess. `now` is an argument so the rule stays testable.
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  // IMF-fixdate, RFC 850 and asctime all open with a day name and carry hh:mm:ss; Date.parse
  // alone would read "1.5" or "-1" as dates in 2001.
  if (!/^(mon|tue|wed|thu|fri|sat|sun)[a-z]*,?\s.*\d{2}:\d{2}:\d{2}/i.test(trimmed)) return undefined;
  // asctime names no zone, and HTTP dates are always GMT.
  const at = Date.parse(/gmt|utc|[+-]\d{4}$/i.test(trimmed) ? trimmed : `${trimmed} GMT`);
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

function headersRecord(headers: Response['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  headers.forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

function httpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new PermanentError('NW_FEED_UNREACHABLE', `${url}: not a valid URL`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new PermanentError(
      'NW_FEED_UNREACHABLE',
      `${url}: only http and https can be fetched, not ${parsed.protocol}`,
    );
  }
  return parsed;
}

/** Location may be relative; a scheme other than http(s) is refused like a private address. */
function redirectTarget(requested: string, from: URL, location: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new PermanentError(
      'NW_FEED_UNREACHABLE',
      `${requested}: redirects to an invalid URL ${JSON.stringify(location)}`,
    );
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:')
    throw new AddressRefusedError(requested, next.href, undefined, next.protocol, true);
  return next;
}

/** Name resolution cannot be cancelled, but the deadline must not wait for a resolver that hangs. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
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
