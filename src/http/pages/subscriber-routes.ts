// The routes of the /subscribers pages (rendering in subscribers.ts). As on every operator page,
// GET renders and a plain form POSTs, acts and redirects back (303), so a refresh repeats
// nothing; a refused form comes back with the errors beside its fields; an unknown id is
// answered 404 naming it, with nothing written. Cross-site posts are refused before any of this
// (src/http/auth.ts). The work is SubscriberAdmin's, shared with the API and the CLI.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Problem } from '../../feeds/admin';
import { SubscriberAdminError } from '../../subscribers/admin';
import { subscriberAdmin } from '../api/subscribers';
import type { OperatorDeps } from '../operator';
import { ID_MAX, idParams, noQuery, queryEnum, queryText } from '../query';
import { html, type Html } from './html';
import { page } from './layout';
import {
  emptySubscriberForm,
  subscriberFormValues,
  subscriberInput,
  subscriberPage,
  subscribersPage,
  valuesOf,
  type ResubscribeRefusal,
  type SubscriberFormValues,
} from './subscribers';

const PATH = '/subscribers';
const hidden = <Q extends z.ZodType>(querystring: Q) => ({ schema: { hide: true, querystring } });
const action = { schema: { hide: true, querystring: noQuery, params: idParams } };
const channelAction = {
  schema: {
    hide: true,
    querystring: noQuery,
    params: z.strictObject({ id: idParams.shape.id, channel: queryText(40) }),
  },
};

const listQuery = z.strictObject({
  added: queryText(ID_MAX).optional(),
  deleted: queryText(ID_MAX).optional(),
  resubscribed: queryText(ID_MAX).optional(),
});
const detailQuery = z.strictObject({ saved: queryEnum(['true']).optional() });

/** Where a pause or resume button returns: the list (by default) or the subscriber's page. */
const backOf = (body: unknown, id: string) =>
  (body as { back?: unknown } | undefined)?.back === 'detail'
    ? `${PATH}/${encodeURIComponent(id)}`
    : `${PATH}#subscriber-${encodeURIComponent(id)}`;

