// The operator token gate: a Bearer header for programs, a session cookie for browsers (set by
// the login form), and for /metrics optionally a token of its own, so Prometheus need not hold
// the operator's.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

export const SESSION_COOKIE = 'nw_token';

export interface AuthOptions {
  operatorToken: string;
  /** accepted on /metrics besides the operator token */
  metricsToken?: string | undefined;
  /** paths that check their own credentials, or need none */
  publicPaths: ReadonlySet<string>;
}

/**
 * The cookie holds a value derived from the token, not the token: a cookie read off a browser
 * opens the pages but does not give away the token that the API and the CLI use, and changing
 * OPERATOR_TOKEN ends every session.
 */
export function sessionValue(operatorToken: string): string {
  return createHmac('sha256', operatorToken).update('newswatch operator session v1').digest('base64url');
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

export function isOperator(request: FastifyRequest, operatorToken: string): boolean {
  return (
    tokenMatches(bearerOf(request), operatorToken) ||
    tokenMatches(request.cookies[SESSION_COOKIE], sessionValue(operatorToken))
  );
}

export function authHook(opts: AuthOptions) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const path = pathOf(request);
    if (opts.publicPaths.has(path)) return;
    if (isOperator(request, opts.operatorToken)) return;
    if (path === '/metrics' && opts.metricsToken && tokenMatches(bearerOf(request), opts.metricsToken))
      return;
    if (wantsPage(request, path))
      return reply.redirect(`/login?next=${encodeURIComponent(request.url)}`, 303);
    return unauthorized(reply);
  };
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
