// Puts a job back on its queue under its own id: a delivery from the dead letters, a scrape job
// from the given-up pages. A failed job is retried in place with its attempts reset (BullMQ
// keeps failed jobs a while); one that retention removed is added again. A job already waiting
// or running is left alone.
import type { Queue } from 'bullmq';
import type { DeliverJob, ScrapeJob } from './queues';

function requeue<T>(queue: Queue<T>, name: string) {
  return async (jobId: string, job: T): Promise<void> => {
    const existing = await queue.getJob(jobId);
    if (existing) {
      const state = await existing.getState();
      if (state === 'failed') {
        await existing.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
        return;
      }
      if (state !== 'completed' && state !== 'unknown') return;
      await existing.remove();
    }
    // Typed loosely by BullMQ (a queue's name and data types are one generic); ours are fixed.
    await (queue as Queue).add(name, job, { jobId });
  };
}

export function requeueDelivery(queue: Queue<DeliverJob>) {
  return requeue(queue, 'deliver');
}

export function requeueScrape(queue: Queue<ScrapeJob>) {
  return requeue(queue, 'scrape');
}
