// Logging in from a browser: a form trades the operator token for a session cookie (a browser
// cannot send a Bearer header). `/login?token=` still works for links handed to an operator.
// The cookie holds a random session id kept in Redis for SESSION_TTL; logging out deletes it.
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { LoginFailures } from '../store/login-failures';
import type { SessionStore } from '../store/sessions';
import { ownOrigin, refuseCrossSite, refuseWrongToken, SESSION_COOKIE, tokenMatches } from './auth';
import { localRedirect } from './same-origin';
import { html } from './pages/html';
import { page } from './pages/layout';

const BOARD_PATH = '/admin/queues';

export interface LoginDeps {
  operatorToken: string;
  sessions: Pick<SessionStore, 'start' | 'end' | 'ttlMs'>;
  failures: Pick<LoginFailures, 'attempt'>;
  publicUrl?: string | undefined;
}

function loginPage(next: string, error?: string): string {
  return page({
    title: 'Log in',
    path: '/login',
    loggedIn: false,
    body: html`<section>
      <form method="post" action="/login">
        <input type="hidden" name="next" value="${next}" />
        <label
          >Operator token
          <input
            type="password"
            name="token"
            autocomplete="current-password"
            required
            autofocus
            ${error ? html`aria-invalid="true" aria-describedby="token-error"` : ''}
        /></label>
        ${error ? html`<span class="field-error" id="token-error">${error}</span>` : ''}
        <button type="submit">Log in</button>
      </form>
    </section>`,
  });
}

const minutes = (s: number) => (s < 90 ? `${s} seconds` : `${Math.ceil(s / 60)} minutes`);

export function loginRoutes(deps: LoginDeps) {
  /** Over https (as the client sees it: X-Forwarded-Proto counts with TRUST_PROXY) the cookie is Secure. */
  const cookieOptions = (request: FastifyRequest) => ({
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: request.protocol === 'https',
  });

  const startSession = async (request: FastifyRequest, reply: FastifyReply, to: string) =>
    reply
      .setCookie(SESSION_COOKIE, await deps.sessions.start(), {
        ...cookieOptions(request),
        maxAge: Math.max(1, Math.ceil(deps.sessions.ttlMs / 1000)),
      })
      .redirect(to, 303);

  /** A login form may come from a program (no Origin), never from another origin's page. */
  const sameOriginForm = async (request: FastifyRequest, reply: FastifyReply) => {
    if (refuseCrossSite(request, reply, { allowUnmarked: true, publicUrl: deps.publicUrl })) return reply;
  };
  /** Logging out is done with the cookie alone, so it must come from the service's own page. */
  const sameOriginPage = async (request: FastifyRequest, reply: FastifyReply) => {
    if (refuseCrossSite(request, reply, { allowUnmarked: false, publicUrl: deps.publicUrl })) return reply;
  };

  const nextOf = (request: FastifyRequest, next: unknown, fallback: string) =>
    localRedirect(next, ownOrigin(request), fallback);

  return async function routes(app: FastifyInstance): Promise<void> {
    await app.register(formbody);
    app.get<{ Querystring: { token?: unknown; next?: unknown } }>(
      '/login',
      { schema: { hide: true } },
      async (request, reply) => {
        if (request.query.token === undefined)
          return reply
            .type('text/html; charset=utf-8')
            .send(loginPage(nextOf(request, request.query.next, '/')));
        const token = typeof request.query.token === 'string' ? request.query.token : ''; // ?token=a&token=b is an array
        const refused = await refuseWrongToken(
          request,
          reply,
          deps.failures,
          tokenMatches(token, deps.operatorToken),
          {
            wrong: (r) =>
              r
                .code(401)
                .header('www-authenticate', 'Bearer')
                .send({ error: 'NW_UNAUTHORIZED', message: 'that is not the operator token' }),
          },
        );
        if (refused) return reply;
        return startSession(request, reply, nextOf(request, request.query.next, BOARD_PATH));
      },
    );

    app.post<{ Body: { token?: unknown; next?: unknown } | undefined }>(
      '/login',
      { schema: { hide: true }, onRequest: sameOriginForm },
      async (request, reply) => {
        const next = nextOf(request, request.body?.next, '/');
        const token = typeof request.body?.token === 'string' ? request.body.token : '';
        const refused = await refuseWrongToken(
          request,
          reply,
          deps.failures,
          tokenMatches(token, deps.operatorToken),
          {
            wrong: (r) =>
              r
                .code(401)
                .type('text/html; charset=utf-8')
                .send(
                  loginPage(
                    next,
                    token === '' ? 'Enter the operator token.' : 'That is not the operator token.',
                  ),
                ),
            tooMany: (r, s) =>
              r
                .code(429)
                .type('text/html; charset=utf-8')
                .send(
                  loginPage(next, `Too many wrong tokens from this address. Try again in ${minutes(s)}.`),
                ),
          },
        );
        if (refused) return reply;
        return startSession(request, reply, next);
      },
    );

    app.post('/logout', { schema: { hide: true }, onRequest: sameOriginPage }, async (request, reply) => {
      await deps.sessions.end(request.cookies[SESSION_COOKIE]);
      return reply.clearCookie(SESSION_COOKIE, cookieOptions(request)).redirect('/login', 303);
    });
  };
}
