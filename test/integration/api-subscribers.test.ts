// Pausing, resuming and re-subscribing through /api/subscribers, over the app's HTTP stack on
// real stores in Redis: the state shown back, subscribers.yml's subscriber paused like any
// other, an unsubscribed channel listed with when, subscribed again only with a consent note,
// which is kept and shown; unknown ids 404, refusals 409, forged origins 403; the OpenAPI document.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Subscriber } from '../../src/domain/alerts';
import { createLogger } from '../../src/log';
import { generateWebhookSecret } from '../../src/notify/webhook';
import { deleteKeys } from '../../src/store/redis';
import { createContext, type Context } from '../../workers/context';
import { testConfig } from '../support/config';
import { operatorApp } from '../support/operator';

const config = testConfig('api-subscribers', {
  OPERATOR_TOKEN: 'subscribers-test-token-0123456789',
  EVENTS_FILE: 'test/no-events.yml',
});
const authorization = `Bearer ${config.operatorToken}`;
const secret = generateWebhookSecret();
const declared: Subscriber = {
  id: 'desk-file',
  name: 'مكتب الخليج',
  email: ['desk@example.org'],
  webhook: { url: 'http://127.0.0.1:9/hook', secrets: [secret] },
  filters: {},
};
let ctx: Context;
let app: FastifyInstance;

beforeAll(async () => {
  ctx = await createContext(config, createLogger('silent'), { feeds: [], subscribers: [declared] });
  app = await operatorApp(config, ctx);
});

afterAll(async () => {
  await app?.close();
  if (ctx) {
    await deleteKeys(ctx.redis, config.prefix);
    await ctx.close();
  }
});

type ChannelView = { channel: string; unsubscribedAt?: string; consents: { note: string }[] };
const email = (subscriber: { channels: ChannelView[] }) =>
  subscriber.channels.find((c) => c.channel === 'email')!;

const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
  const res = await app.inject({
    method,
    url,
    headers: { authorization },
    ...(payload === undefined ? {} : { payload: payload as object }),
  });
  return { status: res.statusCode, body: res.body ? res.json() : undefined };
};

describe('pause and resume', () => {
  it('pauses a subscriber from subscribers.yml, shows since when, keeps the first time, and resumes it', async () => {
    const paused = await call('POST', '/api/subscribers/desk-file/pause');
    expect(paused.status).toBe(200);
    const at = paused.body.subscriber.pausedAt;
    expect(at).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(paused.body.subscriber).toMatchObject({ id: 'desk-file', origin: 'file' });
    expect(JSON.stringify(paused.body)).not.toContain(secret);
    expect((await call('POST', '/api/subscribers/desk-file/pause')).body.subscriber.pausedAt).toBe(at);
    const listed = (await call('GET', '/api/subscribers')).body.subscribers;
    expect(listed.find((s: { id: string }) => s.id === 'desk-file').pausedAt).toBe(at);

    const resumed = await call('POST', '/api/subscribers/desk-file/resume');
    expect(resumed.status).toBe(200);
    expect(resumed.body.subscriber.pausedAt).toBeUndefined();
    expect((await call('GET', '/api/subscribers/desk-file')).body.subscriber.pausedAt).toBeUndefined();
  });

  it('answers 404 naming an unknown id, and writes no pause for it', async () => {
    for (const act of ['pause', 'resume']) {
      const res = await call('POST', `/api/subscribers/nobody/${act}`);
      expect(res.status).toBe(404);
      expect(res.body).toMatchObject({
        error: 'NW_NOT_FOUND',
        field: 'id',
        message: 'no subscriber "nobody"',
      });
    }
    expect(await ctx.delivery.stores.subscribers.pauseState('nobody')).toBeUndefined();
  });

  it('forgets the pause of a run-time subscriber deleted, so one added again under its id is not paused', async () => {
    const analyst = { id: 'analyst', name: 'Analyst', email: ['analyst@example.org'] };
    expect((await call('POST', '/api/subscribers', analyst)).status).toBe(201);
    await call('POST', '/api/subscribers/analyst/pause');
    expect((await call('DELETE', '/api/subscribers/analyst')).status).toBe(204);
    expect((await call('POST', '/api/subscribers', analyst)).body.subscriber.pausedAt).toBeUndefined();
    const fileDelete = await call('DELETE', '/api/subscribers/desk-file');
    expect(fileDelete.status).toBe(409);
    expect(fileDelete.body.message).toContain('subscribers.yml');
    await call('DELETE', '/api/subscribers/analyst');
  });
});

