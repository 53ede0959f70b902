// Routes of the delivery side: the unsubscribe page a recipient reaches from an email (public,
// its token is signed), one-click unsubscription (RFC 8058), and for operators the dead letters
// (list, re-drive) and an alert's delivery log. Handlers call functions; no store is known here.
// Query strings and paths are validated with zod as the JSON API's are: the operator routes
// answer the API's `{error, field, message}`, the unsubscribe page an HTML page naming the field,
// and neither ever passes an internal error's message on.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { installErrorHandler, notFound, validationProblems } from './api/errors';
import { answers, deadLetterSchema, deliveryStatusSchema } from './api/responses';
import { STYLESHEET_PATH } from './pages/assets';
import { escapeHtml } from './pages/html';
import { idParams, limit, noQuery, offset, queryText } from './query';

export interface DeliveryRoutesDeps {
  unsubscribe: {
    /** the subscriber id a token was signed for, or undefined */
    verify(token: string): string | undefined;
    /** records the unsubscription of the subscriber's email channel */
    record(subscriberId: string): Promise<void>;
    /** when the subscriber's email channel was unsubscribed, while it is */
    unsubscribedAt(subscriberId: string): Promise<string | undefined>;
  };
  deadLetters: {
    list(opts: { limit: number; offset: number }): Promise<unknown[]>;
    /** the dead letter re-driven, or undefined when there is none */
    redrive(id: string): Promise<unknown>;
  };
  /** the delivery log of an alert, or undefined when there is no such alert */
  deliveryLog(alertId: string): Promise<unknown[] | undefined>;
}

