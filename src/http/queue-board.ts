// The queue dashboard (bull-board) at /admin/queues, made to fit the rest of the service: its page
// loads nothing from other hosts (its template links Google Fonts, which an offline deployment
// cannot reach and the Content-Security-Policy refuses; the system fonts stand in) and carries no
// inline style; its list routes refuse page numbers Redis cannot take, naming the parameter; and
// a failure inside answers 500 without the error's message (bull-board passes it on as it is);
// its header says newswatch and links back to the dashboard.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { HTTPStatus, UIConfig } from '@bull-board/api/typings/app';
import type { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { INTERNAL_MESSAGE } from './api/errors';
import { queryInt } from './query';
import { allowStyleHashes } from './security-headers';

/** The <style> of bull-board's Redis logo (9.10.1): its three colours, light and dark. */
const LOGO_STYLE = "'sha256-r2N1TB/gHbBtBZFKg7ejmq1acVSREzucTAEw6ga4hoU='" as const;

/**
 * Named as the service's, with the way back to the operator pages in its header's link menu
 * (the last button of the header): bull-board's own place for links of the host application.
 */
export const BOARD_UI: UIConfig = {
  boardTitle: 'newswatch queues',
  miscLinks: [{ text: 'newswatch dashboard', url: '/' }],
};

/** The page and page size bull-board's job lists take: whole numbers Redis can use as indexes. */
const listQuery = z.object({
  page: queryInt({ min: 1, max: 1_000_000_000, fallback: 1 }),
  jobsPerPage: queryInt({ min: 1, max: 1000, fallback: 10 }),
});

/**
 * bull-board's page as this service serves it: stylesheets from other hosts and inline styles
 * (`<style>`, `style="..."`) taken out, everything else as bull-board wrote it.
 */
export function offlineBoardPage(html: string): string {
  return html
    .replace(/<link\b[^>]*\bhref="(?:https?:)?\/\/[^"]*"[^>]*>/gi, '')
    .replace(/<style\b[^>]*>[\s\S]*?<\/style>/gi, '')
    .replace(/\sstyle="[^"]*"/gi, '');
}

export function queueBoard(queues: readonly Queue[], basePath: string) {
  return async function board(app: FastifyInstance): Promise<void> {
    // @bull-board/api is pinned to the adapter's exact version (package.json), so one copy is installed.
    const adapter = new FastifyAdapter();
    createBullBoard({
      queues: queues.map((queue) => new BullMQAdapter(queue)),
      serverAdapter: adapter,
      options: { uiConfig: BOARD_UI },
    });
    adapter.setBasePath(basePath);
    adapter.setErrorHandler((error: Error & { statusCode?: number }) => {
      const status = (error.statusCode ?? 500) as HTTPStatus;
      // bull-board's own answer for what the request got wrong (fastify's messages: too large, bad JSON).
      if (status < 500)
        return { status, body: { error: { key: 'ERRORS.INTERNAL_SERVER_ERROR' }, message: error.message } };
      app.log.error({ err: error.message, stack: error.stack }, 'queue dashboard request failed');
      return { status, body: { error: { key: 'ERRORS.INTERNAL_SERVER_ERROR' }, message: INTERNAL_MESSAGE } };
    });

    allowStyleHashes(app, '', [LOGO_STYLE]);

    app.addHook('preHandler', async (request, reply) => {
      const query = (request.query ?? {}) as Record<string, unknown>;
      if (query.page === undefined && query.jobsPerPage === undefined) return;
      const checked = listQuery.safeParse(query);
      if (checked.success) return;
      const issue = checked.error.issues[0]!;
      const field = String(issue.path[0]);
      // bull-board's own shape for a bad parameter, which its UI reads, with the API's message.
      return reply.code(400).send({
        error: { key: 'ERRORS.INVALID_QUERY_PARAM', options: { field } },
        code: 'INVALID_REQUEST',
        field: `query.${field}`,
        message: `query.${field}: ${issue.message}`,
      });
    });

    app.addHook('onSend', async (_request, reply, payload) => {
      const type = String(reply.getHeader('content-type') ?? '');
      return typeof payload === 'string' && type.startsWith('text/html')
        ? offlineBoardPage(payload)
        : payload;
    });

    await app.register(adapter.registerPlugin());
  };
}
