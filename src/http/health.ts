// Liveness and readiness, public (no token): what an orchestrator asks. /healthz answers while
// the process runs; nothing outside it (Redis) is asked, so a Redis outage does not get a healthy
// process restarted. /readyz says whether it can do its work: Redis answers, and each role it
// runs (workers, scheduler) is alive.
import type { FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { judgeReadiness, type RoleCheck } from '../domain/readiness';
import { livenessSchema, readinessSchema } from './api/responses';

export interface HealthDeps {
  /** True when Redis answers; may throw or hang, /readyz treats both as down. */
  redisPing: () => Promise<boolean>;
  roleChecks?: (() => RoleCheck[]) | undefined;
  pingTimeoutMs: number;
}

const tags = ['health'];
/** No token: load balancers and orchestrators hold none. */
const PUBLIC: Record<string, string[]>[] = [];

export function healthRoutes(deps: HealthDeps) {
  return async function routes(parent: FastifyInstance): Promise<void> {
    parent.setValidatorCompiler(validatorCompiler);
    parent.setSerializerCompiler(serializerCompiler);
    const app = parent.withTypeProvider<ZodTypeProvider>();

    app.get(
      '/healthz',
      {
        schema: {
          tags,
          summary: 'Liveness: the process answers (public, no token)',
          security: PUBLIC,
          response: { 200: livenessSchema },
        },
      },
      async () => ({ status: 'ok' as const }),
    );

    app.get(
      '/readyz',
      {
        schema: {
          tags,
          summary: 'Readiness: Redis answers and every role of this process runs (public, no token)',
          description: '503 with the same body when a check fails; `failed` names them.',
          security: PUBLIC,
          response: {
            200: readinessSchema.describe('ready'),
            503: readinessSchema.describe('not ready: `failed` names the checks'),
          },
        },
      },
      async (_request, reply) => {
        const up = await pingWithin(deps.redisPing, deps.pingTimeoutMs);
        const report = judgeReadiness([
          { name: 'redis', ok: up, detail: up ? 'answers' : `no answer within ${deps.pingTimeoutMs} ms` },
          ...(deps.roleChecks?.() ?? []),
        ]);
        return reply.code(report.status === 'ready' ? 200 : 503).send(report);
      },
    );
  };
}

async function pingWithin(ping: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([ping().catch(() => false), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
