// /api/watches: subscribers' watches (entities and words that raise article.match), through the
// same WatchAdmin as the /watches page and `newswatch watches`. A refusal names its field: 400 for
// a bad body, an unknown subscriber or entity, 404 for an unknown watch, 409 for a name the
// subscriber uses already.
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { watchInputSchema } from '../../domain/watch';
import { WatchAdminError } from '../../watches/admin';
import type { OperatorDeps } from '../operator';
import { idParams, noQuery, queryText } from '../query';
import { sendProblems } from './errors';
import { answers, watchSchema } from './responses';

const tags = ['watches'];

/** A refusal of the admin as the API's error shape; anything else goes to the error handler. */
async function answer<T>(reply: FastifyReply, run: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof WatchAdminError) return sendProblems(reply, err.status, err.code, err.problems);
    throw err;
  }
}

export function watchesApi(deps: OperatorDeps): FastifyPluginAsyncZod {
  const { admin } = deps.watches;
  return async (app) => {
    app.get(
      '/api/watches',
      {
        schema: {
          tags,
          response: answers(z.object({ watches: z.array(watchSchema) })),
          summary: "Every watch, or one subscriber's",
          querystring: z.strictObject({ subscriber: queryText(200).optional() }),
        },
      },
      async (request) => {
        const { subscriber } = request.query;
        const all = await admin.list();
        return { watches: subscriber ? all.filter((w) => w.subscriberId === subscriber) : all };
      },
    );

    app.get(
      '/api/watches/:id',
      {
        schema: {
          tags,
          response: answers(z.object({ watch: watchSchema }), { errors: [404] }),
          summary: 'One watch',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request, reply) => answer(reply, async () => ({ watch: await admin.get(request.params.id) })),
    );

    app.post(
      '/api/watches',
      {
        schema: {
          tags,
          response: answers(z.object({ watch: watchSchema }), { status: 201, errors: [409] }),
          summary:
            'Add a watch: its subscriber gets article.match for every new article that meets it (entities, keywords)',
          querystring: noQuery,
          body: watchInputSchema,
        },
      },
      async (request, reply) =>
        answer(reply, async () => reply.code(201).send({ watch: await admin.create(request.body) })),
    );

    app.put(
      '/api/watches/:id',
      {
        schema: {
          tags,
          response: answers(z.object({ watch: watchSchema }), { errors: [404, 409] }),
          summary: 'Replace what a watch looks for (its id and creation time stay)',
          params: idParams,
          querystring: noQuery,
          body: watchInputSchema,
        },
      },
      async (request, reply) =>
        answer(reply, async () => ({ watch: await admin.replace(request.params.id, request.body) })),
    );

    app.delete(
      '/api/watches/:id',
      {
        schema: {
          tags,
          response: answers(z.null(), { status: 204, errors: [404] }),
          summary: 'Delete a watch',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request, reply) =>
        answer(reply, async () => {
          await admin.remove(request.params.id);
          return reply.code(204).send();
        }),
    );
  };
}
