// /api/subscribers: subscribers.yml's (read-only here: the file is their source) and those added at
// run time (create, replace, delete), each with the state of its channels; pause and resume any
// of them; the unsubscribed channels, and subscribing one again with the recipient's consent.
// The work is SubscriberAdmin's (src/subscribers/admin.ts), shared with the page and the CLI.
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { subscriberSchema } from '../../config/data-files';
import { CHANNELS } from '../../domain/alerts';
import { consentSchema, SubscriberAdmin, SubscriberAdminError } from '../../subscribers/admin';
import type { OperatorDeps } from '../operator';
import { idParams, noQuery } from '../query';
import { notFound, sendProblems } from './errors';
import {
  answers,
  consentSchema as consentAnswer,
  subscriberViewSchema,
  unsubscribedSchema,
} from './responses';

const tags = ['subscribers'];

/** Who recorded a consent given through the API without a `by`. */
export const API_RECORDER = 'operator (API)';

export function subscriberAdmin(deps: OperatorDeps): SubscriberAdmin {
  return new SubscriberAdmin({
    declared: () => deps.subscribers.declared(),
    store: deps.subscribers.store,
    entities: deps.entities,
    now: () => deps.now(),
  });
}

/** Runs an admin call, answering its refusals as the API answers every refusal. */
async function answer<T>(reply: FastifyReply, id: string, run: () => Promise<T>): Promise<T | FastifyReply> {
  try {
    return await run();
  } catch (err) {
    if (!(err instanceof SubscriberAdminError)) throw err;
    if (err.status === 404) return notFound(reply, 'subscriber', id);
    return sendProblems(reply, err.status, err.code, err.problems);
  }
}

const channelParams = z.strictObject({
  id: idParams.shape.id,
  channel: z.enum(CHANNELS, { error: `is one of ${CHANNELS.join(', ')}` }),
});

export function subscribersApi(deps: OperatorDeps): FastifyPluginAsyncZod {
  const admin = subscriberAdmin(deps);

  return async (app) => {
    app.get(
      '/api/subscribers',
      {
        schema: {
          tags,
          response: answers(z.object({ subscribers: z.array(subscriberViewSchema) })),
          summary:
            'Every subscriber, from the file and added at run time, with paused state and channel state',
          querystring: noQuery,
        },
      },
      async () => ({ subscribers: await admin.list() }),
    );

    app.get(
      '/api/subscribers/:id',
      {
        schema: {
          tags,
          response: answers(z.object({ subscriber: subscriberViewSchema }), { errors: [404] }),
          summary: 'One subscriber, with its channels’ state and the consents recorded',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request, reply) =>
        answer(reply, request.params.id, async () => ({ subscriber: await admin.get(request.params.id) })),
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
      async (request, reply) =>
        answer(reply, request.body.id, async () =>
          reply.code(201).send({ subscriber: await admin.add(request.body) }),
        ),
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
      async (request, reply) =>
        answer(reply, request.params.id, async () => ({
          subscriber: await admin.update(request.params.id, () => request.body),
        })),
    );

    app.delete(
      '/api/subscribers/:id',
      {
        schema: {
          tags,
          response: answers(z.null(), { status: 204, errors: [404, 409] }),
          summary: 'Delete a subscriber added at run time',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request, reply) =>
        answer(reply, request.params.id, async () => {
          await admin.remove(request.params.id);
          return reply.code(204).send();
        }),
    );

    app.post(
      '/api/subscribers/:id/pause',
      {
        schema: {
          tags,
          response: answers(z.object({ subscriber: subscriberViewSchema }), { errors: [404] }),
          summary:
            'Pause a subscriber (subscribers.yml’s too): it receives nothing, instant or digest, until resumed',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request, reply) =>
        answer(reply, request.params.id, async () => ({ subscriber: await admin.pause(request.params.id) })),
    );

    app.post(
      '/api/subscribers/:id/resume',
      {
        schema: {
          tags,
          response: answers(z.object({ subscriber: subscriberViewSchema }), { errors: [404] }),
          summary: 'Resume a paused subscriber: it receives the alerts raised from now on',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request, reply) =>
        answer(reply, request.params.id, async () => ({ subscriber: await admin.resume(request.params.id) })),
    );

    app.get(
      '/api/unsubscriptions',
      {
        schema: {
          tags,
          response: answers(z.object({ unsubscribed: z.array(unsubscribedSchema) })),
          summary: 'The channels whose recipients unsubscribed, with when, earliest first',
          querystring: noQuery,
        },
      },
      async () => ({ unsubscribed: await admin.unsubscribed() }),
    );

    app.post(
      '/api/subscribers/:id/channels/:channel/resubscribe',
      {
        schema: {
          tags,
          response: answers(z.object({ consent: consentAnswer, subscriber: subscriberViewSchema }), {
            errors: [404, 409],
          }),
          summary:
            'Subscribe an unsubscribed channel again, recording the recipient’s consent (how it was given; who records it)',
          params: channelParams,
          querystring: noQuery,
          body: consentSchema,
        },
      },
      async (request, reply) => {
        const { id, channel } = request.params;
        return answer(reply, id, async () => {
          const consent = await admin.resubscribe(id, channel, request.body, API_RECORDER);
          return { consent, subscriber: await admin.get(id) };
        });
      },
    );
  };
}
