// /api/subscribers: subscribers.yml's (read-only here: the file is their source) and those added at
// run time (create, replace, delete), each with the state of its channels.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { subscriberSchema } from '../../config/data-files';
import { channelsOf, type Subscriber } from '../../domain/alerts';
import type { OperatorDeps } from '../operator';
import { idParams, noQuery } from '../query';
import { badRequest, conflict, notFound } from './errors';
import { answers, subscriberViewSchema } from './responses';

const tags = ['subscribers'];

/** Subscriber ids and the entity ids their filters name, which must be in the gazetteer. */
function filterEntities(sub: Subscriber): string[] {
  const e = sub.filters.entities;
  if (!e) return [];
  return Array.isArray(e) ? e : [...(e.all ?? []), ...(e.any ?? [])];
}

export function subscribersApi(deps: OperatorDeps): FastifyPluginAsyncZod {
  const { store } = deps.subscribers;
  const declared = (id: string) => deps.subscribers.declared().find((s) => s.id === id);

  // Webhook secrets are shown cut short: enough to tell which one is configured, not to sign with it.
  const view = async (sub: Subscriber, origin: 'file' | 'runtime') => ({
    ...sub,
    ...(sub.webhook
      ? { webhook: { ...sub.webhook, secrets: sub.webhook.secrets.map((s) => `${s.slice(0, 10)}…`) } }
      : {}),
    origin,
    channels: await Promise.all(
      channelsOf(sub).map(async (channel) => ({ channel, ...(await store.channelState(sub.id, channel)) })),
    ),
  });

  const unknownEntity = (sub: Subscriber) => filterEntities(sub).find((id) => !deps.entities.has(id));

  return async (app) => {
    app.get(
      '/api/subscribers',
      {
        schema: {
          tags,
          response: answers(z.object({ subscribers: z.array(subscriberViewSchema) })),
          summary: 'Every subscriber, from the file and added at run time',
          querystring: noQuery,
        },
      },
      async () => {
        const file = deps.subscribers.declared();
        const ids = new Set(file.map((s) => s.id));
        const runtime = (await store.list()).filter((s) => !ids.has(s.id));
        return {
          subscribers: [
            ...(await Promise.all(file.map((s) => view(s, 'file')))),
            ...(await Promise.all(runtime.map((s) => view(s, 'runtime')))),
          ],
        };
      },
    );

    app.get(
      '/api/subscribers/:id',
      {
        schema: {
          tags,
          response: answers(z.object({ subscriber: subscriberViewSchema }), { errors: [404] }),
          summary: 'One subscriber',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const file = declared(id);
        if (file) return { subscriber: await view(file, 'file') };
        const sub = await store.get(id);
        return sub ? { subscriber: await view(sub, 'runtime') } : notFound(reply, 'subscriber', id);
      },
    );

    app.post(
      '/api/subscribers',
      {
        schema: {
          tags,
          response: answers(z.object({ subscriber: subscriberViewSchema }), { status: 201, errors: [409] }),
          summary: 'Add a subscriber (fields as in subscribers.yml)',
          querystring: noQuery,
          body: subscriberSchema,
        },
      },
      async (request, reply) => {
        const sub = request.body;
        const unknown = unknownEntity(sub);
        if (unknown) return badRequest(reply, 'filters.entities', `"${unknown}" is not a known entity`);
        if (declared(sub.id) || (await store.get(sub.id)))
          return conflict(reply, 'id', `a subscriber "${sub.id}" exists already`);
        await store.put(sub);
        return reply.code(201).send({ subscriber: await view(sub, 'runtime') });
      },
    );

    app.put(
      '/api/subscribers/:id',
      {
        schema: {
          tags,
          response: answers(z.object({ subscriber: subscriberViewSchema }), { errors: [404, 409] }),
          summary: 'Replace a subscriber added at run time',
          params: idParams,
          querystring: noQuery,
          body: subscriberSchema,
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const sub = request.body;
        if (sub.id !== id)
          return badRequest(reply, 'id', `"${sub.id}" differs from the id in the path ("${id}")`);
        if (declared(id))
          return conflict(reply, 'id', `"${id}" is declared in subscribers.yml: change it there`);
        if (!(await store.get(id))) return notFound(reply, 'subscriber', id);
        const unknown = unknownEntity(sub);
        if (unknown) return badRequest(reply, 'filters.entities', `"${unknown}" is not a known entity`);
        await store.put(sub);
        return { subscriber: await view(sub, 'runtime') };
      },
    );

    app.delete(
      '/api/subscribers/:id',
      {
        schema: {
          tags,
          response: answers(z.null().describe('deleted'), { status: 204, errors: [404, 409] }),
          summary: 'Delete a subscriber added at run time',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        if (declared(id))
          return conflict(reply, 'id', `"${id}" is declared in subscribers.yml: remove it there`);
        return (await store.remove(id)) ? reply.code(204).send() : notFound(reply, 'subscriber', id);
      },
    );
  };
}
