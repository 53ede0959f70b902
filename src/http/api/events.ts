// /api/events: the event base as operators search it (entity, type, date range), one event, and
// the timeline of an entity pair (Kuwait–NATO), historical events included, asked for by ids or
// by names in either language (src/domain/entity-names.ts).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { unresolvedMessage } from '../../domain/entity-names';
import type { EventRecord } from '../../domain/types';
import type { OperatorDeps } from '../operator';
import { idParams, limit, noQuery, queryBoolean, queryText } from '../query';
import { badRequest, notFound } from './errors';
import { answers, eventViewSchema } from './responses';

const tags = ['events'];

export const day = queryText(10)
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'is not a day like 2026-01-28' })
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), { error: 'is not a day of the calendar' });

export const entityList = queryText(1000)
  .regex(/^[a-z0-9-]+(,[a-z0-9-]+)*$/, {
    error: 'is not a comma-separated list of entity ids, e.g. kuwait,nato',
  })
  .transform((s) => s.split(','));

export { limit };

/** The first id in `ids` the gazetteer does not know, as a 400; undefined when all are known. */
export function unknownEntity(deps: OperatorDeps, ids: readonly string[] | undefined): string | undefined {
  return ids?.find((id) => !deps.entities.has(id));
}

/** An event with its parties' names, as the API shows it. */
export function eventView(deps: OperatorDeps, e: EventRecord) {
  return { ...e, parties: e.participants.map((id) => ({ id, name: deps.entities.nameOf(id) })) };
}

export function eventsApi(deps: OperatorDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/events',
      {
        schema: {
          tags,
          response: answers(z.object({ events: z.array(eventViewSchema) })),
          summary: 'Events, newest first: by entity (any of a list), type and the day they started',
          querystring: z.strictObject({
            entity: entityList.optional().describe('entity ids, comma-separated: events of any of them'),
            type: queryText(64)
              .regex(/^[a-z_]+$/, { error: 'is not an event type like meeting or dialogue' })
              .optional(),
            from: day.optional().describe('first day (inclusive)'),
            to: day.optional().describe('last day (inclusive)'),
            historical: queryBoolean().optional(),
            limit: limit(500, 50),
          }),
        },
      },
      async (request, reply) => {
        const q = request.query;
        const unknown = unknownEntity(deps, q.entity);
        if (unknown) return badRequest(reply, 'query.entity', `"${unknown}" is not a known entity`);
        if (q.from && q.to && q.from > q.to)
          return badRequest(reply, 'query.to', `${q.to} is before from (${q.from})`);
        const events = await deps.events.listEvents({
          entities: q.entity,
          from: q.from,
          to: q.to,
          limit: q.limit,
          where: (e) =>
            (!q.type || e.type === q.type || (e.types ?? []).includes(q.type)) &&
            (q.historical === undefined || e.historical === (q.historical === 'true')),
        });
        return { events: events.map((e) => eventView(deps, e)) };
      },
    );

    app.get(
      '/api/events/timeline',
      {
        schema: {
          tags,
          response: answers(
            z.object({
              entities: z.array(z.object({ id: z.string(), name: z.string() })),
              events: z.array(eventViewSchema),
            }),
          ),
          summary: 'Events every listed entity took part in, oldest first, historical events included',
          querystring: z.strictObject({
            entities: queryText(1000)
              .regex(/\S/, { error: 'names no entity' })
              .describe(
                'entity ids or names in English or Arabic, comma-separated: kuwait,nato or Kuwait, NATO or الكويت، الناتو',
              ),
          }),
        },
      },
      async (request, reply) => {
        const { names } = deps.entities;
        const resolved = names.resolve(request.query.entities);
        if (!resolved.ok)
          return badRequest(reply, 'query.entities', unresolvedMessage(resolved, names.describe));
        const { ids } = resolved;
        const events = await deps.events.timeline(ids);
        return {
          entities: ids.map((id) => ({ id, name: deps.entities.nameOf(id) })),
          events: events.map((e) => eventView(deps, e)),
        };
      },
    );

    app.get(
      '/api/events/:id',
      {
        schema: {
          tags,
          response: answers(z.object({ event: eventViewSchema }), { errors: [404] }),
          summary: 'One event with its sources',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request, reply) => {
        const event = await deps.events.getEvent(request.params.id);
        return event ? { event: eventView(deps, event) } : notFound(reply, 'event', request.params.id);
      },
    );
  };
}
