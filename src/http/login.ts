// Logging in from a browser: a form trades the operator token for a session cookie (a browser
// cannot send a Bearer header). `/login?token=` still works for links handed to an operator.
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE, sessionValue, tokenMatches } from './auth';
import { html } from './pages/html';
import { page } from './pages/layout';

const BOARD_PATH = '/admin/queues';

/** Only a path on this site: `next=//evil.example` or `next=https://...` would send the operator away. */
function localPath(next: unknown, fallback: string): string {
  return typeof next === 'string' && /^\/(?![/\\])/.test(next) ? next : fallback;
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

export function loginRoutes(operatorToken: string) {
  const startSession = (request: FastifyRequest, reply: FastifyReply, to: string) =>
    reply
      .setCookie(SESSION_COOKIE, sessionValue(operatorToken), {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: request.protocol === 'https',
      })
      .redirect(to, 303);

  return async function routes(app: FastifyInstance): Promise<void> {
    await app.register(formbody);
    app.get<{ Querystring: { token?: unknown; next?: unknown } }>(
      '/login',
      { schema: { hide: true } },
      async (request, reply) => {
        if (request.query.token === undefined)
          return reply.type('text/html; charset=utf-8').send(loginPage(localPath(request.query.next, '/')));
        const token = typeof request.query.token === 'string' ? request.query.token : ''; // ?token=a&token=b is an array
        if (!tokenMatches(token, operatorToken))
          return reply
            .code(401)
            .header('www-authenticate', 'Bearer')
            .send({ error: 'NW_UNAUTHORIZED', message: 'that is not the operator token' });
        return startSession(request, reply, localPath(request.query.next, BOARD_PATH));
      },
    );

    app.post<{ Body: { token?: unknown; next?: unknown } | undefined }>(
      '/login',
      { schema: { hide: true } },
      async (request, reply) => {
        const next = localPath(request.body?.next, '/');
        const token = typeof request.body?.token === 'string' ? request.body.token : '';
        if (!tokenMatches(token, operatorToken))
          return reply
            .code(401)
            .type('text/html; charset=utf-8')
            .send(
              loginPage(next, token === '' ? 'Enter the operator token.' : 'That is not the operator token.'),
            );
        return startSession(request, reply, next);
      },
    );

    app.post('/logout', { schema: { hide: true } }, async (_request, reply) =>
      reply.clearCookie(SESSION_COOKIE, { path: '/' }).redirect('/login', 303),
    );
  };
}
