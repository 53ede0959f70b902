// Configuration for one test: the real Redis, and a key prefix of its own. Fixture servers and
// webhook receivers listen on loopback, which the SSRF guard refuses unless allowed, so tests
// allow it (a test can still pass its own FETCH_ALLOW_PRIVATE).
import { loadConfig, type Config } from '../../src/config/env';
import { runPrefix } from '../../src/demo/seed-scenario';

export const LOOPBACK = '127.0.0.0/8,::1/128';

export function testConfig(label: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    FETCH_ALLOW_PRIVATE: LOOPBACK,
    ...env,
    NEWSWATCH_PREFIX: runPrefix(label),
  });
}
