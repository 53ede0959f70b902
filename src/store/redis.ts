// Redis connections and the one check `start` makes before anything else: is Redis there?
import { Redis } from 'ioredis';
import { NewswatchError } from '../errors';
import { redisKeys } from './keys';
import { defineScripts } from './scripts';

/**
 * A connection fit for BullMQ workers too (they block, so no per-request retry limit).
 * `autoPipelining` sends every command issued in one event-loop turn in one write: for the
 * stores, whose many small reads and writes otherwise cost a socket write each. Not for BullMQ's
 * connection: its maintainers advise against it (taskforcesh/bullmq#457).
 */
export function connectRedis(url: string, opts: { autoPipelining?: boolean } = {}): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    enableAutoPipelining: opts.autoPipelining ?? false,
  });
  // The stores' Lua scripts (src/store/scripts/), as commands of the connection.
  return defineScripts(redis);
}

/** Redacts the password of a redis:// URL for messages. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable REDIS_URL)';
  }
}

/** Pings Redis once, failing fast with a message that says how to start one. */
export async function assertRedisReachable(url: string, timeoutMs = 3000): Promise<void> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // The socket error (ECONNREFUSED, ENOTFOUND) says more than the "Connection is closed" that follows it.
  let socketError: NodeJS.ErrnoException | undefined;
  probe.on('error', (err: NodeJS.ErrnoException) => (socketError ??= err));
  try {
    await probe.connect();
    await probe.ping();
  } catch (err) {
    const cause = socketError ?? (err as NodeJS.ErrnoException);
    const reason = cause.code ?? cause.message;
    throw new NewswatchError(
      'NW_REDIS_UNREACHABLE',
      `cannot reach Redis at ${redactUrl(url)} (${reason}); start one with \`docker compose up -d redis\` or \`redis-server --daemonize yes\`, or set REDIS_URL`,
      { cause: err },
    );
  } finally {
    probe.disconnect();
  }
}

/** Deletes every key under `prefix` (tests and the demo clean up after themselves). */
export async function deleteKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', redisKeys(prefix).all, 'COUNT', 500);
    cursor = next;
    if (keys.length > 0) deleted += await redis.unlink(...keys);
  } while (cursor !== '0');
  return deleted;
}
