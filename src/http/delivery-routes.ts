// Routes of the delivery side: the unsubscribe page a recipient reaches from an email (public,
// its token is signed), one-click unsubscription (RFC 8058), and for operators the dead letters
// (list, re-drive) and an alert's delivery log. Handlers call functions; no store is known here.
import type { FastifyInstance, FastifyReply } from 'fastify';

export interface DeliveryRoutesDeps {
  unsubscribe: {
    /** the subscriber id a token was signed for, or undefined */
    verify(token: string): string | undefined;
    /** records the unsubscription of the subscriber's email channel */
    record(subscriberId: string): Promise<void>;
  };
  deadLetters: {
    list(opts: { limit: number; offset: number }): Promise<unknown[]>;
    /** the dead letter re-driven, or undefined when there is none */
    redrive(id: string): Promise<unknown>;
  };
  deliveryLog(alertId: string): Promise<unknown[]>;
}

const html = (title: string, body: string) =>
  `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${title}</title></head><body style="font-family: sans-serif; max-width: 40em; margin: 3em auto">${body}</body></html>`;

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function badToken(reply: FastifyReply): FastifyReply {
  return reply
    .code(400)
    .type('text/html; charset=utf-8')
    .send(
      html(
        'Invalid unsubscribe link',
        '<h1>This unsubscribe link is not valid</h1><p>It may have been cut short by your mail program. Open the link from the email again, whole.</p>',
      ),
    );
}

const tokenOf = (query: { token?: unknown }) => (typeof query.token === 'string' ? query.token : '');

export function deliveryRoutes(deps: DeliveryRoutesDeps) {
  return async function routes(app: FastifyInstance): Promise<void> {
    // One-click unsubscription POSTs `List-Unsubscribe=One-Click` form-encoded; the token is in the URL.
    if (!app.hasContentTypeParser('application/x-www-form-urlencoded'))
      app.addContentTypeParser(
        'application/x-www-form-urlencoded',
        { parseAs: 'string' },
        (_req, body, done) => done(null, body),
      );

    app.get<{ Querystring: { token?: unknown } }>('/unsubscribe', async (request, reply) => {
      const token = tokenOf(request.query);
      if (!deps.unsubscribe.verify(token)) return badToken(reply);
      const action = `/unsubscribe?token=${encodeURIComponent(token)}`;
      return reply
        .type('text/html; charset=utf-8')
        .send(
          html(
            'Unsubscribe from newswatch',
            `<h1>Unsubscribe from newswatch alerts?</h1><p>You will no longer receive newswatch alerts by email at this subscription.</p><form method="post" action="${escape(action)}"><button type="submit">Unsubscribe</button></form>`,
          ),
        );
    });

    app.post<{ Querystring: { token?: unknown } }>('/unsubscribe', async (request, reply) => {
      const subscriberId = deps.unsubscribe.verify(tokenOf(request.query));
      if (!subscriberId) return badToken(reply);
      await deps.unsubscribe.record(subscriberId);
      return reply
        .type('text/html; charset=utf-8')
        .send(
          html(
            'Unsubscribed',
            '<h1>You are unsubscribed</h1><p>No more newswatch alerts will be emailed to you.</p>',
          ),
        );
    });

    app.get<{ Querystring: { limit?: string; offset?: string } }>('/api/dead-letters', async (request) => {
      const limit = Math.min(500, Math.max(1, Number(request.query.limit ?? 100) || 100));
      const offset = Math.max(0, Number(request.query.offset ?? 0) || 0);
      return { deadLetters: await deps.deadLetters.list({ limit, offset }) };
    });

    app.post<{ Params: { id: string } }>('/api/dead-letters/:id/redrive', async (request, reply) => {
      const letter = await deps.deadLetters.redrive(request.params.id);
      if (!letter)
        return reply
          .code(404)
          .send({ error: 'NW_NOT_FOUND', message: `no dead letter ${request.params.id}` });
      return reply.code(202).send({ redriven: letter });
    });

    app.get<{ Params: { id: string } }>('/api/alerts/:id/deliveries', async (request) => ({
      alertId: request.params.id,
      deliveries: await deps.deliveryLog(request.params.id),
    }));
  };
}
