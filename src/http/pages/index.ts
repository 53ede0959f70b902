// The operator pages: GET renders, POST (plain HTML forms) acts and redirects back, so a refresh
// never repeats an action. The same FeedAdmin as the API and the CLI does the work. Query strings
// and paths are validated with zod as the API's are; a bad one is answered 400 with a page naming
// the field, an unknown id 404 (and nothing is written), and a failure inside a 500 page that
// keeps the error's message for the log.
import formbody from '@fastify/formbody';
import type { Queue } from 'bullmq';
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { unresolvedMessage } from '../../domain/entity-names';
import type { ReaderNames } from '../../domain/wording';
import { FeedAdminError, type Problem } from '../../feeds/admin';
import { validationProblems } from '../api/errors';
import {
  cancelExpectation,
  operatorCancellation,
  reopenExpectation,
  STATES,
  type Correction,
} from '../api/expectations';
import type { OperatorDeps } from '../operator';
import { ID_MAX, idParams, noQuery, queryEnum, queryText } from '../query';
import { alertsPage, type AlertRow } from './alerts';
import { dashboard, type QueueRow } from './dashboard';
import { emptyForm, feedInput, formValues, type FeedFormValues } from './feed-form';
import { expectationsBoard } from './expectations';
import { confirmed, removeConfirmation } from './feed-removal';
import { givenUpPage } from './given-up';
import { subscriberPages } from './subscriber-routes';
import { html } from './html';
import { page } from './layout';
import { timelinePage } from './timeline';
import { watchesPages } from './watches';

const DASHBOARD_ALERTS = 15;

/** The schema of a page route: hidden from the OpenAPI document, its query validated. */
const hidden = <Q extends z.ZodType>(querystring: Q) => ({ schema: { hide: true, querystring } });
/** A button's route: no query, one id in the path. */
const action = { schema: { hide: true, querystring: noQuery, params: idParams } };

/** Why a page's action was not done: the status and what to tell the operator. */
interface Refusal {
  status: 404 | 409;
  message: string;
}

