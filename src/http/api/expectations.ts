// /api/expectations: by state (open ones soonest due first), one expectation, and the operator's
// two corrections: cancel an open one, reopen a closed one.
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ExpectationRecord } from '../../domain/types';
import type { OperatorDeps } from '../operator';
import { idParams, limit, noQuery, queryEnum } from '../query';
import { badRequest, conflict, notFound } from './errors';
import { entityList, unknownEntity } from './events';
import { answers, expectationViewSchema } from './responses';

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

/** What an operator's correction came to: the expectation as it is now, or why it was refused. */
export type Correction =
  { done: true; expectation: ExpectationRecord } | { done: false; status: 404 | 409; message: string };

type Corrected = Pick<OperatorDeps['events'], 'getExpectation' | 'cancel' | 'reopen'>;

async function refusal(events: Corrected, id: string, conflict: (x: ExpectationRecord) => string) {
  const x = await events.getExpectation(id);
  return x
    ? ({ done: false, status: 409, message: conflict(x) } as const)
    : ({ done: false, status: 404, message: `no expectation "${id}"` } as const);
}

async function afterwards(events: Corrected, id: string): Promise<Correction> {
  const x = await events.getExpectation(id);
  return x ? { done: true, expectation: x } : { done: false, status: 404, message: `no expectation "${id}"` };
}

/**
 * Cancels an open expectation. The store refuses an unknown id without writing anything (a
 * close gate left for an id that does not exist yet would shut out the expectation that later
 * gets it), so the refusal is explained after the attempt, not checked before it.
 */
export async function cancelExpectation(
  events: Corrected,
  id: string,
  by: NonNullable<ExpectationRecord['cancelledBy']>,
): Promise<Correction> {
  if (await events.cancel(id, by)) return afterwards(events, id);
  return refusal(events, id, (x) => `expectation "${id}" is ${x.state}, not open`);
}

/** Opens a closed expectation again; an open or unknown one is refused. */
export async function reopenExpectation(events: Corrected, id: string): Promise<Correction> {
  if (await events.reopen(id)) return afterwards(events, id);
  return refusal(events, id, () => `expectation "${id}" is open already`);
}

export function expectationsApi(deps: OperatorDeps): FastifyPluginAsyncZod {
  const answer = (reply: FastifyReply, id: string, c: Correction) => {
    if (c.done) return { expectation: expectationView(deps, c.expectation) };
    return c.status === 404 ? notFound(reply, 'expectation', id) : conflict(reply, 'id', c.message);
  };
  return async (app) => {
    app.get(
      '/api/expectations',
      {
        schema: {
          tags,
          response: answers(z.object({ expectations: z.array(expectationViewSchema) })),
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
      {
        schema: {
          tags,
          response: answers(z.object({ expectation: expectationViewSchema }), { errors: [404] }),
          summary: 'One expectation',
          params: idParams,
          querystring: noQuery,
        },
      },
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
          response: answers(z.object({ expectation: expectationViewSchema }), { errors: [404, 409] }),
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
        const cancelled = operatorCancellation(deps.now(), request.body?.reason);
        return answer(reply, id, await cancelExpectation(deps.events, id, cancelled));
      },
    );

    app.post(
      '/api/expectations/:id/reopen',
      {
        schema: {
          tags,
          response: answers(z.object({ expectation: expectationViewSchema }), { errors: [404, 409] }),
          summary: 'Open a fulfilled, overdue or cancelled expectation again (the decision was wrong)',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request, reply) =>
        answer(reply, request.params.id, await reopenExpectation(deps.events, request.params.id)),
    );
  };
}
