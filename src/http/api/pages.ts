// /api/pages/given-up: article pages the scrape stage gave up (attempts exhausted, or a page that
// cannot be read: gone, refused, not HTML, too large), and re-driving one, which runs its scrape
// job again from the first attempt under the same id.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { OperatorDeps } from '../operator';
import { idParams, limit, noQuery, offset } from '../query';
import { notFound } from './errors';
import { answers, givenUpPageSchema } from './responses';

const tags = ['pages'];

export function pagesApi(deps: OperatorDeps): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/pages/given-up',
      {
        schema: {
          tags,
          response: answers(z.object({ pages: z.array(givenUpPageSchema) })),
          summary: 'Article pages given up, newest first: reason, URL, feed, attempts, last error and when',
          querystring: z.strictObject({ limit: limit(500, 100), offset: offset() }),
        },
      },
      async (request) => ({ pages: await deps.givenUpPages.list(request.query) }),
    );

    app.post(
      '/api/pages/given-up/:id/redrive',
      {
        schema: {
          tags,
          response: answers(z.object({ redriven: givenUpPageSchema }), { status: 202, errors: [404] }),
          summary: 'Scrape a given-up page again from its first attempt, under the same job id',
          params: idParams,
          querystring: noQuery,
        },
      },
      async (request, reply) => {
        const page = await deps.redrivePage(request.params.id);
        if (!page) return notFound(reply, 'given-up page', request.params.id);
        return reply.code(202).send({ redriven: page });
      },
    );
  };
}