export function operatorPages(deps: OperatorDeps, queues: readonly Queue[]) {
  const send = (
    reply: FastifyReply,
    status: number,
    title: string,
    path: string,
    body: ReturnType<typeof dashboard>,
  ) => reply.code(status).type('text/html; charset=utf-8').send(page({ title, path, body }));

  /** what the pages call feeds: their feeds.yml names */
  const readerNames: ReaderNames = { feed: (id) => deps.feeds.get(id)?.name };

  const recentAlerts = async (n: number): Promise<AlertRow[]> =>
    Promise.all(
      (await deps.alerts.recent(n)).map(async (a) => ({
        ...a,
        deliveries: await deps.alerts.deliveryLog(a.id),
      })),
    );

  const queueRows = async (): Promise<QueueRow[]> =>
    Promise.all(
      queues.map(async (q) => ({
        name: q.name,
        counts: await q.getJobCounts('waiting', 'active', 'delayed', 'failed', 'completed'),
      })),
    );

  const renderDashboard = async (form: { values: FeedFormValues; problems: Problem[] }, addedId?: string) => {
    const [all, queueCounts, open, alerts, deadLetters, givenUp] = await Promise.all([
      deps.health(deps.feeds.list({ removed: true })),
      queueRows(),
      deps.events.listExpectations({ state: 'open', limit: 20 }),
      recentAlerts(DASHBOARD_ALERTS),
      deps.deadLetters.count(),
      deps.givenUpPages.count(),
    ]);
    const feeds = all.filter((f) => !f.removedAt);
    return dashboard({
      feeds,
      removed: all.filter((f) => f.removedAt),
      queues: queueCounts,
      open,
      alerts,
      deadLetters,
      givenUp,
      form,
      added: addedId ? feeds.find((f) => f.id === addedId) : undefined,
      nameOf: deps.entities.nameOf,
      names: readerNames,
    });
  };

  /** A page that says why a request was not done, with a way back. */
  const refused = (reply: FastifyReply, status: number, problems: Problem[], back?: string) =>
    send(
      reply,
      status,
      status === 404 ? 'Not found' : status === 409 ? 'Not done' : 'Bad request',
      '',
      html`<section>
        <ul>
          ${problems.map((p) => html`<li class="error">${p.field}: ${p.message}</li>`)}
        </ul>
        ${back ? html`<p><a href="${back}">Back</a></p>` : ''}
      </section>`,
    );

  /**
   * A button's action: done, then back to where the operator was; refused (an unknown id, an
   * expectation no longer open) with the page saying why and nothing written.
   */
  const act =
    (back: string, run: (id: string) => Promise<Refusal | undefined>) =>
    async (request: { params: { id: string } }, reply: FastifyReply) => {
      const refusal = await run(request.params.id);
      if (refusal) return refused(reply, refusal.status, [{ field: 'id', message: refusal.message }], back);
      return reply.redirect(back, 303);
    };

  const feedAction = (run: (id: string) => Promise<unknown>) => async (id: string) => {
    await run(id); // an unknown feed throws FeedAdminError 404, answered by the error handler
    return undefined;
  };

  const corrected = async (correction: Promise<Correction>): Promise<Refusal | undefined> => {
    const c = await correction;
    return c.done ? undefined : { status: c.status, message: c.message };
  };

  return async function routes(parent: FastifyInstance): Promise<void> {
    parent.setValidatorCompiler(validatorCompiler);
    parent.setErrorHandler((err: FastifyError, request, reply) => {
      const problems = validationProblems(err);
      if (problems) return refused(reply, 400, problems);
      if (err instanceof FeedAdminError) return refused(reply, err.status, err.problems, '/#feeds');
      if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
        return refused(reply, err.statusCode, [{ field: 'request', message: err.message }]);
      request.log.error({ req: request, err: err.message, stack: err.stack }, 'page failed');
      return send(
        reply,
        500,
        'Something went wrong',
        '',
        html`<section>
          <p class="error">The page could not be made; the service log has the details.</p>
        </section>`,
      );
    });
    const app = parent.withTypeProvider<ZodTypeProvider>();
    await app.register(formbody);
    await app.register(watchesPages(deps));
    await app.register(subscriberPages(deps));

    app.get('/', hidden(z.strictObject({ added: queryText(ID_MAX).optional() })), async (request, reply) =>
      send(
        reply,
        200,
        'Dashboard',
        '/',
        await renderDashboard({ values: emptyForm, problems: [] }, request.query.added),
      ),
    );

    app.post('/feeds', hidden(noQuery), async (request, reply) => {
      const values = formValues(request.body);
      try {
        const { feed } = await deps.feeds.add(feedInput(values));
        return reply.redirect(`/?added=${encodeURIComponent(feed.id)}#probe-result`, 303);
      } catch (err) {
        if (!(err instanceof FeedAdminError)) throw err;
        return send(
          reply,
          err.status,
          'Dashboard',
          '/',
          await renderDashboard({ values, problems: err.problems }),
        );
      }
    });

    app.post(
      '/feeds/:id/pause',
      action,
      act(
        '/#feeds',
        feedAction((id) => deps.feeds.pause(id)),
      ),
    );
    app.post(
      '/feeds/:id/resume',
      action,
      act(
        '/#feeds',
        feedAction((id) => deps.feeds.resume(id)),
      ),
    );
    // Remove asks first (feed-removal.ts): GET, or a POST without confirm=yes, shows what it does.
    const confirmRemoval = async (id: string, reply: FastifyReply) => {
      const feed = deps.feeds.get(id);
      if (!feed) return refused(reply, 404, [{ field: 'id', message: `no feed "${id}"` }], '/#feeds');
      if (feed.removedAt) return reply.redirect('/#removed-feeds', 303);
      const [view] = await deps.health([feed]);
      return send(reply, 200, `Remove ${feed.name}?`, '', removeConfirmation(view!));
    };
    app.get('/feeds/:id/remove', action, async (request, reply) => confirmRemoval(request.params.id, reply));
    app.post('/feeds/:id/remove', action, async (request, reply) => {
      if (!confirmed(request.body)) return confirmRemoval(request.params.id, reply);
      await deps.feeds.remove(request.params.id);
      return reply.redirect('/#removed-feeds', 303);
    });
    app.post(
      '/feeds/:id/restore',
      action,
      act(
        '/#feeds',
        feedAction((id) => deps.feeds.restore(id)),
      ),
    );

    const expectationsQuery = z.strictObject({ state: queryEnum(STATES).default('open') });
    app.get('/expectations', hidden(expectationsQuery), async (request, reply) => {
      const { state } = request.query;
      const list = await deps.events.listExpectations({ state, limit: 200 });
      return send(
        reply,
        200,
        'Expectations',
        '/expectations',
        expectationsBoard(state, list, deps.entities.nameOf),
      );
    });

    app.post(
      '/expectations/:id/cancel',
      action,
      act('/expectations?state=cancelled', (id) =>
        corrected(cancelExpectation(deps.events, id, operatorCancellation(deps.now(), undefined))),
      ),
    );
    app.post(
      '/expectations/:id/reopen',
      action,
      act('/expectations?state=open', (id) => corrected(reopenExpectation(deps.events, id))),
    );

    const timelineQuery = z.strictObject({ entities: queryText(1000).optional() });
    app.get('/timeline', hidden(timelineQuery), async (request, reply) => {
      const { names, nameOf } = deps.entities;
      const raw = (request.query.entities ?? '').trim();
      const choices = names.choices;
      if (!raw)
        return send(
          reply,
          200,
          'Timeline',
          '/timeline',
          timelinePage('', undefined, nameOf, undefined, { choices }),
        );
      const resolved = names.resolve(raw);
      if (!resolved.ok)
        return send(
          reply,
          400,
          'Timeline',
          '/timeline',
          timelinePage(
            raw,
            undefined,
            nameOf,
            `query.entities: ${unresolvedMessage(resolved, names.describe)}`,
            {
              choices,
              unresolved: resolved,
            },
          ),
        );
      const { ids } = resolved;
      const title = `Timeline: ${ids.map(nameOf).join(' – ')}`;
      return send(
        reply,
        200,
        title,
        '/timeline',
        timelinePage(raw, await deps.events.timeline(ids), nameOf, undefined, { choices }),
      );
    });

    app.get('/alerts', hidden(noQuery), async (_request, reply) => {
      const [alerts, letters] = await Promise.all([recentAlerts(100), deps.deadLetters.list({ limit: 100 })]);
      return send(reply, 200, 'Alerts and deliveries', '/alerts', alertsPage(alerts, letters, readerNames));
    });

    app.get('/pages/given-up', hidden(noQuery), async (_request, reply) =>
      send(
        reply,
        200,
        'Given-up pages',
        '/pages/given-up',
        givenUpPage(await deps.givenUpPages.list({ limit: 200 })),
      ),
    );

    app.post(
      '/pages/given-up/:id/redrive',
      action,
      act('/pages/given-up', async (id) =>
        (await deps.redrivePage(id)) ? undefined : { status: 404, message: `no given-up page "${id}"` },
      ),
    );

    app.post(
      '/dead-letters/:id/redrive',
      action,
      act('/alerts#dead-letters', async (id) =>
        (await deps.redrive(id)) ? undefined : { status: 404, message: `no dead letter "${id}"` },
      ),
    );
  };
}
