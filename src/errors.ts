// One catalogue of error codes, so logs, the API and tests speak of failures by stable names.

export type ErrorCode =
  | 'NW_ADDRESS_REFUSED'
  | 'NW_ARCHIVE_INVALID'
  | 'NW_ARCHIVE_LOCKED'
  | 'NW_ARCHIVE_MIGRATION'
  | 'NW_ARCHIVE_UNREACHABLE'
  | 'NW_CONFIG_INVALID'
  | 'NW_EMAIL_FAILED'
  | 'NW_FEED_UNREACHABLE'
  | 'NW_FEED_INVALID'
  | 'NW_HOST_BUSY'
  | 'NW_HTTP_REDIRECTS'
  | 'NW_HTTP_STATUS'
  | 'NW_HTTP_TIMEOUT'
  | 'NW_HTTP_TOO_LARGE'
  | 'NW_NOT_CONFIRMED'
  | 'NW_NOT_FOUND'
  | 'NW_PAGE_INVALID'
  | 'NW_PAGE_NOT_HTML'
  | 'NW_REDIS_UNREACHABLE'
  | 'NW_ROBOTS_DISALLOWED'
  | 'NW_ROBOTS_UNAVAILABLE'
  | 'NW_UNAUTHORIZED'
  | 'NW_WEBHOOK_FAILED';

export class NewswatchError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'NewswatchError';
  }
}

/** Input that can never succeed: the queue must not retry it (BullMQ's UnrecoverableError is raised from it). */
export class PermanentError extends NewswatchError {
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(code, message, options);
    this.name = 'PermanentError';
  }
}
