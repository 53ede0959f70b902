// /api/feeds: list with health, add (probed first), change, pause, resume, remove (history kept), restore,
// the runtime feeds as feeds.yml entries, and every feed polled as OPML (export and import).
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { MAX_OPML_BYTES, MAX_OPML_FEEDS, OpmlError, parseOpml, writeOpml } from '../../feeds/opml';
import { feedPatchSchema, newFeedSchema } from '../../feeds/runtime';
import { badRequest } from './errors';
import {
  answers,
  commonErrorsAsJson,
  feedEntrySchema,
  feedViewSchema,
  importAnswerSchema,
  probeSchema,
} from './responses';
import type { OperatorDeps } from '../operator';
import { idParams, noQuery, queryBoolean } from '../query';
const tags = ['feeds'];
/** The types an OPML file is sent as: its own, and the XML ones readers and curl fall back to. */
const OPML_TYPES = ['text/x-opml', 'application/xml', 'text/xml'];

export function feedsApi(deps: OperatorDeps): FastifyPluginAsyncZod {
  return async (app) => {
    // Plain text for the import route; the size is checked by the route's bodyLimit first.
    app.addContentTypeParser(OPML_TYPES, { parseAs: 'string', bodyLimit: MAX_OPML_BYTES }, (_r, body, done) =>
      done(null, body),
    );
    app.get(
      '/api/feeds',
      {
        schema: {
          tags,
          response: answers(z.object({ feeds: z.array(feedViewSchema) })),
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
        schema: {
          tags,
          response: answers(z.object({ feeds: z.array(feedEntrySchema) })),
          summary: 'The feeds added at run time, as feeds.yml entries',
          querystring: noQuery,
        },
      },
      async () => ({ feeds: deps.feeds.exportable() }),
    );

    app.get(
      '/api/feeds/export.opml',
      {
        schema: {
          tags,
          response: {
            ...commonErrorsAsJson,
            200: {
              description: 'an OPML 2.0 document',
              content: { 'text/x-opml': { schema: z.string() } },
            },
          },
          summary:
            'Every feed polled (feeds.yml and run time) as OPML 2.0, for other feed readers; listing pages (type html) are left out',
          querystring: noQuery,
          produces: ['text/x-opml'],
        },
      },
      async (_request, reply) =>
        reply
          .type('text/x-opml; charset=utf-8')
          .send(writeOpml(deps.feeds.polled(), { title: 'newswatch feeds', now: new Date() })),
    );

    app.post(
      '/api/feeds/import',
      {
        bodyLimit: MAX_OPML_BYTES,
        schema: {
          tags,
          response: answers(importAnswerSchema, { errors: [413, 415] }),
          summary:
            'Add every feed outline of an OPML file, each as POST /api/feeds adds one (validated, probed, duplicates refused)',
          description: `Send the file as text/x-opml or application/xml, at most ${MAX_OPML_BYTES} bytes and ${MAX_OPML_FEEDS} feeds. Each outline's xmlUrl is the feed, text or title its name, language its lang, category and enclosing folders its tags. A file that is no OPML, has a DOCTYPE or nests deeper than 256 is refused whole (400); otherwise the answer lists per outline, with its line, \`added\`, \`already polled\` or \`refused\` and why.`,
          consumes: OPML_TYPES,
          querystring: noQuery,
          body: z.string().max(MAX_OPML_BYTES).describe('the OPML document'),
        },
      },
      async (request, reply) => {
        let feeds;
        try {
          feeds = parseOpml(request.body);
        } catch (err) {
          if (err instanceof OpmlError) return badRequest(reply, 'body', err.message);
          throw err;
        }
        const outcomes = await deps.feeds.importFeeds(feeds);
        const count = (what: string) => outcomes.filter((o) => o.outcome === what).length;
        return {
          added: count('added'),
          alreadyPolled: count('already polled'),
          refused: count('refused'),
          outlines: outcomes,
        };
      },
    );

    app.get(
      '/api/feeds/:id',
      {
        schema: {
          tags,
          response: answers(z.object({ feed: feedViewSchema }), { errors: [404] }),
          summary: 'One feed with its health',
          params: idParams,
          querystring: noQuery,
        },
      },
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
          response: answers(z.object({ feed: feedViewSchema, probe: probeSchema }), {
            status: 201,
            errors: [409],
          }),
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
          response: answers(z.object({ feed: feedViewSchema }), { errors: [404, 409] }),
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
          response: answers(z.object({ feed: feedViewSchema }), { errors: [404, 409] }),
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
          response: answers(z.object({ feed: feedViewSchema }), { errors: [404, 409] }),
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
          response: answers(z.object({ feed: feedViewSchema }), { errors: [404, 409] }),
          summary:
            'Remove a feed: it is polled no more; its articles and events stay, and it is listed as removed',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request) => ({ feed: (await deps.health([await deps.feeds.remove(request.params.id)]))[0] }),
    );

    app.post(
      '/api/feeds/:id/restore',
      {
        schema: {
          tags,
          response: answers(z.object({ feed: feedViewSchema }), { errors: [404, 409] }),
          summary:
            'Restore a removed feed: it is polled again under its id, with its history (items seen before are not news again)',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request) => ({ feed: (await deps.health([await deps.feeds.restore(request.params.id)]))[0] }),
    );
  };
}
