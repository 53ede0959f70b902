// One BullMQ worker per pipeline stage. Each processor is thin: unpack the job, call the
// stage, enqueue the next jobs with deterministic ids.
import { UnrecoverableError, Worker, type Processor } from 'bullmq';
import { PermanentError } from '../src/errors';
import { sendWebhook } from '../src/notify/webhook';
import { fanOut } from '../src/pipeline/alert';
import { analyzeArticle } from '../src/pipeline/analyze';
import { deliver } from '../src/pipeline/deliver';
import { pollFeed } from '../src/pipeline/poll';
import { scrapeItem } from '../src/pipeline/scrape';
import { bullPrefix } from '../src/queue/bull';
import { jobId, type JobPayloads, type QueueName } from '../src/queue/queues';
import { hashKey } from '../src/store/articles';
import type { Context } from './context';

export const WORKER_ROLES = [
  'poll',
  'scrape',
  'analyze',
  'alert',
  'deliver',
] as const satisfies readonly QueueName[];

/** Input that can never succeed is failed at once instead of retried. */
function permanent(err: unknown): unknown {
  if (err instanceof PermanentError) return new UnrecoverableError(`${err.code}: ${err.message}`);
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new UnrecoverableError((err as Error).message);
  }
  return err;
}

export function processors(ctx: Context): { [K in QueueName]: Processor<JobPayloads[K]> } {
  const { queues, stores, analyzer, now } = ctx;
  return {
    async poll(job) {
      const outcome = await pollFeed(
        {
          feed: (id) => ctx.feeds.find((f) => f.id === id),
          state: stores.feeds,
          articles: stores.articles,
          fetch: ctx.fetch,
          now,
          enqueueScrape: async (feedId, items) => {
            await queues.scrape.addBulk(
              items.map((item) => ({
                name: 'scrape',
                data: { feedId, item },
                opts: { jobId: jobId.scrape(hashKey(item.link)) },
              })),
            );
          },
        },
        job.data.feedId,
      );
      ctx.log.info({ feed: job.data.feedId, ...outcome }, 'polled');
      return outcome;
    },
    async scrape(job) {
      const article = await scrapeItem(
        { articles: stores.articles, fetch: ctx.fetch, now },
        job.data.feedId,
        job.data.item,
      );
      if (!article) return { duplicate: true };
      await queues.analyze.add('analyze', { article }, { jobId: jobId.analyze(article.id) });
      return { articleId: article.id };
    },
    async analyze(job) {
      const result = await analyzeArticle(
        { analyzer, base: stores.events, thresholds: ctx.config.thresholds, now },
        job.data.article,
      );
      await queues.alert.addBulk(
        result.alerts.map((alert) => ({
          name: alert.kind,
          data: { alert },
          opts: { jobId: jobId.alert(alert.id) },
        })),
      );
      ctx.log.info(
        {
          article: job.data.article.url,
          events: result.events.length,
          expectations: result.expectations.length,
          matches: result.matches.map((m) => m.kind),
          alerts: result.alerts.map((a) => a.kind),
        },
        'analyzed',
      );
      return { events: result.events.map((e) => e.id), alerts: result.alerts.map((a) => a.id) };
    },
    async alert(job) {
      const jobs = await fanOut(
        {
          alerts: stores.alerts,
          subscribers: () => ctx.subscribers,
          enqueueDeliver: async (deliveries) => {
            await queues.deliver.addBulk(
              deliveries.map((d) => ({ name: 'deliver', data: d, opts: { jobId: jobId.deliver(d) } })),
            );
          },
        },
        job.data.alert,
      );
      return { deliveries: jobs.length };
    },
    async deliver(job) {
      return deliver(
        {
          alerts: stores.alerts,
          subscriber: (id) => ctx.subscribers.find((s) => s.id === id),
          sendWebhook: (endpoint, message) => sendWebhook(endpoint, message),
          now,
        },
        job.data,
      );
    },
  };
}

/**
 * Analysis runs one article at a time per process: matching reads and then writes the
 * event base, and serialising it keeps two reports of one event from both creating it.
 */
const CONCURRENCY: Partial<Record<QueueName, number>> = { analyze: 1 };

export function startWorkers(ctx: Context, roles: readonly QueueName[]): Worker[] {
  const procs = processors(ctx);
  return roles.map((name) => {
    const proc = procs[name] as Processor;
    const worker = new Worker(
      name,
      async (job) => {
        try {
          return await proc(job);
        } catch (err) {
          throw permanent(err);
        }
      },
      {
        connection: ctx.redis,
        prefix: bullPrefix(ctx.config.prefix),
        concurrency: CONCURRENCY[name] ?? ctx.config.workerConcurrency,
      },
    );
    worker.on('failed', (job, err) =>
      ctx.log.warn(
        { queue: name, job: job?.id, attempts: job?.attemptsMade, err: err.message },
        'job failed',
      ),
    );
    worker.on('error', (err) => ctx.log.error({ queue: name, err: err.message }, 'worker error'));
    return worker;
  });
}
