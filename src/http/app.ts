// The operator-facing HTTP app: liveness and readiness, login, the JSON API with its OpenAPI document, the
// operator pages, /metrics, the bull-board queue dashboard, and the operator token gate in front
// of everything but /healthz and /readyz. Built without listening, so tests use inject().
import cookie from '@fastify/cookie';
import type { Queue } from 'bullmq';
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyRequest,
} from 'fastify';
import { serializers, type Logger } from '../log';
import type { RoleCheck } from '../domain/readiness';
import { api } from './api';
import { installErrorHandler } from './api/errors';
import { authHook, authStores, pathOf, trustProxyOption, type AppAuth } from './auth';
import { deliveryRoutes, type DeliveryRoutesDeps } from './delivery-routes';
import { registerDocs } from './docs';
import { healthRoutes } from './health';
import { loginRoutes } from './login';
import { metricsRoute } from './metrics';
import type { OperatorDeps } from './operator';
import { operatorPages } from './pages';
import { pageAssets, STYLESHEET_PATH } from './pages/assets';
import { queueBoard } from './queue-board';
import { securityHeaders } from './security-headers';

export interface AppDeps {
  logger: Logger;
  operatorToken: string;
  /** accepted on /metrics besides the operator token, so a scraper need not hold the operator's */
  metricsToken?: string | undefined;
  /** True when Redis answers; may throw or hang, /readyz treats both as down. */
  redisPing: () => Promise<boolean>;
  /** the roles this process runs besides HTTP (workers, scheduler), judged by /readyz */
  roleChecks?: (() => RoleCheck[]) | undefined;
  queues: Queue[];
  /** unsubscribe links and the delivery routes; absent, those routes are not served */
  delivery?: DeliveryRoutesDeps | undefined;
  /** the JSON API, the operator pages and /metrics; absent, only health, login and bull-board are served */
  operator?: OperatorDeps | undefined;
  /** sessions and wrong-token counts, and how to read the client (README "Security"); see appAuth */
  auth: AppAuth;
}
const DASHBOARD_PATH = '/admin/queues';
// /login checks the operator token itself; /unsubscribe checks its own signed token; /logout ends
// the session its cookie names. /login and /logout check where a POST comes from themselves;
// /unsubscribe is posted by mail programs (RFC 8058), from no page of ours. The stylesheet is
// the login page's too.
const PUBLIC_PATHS = new Set(['/healthz', '/readyz', '/login', '/logout', '/unsubscribe', STYLESHEET_PATH]);
const PING_TIMEOUT_MS = 2000;

export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  if (deps.operatorToken === '') throw new Error('buildApp: operatorToken must not be empty');
  // Typed as fastify's base logger so the instance is the plain FastifyInstance callers expect.
  // Our request serializer (path only) overrides fastify's, which logs the URL with its query.
  const logger: FastifyBaseLogger = deps.logger.child({}, { serializers });
  const app = Fastify({
    loggerInstance: logger,
    logController: new PathOnlyLogController(),
    trustProxy: trustProxyOption(deps.auth.trustProxy),
  });
  installErrorHandler(app); // routes outside the API's context: no 500 carries an internal message
  await securityHeaders(app);
  const { sessions, failures } = authStores(deps.auth, deps.operatorToken);

  await app.register(cookie);
  // Root-level hook: inherited by every route and plugin registered after it, bull-board included.
  app.addHook(
    'onRequest',
    authHook({
      operatorToken: deps.operatorToken,
      metricsToken: deps.metricsToken,
      publicPaths: PUBLIC_PATHS,
      sessions,
      failures,
      publicUrl: deps.auth.publicUrl,
    }),
  );
  // Before any route, so the document lists them all.
  if (deps.operator) await registerDocs(app, DASHBOARD_PATH);

  await app.register(
    healthRoutes({ redisPing: deps.redisPing, roleChecks: deps.roleChecks, pingTimeoutMs: PING_TIMEOUT_MS }),
  );

  await app.register(
    loginRoutes({ operatorToken: deps.operatorToken, sessions, failures, publicUrl: deps.auth.publicUrl }),
  );
  await app.register(pageAssets);

  await app.register(queueBoard(deps.queues, DASHBOARD_PATH), { prefix: DASHBOARD_PATH });
  if (deps.delivery) await app.register(deliveryRoutes(deps.delivery));
  if (deps.operator) {
    await app.register(api(deps.operator));
    await app.register(operatorPages(deps.operator, deps.queues));
    await app.register(metricsRoute(deps.operator, deps.queues));
  }

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
