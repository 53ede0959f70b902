// What /readyz asks of this process: Redis answering, every stage worker it started attached to its
// queue, and its scheduler still ticking. The judging is pure (src/domain/readiness.ts).
import type { Worker } from 'bullmq';
import { schedulerCheck, workerCheck, type RoleCheck } from '../src/domain/readiness';
import type { Scheduler } from './scheduler';

export function roleChecks(workers: readonly Worker[], scheduler: Scheduler | undefined): () => RoleCheck[] {
  return () => [
    ...workers.map((w) =>
      workerCheck({
        name: w.name,
        running: w.isRunning(),
        closing: w.closing !== undefined,
        paused: w.isPaused(),
      }),
    ),
    ...(scheduler ? [schedulerCheck(scheduler.state(), Date.now())] : []),
  ];
}
