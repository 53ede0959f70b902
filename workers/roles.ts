// One BullMQ worker per pipeline stage. Each processor is thin: unpack the job, call the
// stage, enqueue the next jobs with deterministic ids.
import { DelayedError, UnrecoverableError, Worker, type Processor } from 'bullmq';
import { PermanentError } from '../src/errors';
import { deliveryDelay } from '../src/domain/delivery-backoff';
import type { Alert } from '../src/domain/types';
import { hostHoldMs, pageRetryDelay, type PageRetryPolicy } from '../src/domain/page-retry';
import { DeliveryError } from '../src/notify/channel';
import { fanOut } from '../src/pipeline/alert';
import { extractArticle } from '../src/domain/extract';
import { priorAfter, type PriorAnalysis } from '../src/domain/plan';
import { matchArticle, type AnalyzeResult } from '../src/pipeline/analyze';
import { deliver } from '../src/pipeline/deliver';
import { pollFeed, type PollDeps } from '../src/pipeline/poll';
import { describePageFailure, settlePageFailure } from '../src/pipeline/owed-pages';
import { scrapeItem } from '../src/pipeline/scrape';
import { articleMatches } from '../src/pipeline/watch-alerts';
import { bullPrefix, DELIVERY_BACKOFF, PAGE_BACKOFF } from '../src/queue/bull';
import { jobId, type JobPayloads, type QueueName } from '../src/queue/queues';
import { hashKey } from '../src/store/articles';
import type { Context } from './context';
import { recordJob } from './job-metrics';

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
  // The deliver stage has already judged these (an SMTP 4xx is transient, unlike an HTTP 4xx).
  if (err instanceof DeliveryError) return err;
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number' && status >= 400 && status < 500 && status !== 408 && status !== 429) {
    return new UnrecoverableError((err as Error).message);
  }
  return err;
}

/** The poll stage's wiring, shared by the poll worker and `newswatch feeds check --now`. */
export function pollDeps(ctx: Context): PollDeps {
  const { queues, stores } = ctx;
  const raise = async (alert: Alert) => {
    await queues.alert.add(alert.kind, { alert }, { jobId: jobId.alert(alert.id) });
    ctx.log.warn({ feed: alert.feed?.id, alert: alert.id }, alert.title);
  };
  return {
    feed: (id) => ctx.feeds.find((f) => f.id === id),
    state: stores.feeds,
    articles: stores.articles,
    fetch: ctx.fetch,
    now: ctx.now,
    maxItems: ctx.config.feedMaxItems,
    enqueueScrape: async (feedId, items) => {
      await queues.scrape.addBulk(
        items.map(({ item, version, backlog }) => ({
          name: 'scrape',
          data: { feedId, item, ...(version ? { version } : {}), ...(backlog ? { backlog } : {}) },
          opts: { jobId: jobId.scrape(hashKey(item.link), version) },
        })),
      );
    },
    failing: { afterMs: ctx.config.feedFailingAfterMs, raise },
    health: { raise },
  };
}

/** DELIVERY_BACKOFF (src/queue/bull.ts): ×5 per attempt with jitter, longer when the receiver asked (Retry-After). */
function deliveryBackoff(baseMs: number) {
  return (attemptsMade: number, _type?: string, err?: Error) => {
    const retryAfter = err instanceof DeliveryError ? err.retryAfterSeconds : undefined;
    return deliveryDelay(
      attemptsMade,
      baseMs,
      Math.random(),
      retryAfter === undefined ? undefined : retryAfter * 1000,
    );
  };
}

/** PAGE_BACKOFF (src/queue/bull.ts): doubling to a cap with jitter, never sooner than the host's hold. */
function pageBackoff(policy: PageRetryPolicy) {
  return (attemptsMade: number, _type?: string, err?: Error) =>
    pageRetryDelay(
      attemptsMade,
      policy,
      Math.random(),
      hostHoldMs(err === undefined ? undefined : describePageFailure(err)),
    );
}

/** One backoffStrategy per worker serves every queue with a custom backoff type: each by its type. */
function backoffStrategy(ctx: Context) {
  const strategies: Record<string, (attemptsMade: number, type?: string, err?: Error) => number> = {
    [DELIVERY_BACKOFF]: deliveryBackoff(ctx.config.delivery.backoffMs),
    [PAGE_BACKOFF]: pageBackoff(ctx.config.pageRetry),
  };
  return (attemptsMade: number, type?: string, err?: Error) => {
    const strategy = type === undefined ? undefined : strategies[type];
    if (!strategy) throw new Error(`no backoff strategy for the type ${JSON.stringify(type)}`);
    return strategy(attemptsMade, type, err);
  };
}

