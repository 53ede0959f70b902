// Several running instances each tick for the same feed and slot: the feed is polled once.
import { Queue } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { bullPrefix } from '../../src/queue/bull';
import { jobId } from '../../src/queue/queues';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { runPrefix } from '../../src/demo/seed-scenario';

describe('poll scheduling across instances', () => {
  const prefix = runPrefix('sched');
  const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  // one Queue object per running instance
  const instances = [0, 1, 2].map(() => new Queue('poll', { connection: redis, prefix: bullPrefix(prefix) }));

  afterAll(async () => {
    await Promise.all(instances.map((q) => q.close()));
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('keeps one poll job per feed and slot however many schedulers add it', async () => {
    for (const slot of [100, 101]) {
      for (const q of instances) {
        for (const feedId of ['kuna-ar', 'nato-newsroom']) {
          await q.add('poll', { feedId, slot }, { jobId: jobId.poll({ feedId, slot }) });
        }
      }
    }
    expect(await instances[0]!.getJobCountByTypes('waiting')).toBe(4);
    expect((await instances[0]!.getJob('poll-kuna-ar-101'))?.data).toEqual({ feedId: 'kuna-ar', slot: 101 });
  });
});
