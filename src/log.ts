// The service's one logger: JSON lines on stderr (pino), quiet in tests unless LOG_LEVEL says otherwise.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { service: 'newswatch' } }, pino.destination(2));
}
