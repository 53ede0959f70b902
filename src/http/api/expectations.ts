// /api/expectations: by state (open ones soonest due first), one expectation, and the operator's
// two corrections: cancel an open one, reopen a closed one.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ExpectationRecord } from '../../domain/types';
import type { OperatorDeps } from '../operator';
import { idParams, limit, noQuery, queryEnum } from '../query';
import { badRequest, conflict, notFound } from './errors';
import { entityList, unknownEntity } from './events';

const tags = ['expectations'];
export const STATES = ['open', 'fulfilled', 'overdue', 'cancelled'] as const;

export function expectationView(deps: OperatorDeps, x: ExpectationRecord) {
  return { ...x, parties: x.participants.map((id) => ({ id, name: deps.entities.nameOf(id) })) };
}

/** What an operator's cancellation records in place of the article that would call an event off. */
export function operatorCancellation(now: Date, reason: string | undefined) {
  const text = reason?.trim() || 'cancelled by an operator';
  return {
    source: { articleId: 'operator', url: '', title: 'Operator', published: now.toISOString(), lang: 'en' },
    text,
    reasons: ['cancelled by an operator'],
  };
}

export function expectationsApi(deps: OperatorDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/expectations',
      {
        schema: {
          tags,
          summary: 'Expectations by state; open ones soonest due first, closed ones latest due first',
          querystring: z.strictObject({
            state: queryEnum(STATES).optional(),
            entity: entityList
              .optional()
              .describe('entity ids, comma-separated: expectations of any of them'),
            limit: limit(500, 50),
          }),
        },
      },
      async (request, reply) => {
        const q = request.query;
        const unknown = unknownEntity(deps, q.entity);
        if (unknown) return badRequest(reply, 'query.entity', `"${unknown}" is not a known entity`);
        const list = await deps.events.listExpectations({
          state: q.state,
          entities: q.entity,
          limit: q.limit,
        });
        return { expectations: list.map((x) => expectationView(deps, x)) };
      },
    );

    app.get(
      '/api/expectations/:id',
      { schema: { tags, summary: 'One expectation', params: idParams, querystring: noQuery } },
      async (request, reply) => {
        const x = await deps.events.getExpectation(request.params.id);
        return x
          ? { expectation: expectationView(deps, x) }
          : notFound(reply, 'expectation', request.params.id);
      },
    );

    app.post(
      '/api/expectations/:id/cancel',
      {
        schema: {
          tags,
          summary: 'Close an open expectation as called off; no overdue alert follows',
          params: idParams,
          querystring: noQuery,
          body: z
            .strictObject({ reason: z.string().max(500, { error: 'is at most 500 characters' }).optional() })
            .nullish(), // no body at all is fine: the reason is optional
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const x = await deps.events.getExpectation(id);
        if (!x) return notFound(reply, 'expectation', id);
        if (!(await deps.events.cancel(id, operatorCancellation(deps.now(), request.body?.reason))))
          return conflict(
            reply,
            'id',
            `expectation "${id}" is ${(await deps.events.getExpectation(id))?.state ?? x.state}, not open`,
          );
        return { expectation: expectationView(deps, (await deps.events.getExpectation(id))!) };
      },
    );

    app.post(
      '/api/expectations/:id/reopen',
      {
        schema: {
          tags,
          summary: 'Open a fulfilled, overdue or cancelled expectation again (the decision was wrong)',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request, reply) => {
        const { id } = request.params;
        const x = await deps.events.getExpectation(id);
        if (!x) return notFound(reply, 'expectation', id);
        if (!(await deps.events.reopen(id)))
          return conflict(reply, 'id', `expectation "${id}" is open already`);
        return { expectation: expectationView(deps, (await deps.events.getExpectation(id))!) };
      },
    );
  };
}
