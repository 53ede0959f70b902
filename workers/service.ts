// Starts the roles this process runs (scheduler, stage workers, HTTP) over one context and
// stops them in order: stop taking work, let running jobs finish, then close connections.
import type { Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../src/http/app';
import { appAuth } from '../src/http/auth';
import type { QueueName } from '../src/queue/queues';
import { createContext, type Context, type ContextOverrides } from './context';
import { operatorDeps } from './operator';
import { deliveryRoutesDeps } from './delivery';
import { scrapeBackpressure } from './backpressure';
import { roleChecks } from './readiness';
import { startWorkers, WORKER_ROLES } from './roles';
import { enqueuePoll, slotOf, startScheduler, type Scheduler } from './scheduler';
import type { Config } from '../src/config/env';
import type { Logger } from '../src/log';

export const ROLES = ['scheduler', ...WORKER_ROLES, 'http'] as const;
export type Role = (typeof ROLES)[number];

export interface Service {
  ctx: Context;
  /** the HTTP address when the http role runs */
  url?: string | undefined;
  /** the stage workers and the scheduler this process runs, as /readyz sees them */
  workers: readonly Worker[];
  scheduler?: Scheduler | undefined;
  /** Stops taking work, lets running jobs finish, closes connections; `progress` names the step under way. */
  stop(progress?: { step: string }): Promise<void>;
}

export function parseRoles(value: string): Role[] {
  const roles = value
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  const unknown = roles.filter((r) => !(ROLES as readonly string[]).includes(r));
  if (unknown.length > 0)
    throw new Error(`unknown role(s) ${unknown.join(', ')}; roles are ${ROLES.join(', ')}`);
  return roles as Role[];
}

export async function startService(
  config: Config,
  log: Logger,
  roles: readonly Role[] = ROLES,
  overrides: ContextOverrides = {},
): Promise<Service> {
  const ctx = await createContext(config, log, overrides);
  // Feeds added, paused or changed at run time (API, CLI, another process) reach this process too.
  const stopWatchingFeeds = await ctx.feedRegistry.watch();
  const workers: Worker[] = startWorkers(
    ctx,
    roles.filter((r): r is QueueName => (WORKER_ROLES as readonly string[]).includes(r)),
  );
  const scrapeWorker = workers.find((w) => w.name === 'scrape');
  const backpressure =
    scrapeWorker && config.scrapeBacklogLimit > 0
      ? scrapeBackpressure({
          scrape: scrapeWorker,
          analyze: ctx.queues.analyze,
          limit: config.scrapeBacklogLimit,
          log,
        })
      : undefined;
  const scheduler = roles.includes('scheduler') ? startScheduler(ctx) : undefined;
  if (scheduler) {
    // Poll every feed once at start rather than waiting for its first tick.
    const slot = slotOf(ctx.now());
    for (const f of ctx.feeds.filter((f) => f.enabled)) await enqueuePoll(ctx, f.id, slot);
  }
  let app: FastifyInstance | undefined;
  let url: string | undefined;
  if (roles.includes('http')) {
    app = await buildApp({
      logger: log,
      operatorToken: config.operatorToken,
      metricsToken: config.metricsToken,
      operator: operatorDeps(ctx),
      redisPing: async () => (await ctx.redis.ping()) === 'PONG',
      roleChecks: roleChecks(workers, scheduler),
      queues: Object.values(ctx.queues),
      delivery: deliveryRoutesDeps(ctx),
      auth: appAuth(config, ctx.redis),
    });
    url = await app.listen({ host: config.host, port: config.port });
    log.info({ url }, 'http listening');
  }
  return {
    ctx,
    url,
    workers,
    scheduler,
    async stop(progress: { step: string } = { step: '' }) {
      const step = async (name: string, work: () => Promise<unknown>) => {
        progress.step = name;
        await work();
      };
      backpressure?.stop();
      await step('scheduler', async () => scheduler?.stop());
      await step('http server', async () => app?.close());
      await step('workers (running jobs finish)', () => Promise.all(workers.map((w) => w.close())));
      await step('feed watch', stopWatchingFeeds);
      await step('connections', () => ctx.close());
      progress.step = 'stopped';
    },
  };
}
