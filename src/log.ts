// The service's one logger: JSON lines on stderr (pino), quiet in tests unless LOG_LEVEL says otherwise.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'newswatch' }, serializers }, pino.destination(2));
}

/** What a logged HTTP request (fastify's or node's) shows of itself. */
interface LoggedRequest {
  method?: string | undefined;
  url?: string | undefined;
  ip?: string | undefined;
  socket?: { remoteAddress?: string | undefined } | null | undefined;
}

/**
 * An HTTP request as a log line shows it: method, path and client address, never the query
 * string, which can carry secrets (`/login?token=`, `/unsubscribe?token=`). Fastify logs `req`
 * through this on its error paths (a 500, a failed writeHead) instead of its own, which prints
 * the whole URL.
 */
export function requestForLog(req: LoggedRequest): {
  method?: string;
  path?: string;
  remoteAddress?: string;
} {
  const url = typeof req.url === 'string' ? req.url : undefined;
  const q = url?.indexOf('?') ?? -1;
  const out: { method?: string; path?: string; remoteAddress?: string } = {};
  if (req.method !== undefined) out.method = req.method;
  if (url !== undefined) out.path = q === -1 ? url : url.slice(0, q);
  const address = req.ip ?? req.socket?.remoteAddress;
  if (address !== undefined) out.remoteAddress = address;
  return out;
}

export const serializers = { req: requestForLog };
