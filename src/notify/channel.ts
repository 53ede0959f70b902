// The one interface every delivery channel implements (webhook, email), so the deliver stage,
// retries, dead letters and the contract tests treat them alike.
import type { ChannelName, Subscriber } from '../domain/alerts';
import type { DigestPeriod } from '../domain/alert-payload';
import type { Alert } from '../domain/types';
import { NewswatchError, type ErrorCode } from '../errors';

/** One message to one subscriber on one channel: an alert, or a digest of a period's alerts. */
export interface OutgoingMessage {
  /** Stable across retries and re-runs, so the receiver can drop a duplicate (webhook-id, Message-ID). */
  id: string;
  alerts: Alert[];
  /** Set for a digest: the period it covers. */
  digest?: DigestPeriod | undefined;
  /** When this attempt is made. */
  at: Date;
}

export interface SendReceipt {
  /** HTTP status or SMTP reply code, when the channel has one. */
  status?: number | undefined;
  latencyMs: number;
  /** What the receiver can deduplicate by: the webhook-id, or the email's Message-ID. */
  messageId: string;
}

export interface Channel {
  readonly name: ChannelName;
  send(sub: Subscriber, message: OutgoingMessage): Promise<SendReceipt>;
}

/** A failed send, saying what the delivery stage should do next. */
export abstract class DeliveryError extends NewswatchError {
  constructor(
    code: ErrorCode,
    message: string,
    /** HTTP status or SMTP reply code; undefined when no answer came (timeout, refused). */
    readonly status: number | undefined,
    options?: { cause?: unknown },
  ) {
    super(code, message, options);
  }

  /** Retrying cannot help (wrong secret, unknown mailbox): dead-letter at once. */
  abstract get permanent(): boolean;

  /** The endpoint says it is gone for good (HTTP 410): disable it rather than retry. */
  get gone(): boolean {
    return false;
  }

  /** How long the receiver asked us to wait, when it said. */
  get retryAfterSeconds(): number | undefined {
    return undefined;
  }
}
