// /api/feeds: list with health, add (probed first), change, pause, resume, remove (history kept),
// and the runtime feeds as feeds.yml entries.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { feedPatchSchema, newFeedSchema } from '../../feeds/runtime';
import type { OperatorDeps } from '../operator';
import { idParams, noQuery, queryBoolean } from '../query';
const tags = ['feeds'];

export function feedsApi(deps: OperatorDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/feeds',
      {
        schema: {
          tags,
          summary: 'Every feed (feeds.yml and added at run time) with its polling health',
          querystring: z.strictObject({
            removed: queryBoolean().optional().describe('include removed feeds'),
          }),
        },
      },
      async (request) => ({
        feeds: await deps.health(deps.feeds.list({ removed: request.query.removed === 'true' })),
      }),
    );

    app.get(
      '/api/feeds/export',
      {
        schema: { tags, summary: 'The feeds added at run time, as feeds.yml entries', querystring: noQuery },
      },
      async () => ({ feeds: deps.feeds.exportable() }),
    );

    app.get(
      '/api/feeds/:id',
      { schema: { tags, summary: 'One feed with its health', params: idParams, querystring: noQuery } },
      async (request, reply) => {
        const feed = deps.feeds.get(request.params.id);
        if (!feed)
          return reply
            .code(404)
            .send({ error: 'NW_NOT_FOUND', field: 'id', message: `no feed "${request.params.id}"` });
        return { feed: (await deps.health([feed]))[0] };
      },
    );

    app.post(
      '/api/feeds',
      {
        schema: {
          tags,
          summary:
            'Add a feed: the URL is probed first; a page that is no feed, or a feed polled already, is refused',
          description:
            'Fields as in feeds.yml: `lang` is `language`, `tags` is `region`. Without `lang` the language of the items is used; without `schedule`, every 10 minutes; without `tags`, [manual]. Give `selectors` for an HTML listing page. `alertBacklog: true` alerts on what the feed lists at its first poll and on old articles too (by default they are stored and matched but raise no alerts).',
          querystring: noQuery,
          body: newFeedSchema,
        },
      },
      async (request, reply) => {
        const { feed, probe } = await deps.feeds.add(request.body);
        return reply.code(201).send({ feed: (await deps.health([feed]))[0], probe });
      },
    );

    app.patch(
      '/api/feeds/:id',
      {
        schema: {
          tags,
          summary: 'Change schedule, selectors, tags, name or language',
          params: idParams,
          querystring: noQuery,
          body: feedPatchSchema,
        },
      },
      async (request) => ({
        feed: (await deps.health([await deps.feeds.update(request.params.id, request.body)]))[0],
      }),
    );

    app.post(
      '/api/feeds/:id/pause',
      {
        schema: {
          tags,
          summary: 'Stop polling a feed until it is resumed',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request) => ({ feed: (await deps.health([await deps.feeds.pause(request.params.id)]))[0] }),
    );

    app.post(
      '/api/feeds/:id/resume',
      {
        schema: {
          tags,
          summary: 'Poll a paused feed again, from the next slot',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request) => ({ feed: (await deps.health([await deps.feeds.resume(request.params.id)]))[0] }),
    );

    app.delete(
      '/api/feeds/:id',
      {
        schema: {
          tags,
          summary:
            'Remove a feed: it is polled no more; its articles and events stay, and it is listed as removed',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request) => ({ feed: (await deps.health([await deps.feeds.remove(request.params.id)]))[0] }),
    );
  };
}
