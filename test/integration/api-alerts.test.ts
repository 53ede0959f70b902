// /api/alerts, /api/subscribers and the OpenAPI document, through the app's HTTP stack (inject) on
// real stores in Redis: what was raised and what reached whom; subscribers added, replaced and
// deleted at run time, with bad input refused by field; subscribers.yml's kept read-only.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALERT_KINDS, FEED_ALERT_KINDS } from '../../src/domain/alert-kinds';
import type { Subscriber } from '../../src/domain/alerts';
import type { Alert } from '../../src/domain/types';
import { createLogger } from '../../src/log';
import { generateWebhookSecret } from '../../src/notify/webhook';
import { deleteKeys } from '../../src/store/redis';
import { createContext, type Context } from '../../workers/context';
import { testConfig } from '../support/config';
import { operatorApp } from '../support/operator';

const config = testConfig('api-alerts', {
  OPERATOR_TOKEN: 'alerts-test-token-0123456789',
  EVENTS_FILE: 'test/no-events.yml',
});
const authorization = `Bearer ${config.operatorToken}`;
const secret = generateWebhookSecret();
const declared: Subscriber = {
  id: 'desk-file',
  name: 'Desk (from the file)',
  webhook: { url: 'http://127.0.0.1:9/hook', secrets: [secret] },
  filters: { entities: ['kuwait'] },
};
let ctx: Context;
let app: FastifyInstance;

const alert = (id: string, kind: Alert['kind'], createdAt: string, title: string): Alert => ({
  id,
  kind,
  createdAt,
  title,
  parties: [{ id: 'kuwait', name: 'Kuwait' }],
  sources: [],
  reasons: ['test'],
});

beforeAll(async () => {
  ctx = await createContext(config, createLogger('silent'), { feeds: [], subscribers: [declared] });
  const { alerts } = ctx.stores;
  await alerts.save(alert('al_old', 'event.new', '2026-01-14T08:00:00Z', 'New meeting: NATO – Kuwait'));
  await alerts.save(
    alert('al_new', 'expectation.fulfilled', '2026-01-31T09:00:00Z', 'Expected meeting happened'),
  );
  const attempt = { subscriberId: 'desk-file', channel: 'webhook' };
  await alerts.logAttempt('al_new', {
    ...attempt,
    at: '2026-01-31T09:00:01Z',
    outcome: 'failed',
    attempt: 1,
    status: 503,
    error: 'HTTP 503',
  });
  await alerts.logAttempt('al_new', {
    ...attempt,
    at: '2026-01-31T09:00:06Z',
    outcome: 'delivered',
    attempt: 2,
    status: 200,
    latencyMs: 12,
  });
  app = await operatorApp(config, ctx);
});

afterAll(async () => {
  await app?.close();
  if (ctx) {
    await deleteKeys(ctx.redis, config.prefix);
    await ctx.close();
  }
});

const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
  const res = await app.inject({
    method,
    url,
    headers: { authorization },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.body ? res.json() : undefined };
};

