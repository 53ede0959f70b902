// A real SMTP server on 127.0.0.1 for tests and benches (smtp-server, read back with mailparser):
// it accepts mail the way a relay would, records each message parsed, and can be told to refuse
// the first messages (4xx, to exercise retries) or every one (5xx, to exercise dead letters).
// Test-only: smtp-server and mailparser are devDependencies.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface ReceivedMail {
  /** the SMTP envelope's recipients */
  to: string[];
  /** the message as sent, headers and body */
  raw: string;
  parsed: ParsedMail;
  /** the SMTP reply code this server gave: 250 accepted, else refused */
  status: number;
}

export interface SmtpServerOptions {
  /** How many messages (in arrival order) get the failure reply. Default: all when `status` is given. */
  failFirst?: number;
  /** Reply code for refused messages (default 451, "try again later"); 550 refuses for good. */
  status?: number;
  /** Listen on this port (to come back on the same address after close); 0, any free port, by default. */
  port?: number;
}

export interface TestSmtpServer {
  url: string;
  port: number;
  /** every message that reached DATA, refused ones included */
  received: ReceivedMail[];
  /** the accepted ones */
  accepted(): ReceivedMail[];
  waitFor(predicate?: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function startSmtpServer(opts: SmtpServerOptions = {}): Promise<TestSmtpServer> {
  const failStatus = opts.status ?? 451;
  const failFirst = opts.failFirst ?? (opts.status === undefined ? 0 : Number.POSITIVE_INFINITY);
  const received: ReceivedMail[] = [];
  const listeners = new Set<(m: ReceivedMail) => void>();
  let count = 0;

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'], // plain loopback SMTP, as Mailpit offers in development
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        count += 1;
        const status = count <= failFirst ? failStatus : 250;
        const raw = Buffer.concat(chunks).toString('utf8');
        const to = session.envelope.rcptTo.map((r) => r.address);
        simpleParser(raw).then(
          (parsed) => {
            const mail: ReceivedMail = { to, raw, parsed, status };
            received.push(mail);
            for (const l of listeners) l(mail);
            if (status === 250) callback();
            else
              callback(
                Object.assign(new Error(status >= 500 ? 'mailbox unavailable' : 'try again later'), {
                  responseCode: status,
                }),
              );
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    accepted: () => received.filter((m) => m.status === 250),
    waitFor(predicate = () => true, timeoutMs = 5000) {
      return waitForMail(received, listeners, predicate, timeoutMs, () => `${received.length} received`);
    },
    close() {
      listeners.clear();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * The first message, already received or still to come, that `predicate` accepts; rejects after
 * `timeoutMs` with `summary()` in the message. Shared by the loopback SMTP servers of the tests.
 */
export function waitForMail<T>(
  received: readonly T[],
  listeners: Set<(m: T) => void>,
  predicate: (m: T) => boolean,
  timeoutMs: number,
  summary: () => string,
): Promise<T> {
  const already = received.find(predicate);
  if (already) return Promise.resolve(already);
  return new Promise((resolve, reject) => {
    const listener = (m: T) => {
      if (!predicate(m)) return;
      clearTimeout(timer);
      listeners.delete(listener);
      resolve(m);
    };
    const timer = setTimeout(() => {
      listeners.delete(listener);
      reject(new Error(`smtp server: no matching message within ${timeoutMs} ms (${summary()})`));
    }, timeoutMs);
    listeners.add(listener);
  });
}
