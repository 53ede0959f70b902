// Two analyze workers, each with its own Redis connections as on two machines, take two reports
// of the same new event at the same moment: the base must end with one event holding both
// reports, and subscribers must be owed one event.new alert, not two.
import type { Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import type { ArticleInput } from '../../src/domain/types';
import { createLogger } from '../../src/log';
import { jobId } from '../../src/queue/queues';
import { LockTimeoutError, RedisLock, type LockOptions } from '../../src/store/lock';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { waitForIdle } from '../../src/demo/idle';
import { createContext, type Context } from '../../workers/context';
import { startWorkers } from '../../workers/roles';
import { testConfig } from '../support/config';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

// The NATO-ICI Regional Centre opened in Kuwait on 23 January 2017: a NATO-style English
// report and a KUNA-style Arabic one.
const english: ArticleInput = {
  id: 'art-centre-en',
  url: 'https://news.example/en/2017/01/nato-centre-kuwait',
  title: "Stoltenberg opens NATO's Gulf regional centre in Kuwait",
  published: '2017-01-23T16:05:00Z',
  lang: 'en',
  text:
    'KUWAIT CITY - NATO Secretary General Jens Stoltenberg and Kuwaiti Prime Minister Sheikh Jaber ' +
    'al-Mubarak al-Hamad al-Sabah on Monday opened the NATO-Istanbul Cooperation Initiative Regional Centre ' +
    "in Kuwait, the alliance's first presence of its kind in the Gulf.\n" +
    'The centre will run courses in civil emergency planning, energy security and cyber defence.',
};
const arabic: ArticleInput = {
  id: 'art-centre-ar',
  url: 'https://news.example/ar/2017/01/nato-centre-kuwait',
  title: 'الشيخ جابر المبارك وستولتنبرغ يفتتحان المركز الإقليمي لمبادرة إسطنبول في الكويت',
  published: '2017-01-23T14:45:00Z',
  lang: 'ar',
  text:
    'الكويت - افتتح سمو رئيس مجلس الوزراء الشيخ جابر المبارك الحمد الصباح والأمين العام لحلف شمال الأطلسي ' +
    '(الناتو) ينس ستولتنبرغ اليوم الإثنين المركز الإقليمي للحلف ومبادرة إسطنبول للتعاون في دولة الكويت.\n' +
    'وقال ستولتنبرغ إن المركز سيوفر دورات تدريبية في مجالات التخطيط للطوارئ وأمن الطاقة.',
};

describe('two analyze workers racing on one new event', () => {
  // The article reports a 2017 event: no recency window, so its event.new is owed (the race is the point here).
  const config = testConfig('concurrent-analyze', { ALERT_RECENCY: '0' });
  const log = createLogger('silent');
  const contexts: Context[] = [];
  const workers: Worker[] = [];

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.close()));
    await Promise.all(contexts.map((c) => c.close()));
    const redis = connectRedis(redisUrl);
    await deleteKeys(redis, config.prefix);
    redis.disconnect();
  });

  it('records one event with both reports and owes one event.new alert', async () => {
    for (let i = 0; i < 2; i++)
      contexts.push(await createContext(config, log, { feeds: [], subscribers: [] }));
    const [a, b] = contexts as [Context, Context];
    // Both reports wait in the queue before either worker starts, so each worker takes one at once.
    await a.queues.analyze.addBulk(
      [english, arabic].map((article) => ({
        name: 'analyze',
        data: { article },
        opts: { jobId: jobId.analyze(article.id) },
      })),
    );
    workers.push(...startWorkers(a, ['analyze']), ...startWorkers(b, ['analyze']));
    await waitForIdle([a.queues.analyze], 20_000);

    const counts = await a.queues.analyze.getJobCounts('completed', 'failed');
    expect(counts).toEqual({ completed: 2, failed: 0 });
    const events = (
      await a.stores.events.eventsNear(['kuwait', 'nato'], { from: '2017-01-20', to: '2017-01-26' }, 0)
    ).filter((e) => !e.historical);
    expect(events).toHaveLength(1);
    expect(events[0]!.type).toBe('opening');
    expect(events[0]!.sources.map((s) => s.articleId).sort()).toEqual([arabic.id, english.id].sort());

    const alerts = await a.queues.alert.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed']);
    const newEvents = alerts.filter((j) => j.data.alert.kind === 'event.new');
    expect(newEvents).toHaveLength(1);
    expect(newEvents[0]!.data.alert.event!.id).toBe(events[0]!.id);
  });
});