describe('authentication', () => {
  it('refuses alerts, subscribers, docs and metrics without the token', async () => {
    for (const [method, url] of [
      ['GET', '/api/alerts'],
      ['GET', '/api/alerts/al_new'],
      ['GET', '/api/subscribers'],
      ['POST', '/api/subscribers'],
      ['PUT', '/api/subscribers/x'],
      ['DELETE', '/api/subscribers/desk-file'],
      ['GET', '/docs/json'],
      ['GET', '/metrics'],
    ] as const) {
      const res = await app.inject({ method, url, headers: { authorization: 'Bearer wrong-token' } });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
    expect((await call('GET', '/api/subscribers/desk-file')).status).toBe(200);
  });
});

describe('GET /api/alerts', () => {
  it('lists alerts newest first, each with what reached whom', async () => {
    const { status, body } = await call('GET', '/api/alerts');
    expect(status).toBe(200);
    expect(body.alerts.map((a: Alert) => a.id)).toEqual(['al_new', 'al_old']);
    expect(body.alerts[0].deliveries).toEqual([
      expect.objectContaining({
        subscriberId: 'desk-file',
        channel: 'webhook',
        outcome: 'delivered',
        attempts: 2,
      }),
    ]);
    expect(body.alerts[1].deliveries).toEqual([]);
  });

  it('filters by kind, and refuses a kind it does not have', async () => {
    expect((await call('GET', '/api/alerts?kind=event.new')).body.alerts.map((a: Alert) => a.id)).toEqual([
      'al_old',
    ]);
    const bad = await call('GET', '/api/alerts?kind=event.old');
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('query.kind');
  });

  it('shows one alert with every attempt, and 404 for one it does not hold', async () => {
    const { body } = await call('GET', '/api/alerts/al_new');
    expect(body.attempts.map((a: { outcome: string; status: number }) => [a.outcome, a.status])).toEqual([
      ['failed', 503],
      ['delivered', 200],
    ]);
    expect((await call('GET', '/api/alerts/al_nope')).status).toBe(404);
  });
});

describe('/api/subscribers', () => {
  const analyst = {
    id: 'analyst-2',
    name: 'Second analyst',
    email: ['analyst@example.org'],
    filters: { entities: ['kuwait', 'nato'], kinds: ['expectation.fulfilled'] },
  };

  it("lists subscribers.yml's with their channels, and never a whole webhook secret", async () => {
    const { body } = await call('GET', '/api/subscribers');
    expect(body.subscribers).toHaveLength(1);
    expect(body.subscribers[0]).toMatchObject({
      id: 'desk-file',
      origin: 'file',
      channels: [{ channel: 'webhook' }],
    });
    expect(JSON.stringify(body)).not.toContain(secret);
  });

  it('adds a subscriber, which the delivery side then sees', async () => {
    const res = await call('POST', '/api/subscribers', analyst);
    expect(res.status).toBe(201);
    expect(res.body.subscriber).toMatchObject({
      id: 'analyst-2',
      origin: 'runtime',
      channels: [{ channel: 'email' }],
    });
    expect((await ctx.delivery.subscribers()).map((s) => s.id)).toEqual(['desk-file', 'analyst-2']);
    expect((await call('POST', '/api/subscribers', analyst)).status).toBe(409);
    expect((await call('POST', '/api/subscribers', { ...analyst, id: 'desk-file' })).status).toBe(409);
  });

  it.each([
    [{ name: 'x', email: ['a@example.org'], filters: {} }, 'id', 'is required'],
    [{ id: 'Bad Id', name: 'x', email: ['a@example.org'] }, 'id', 'is not lower-case words'],
    [{ id: 'x', name: 'x', email: ['not-an-address'] }, 'email.0', 'is not an email address'],
    [{ id: 'x', name: 'x', webhook: { url: 'ftp://h/x', secret } }, 'webhook.url', 'is not an http(s) URL'],
    [
      { id: 'x', name: 'x', webhook: { url: 'http://127.0.0.1/x', secret: 'hunter2' } },
      'webhook.secret',
      'is not a Standard Webhooks secret',
    ],
    [
      { id: 'x', name: 'x', email: ['a@example.org'], filters: { kinds: ['event.old'] } },
      'filters.kinds.0',
      'is not an alert kind',
    ],
    [
      { id: 'x', name: 'x', email: ['a@example.org'], filters: { entities: ['atlantis'] } },
      'filters.entities',
      '"atlantis" is not a known entity',
    ],
    [{ id: 'x', name: 'x' }, 'body', 'needs a channel'],
  ])('answers 400 naming the field for %j', async (body, field, message) => {
    const res = await call('POST', '/api/subscribers', body);
    expect(res.status).toBe(400);
    expect(res.body.field).toBe(field);
    expect(res.body.message).toContain(message);
  });

  it('adds an operator subscribed to every feed alert kind', async () => {
    const ops = {
      id: 'ops-feeds',
      name: 'Ops',
      email: ['ops@example.org'],
      filters: { kinds: [...FEED_ALERT_KINDS] },
    };
    const res = await call('POST', '/api/subscribers', ops);
    expect(res.status).toBe(201);
    const seen = (await ctx.delivery.subscribers()).find((s) => s.id === 'ops-feeds');
    expect(seen?.filters?.kinds).toEqual(['feed.failing', 'feed.silent', 'feed.broken']);
    expect((await call('DELETE', '/api/subscribers/ops-feeds')).status).toBe(204);
  });

  it('replaces a runtime subscriber, and refuses to change or delete one from the file', async () => {
    const res = await call('PUT', '/api/subscribers/analyst-2', { ...analyst, name: 'Renamed analyst' });
    expect(res.status).toBe(200);
    expect((await call('GET', '/api/subscribers/analyst-2')).body.subscriber.name).toBe('Renamed analyst');
    const mismatch = await call('PUT', '/api/subscribers/analyst-2', { ...analyst, id: 'other' });
    expect(mismatch).toMatchObject({ status: 400, body: { field: 'id' } });
    expect((await call('PUT', '/api/subscribers/desk-file', { ...analyst, id: 'desk-file' })).status).toBe(
      409,
    );
    expect((await call('DELETE', '/api/subscribers/desk-file')).status).toBe(409);
    expect((await call('PUT', '/api/subscribers/nobody', { ...analyst, id: 'nobody' })).status).toBe(404);
  });

  it('deletes a runtime subscriber', async () => {
    expect((await call('DELETE', '/api/subscribers/analyst-2')).status).toBe(204);
    expect((await call('GET', '/api/subscribers/analyst-2')).status).toBe(404);
    expect((await call('DELETE', '/api/subscribers/analyst-2')).status).toBe(404);
  });
});

describe('the OpenAPI document', () => {
  it('describes every API route with its parameters, and none of the pages', async () => {
    const { status, body } = await call('GET', '/docs/json');
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    const paths = Object.keys(body.paths);
    for (const p of [
      '/api/feeds',
      '/api/feeds/{id}',
      '/api/feeds/{id}/pause',
      '/api/feeds/{id}/resume',
      '/api/events',
      '/api/events/timeline',
      '/api/expectations',
      '/api/expectations/{id}/cancel',
      '/api/expectations/{id}/reopen',
      '/api/alerts',
      '/api/pages/given-up',
      '/api/pages/given-up/{id}/redrive',
      '/api/subscribers',
      '/api/subscribers/{id}',
    ])
      expect(paths).toContain(p);
    expect(paths.some((p) => p.startsWith('/admin/queues'))).toBe(false);
    expect(paths).not.toContain('/feeds');
    expect(paths).not.toContain('/pages/given-up');
    const add = body.paths['/api/feeds'].post.requestBody.content['application/json'].schema;
    expect(add.required).toEqual(['url']);
    expect(Object.keys(add.properties)).toEqual(expect.arrayContaining(['url', 'name', 'lang', 'schedule']));
  });

  it('offers every alert kind, from the one list, to /api/alerts and to subscribers', async () => {
    const { body } = await call('GET', '/docs/json');
    const kindParam = body.paths['/api/alerts'].get.parameters.find(
      (p: { name: string }) => p.name === 'kind',
    );
    expect(kindParam.schema.enum).toEqual([...ALERT_KINDS]);
    const added = body.paths['/api/subscribers'].post.requestBody.content['application/json'].schema;
    const filters = added.properties.filters.$ref
      ? body.components.schemas[added.properties.filters.$ref.split('/').pop()]
      : added.properties.filters;
    expect(filters.properties.kinds.items.enum).toEqual([...ALERT_KINDS]);
  });

  it('serves the documentation page at /docs', async () => {
    const res = await app.inject({ method: 'GET', url: '/docs/', headers: { authorization } });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('swagger-ui');
  });
});
