// The operator-facing HTTP app: health check, the bull-board queue dashboard, and the operator
// token gate in front of everything but /healthz. Built without listening, so tests use inject().
import { createHash, timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { Queue } from 'bullmq';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Logger } from '../log';

export interface AppDeps {
  logger: Logger;
  operatorToken: string;
  /** True when Redis answers; may throw or hang, /healthz treats both as down. */
  redisPing: () => Promise<boolean>;
  queues: Queue[];
}

const DASHBOARD_PATH = '/admin/queues';
const TOKEN_COOKIE = 'nw_token';
const PUBLIC_PATHS = new Set(['/healthz', '/login']); // /login checks the token itself
const PING_TIMEOUT_MS = 2000;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  if (deps.operatorToken === '') throw new Error('buildApp: operatorToken must not be empty');
  // Typed as fastify's base logger so the instance is the plain FastifyInstance callers expect.
  const logger: FastifyBaseLogger = deps.logger;
  const app = Fastify({ loggerInstance: logger, logController: new PathOnlyLogController() });

  // Root-level hook: inherited by every route and plugin registered after it, bull-board included.
  app.addHook('onRequest', async (request, reply) => {
    if (PUBLIC_PATHS.has(pathOf(request))) return;
    if (!tokenMatches(presentedToken(request), deps.operatorToken)) return unauthorized(reply);
  });

  app.get('/healthz', async (_request, reply) => {
    const up = await pingWithin(deps.redisPing, PING_TIMEOUT_MS);
    return reply
      .code(up ? 200 : 503)
      .send(up ? { status: 'ok', redis: 'up' } : { status: 'degraded', redis: 'down' });
  });

  // A browser cannot send a Bearer header, so the token is traded once for an httpOnly cookie.
  app.get<{ Querystring: { token?: unknown } }>('/login', async (request, reply) => {
    const token = typeof request.query.token === 'string' ? request.query.token : ''; // ?token=a&token=b is an array
    if (!tokenMatches(token, deps.operatorToken)) return unauthorized(reply);
    const secure = request.protocol === 'https' ? '; Secure' : '';
    return reply
      .header(
        'set-cookie',
        `${TOKEN_COOKIE}=${encodeURIComponent(token)}; Path=/; HttpOnly; SameSite=Strict${secure}`,
      )
      .redirect(DASHBOARD_PATH, 303);
  });

  // @bull-board/api is pinned to the adapter's exact version (package.json), so one copy is installed.
  const board = new FastifyAdapter();
  createBullBoard({ queues: deps.queues.map((queue) => new BullMQAdapter(queue)), serverAdapter: board });
  board.setBasePath(DASHBOARD_PATH);
  await app.register(board.registerPlugin(), { prefix: DASHBOARD_PATH });

  return app;
}

/** Fastify's request lines carry the full URL, and /login?token=... would put the token in the logs. */
class PathOnlyLogController extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    if (!this.isLogDisabled(request))
      request.log.info({ method: request.method, path: pathOf(request) }, 'incoming request');
  }

  override routeNotFound(request: FastifyRequest): void {
    if (!this.isLogDisabled(request))
      request.log.info({ method: request.method, path: pathOf(request) }, 'route not found');
  }
}

function unauthorized(reply: FastifyReply): FastifyReply {
  return reply.code(401).header('www-authenticate', 'Bearer').send({
    error: 'NW_UNAUTHORIZED',
    message: 'operator token required: send "Authorization: Bearer <token>", or open /login?token=<token>',
  });
}

function presentedToken(request: FastifyRequest): string | undefined {
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return readCookie(request.headers.cookie, TOKEN_COOKIE);
}

/** Hashing first gives equal-length buffers, so timingSafeEqual leaks neither content nor length. */
function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

function readCookie(header: string | undefined, name: string): string | undefined {
  for (const pair of header?.split(';') ?? []) {
    const eq = pair.indexOf('=');
    if (eq > 0 && pair.slice(0, eq).trim() === name) {
      try {
        return decodeURIComponent(pair.slice(eq + 1).trim());
      } catch {
        return undefined; // malformed escape: treat as no cookie
      }
    }
  }
  return undefined;
}

function pathOf(request: FastifyRequest): string {
  const q = request.url.indexOf('?');
  return q === -1 ? request.url : request.url.slice(0, q);
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
