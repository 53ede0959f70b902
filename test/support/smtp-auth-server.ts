// A real SMTP server on 127.0.0.1 that requires a login (AUTH PLAIN or LOGIN over plain loopback
// SMTP), for tests that need SMTP credentials in use: it accepts only the given user and
// password, can refuse the first logins (454, "try again later", so the sender retries), records
// every login attempt and every message it accepted. Test-only: smtp-server and mailparser are
// devDependencies. The open relay without login is ./smtp-server.ts.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { waitForMail } from './smtp-server';

export interface AuthSmtpServerOptions {
  user: string;
  password: string;
  /** How many logins (in arrival order), right or wrong, are refused with `authStatus`. Default 0. */
  failFirstAuth?: number;
  /** Reply code for those refusals: 454 (temporary, the default) or 535 (credentials invalid). */
  authStatus?: number;
}

export interface AuthAttempt {
  method: string;
  user: string;
  /** the credentials matched the configured user and password */
  valid: boolean;
  /** the reply code this server gave: 235 accepted, else refused */
  status: number;
}

export interface AuthSmtpMail {
  /** the SMTP envelope's recipients */
  to: string[];
  /** the user the session logged in as */
  user: string;
  raw: string;
  parsed: ParsedMail;
}

export interface AuthSmtpServer {
  /** smtp://user:password@127.0.0.1:port, both percent-encoded */
  url: string;
  port: number;
  auths: AuthAttempt[];
  /** messages accepted (only a logged-in session can send) */
  received: AuthSmtpMail[];
  waitFor(predicate?: (mail: AuthSmtpMail) => boolean, timeoutMs?: number): Promise<AuthSmtpMail>;
  close(): Promise<void>;
}

export async function startAuthSmtpServer(opts: AuthSmtpServerOptions): Promise<AuthSmtpServer> {
  const failFirstAuth = opts.failFirstAuth ?? 0;
  const authStatus = opts.authStatus ?? 454;
  const auths: AuthAttempt[] = [];
  const received: AuthSmtpMail[] = [];
  const listeners = new Set<(m: AuthSmtpMail) => void>();

  const server = new SMTPServer({
    authMethods: ['PLAIN', 'LOGIN'],
    // Plain loopback SMTP: credentials travel unencrypted, which smtp-server allows only when told.
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      const user = auth.username ?? '';
      const valid = user === opts.user && auth.password === opts.password;
      const refusedFirst = auths.length < failFirstAuth;
      const status = refusedFirst ? authStatus : valid ? 235 : 535;
      auths.push({ method: auth.method, user, valid, status });
      if (status === 235) return callback(null, { user });
      return callback(
        Object.assign(
          new Error(
            status === 454 ? 'Temporary authentication failure' : 'Authentication credentials invalid',
          ),
          { responseCode: status },
        ),
      );
    },
    onMailFrom(_address, session, callback) {
      if (!session.user)
        return callback(Object.assign(new Error('Authentication required'), { responseCode: 530 }));
      return callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        simpleParser(raw).then(
          (parsed) => {
            const mail: AuthSmtpMail = {
              to: session.envelope.rcptTo.map((r) => r.address),
              user: String(session.user ?? ''),
              raw,
              parsed,
            };
            received.push(mail);
            for (const l of listeners) l(mail);
            callback();
          },
          (err: Error) => callback(err),
        );
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();

  return {
    url: `smtp://${encodeURIComponent(opts.user)}:${encodeURIComponent(opts.password)}@127.0.0.1:${port}`,
    port,
    auths,
    received,
    waitFor(predicate = () => true, timeoutMs = 5000) {
      return waitForMail(
        received,
        listeners,
        predicate,
        timeoutMs,
        () => `${received.length} accepted, logins ${JSON.stringify(auths)}`,
      );
    },
    close() {
      listeners.clear();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
