// Puts a delivery job back on the deliver queue under its own id. A failed job is retried in
// place with its attempts reset (BullMQ keeps failed deliveries); one that retention removed
// is added again. A job already waiting or running is left alone.
import type { Queue } from 'bullmq';
import type { DeliverJob } from './queues';

export function requeueDelivery(queue: Queue<DeliverJob>) {
  return async (jobId: string, job: DeliverJob): Promise<void> => {
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
    await queue.add('deliver', job, { jobId });
  };
}