describe('the analyze lock', () => {
  const prefix = testConfig('analyze-lock').prefix;
  const redis = connectRedis(redisUrl);
  const options = { ttlMs: 10_000, acquireTimeoutMs: 10_000, retryIntervalMs: 10 };
  const locks: RedisLock[] = [];
  const lock = (opts: LockOptions = options) => {
    const l = new RedisLock(redis, prefix, 'analyze', opts);
    locks.push(l);
    return l;
  };

  afterAll(async () => {
    await Promise.all(locks.map((l) => l.close()));
    await deleteKeys(redis, prefix);
    redis.disconnect();
  });

  it('never lets two holders inside the section at once', async () => {
    const trace: string[] = [];
    const section = (who: string) => async () => {
      trace.push(`${who} in`);
      // Work that yields, as matching against the base does.
      for (let i = 0; i < 5; i++) await redis.incr(`${prefix}work`);
      trace.push(`${who} out`);
    };
    await Promise.all([lock().run(section('a')), lock().run(section('b')), lock().run(section('c'))]);
    expect(trace).toHaveLength(6);
    for (let i = 0; i < 6; i += 2) expect(trace[i + 1]).toBe(trace[i]!.replace(' in', ' out'));
  });

  it('gives up after its timeout without running the section, naming the lock', async () => {
    const impatient = lock({ ttlMs: 10_000, acquireTimeoutMs: 200, retryIntervalMs: 10 });
    let ran = false;
    const outcome = await lock().run(async () =>
      impatient
        .run(async () => {
          ran = true;
        })
        .then(
          () => 'acquired',
          (err: unknown) => err,
        ),
    );
    expect(outcome).toBeInstanceOf(LockTimeoutError);
    expect((outcome as Error).message).toBe(
      'lock "analyze" not acquired within 200 ms: another process holds it',
    );
    expect(ran).toBe(false);
    // Released once its holder finished: the next one gets it at once.
    expect(await impatient.run(async () => 'acquired')).toBe('acquired');
  });

  it("runs a busy process's queued sections under one hold, then lets another process in after the streak", async () => {
    const key = `${prefix}mutex:analyze`;
    const streaky = lock({ ...options, maxStreak: 3 });
    const other = lock();
    const trace: string[] = [];
    const tokens: (string | null)[] = [];
    const section = (who: string) => async () => {
      trace.push(who);
      tokens.push(await redis.get(key));
      await redis.incr(`${prefix}work`);
    };
    // Four sections queued in one process, then one from another process while the first runs.
    const first = streaky.run(section('a1'));
    const queued = [streaky.run(section('a2')), streaky.run(section('a3')), streaky.run(section('a4'))];
    await new Promise((r) => setTimeout(r, 5));
    const theirs = other.run(section('b1'));
    await Promise.all([first, ...queued, theirs]);
    // a1-a3 share one hold (one token, never released in between); the streak ends there: the
    // lock is released, so the other process's poll can win it, and a4 takes it anew.
    expect(trace.slice(0, 3)).toEqual(['a1', 'a2', 'a3']);
    expect(new Set(tokens.slice(0, 3)).size).toBe(1);
    expect(trace).toContain('b1');
    expect(tokens[trace.indexOf('a4')]).not.toBe(tokens[0]);
    expect(await redis.exists(key)).toBe(0);
  });

  it('keeps its key under the service prefix, and never deletes a lock another holder took over', async () => {
    const key = `${prefix}mutex:analyze`;
    await lock().run(async () => {
      expect(await redis.exists(key)).toBe(1);
      // As if this holder's lock had lapsed and another process had taken it.
      await redis.set(key, 'another-holder', 'PX', 10_000);
    });
    expect(await redis.get(key)).toBe('another-holder');
    await redis.del(key);
  });
});
