// Article pages owed to the pipeline: what a failed scrape attempt means (tried again, only
// postponed, or given up, by the rules of src/domain/page-retry.ts), the given-up list it lands
// in, and re-driving a page from that list. Called by the scrape worker and the operator surface.
import { judgePageFailure, type PageFailure, type PageVerdict } from '../domain/page-retry';
import { NewswatchError, PermanentError } from '../errors';
import { HttpStatusError } from '../ingest/fetch';
import { retryAfterMs } from '../ingest/polite-fetch';
import type { ScrapeJob } from '../queue/queues';
import { HostBusyError } from '../store/host-gate';
import type { GivenUpPage, GivenUpPageStore } from '../store/given-up-pages';

/** A scrape attempt's error, described for the page-retry rules. */
export function describePageFailure(err: unknown): PageFailure {
  // Every slot taken: one frees whenever a request ends, sooner than the lease the wait is counted to.
  if (err instanceof HostBusyError)
    return {
      kind: 'host-busy',
      waitMs: err.reason === 'full' ? 0 : err.waitMs,
      heldByServer: err.heldByServer,
    };
  if (err instanceof HttpStatusError)
    return { kind: 'http', status: err.status, retryAfterMs: retryAfterMs(err) };
  if (err instanceof NewswatchError && err.code === 'NW_HTTP_TOO_LARGE') return { kind: 'too-large' };
  if (err instanceof NewswatchError && err.code === 'NW_PAGE_NOT_HTML') return { kind: 'not-html' };
  if (err instanceof PermanentError) return { kind: 'permanent' };
  return { kind: 'transient' };
}

export interface PageAttempt {
  /** the scrape job's id */
  jobId: string;
  job: ScrapeJob;
  /** this attempt, 1 for the first */
  attempt: number;
  /** attempts in all (the job's) */
  attempts: number;
}

/**
 * Judges a failed attempt; a page given up is written to the given-up list first, so it is never
 * lost unseen (a crash right after only repeats the write).
 */
export async function settlePageFailure(
  deps: { givenUp: Pick<GivenUpPageStore, 'add'>; now: () => Date },
  attempt: PageAttempt,
  err: unknown,
): Promise<PageVerdict> {
  const verdict = judgePageFailure(describePageFailure(err), attempt.attempt, attempt.attempts);
  if (verdict.verdict === 'give-up') {
    const status = err instanceof HttpStatusError ? err.status : undefined;
    await deps.givenUp.add({
      id: attempt.jobId,
      job: attempt.job,
      url: attempt.job.item.link,
      feedId: attempt.job.feedId,
      reason: verdict.reason,
      error: (err as Error).message,
      ...(status === undefined ? {} : { status }),
      attempts: attempt.attempt,
      at: deps.now().toISOString(),
    });
  }
  return verdict;
}

export interface PageRedriveDeps {
  givenUp: Pick<GivenUpPageStore, 'get' | 'remove'>;
  /** puts the scrape job back on its queue under its own id (src/queue/requeue.ts) */
  requeue: (jobId: string, job: ScrapeJob) => Promise<void>;
}

/** The page re-driven (its scrape job runs again from attempt one), or undefined when there is none. */
export async function redrivePage(deps: PageRedriveDeps, id: string): Promise<GivenUpPage | undefined> {
  const page = await deps.givenUp.get(id);
  if (!page) return undefined;
  await deps.requeue(page.id, page.job);
  await deps.givenUp.remove(id);
  return page;
}

/** BullMQ's reason for a job failed by its stalled-job check (moveStalledJobsToWait), not by our code. */
export const STALLED_REASON = 'job stalled more than allowable limit';

/** A failed scrape job as BullMQ keeps it. */
export interface FailedScrapeJob {
  id?: string | undefined;
  data: ScrapeJob;
  failedReason?: string | undefined;
  attemptsStarted?: number | undefined;
  attemptsMade: number;
  finishedOn?: number | undefined;
}

/**
 * Pages whose scrape job BullMQ failed as stalled never passed through settlePageFailure: they are
 * put on the given-up list here (by the scheduler's sweep), so they too can be seen and re-driven.
 * Returns how many were added; one already listed is left as it is.
 */
export async function collectStalledPages(deps: {
  failed: () => Promise<FailedScrapeJob[]>;
  givenUp: Pick<GivenUpPageStore, 'add' | 'get'>;
}): Promise<number> {
  let added = 0;
  for (const job of await deps.failed()) {
    if (!job.id || job.failedReason !== STALLED_REASON || (await deps.givenUp.get(job.id))) continue;
    await deps.givenUp.add({
      id: job.id,
      job: job.data,
      url: job.data.item.link,
      feedId: job.data.feedId,
      reason: 'stalled',
      error: `${job.data.item.link}: the worker reading it stopped (died or hung) more often than allowed`,
      attempts: Math.max(job.attemptsStarted ?? 0, job.attemptsMade, 1),
      at: new Date(job.finishedOn ?? Date.now()).toISOString(),
    });
    added++;
  }
  return added;
}
