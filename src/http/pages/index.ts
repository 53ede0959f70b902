// The operator pages: GET renders, POST (plain HTML forms) acts and redirects back, so a refresh
// never repeats an action. The same FeedAdmin as the API and the CLI does the work.
import formbody from '@fastify/formbody';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ExpectationState } from '../../domain/types';
import { FeedAdminError, type Problem } from '../../feeds/admin';
import { operatorCancellation } from '../api/expectations';
import type { OperatorDeps } from '../operator';
import { alertsPage, type AlertRow } from './alerts';
import { dashboard, type QueueRow } from './dashboard';
import { emptyForm, feedInput, formValues, type FeedFormValues } from './feed-form';
import { expectationsBoard } from './expectations';
import { page } from './layout';
import { timelinePage } from './timeline';

const hide = { schema: { hide: true } };
const STATES: ExpectationState[] = ['open', 'fulfilled', 'overdue', 'cancelled'];
const DASHBOARD_ALERTS = 15;

type Id = { Params: { id: string } };

export function operatorPages(deps: OperatorDeps, queues: readonly Queue[]) {
  const send = (
    reply: FastifyReply,
    status: number,
    title: string,
    path: string,
    body: ReturnType<typeof dashboard>,
  ) => reply.code(status).type('text/html; charset=utf-8').send(page({ title, path, body }));

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
    const [feeds, queueCounts, open, alerts, deadLetters] = await Promise.all([
      deps.health(deps.feeds.list()),
      queueRows(),
      deps.events.listExpectations({ state: 'open', limit: 20 }),
      recentAlerts(DASHBOARD_ALERTS),
      deps.deadLetters.count(),
    ]);
    return dashboard({
      feeds,
      queues: queueCounts,
      open,
      alerts,
      deadLetters,
      form,
      added: addedId ? feeds.find((f) => f.id === addedId) : undefined,
      nameOf: deps.entities.nameOf,
    });
  };

  /** A button's action: done, then back to where the operator was. */
  const act =
    (back: string, run: (id: string) => Promise<unknown>) =>
    async (request: { params: { id: string } }, reply: FastifyReply) => {
      try {
        await run(request.params.id);
      } catch (err) {
        if (!(err instanceof FeedAdminError)) throw err;
        return reply.code(err.status).type('text/plain; charset=utf-8').send(err.message);
      }
      return reply.redirect(back, 303);
    };

  return async function routes(app: FastifyInstance): Promise<void> {
    await app.register(formbody);

    app.get<{ Querystring: { added?: string } }>('/', hide, async (request, reply) =>
      send(
        reply,
        200,
        'Dashboard',
        '/',
        await renderDashboard({ values: emptyForm, problems: [] }, request.query.added),
      ),
    );

    app.post('/feeds', hide, async (request, reply) => {
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

    app.post<Id>(
      '/feeds/:id/pause',
      hide,
      act('/#feeds', (id) => deps.feeds.pause(id)),
    );
    app.post<Id>(
      '/feeds/:id/resume',
      hide,
      act('/#feeds', (id) => deps.feeds.resume(id)),
    );
    app.post<Id>(
      '/feeds/:id/remove',
      hide,
      act('/#feeds', (id) => deps.feeds.remove(id)),
    );

    app.get<{ Querystring: { state?: string } }>('/expectations', hide, async (request, reply) => {
      const state = STATES.find((s) => s === request.query.state) ?? 'open';
      const list = await deps.events.listExpectations({ state, limit: 200 });
      return send(
        reply,
        200,
        'Expectations',
        '/expectations',
        expectationsBoard(state, list, deps.entities.nameOf),
      );
    });

    app.post<Id>(
      '/expectations/:id/cancel',
      hide,
      act('/expectations?state=cancelled', (id) =>
        deps.events.cancel(id, operatorCancellation(deps.now(), undefined)),
      ),
    );
    app.post<Id>(
      '/expectations/:id/reopen',
      hide,
      act('/expectations?state=open', (id) => deps.events.reopen(id)),
    );

    app.get<{ Querystring: { entities?: string } }>('/timeline', hide, async (request, reply) => {
      const raw = (request.query.entities ?? '').trim();
      if (!raw)
        return send(reply, 200, 'Timeline', '/timeline', timelinePage('', undefined, deps.entities.nameOf));
      const ids = raw.split(/[\s,]+/).filter(Boolean);
      const unknown = ids.find((id) => !deps.entities.has(id));
      if (unknown)
        return send(
          reply,
          400,
          'Timeline',
          '/timeline',
          timelinePage(raw, undefined, deps.entities.nameOf, `"${unknown}" is not a known entity id`),
        );
      const title = `Timeline: ${ids.map(deps.entities.nameOf).join(' – ')}`;
      return send(
        reply,
        200,
        title,
        '/timeline',
        timelinePage(raw, await deps.events.timeline(ids), deps.entities.nameOf),
      );
    });

    app.get('/alerts', hide, async (_request, reply) => {
      const [alerts, letters] = await Promise.all([recentAlerts(100), deps.deadLetters.list({ limit: 100 })]);
      return send(reply, 200, 'Alerts and deliveries', '/alerts', alertsPage(alerts, letters));
    });

    app.post<Id>(
      '/dead-letters/:id/redrive',
      hide,
      act('/alerts#dead-letters', (id) => deps.redrive(id)),
    );
  };
}
