// The operator token gate: a Bearer header for programs, a session cookie for browsers (set by
// the login form), and for /metrics optionally a token of its own, so Prometheus need not hold
// the operator's. Also refuses state-changing requests made from another origin's page (CSRF),
// and addresses that presented too many wrong tokens (429).
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import type { Config, TrustProxy } from '../config/env';
import { LoginFailures } from '../store/login-failures';
import { SessionStore } from '../store/sessions';
import { crossSiteRefusal, originOf } from './same-origin';

/** Holds a random session id (src/store/sessions.ts), not anything derived from the token. */
export const SESSION_COOKIE = 'nw_session';

/** What the gate keeps in Redis and how it reads the client: buildApp's `auth`. */
export interface AppAuth {
  /** sessions and failed-login counts live here, under `prefix` (a plain connection: no auto-pipelining) */
  redis: Redis;
  prefix: string;
  sessionTtlMs: number;
  loginLimit: { maxFailures: number; windowMs: number };
  trustProxy: TrustProxy;
  /** PUBLIC_URL: its origin is accepted on state-changing requests besides the one addressed */
  publicUrl?: string | undefined;
}

/** AppAuth from the service's configuration and its plain Redis connection. */
export function appAuth(config: Config, redis: Redis): AppAuth {
  return {
    redis,
    prefix: config.prefix,
    sessionTtlMs: config.sessionTtlMs,
    loginLimit: config.loginLimit,
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
  };
}

export function authStores(auth: AppAuth, operatorToken: string) {
  return {
    sessions: new SessionStore(auth.redis, auth.prefix, auth.sessionTtlMs, operatorToken),
    failures: new LoginFailures(
      auth.redis,
      auth.prefix,
      auth.loginLimit.maxFailures,
      auth.loginLimit.windowMs,
    ),
  };
}

/** fastify's trustProxy: it honours a hop count at run time, but its types want the hop test spelled out. */
export function trustProxyOption(
  trust: TrustProxy,
): boolean | string[] | ((address: string, hop: number) => boolean) {
  return typeof trust === 'number' ? (_address, hop) => hop < trust : trust;
}

export interface AuthOptions {
  operatorToken: string;
  /** accepted on /metrics besides the operator token */
  metricsToken?: string | undefined;
  /** paths that check their own credentials, or need none */
  publicPaths: ReadonlySet<string>;
  sessions: Pick<SessionStore, 'isLive'>;
  failures: Pick<LoginFailures, 'attempt'>;
  /** PUBLIC_URL: its origin is the service's too, besides the one a request was addressed to */
  publicUrl?: string | undefined;
}

/** Hashing first gives equal-length buffers, so timingSafeEqual leaks neither content nor length. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

export function bearerOf(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  return auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : undefined;
}

export function authHook(opts: AuthOptions) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const path = pathOf(request);
    if (opts.publicPaths.has(path)) return;
    const bearer = bearerOf(request);
    const cookie = request.cookies[SESSION_COOKIE];
    // A page of another origin can make the browser send the cookie, never a Bearer header; a
    // request with neither is refused below for want of credentials.
    const allowUnmarked = bearer !== undefined || cookie === undefined;
    if (refuseCrossSite(request, reply, { allowUnmarked, publicUrl: opts.publicUrl })) return reply;
    if (bearer !== undefined) {
      const right =
        tokenMatches(bearer, opts.operatorToken) ||
        (path === '/metrics' && opts.metricsToken !== undefined && tokenMatches(bearer, opts.metricsToken));
      if (await refuseWrongToken(request, reply, opts.failures, right)) return reply;
      return;
    }
    if (await opts.sessions.isLive(cookie)) return;
    if (wantsPage(request, path))
      return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    return unauthorized(reply);
  };
}

/** The origins that are this service's: the one the request was addressed to, and PUBLIC_URL's. */
export function ownOrigins(request: FastifyRequest, publicUrl?: string): string[] {
  return [originOf(ownOrigin(request)), publicUrl === undefined ? undefined : originOf(publicUrl)].filter(
    (o): o is string => o !== undefined,
  );
}

/** `scheme://host` of this request as the client addressed it (X-Forwarded-* only with TRUST_PROXY). */
export function ownOrigin(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/**
 * Answers 403 and returns true when a state-changing request comes from another origin's page
 * (see crossSiteRefusal); returns false when it may go on.
 */
export function refuseCrossSite(
  request: FastifyRequest,
  reply: FastifyReply,
  opts: { allowUnmarked: boolean; publicUrl?: string | undefined },
): boolean {
  const reason = crossSiteRefusal({
    method: request.method,
    origin: request.headers.origin,
    fetchSite: header(request, 'sec-fetch-site'),
    own: ownOrigins(request, opts.publicUrl),
    allowUnmarked: opts.allowUnmarked,
  });
  if (reason === undefined) return false;
  request.log.warn(
    { client: request.ip, method: request.method, path: pathOf(request), origin: request.headers.origin },
    'cross-site request refused',
  );
  void reply.code(403).send({
    error: 'NW_CROSS_SITE',
    message: `refused: ${reason}; act from the newswatch pages themselves, or send "Authorization: Bearer <token>"`,
  });
  return true;
}

/**
 * Counts a wrong token against the client's address and answers 401, or 429 while the address is
 * locked out (a right token included); returns false when the token was right and may be used.
 * Logs the address, never the token.
 */
export async function refuseWrongToken(
  request: FastifyRequest,
  reply: FastifyReply,
  failures: Pick<LoginFailures, 'attempt'>,
  right: boolean,
  answer: {
    wrong: (reply: FastifyReply) => FastifyReply;
    tooMany?: (reply: FastifyReply, s: number) => FastifyReply;
  } = {
    wrong: unauthorized,
  },
): Promise<boolean> {
  const attempt = await failures.attempt(request.ip, right);
  const where = { client: request.ip, method: request.method, path: pathOf(request) };
  if (attempt.refused) {
    request.log.warn(
      { ...where, failures: attempt.failures, retryAfterS: attempt.retryAfterS },
      'too many wrong operator tokens from this address: refused without checking',
    );
    void (answer.tooMany ?? tooManyFailures)(
      reply.header('retry-after', String(attempt.retryAfterS)),
      attempt.retryAfterS,
    );
    return true;
  }
  if (right) return false;
  request.log.warn({ ...where, failures: attempt.failures }, 'wrong operator token');
  void answer.wrong(reply);
  return true;
}

function tooManyFailures(reply: FastifyReply, retryAfterS: number): FastifyReply {
  return reply.code(429).send({
    error: 'NW_TOO_MANY_FAILURES',
    message: `too many wrong operator tokens from this address; try again in ${retryAfterS} s`,
  });
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

/** A person in a browser is sent to the login form; a program gets 401. */
function wantsPage(request: FastifyRequest, path: string): boolean {
  return (
    request.method === 'GET' &&
    (request.headers.accept ?? '').includes('text/html') &&
    !path.startsWith('/api/') &&
    path !== '/metrics'
  );
}

export function unauthorized(reply: FastifyReply): FastifyReply {
  return reply.code(401).header('www-authenticate', 'Bearer').send({
    error: 'NW_UNAUTHORIZED',
    message: 'operator token required: send "Authorization: Bearer <token>", or log in at /login',
  });
}

export function pathOf(request: FastifyRequest): string {
  const q = request.url.indexOf('?');
  return q === -1 ? request.url : request.url.slice(0, q);
}
