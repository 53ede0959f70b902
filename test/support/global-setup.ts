// Vitest global setup: the integration and end-to-end suites need a real Redis. A missing one
// fails the run loudly with how to start it; it is never skipped in silence.
import { assertRedisReachable } from '../../src/store/redis';

export default async function setup(): Promise<void> {
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  await assertRedisReachable(url);
}
