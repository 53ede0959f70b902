// /api/alerts: what was raised and what reached whom. Dead letters and their re-drive are served by
// the delivery routes (src/http/delivery-routes.ts) under /api/dead-letters.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ALERT_KINDS } from '../../domain/alert-kinds';
import type { OperatorDeps } from '../operator';
import { idParams, limit, noQuery, queryEnum } from '../query';
import { notFound } from './errors';
import { alertSchema, answers, deliveryAttemptSchema, deliveryStatusSchema } from './responses';

const tags = ['alerts'];

/** Alerts read when filtering by kind: the newest of them are searched, not the whole history. */
const KIND_SEARCH_DEPTH = 1000;

export function alertsApi(deps: OperatorDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/alerts',
      {
        schema: {
          tags,
          response: answers(
            z.object({ alerts: z.array(alertSchema.extend({ deliveries: z.array(deliveryStatusSchema) })) }),
          ),
          summary: 'Recent alerts, newest first, each with its delivery status per subscriber channel',
          querystring: z.strictObject({
            kind: queryEnum(ALERT_KINDS).optional(),
            limit: limit(500, 50),
          }),
        },
      },
      async (request) => {
        const { kind, limit: n } = request.query;
        const recent = await deps.alerts.recent(kind ? KIND_SEARCH_DEPTH : n);
        const alerts = (kind ? recent.filter((a) => a.kind === kind) : recent).slice(0, n);
        return {
          alerts: await Promise.all(
            alerts.map(async (alert) => ({ ...alert, deliveries: await deps.alerts.deliveryLog(alert.id) })),
          ),
        };
      },
    );

    app.get(
      '/api/alerts/:id',
      {
        schema: {
          tags,
          response: answers(
            z.object({
              alert: alertSchema,
              deliveries: z.array(deliveryStatusSchema),
              attempts: z.array(deliveryAttemptSchema),
            }),
            { errors: [404] },
          ),
          summary: 'One alert with its delivery status and every delivery attempt',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request, reply) => {
        const alert = await deps.alerts.get(request.params.id);
        if (!alert) return notFound(reply, 'alert', request.params.id);
        const [deliveries, attempts] = await Promise.all([
          deps.alerts.deliveryLog(alert.id),
          deps.alerts.attempts(alert.id),
        ]);
        return { alert, deliveries, attempts };
      },
    );
  };
}
