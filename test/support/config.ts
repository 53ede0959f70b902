// Configuration for one test: the real Redis, and a key prefix of its own.
import { loadConfig, type Config } from '../../src/config/env';
import { runPrefix } from '../../src/testing/seed-scenario';

export function testConfig(label: string, env: Record<string, string> = {}): Config {
  return loadConfig({
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    ...env,
    NEWSWATCH_PREFIX: runPrefix(label),
  });
}
