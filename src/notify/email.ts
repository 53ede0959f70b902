// The email channel: one message per alert (or digest) over SMTP with nodemailer, with a text
// and an HTML part, List-Unsubscribe headers for one-click unsubscription, and a Message-ID
// derived from the message id, so a resend after a crash can be recognised as the same mail.
import { createTransport } from 'nodemailer';
import { renderAlertEmail, renderDigestEmail } from '../domain/email-content';
import type { ReaderNames } from '../domain/wording';
import { DeliveryError, type Channel } from './channel';

export interface EmailChannelOptions {
  /** smtp://user:pass@host:port (smtps:// for implicit TLS) */
  smtpUrl: string;
  /** From: address, e.g. "newswatch <alerts@example.org>" */
  from: string;
  /** The signed unsubscribe link for a subscriber. */
  unsubscribeUrl: (subscriberId: string) => string;
  /** Socket timeouts, so a stalled server fails the attempt instead of holding the worker. */
  timeoutMs?: number;
  /** what entities and feeds are called in the message (the gazetteer, feeds.yml) */
  names?: ReaderNames;
}

export class EmailError extends DeliveryError {
  constructor(message: string, status: number | undefined, options?: { cause?: unknown }) {
    super('NW_EMAIL_FAILED', message, status, options);
    this.name = 'EmailError';
  }

  /** SMTP 5xx is a refusal that will be repeated (unknown mailbox, policy); 4xx and no answer are transient. */
  get permanent(): boolean {
    return this.status !== undefined && this.status >= 500 && this.status < 600;
  }
}

/** The domain of the From: address names our Message-IDs, as RFC 5322 suggests. */
export function messageIdDomain(from: string): string {
  const m = /@([^>\s]+)>?\s*$/.exec(from);
  return m?.[1] ?? 'newswatch.invalid';
}

export function emailChannel(opts: EmailChannelOptions): Channel & { close(): void } {
  const timeout = opts.timeoutMs ?? 30_000;
  const transport = createTransport({
    url: opts.smtpUrl,
    pool: true,
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  });
  const domain = messageIdDomain(opts.from);
  return {
    name: 'email',
    async send(sub, message) {
      const to = sub.email ?? [];
      if (to.length === 0) throw new Error(`subscriber ${sub.id} has no email address`);
      const links = { unsubscribeUrl: opts.unsubscribeUrl(sub.id) };
      const content = message.digest
        ? renderDigestEmail(message.digest, message.alerts, links, opts.names)
        : renderAlertEmail(message.alerts[0]!, links, opts.names);
      const messageId = `<${message.id}@${domain}>`;
      const started = performance.now();
      let response: string;
      try {
        const info = await transport.sendMail({
          from: opts.from,
          to,
          subject: content.subject,
          text: content.text,
          html: content.html,
          messageId,
          date: message.at,
          headers: {
            'List-Unsubscribe': `<${links.unsubscribeUrl}>`,
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
            // Tells mail servers and clients not to auto-reply (RFC 3834).
            'Auto-Submitted': 'auto-generated',
            'X-Newswatch-Alerts': message.alerts.map((a) => a.id).join(' '),
          },
        });
        response = String(info.response ?? '');
      } catch (err) {
        throw smtpError(opts.smtpUrl, err);
      }
      return { status: replyCode(response), latencyMs: Math.round(performance.now() - started), messageId };
    },
    close() {
      transport.close();
    },
  };
}

function replyCode(response: string): number | undefined {
  const m = /^(\d{3})\b/.exec(response);
  return m ? Number(m[1]) : undefined;
}

function smtpError(smtpUrl: string, err: unknown): EmailError {
  const e = err as { responseCode?: number; response?: string; code?: string; message?: string };
  const where = redact(smtpUrl);
  const what = e.response ?? e.message ?? String(err);
  const code = e.responseCode;
  return new EmailError(
    code ? `SMTP ${where} answered ${what}` : `SMTP ${where} failed: ${e.code ? `${e.code} ` : ''}${what}`,
    code,
    { cause: err },
  );
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable SMTP_URL)';
  }
}