const html = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title><link rel="stylesheet" href="${STYLESHEET_PATH}"></head><body class="letter">${body}</body></html>`;

function badToken(reply: FastifyReply, problem?: string): FastifyReply {
  const detail = problem ? `<p class="muted">${escapeHtml(problem)}</p>` : '';
  return reply
    .code(400)
    .type('text/html; charset=utf-8')
    .send(
      html(
        'Invalid unsubscribe link',
        `<h1>This unsubscribe link is not valid</h1><p>It may have been cut short by your mail program. Open the link from the email again, whole.</p>${detail}`,
      ),
    );
}

/** An ISO time as a reader of the page says it: `4 December 2026, 10:31 UTC`. */
function readableTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = new Intl.DateTimeFormat('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const clock = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
  return `${day.format(date)}, ${clock.format(date)} UTC`;
}

/** The page for a link opened again after its channel was unsubscribed: nothing to confirm. */
function alreadyUnsubscribed(reply: FastifyReply, at: string): FastifyReply {
  return reply
    .type('text/html; charset=utf-8')
    .send(
      html(
        'Already unsubscribed',
        `<h1>You are already unsubscribed</h1><p>You are already unsubscribed (since <time datetime="${escapeHtml(at)}">${escapeHtml(readableTime(at))}</time>): no newswatch alerts are emailed to you at this subscription.</p>`,
      ),
    );
}

// Not strict: mail programs and link scanners append parameters of their own (utm_source, ...).
const tokenQuery = z.object({ token: queryText(4096).optional() });

function unsubscribeRoutes(deps: DeliveryRoutesDeps['unsubscribe']) {
  return async function routes(parent: FastifyInstance): Promise<void> {
    parent.setValidatorCompiler(validatorCompiler);
    parent.setSerializerCompiler(serializerCompiler);
    parent.setErrorHandler((err: FastifyError, request, reply) => {
      const problem = validationProblems(err)?.[0];
      if (problem) return badToken(reply, `${problem.field}: ${problem.message}`);
      request.log.error({ req: request, err: err.message, stack: err.stack }, 'unsubscribe failed');
      return reply
        .code(500)
        .type('text/html; charset=utf-8')
        .send(
          html(
            'Unsubscribe failed',
            '<h1>Something went wrong</h1><p>You are not unsubscribed yet. Please open the link again in a few minutes.</p>',
          ),
        );
    });
    const app = parent.withTypeProvider<ZodTypeProvider>();

    // One-click unsubscription POSTs `List-Unsubscribe=One-Click` form-encoded; the token is in the URL.
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded'))
      app.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_req, body, done) => done(null, body),
      );

    // Public (security: []): mail programs and recipients hold no operator token; the link's own
    // signed token is the check.
    const htmlAnswer = (description: string) => ({
      description,
      content: { 'text/html': { schema: z.string() } },
    });
    const schema = (summary: string) => ({
      tags: ['subscribers'],
      summary,
      security: [],
      querystring: tokenQuery,
      response: {
        200: htmlAnswer('an HTML page for the recipient'),
        400: htmlAnswer('the link is not valid (cut short, altered)'),
      },
    });

    app.get(
      '/unsubscribe',
      { schema: schema('The page an email’s unsubscribe link opens: asks to confirm') },
      async (request, reply) => {
        const token = request.query.token ?? '';
        const subscriberId = deps.verify(token);
        if (!subscriberId) return badToken(reply);
        const since = await deps.unsubscribedAt(subscriberId);
        if (since) return alreadyUnsubscribed(reply, since);
        const action = `/unsubscribe?token=${encodeURIComponent(token)}`;
        return reply
          .type('text/html; charset=utf-8')
          .send(
            html(
              'Unsubscribe from newswatch',
              `<h1>Unsubscribe from newswatch alerts?</h1><p>You will no longer receive newswatch alerts by email at this subscription.</p><form method="post" action="${escapeHtml(action)}"><button type="submit">Unsubscribe</button></form>`,
            ),
          );
      },
    );

    app.post(
      '/unsubscribe',
      { schema: schema('Unsubscribe the link’s email channel (RFC 8058 one-click; public)') },
      async (request, reply) => {
        const subscriberId = deps.verify(request.query.token ?? '');
        if (!subscriberId) return badToken(reply);
        const since = await deps.unsubscribedAt(subscriberId);
        if (since) return alreadyUnsubscribed(reply, since);
        await deps.record(subscriberId);
        return reply
          .type('text/html; charset=utf-8')
          .send(
            html(
              'Unsubscribed',
              '<h1>You are unsubscribed</h1><p>No more newswatch alerts will be emailed to you.</p>',
            ),
          );
      },
    );
  };
}

function deliveryApi(deps: DeliveryRoutesDeps) {
  return async function routes(parent: FastifyInstance): Promise<void> {
    parent.setValidatorCompiler(validatorCompiler);
    parent.setSerializerCompiler(serializerCompiler); // answers are checked against their documented schema
    installErrorHandler(parent);
    const app = parent.withTypeProvider<ZodTypeProvider>();
    const tags = ['deliveries'];

    app.get(
      '/api/dead-letters',
      {
        schema: {
          tags,
          response: answers(z.object({ deadLetters: z.array(deadLetterSchema) })),
          summary: 'Deliveries that ran out of attempts or failed for good, newest first',
          querystring: z.strictObject({ limit: limit(500, 100), offset: offset() }),
        },
      },
      async (request) => ({ deadLetters: await deps.deadLetters.list(request.query) }),
    );

    app.post(
      '/api/dead-letters/:id/redrive',
      {
        schema: {
          tags,
          response: answers(z.object({ redriven: deadLetterSchema }), { status: 202, errors: [404] }),
          summary: 'Run a dead letter’s delivery again from its first attempt, under the same id',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request, reply) => {
        const letter = await deps.deadLetters.redrive(request.params.id);
        if (!letter) return notFound(reply, 'dead letter', request.params.id);
        return reply.code(202).send({ redriven: letter });
      },
    );

    app.get(
      '/api/alerts/:id/deliveries',
      {
        schema: {
          tags,
          response: answers(z.object({ alertId: z.string(), deliveries: z.array(deliveryStatusSchema) }), {
            errors: [404],
          }),
          summary: 'What became of an alert for each subscriber channel',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request, reply) => {
        const deliveries = await deps.deliveryLog(request.params.id);
        if (!deliveries) return notFound(reply, 'alert', request.params.id);
        return { alertId: request.params.id, deliveries };
      },
    );
  };
}

export function deliveryRoutes(deps: DeliveryRoutesDeps) {
  return async function routes(app: FastifyInstance): Promise<void> {
    await app.register(unsubscribeRoutes(deps.unsubscribe));
    await app.register(deliveryApi(deps));
  };
}
