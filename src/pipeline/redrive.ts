// Re-driving a dead letter: its delivery job runs again from the first attempt, with the same
// id, so a message that got through meanwhile is still not sent twice. Called by the API.
import type { ChannelName } from '../domain/alerts';
import type { DeliverJob } from '../queue/queues';
import type { DeadLetter, DeadLetterStore } from '../store/dead-letters';

export interface RedriveDeps {
  deadLetters: Pick<DeadLetterStore, 'get' | 'remove'>;
  /** Puts the delivery job back on its queue under its own id (src/queue/requeue.ts). */
  requeue: (jobId: string, job: DeliverJob) => Promise<void>;
  /** An endpoint disabled by 410 Gone is enabled again: re-driving says it is back. */
  enableChannel: (subscriberId: string, channel: ChannelName) => Promise<unknown>;
}

/** The dead letter re-driven, or undefined when there is none with that id. */
export async function redriveDeadLetter(deps: RedriveDeps, id: string): Promise<DeadLetter | undefined> {
  const letter = await deps.deadLetters.get(id);
  if (!letter) return undefined;
  if (letter.reason === 'gone') await deps.enableChannel(letter.job.subscriberId, letter.job.channel);
  await deps.requeue(letter.id, letter.job);
  await deps.deadLetters.remove(id);
  return letter;
}