describe('unsubscribed channels and re-subscription with consent', () => {
  it('lists the unsubscribed channel with when, refuses it without a consent note, and records the consent', async () => {
    const store = ctx.delivery.stores.subscribers;
    await store.unsubscribe('desk-file', 'email', new Date('2026-11-30T08:15:00Z'));

    const list = await call('GET', '/api/unsubscriptions');
    expect(list.status).toBe(200);
    expect(list.body.unsubscribed).toEqual([
      {
        subscriberId: 'desk-file',
        name: 'مكتب الخليج',
        origin: 'file',
        channel: 'email',
        address: 'desk@example.org',
        at: '2026-11-30T08:15:00.000Z',
      },
    ]);
    expect((await call('GET', '/api/subscribers/desk-file')).body.subscriber.channels).toMatchObject([
      { channel: 'webhook', consents: [] },
      { channel: 'email', unsubscribedAt: '2026-11-30T08:15:00.000Z', consents: [] },
    ]);

    const url = '/api/subscribers/desk-file/channels/email/resubscribe';
    const none = await call('POST', url, {});
    expect(none.status).toBe(400);
    expect(none.body.field).toBe('consent');
    const blank = await call('POST', url, { consent: '   ' });
    expect(blank.status).toBe(400);
    expect(blank.body.field).toBe('consent');
    expect((await call('GET', '/api/unsubscriptions')).body.unsubscribed).toHaveLength(1);

    const note = 'وافق هاتفيا / asked by phone 2026-12-04';
    const done = await call('POST', url, { consent: note, by: 'Fatima' });
    expect(done.status).toBe(200);
    expect(done.body.consent).toMatchObject({
      subscriberId: 'desk-file',
      channel: 'email',
      by: 'Fatima',
      note,
      unsubscribedAt: '2026-11-30T08:15:00.000Z',
      at: expect.stringMatching(/^\d{4}-/),
    });
    expect(email(done.body.subscriber).unsubscribedAt).toBeUndefined();
    expect(email(done.body.subscriber).consents).toEqual([done.body.consent]);
    expect((await call('GET', '/api/unsubscriptions')).body.unsubscribed).toEqual([]);
    expect((await store.channelState('desk-file', 'email')).unsubscribedAt).toBeUndefined();

    // Refused, and nothing recorded: the channel is subscribed already.
    const again = await call('POST', url, { consent: 'once more' });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: 'NW_CONFLICT', field: 'channel' });
    expect(again.body.message).toContain('is not unsubscribed');
    expect(await store.consents('desk-file')).toHaveLength(1);

    // Unsubscribed again and subscribed again without a name: the API records who it was.
    await store.unsubscribe('desk-file', 'email', new Date('2026-12-05T09:00:00Z'));
    const second = await call('POST', url, { consent: 'emailed us asking to be back, 2026-12-06' });
    expect(second.body.consent.by).toBe('operator (API)');
    expect(
      email((await call('GET', '/api/subscribers/desk-file')).body.subscriber).consents.map((c) => c.note),
    ).toEqual([note, 'emailed us asking to be back, 2026-12-06']);
  });

  it('names the channel or the id it refuses', async () => {
    const bad = await call('POST', '/api/subscribers/desk-file/channels/sms/resubscribe', { consent: 'x' });
    expect(bad.status).toBe(400);
    expect(bad.body.field).toBe('params.channel');
    const unknown = await call('POST', '/api/subscribers/nobody/channels/email/resubscribe', {
      consent: 'x',
    });
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('"nobody"');
    await call('POST', '/api/subscribers', { id: 'hook-only', name: 'Hook', webhook: declared.webhook });
    const missing = await call('POST', '/api/subscribers/hook-only/channels/email/resubscribe', {
      consent: 'x',
    });
    expect(missing.status).toBe(409);
    expect(missing.body.message).toContain('has no email channel');
    const extra = await call('POST', '/api/subscribers/desk-file/channels/email/resubscribe', {
      consent: 'x',
      when: 'now',
    });
    expect(extra.status).toBe(400);
    expect(extra.body.field).toBe('when');
  });
});

describe('from another origin', () => {
  it('refuses pause, resume and re-subscription posted by a page of another origin, token or not', async () => {
    for (const url of [
      '/api/subscribers/desk-file/pause',
      '/api/subscribers/desk-file/resume',
      '/api/subscribers/desk-file/channels/email/resubscribe',
    ]) {
      const res = await app.inject({
        method: 'POST',
        url,
        headers: { authorization, origin: 'http://127.0.0.1:1', 'content-type': 'application/json' },
        payload: JSON.stringify({ consent: 'forged' }),
      });
      expect(res.statusCode, url).toBe(403);
      expect(res.json().error).toBe('NW_CROSS_SITE');
    }
    expect(await ctx.delivery.stores.subscribers.pauseState('desk-file')).toBeUndefined();
  });
});

describe('the OpenAPI document', () => {
  it('describes the new routes under the subscribers tag, with a summary each', async () => {
    const { body } = await call('GET', '/docs/json');
    for (const [path, method] of [
      ['/api/subscribers/{id}/pause', 'post'],
      ['/api/subscribers/{id}/resume', 'post'],
      ['/api/subscribers/{id}/channels/{channel}/resubscribe', 'post'],
      ['/api/unsubscriptions', 'get'],
    ] as const) {
      const op = body.paths[path]?.[method];
      expect(op, path).toBeDefined();
      expect(op.tags).toEqual(['subscribers']);
      expect(op.summary.length).toBeGreaterThan(10);
    }
    const consent =
      body.paths['/api/subscribers/{id}/channels/{channel}/resubscribe'].post.requestBody.content[
        'application/json'
      ].schema;
    expect(consent.required).toEqual(['consent']);
  });
});
