// Waits until queues hold no pending work: how tests and the demo know a stage cascade ended.
import type { Queue } from 'bullmq';

export async function waitForIdle(queues: Queue[], timeoutMs: number, pollMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietRounds = 0;
  while (Date.now() < deadline) {
    const counts = await Promise.all(
      queues.map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children')),
    );
    const pending = counts.reduce((n, c) => n + Object.values(c).reduce((a, b) => a + b, 0), 0);
    // Two quiet looks in a row: a job finishing may enqueue the next stage's job just after.
    quietRounds = pending === 0 ? quietRounds + 1 : 0;
    if (quietRounds >= 2) return;
    await new Promise((r) => setTimeout(r, pollMs));
  }
  throw new Error(`queues still busy after ${timeoutMs} ms`);
}