export function processors(ctx: Context): { [K in QueueName]: Processor<JobPayloads[K]> } {
  const { queues, stores, analyzer, now } = ctx;
  return {
    async poll(job) {
      // A feed added a moment ago in another process may not have reached this one's list yet.
      if (!ctx.feedRegistry.get(job.data.feedId)) await ctx.feedRegistry.refresh();
      const outcome = await pollFeed(pollDeps(ctx), job.data.feedId);
      ctx.log.info({ feed: job.data.feedId, ...outcome }, 'polled');
      return outcome;
    },
    async scrape(job, token) {
      const scrape = async () => {
        const article = await scrapeItem(
          { articles: stores.articles, fetch: ctx.fetch, now, pages: stores.feeds },
          job.data.feedId,
          job.data.item,
        );
        // A page given up and then fetched after all (re-driven, or its job re-run) is no longer owed.
        await stores.givenUp.remove(job.id!);
        if (!article) return { duplicate: true };
        if ('skipped' in article) {
          ctx.log.info({ url: job.data.item.link, reason: article.skipped }, 'page skipped');
          return article;
        }
        if ('unchanged' in article) return article;
        await queues.analyze.add(
          'analyze',
          { article, ...(job.data.backlog ? { backlog: job.data.backlog } : {}) },
          { jobId: jobId.analyze(article.id, article.version) },
        );
        return { articleId: article.id, ...(article.version ? { version: article.version } : {}) };
      };
      try {
        return await scrape();
      } catch (err) {
        // The item stays owed until its article is stored or it is given up (src/domain/page-retry.ts).
        const attempt = job.attemptsMade + 1;
        const verdict = await settlePageFailure(
          { givenUp: stores.givenUp, now },
          { jobId: job.id!, job: job.data, attempt, attempts: job.opts.attempts ?? 1 },
          err,
        );
        if (verdict.verdict === 'postpone') {
          // Our own politeness (the host's slots or spacing) is no failed attempt: only postponed.
          await job.moveToDelayed(Date.now() + verdict.delayMs, token);
          throw new DelayedError();
        }
        if (verdict.verdict === 'give-up') {
          const { link: url } = job.data.item;
          ctx.log.warn({ url, feed: job.data.feedId, reason: verdict.reason, attempt }, 'page given up');
          throw new UnrecoverableError(`${verdict.reason}: ${(err as Error).message}`);
        }
        throw err;
      }
    },
    async analyze(job) {
      // Reading the article needs no lock; matching does: it reads the base and then writes it,
      // and another process's write in between would let two reports of one new event both
      // create it. Past the lock's timeout the job fails and BullMQ retries it, so no article is lost.
      const { article } = job.data;
      const version = article.version ?? 1;
      // The feed's opt-in is read now: an operator who turned it on since the poll is obeyed.
      const feed = article.feedId ? ctx.feeds.find((f) => f.id === article.feedId) : undefined;
      const arrival = { backlog: job.data.backlog === true, alertBacklog: feed?.alertBacklog === true };
      const extraction = extractArticle(analyzer, article);
      const raise = async (alerts: Alert[]) => {
        await queues.alert.addBulk(
          alerts.map((alert) => ({
            name: alert.kind,
            data: { alert },
            opts: { jobId: jobId.alert(alert.id) },
          })),
        );
      };
      // What the analyses of earlier versions left (PriorAnalysis), kept only once their alerts
      // were queued: an update raises what they did not, and a crash before that raises it again.
      const keep = (result: AnalyzeResult, prior: PriorAnalysis | undefined) =>
        stores.articles.savePriorAnalysis(
          article.id,
          // Quiet alerts count as raised: a later version of a backlog article does not raise them.
          priorAfter(article, extraction, result.events, [...result.alerts, ...result.quieted], prior),
        );
      const asked = performance.now();
      let got = asked;
      // Read again under the lock for an update only: the version before it may have just been
      // analysed; a first version has none before it, and the lock is analysis's serial step.
      const read = await stores.articles.priorAnalysis(article.id);
      const outcome = await ctx.analyzeLock.run(async () => {
        got = performance.now();
        const prior = version > 1 ? await stores.articles.priorAnalysis(article.id) : read;
        // A version analysed already (a re-run), or older than one that was (read out of order).
        if (prior && prior.version >= version) return { stale: prior.version };
        const result = await matchArticle(
          {
            analyzer,
            base: stores.events,
            thresholds: ctx.config.thresholds,
            now,
            recencyMs: ctx.config.alertRecencyMs,
          },
          article,
          extraction,
          prior,
          arrival,
        );
        // An update's alerts are queued and its analysis kept under the lock: the next version,
        // analysed right after, must know what this one raised.
        if (version > 1) {
          await raise(result.alerts);
          await keep(result, prior);
        }
        return { result, prior };
      });
      // Kept with the job (bull-board, the pipeline bench): the lock is analysis's one serial step.
      const lock = { waitedMs: Math.round(got - asked), heldMs: Math.round(performance.now() - got) };
      if ('stale' in outcome) {
        ctx.log.info({ article: article.url, version, analysed: outcome.stale }, 'version analysed already');
        return { stale: true, lock };
      }
      const { result } = outcome;
      // Watches (article.match) tell of new articles: the first version only, outside the lock (they
      // read no event base), queued before the analysis is kept so a crash in between raises them again.
      let watched: Alert[] = [];
      if (version === 1) {
        watched = (
          await articleMatches(
            {
              watches: stores.watches,
              subscriberExists: async (id) => (await ctx.delivery.subscriber(id)) !== undefined,
              nameOf: analyzer.nameOf,
              hash: hashKey,
              now,
              recencyMs: ctx.config.alertRecencyMs,
            },
            article,
            extraction,
            arrival,
          )
        ).alerts;
        await raise([...result.alerts, ...watched]);
        await keep(result, outcome.prior);
      }
      ctx.log.info(
        {
          article: article.url,
          ...(version > 1 ? { version } : {}),
          events: result.events.length,
          expectations: result.expectations.length,
          matches: result.matches.map((m) => m.kind),
          alerts: [...result.alerts, ...watched].map((a) => a.kind),
          ...(result.quieted.length ? { quieted: result.quieted.map((a) => a.kind) } : {}),
        },
        'analyzed',
      );
      return {
        events: result.events.map((e) => e.id),
        alerts: [...result.alerts, ...watched].map((a) => a.id),
        // for /metrics (workers/job-metrics.ts)
        historical: result.events.filter((e) => e.historical).length,
        expectations: result.expectations.length,
        matches: result.matches.map((m) => m.kind),
        lock,
      };
    },
    async alert(job) {
      const jobs = await fanOut(
        {
          alerts: stores.alerts,
          subscribers: () => ctx.delivery.subscribers(),
          enqueueDeliver: async (deliveries) => {
            await queues.deliver.addBulk(
              deliveries.map((d) => ({ name: 'deliver', data: d, opts: { jobId: jobId.deliver(d) } })),
            );
          },
          channelState: ctx.delivery.stores.subscribers,
          digests: ctx.delivery.stores.digests,
          facts: ctx.delivery.facts,
          now,
        },
        job.data.alert,
      );
      return { deliveries: jobs.length };
    },
    async deliver(job, token) {
      const d = ctx.delivery;
      const attempt = job.attemptsMade + 1;
      const result = await deliver(
        {
          alerts: stores.alerts,
          channel: d.channel,
          subscriber: d.subscriber,
          channelState: d.stores.subscribers,
          deadLetters: d.stores.deadLetters,
          digests: d.stores.digests,
          rateLimit: (url, perSecond) => d.rateLimiter.wait(url, perSecond),
          ratePerSecond: ctx.config.delivery.webhookRatePerSecond,
          now,
        },
        job.data,
        { jobId: job.id!, attempt, last: attempt >= (job.opts.attempts ?? 1) },
      );
      if (result.outcome === 'rate-limited') {
        // Waiting for the endpoint's next window is no failed attempt: the job is only postponed.
        await job.moveToDelayed(Date.now() + result.waitMs, token);
        throw new DelayedError();
      }
      return result;
    },
  };
}

/**
 * Two analyze jobs per process: while one holds the analyze lock (src/store/lock.ts), mostly
 * waiting on Redis, the other reads its article. More would only queue for the lock.
 */
const CONCURRENCY: Partial<Record<QueueName, number>> = { analyze: 2 };

export function startWorkers(ctx: Context, roles: readonly QueueName[]): Worker[] {
  const procs = processors(ctx);
  return roles.map((name) => {
    const proc = procs[name] as Processor;
    const worker = new Worker(
      name,
      async (job, token) => {
        const started = performance.now();
        try {
          const result = await proc(job, token);
          recordJob(ctx.metrics, name, job, { result }, performance.now() - started);
          return result;
        } catch (err) {
          recordJob(ctx.metrics, name, job, { error: err }, performance.now() - started);
          throw permanent(err);
        }
      },
      {
        connection: ctx.redis,
        prefix: bullPrefix(ctx.config.prefix),
        concurrency: CONCURRENCY[name] ?? ctx.config.workerConcurrency,
        lockDuration: ctx.config.workerLock.lockMs,
        stalledInterval: ctx.config.workerLock.stalledIntervalMs,
        settings: { backoffStrategy: backoffStrategy(ctx) },
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
