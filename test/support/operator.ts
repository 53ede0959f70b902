// The service with its HTTP role on 127.0.0.1:<free port> under a key prefix of its own, and a
// small client that speaks to it over real HTTP with (or without) the operator token.
import { randomBytes } from 'node:crypto';
import type { Config } from '../../src/config/env';
import { createLogger, type Logger } from '../../src/log';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { startService, type Role, type Service } from '../../workers/service';
import type { Context, ContextOverrides } from '../../workers/context';
import { operatorDeps } from '../../workers/operator';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/http/app';
import { appAuth } from '../../src/http/auth';
import { testConfig } from './config';

export interface Reply {
  status: number;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any -- tests read JSON of many shapes
  text: string;
  headers: Headers;
}

export interface OperatorService {
  config: Config;
  service: Service;
  url: string;
  token: string;
  /** a request with the operator token (`token: null` sends none) */
  call(method: string, path: string, body?: unknown, opts?: { token?: string | null }): Promise<Reply>;
  /** a new service on the same prefix, as after a restart */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startOperatorService(
  label: string,
  roles: readonly Role[] = ['scheduler', 'poll', 'http'],
  overrides: ContextOverrides = {},
  env: Record<string, string> = {},
  /** where the service logs; silent unless a test reads the lines (see recordingLogger) */
  log: Logger = createLogger('silent'),
): Promise<OperatorService> {
  const token = randomBytes(24).toString('base64url');
  // HOST_MIN_DELAY_MS 0: the fixture server is the one host, and the probe and the first poll follow each other.
  const config = testConfig(label, {
    HOST: '127.0.0.1',
    PORT: '0',
    OPERATOR_TOKEN: token,
    HOST_MIN_DELAY_MS: '0',
    EVENTS_FILE: 'test/no-events.yml',
    ...env,
  });
  // No feeds.yml or subscribers.yml: a test never reaches the internet, and starts from nothing.
  const start = () => startService(config, log, roles, { feeds: [], subscribers: [], ...overrides });
  let service = await start();
  const handle: OperatorService = {
    config,
    get service() {
      return service;
    },
    get url() {
      return service.url!;
    },
    token,
    async call(method, path, body, opts = {}) {
      const headers: Record<string, string> = {};
      const bearer = opts.token === undefined ? token : opts.token;
      if (bearer !== null) headers.authorization = `Bearer ${bearer}`;
      if (body !== undefined) headers['content-type'] = 'application/json';
      const res = await fetch(`${service.url}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        redirect: 'manual',
      });
      const text = await res.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: res.status, body: json, text, headers: res.headers };
    },
    async restart() {
      await service.stop();
      service = await start();
    },
    async close() {
      await service.stop();
      const redis = connectRedis(config.redisUrl);
      await deleteKeys(redis, config.prefix);
      redis.disconnect();
    },
  };
  return handle;
}

/** Waits until `check` returns a value (not undefined), or fails after `timeoutMs` with `what`. */
export async function eventually<T>(
  what: string,
  check: () => Promise<T | undefined>,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * The operator app over a context already running (no HTTP listen): what `newswatch start`
 * serves, for tests that seed the stores first and then speak to the app.
 */
export function operatorApp(config: Config, ctx: Context): Promise<FastifyInstance> {
  return buildApp({
    logger: createLogger('silent'),
    operatorToken: config.operatorToken,
    metricsToken: config.metricsToken,
    redisPing: async () => true,
    queues: Object.values(ctx.queues),
    operator: operatorDeps(ctx),
    auth: appAuth(config, ctx.redis),
  });
}