export function subscriberPages(deps: OperatorDeps) {
  const admin = subscriberAdmin(deps);

  const send = (reply: FastifyReply, status: number, title: string, body: Html) =>
    reply
      .code(status)
      .type('text/html; charset=utf-8')
      .send(page({ title, path: PATH, body }));

  /** The request was not done: why, each problem with its field, and a way back. */
  const refused = (reply: FastifyReply, err: SubscriberAdminError, back = PATH) =>
    send(
      reply,
      err.status,
      err.status === 404 ? 'Not found' : err.status === 409 ? 'Not done' : 'Bad request',
      html`<section>
        <ul>
          ${err.problems.map((p) => html`<li class="error">${p.field}: ${p.message}</li>`)}
        </ul>
        <p><a href="${back}">Back</a></p>
      </section>`,
    );

  const listPage = async (
    reply: FastifyReply,
    status: number,
    opts: {
      form?: { values: SubscriberFormValues; problems: Problem[] };
      refusal?: ResubscribeRefusal;
      notice?: string | undefined;
    } = {},
  ) => {
    const [subscribers, unsubscribed] = await Promise.all([admin.list(), admin.unsubscribed()]);
    return send(
      reply,
      status,
      'Subscribers',
      subscribersPage({
        subscribers,
        unsubscribed,
        form: opts.form ?? { values: emptySubscriberForm, problems: [] },
        resubscribeRefusal: opts.refusal,
        notice: opts.notice,
      }),
    );
  };

  /** Runs an action; a refusal is answered by `onRefusal`, or by the page saying why. */
  const attempt = async (
    reply: FastifyReply,
    run: () => Promise<FastifyReply>,
    onRefusal?: (err: SubscriberAdminError) => Promise<FastifyReply> | undefined,
  ) => {
    try {
      return await run();
    } catch (err) {
      if (!(err instanceof SubscriberAdminError)) throw err;
      return (await onRefusal?.(err)) ?? refused(reply, err);
    }
  };

  return async function routes(parent: FastifyInstance): Promise<void> {
    const app = parent.withTypeProvider<ZodTypeProvider>();

    app.get(PATH, hidden(listQuery), async (request, reply) => {
      const { added, deleted, resubscribed } = request.query;
      const notice = added
        ? `Added subscriber ${added}.`
        : deleted
          ? `Deleted subscriber ${deleted}.`
          : resubscribed
            ? `Subscribed ${resubscribed} again; the consent is recorded on its page.`
            : undefined;
      return listPage(reply, 200, { notice });
    });

    app.post(PATH, hidden(noQuery), async (request, reply) => {
      const values = subscriberFormValues(request.body);
      return attempt(
        reply,
        async () => {
          const sub = await admin.add(subscriberInput(values));
          const id = encodeURIComponent(sub.id);
          return reply.redirect(`${PATH}?added=${id}#subscriber-${id}`, 303);
        },
        (err) => listPage(reply, err.status, { form: { values, problems: err.problems } }),
      );
    });

    app.get(
      `${PATH}/:id`,
      { schema: { hide: true, querystring: detailQuery, params: idParams } },
      async (request, reply) =>
        attempt(reply, async () => {
          const sub = await admin.get(request.params.id);
          return send(
            reply,
            200,
            `Subscriber ${sub.name}`,
            subscriberPage(
              sub,
              { values: valuesOf(sub), problems: [] },
              request.query.saved ? 'Saved.' : undefined,
            ),
          );
        }),
    );

    app.post(`${PATH}/:id/edit`, action, async (request, reply) => {
      const { id } = request.params;
      const values = { ...subscriberFormValues(request.body), id };
      return attempt(
        reply,
        async () => {
          await admin.update(id, (current) => subscriberInput(values, current));
          return reply.redirect(`${PATH}/${encodeURIComponent(id)}?saved=true`, 303);
        },
        (err) => {
          if (err.status !== 400) return undefined;
          return admin
            .get(id)
            .then((sub) =>
              send(
                reply,
                400,
                `Subscriber ${sub.name}`,
                subscriberPage(sub, { values, problems: err.problems }),
              ),
            );
        },
      );
    });

    for (const act of ['pause', 'resume'] as const)
      app.post(`${PATH}/:id/${act}`, action, async (request, reply) =>
        attempt(reply, async () => {
          await admin[act](request.params.id);
          return reply.redirect(backOf(request.body, request.params.id), 303);
        }),
      );

    app.post(`${PATH}/:id/delete`, action, async (request, reply) =>
      attempt(reply, async () => {
        await admin.remove(request.params.id);
        return reply.redirect(`${PATH}?deleted=${encodeURIComponent(request.params.id)}`, 303);
      }),
    );

    app.post(`${PATH}/:id/channels/:channel/resubscribe`, channelAction, async (request, reply) => {
      const { id, channel } = request.params;
      const body = (request.body ?? {}) as { consent?: unknown; by?: unknown };
      return attempt(
        reply,
        async () => {
          // The page asks whoever records the consent for their name: the operator token is shared.
          await admin.resubscribe(id, channel, { consent: body.consent, by: body.by }, undefined);
          return reply.redirect(`${PATH}?resubscribed=${encodeURIComponent(id)}#unsubscribed`, 303);
        },
        (err) =>
          err.status === 400 && err.problems.every((p) => p.field === 'consent' || p.field === 'by')
            ? listPage(reply, 400, {
                refusal: {
                  subscriberId: id,
                  channel,
                  problems: err.problems,
                  typed: {
                    consent: typeof body.consent === 'string' ? body.consent : '',
                    by: typeof body.by === 'string' ? body.by : '',
                  },
                },
              })
            : undefined,
      );
    });
  };
}
