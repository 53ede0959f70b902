// The operator HTTP app on a real BullMQ queue in real Redis: health without a token, the
// dashboard only with one (Bearer header, or the cookie /login hands a browser).
import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/http/app';
import type { AppAuth } from '../../src/http/auth';

const REDIS = { host: '127.0.0.1', port: 6379 };
const prefix = `nwtest-${randomBytes(6).toString('hex')}`;
const token = randomBytes(24).toString('base64url');
const logger = pino({ level: 'silent' });

let redis: Redis;
let queue: Queue;
let app: FastifyInstance;
/** Sessions and wrong-token counts under this file's prefix, removed with its keys. */
const auth = (): AppAuth => ({
  redis,
  prefix: `${prefix}:`,
  sessionTtlMs: 60_000,
  loginLimit: { maxFailures: 10, windowMs: 60_000 },
  trustProxy: false,
});

beforeAll(async () => {
  redis = new Redis({ ...REDIS, lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect().catch((err: unknown) => {
    throw new Error(
      `Redis is not reachable at ${REDIS.host}:${REDIS.port} (${String(err)}); start one with ` +
        '`docker run -p 6379:6379 redis:7-alpine` or `redis-server`',
    );
  });
  queue = new Queue('deliver', { connection: REDIS, prefix });
  await queue.add('webhook', { alertId: 'a1' }, { jobId: 'a1:s1:webhook' });
  app = await buildApp({
    logger,
    operatorToken: token,
    redisPing: async () => (await redis.ping()) === 'PONG',
    queues: [queue],
    auth: auth(),
  });
});

afterAll(async () => {
  await app?.close();
  await queue?.close();
  if (redis?.status === 'ready') {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      if (keys.length > 0) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  redis?.disconnect();
});

describe('buildApp', () => {
  it('answers /healthz (liveness) and /readyz without a token while Redis is up', async () => {
    const live = await app.inject({ method: 'GET', url: '/healthz' });
    expect(live.statusCode).toBe(200);
    expect(live.json()).toEqual({ status: 'ok' });
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({
      status: 'ready',
      failed: [],
      checks: [{ name: 'redis', ok: true }],
    });
  });

  it('answers /readyz 503 naming Redis when it does not answer, while /healthz stays 200', async () => {
    const down = await buildApp({
      logger,
      operatorToken: token,
      redisPing: async () => false,
      queues: [],
      auth: auth(),
    });
    const failing = await buildApp({
      logger,
      operatorToken: token,
      redisPing: () => Promise.reject(new Error('ECONNREFUSED')),
      queues: [],
      auth: auth(),
    });
    for (const degraded of [down, failing]) {
      const res = await degraded.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ status: 'not ready', failed: ['redis'] });
      expect((await degraded.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      await degraded.close();
    }
  });

  it('refuses the dashboard and its API without the token, or with a wrong one', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { cookie: 'nw_session=wrong' }]) {
      for (const url of ['/admin/queues', '/admin/queues/api/queues']) {
        const res = await app.inject({ method: 'GET', url, headers });
        expect(res.statusCode).toBe(401);
        expect(res.json()).toMatchObject({ error: 'NW_UNAUTHORIZED' });
      }
    }
  });

  it('requires the token for unknown paths too, so they reveal nothing', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/feeds' })).statusCode).toBe(401);
  });

  it('serves the dashboard and lists the queue with the Bearer token', async () => {
    const authorization = `Bearer ${token}`;
    const page = await app.inject({ method: 'GET', url: '/admin/queues', headers: { authorization } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body).toContain('<base href="/admin/queues/"'); // assets resolve under the mount point
    const asset = await app.inject({
      method: 'GET',
      url: '/admin/queues/static/favicon-32x32.png',
      headers: { authorization },
    });
    expect(asset.statusCode).toBe(200);
    expect(asset.headers['content-type']).toBe('image/png');

    const api = await app.inject({
      method: 'GET',
      url: '/admin/queues/api/queues',
      headers: { authorization },
    });
    expect(api.statusCode).toBe(200);
    const names = (api.json() as { queues: Array<{ name: string }> }).queues.map((q) => q.name);
    expect(names).toContain('deliver');
  });

  it('trades a valid /login token for an httpOnly cookie that opens the dashboard', async () => {
    const login = await app.inject({ method: 'GET', url: `/login?token=${encodeURIComponent(token)}` });
    expect(login.statusCode).toBe(303);
    expect(login.headers.location).toBe('/admin/queues');
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/^nw_session=[^;]+;/);
    expect(setCookie).toMatch(/HttpOnly/);
    expect(setCookie).toMatch(/SameSite=Strict/);

    const cookie = setCookie.split(';')[0]!;
    const page = await app.inject({ method: 'GET', url: '/admin/queues', headers: { cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
  });

  it('keeps the /login token out of the request log', async () => {
    const lines: string[] = [];
    const recording = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    const logged = await buildApp({
      logger: recording,
      operatorToken: token,
      redisPing: async () => true,
      queues: [],
      auth: auth(),
    });
    await logged.inject({ method: 'GET', url: `/login?token=${encodeURIComponent(token)}` });
    await logged.close();
    expect(lines.join('')).toContain('"path":"/login"');
    expect(lines.join('')).not.toContain(token);
  });

  it('sets no cookie for a wrong /login token', async () => {
    const res = await app.inject({ method: 'GET', url: '/login?token=guess' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['set-cookie']).toBeUndefined();
  });
});
