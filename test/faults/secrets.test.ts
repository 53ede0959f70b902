// Secrets never reach a log line, a command's output or an API response (issue 7).
//
// Set up: every kind of secret the service holds is set to a distinctive random value: the
// operator token, the metrics token, the unsubscribe-link key, two subscribers' webhook secrets
// (and one more posted at run time through the API, then rotated), SMTP credentials in SMTP_URL
// against a loopback SMTP server that requires them, and a password in REDIS_URL for a private
// redis-server whose only user needs it (an ACL user; the default user is off).
// Broken: the first SMTP login is refused (454, so the email is retried); one webhook receiver
// answers 500 once (retried); another answers 410 Gone (dead-lettered, its endpoint disabled,
// then re-driven through the API and refused again); the login form and `?token=` get a wrong
// token; the API, /metrics and the queue dashboard get wrong tokens and no token; `start` meets a
// wrong Redis password, an unreachable Redis and an invalid environment.
// Run: the seed pair through two real `newswatch start` processes (scheduler,poll,http and
// scrape,analyze,alert,deliver) at LOG_LEVEL=trace (pino's most verbose, below debug), the second
// poll by `newswatch feeds check --now`; every GET route the OpenAPI document lists under /api
// (ids filled from the lists), the pages, the dashboard's JSON API, /metrics, /docs/json; the
// feeds CLI commands.
// Checked: every byte of every process's stdout and stderr, every response body and every
// message delivered holds none of the secrets, nor an obvious encoding of one (base64, base64url,
// percent-encoding, the Redis and SMTP URLs with their password, SMTP AUTH PLAIN and LOGIN
// strings, the session cookie), nor any 12 characters of one in a row. So that it cannot pass
// vacuously: the secrets were in use (Redis refuses a connection without the password, the SMTP
// server saw the right login, both receivers verified our signatures), the run happened (the
// expectation.fulfilled alert reached both the webhook and the mailbox; the logs hold the
// analysis, the failed deliveries and the HTTP requests), and the redacted forms that prove a
// secret-bearing message was logged (`:***@` for the SMTP and Redis URLs) are there.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { SESSION_COOKIE } from '../../src/http/auth';
import { generateWebhookSecret } from '../../src/notify/webhook';
import { createQueues } from '../../src/queue/bull';
import { connectRedis } from '../../src/store/redis';
import { waitForIdle } from '../../src/demo/idle';
import { runPrefix, startSeedSite, type SeedSite } from '../../src/demo/seed-scenario';
import { startAuthSmtpServer, type AuthSmtpServer } from '../support/smtp-auth-server';
import {
  startWebhookReceiver,
  type ReceivedWebhook,
  type WebhookReceiver,
} from '../../src/demo/webhook-receiver';
import { freePort } from '../support/worker-processes';
import { LOOPBACK } from '../support/config';

// The scheduler polls every feed once at start; no cron tick may take the second poll away from
// `feeds check --now`, so the feed's schedule fires only at midnight on 1 January.
const NEVER_DURING_THE_TEST = '0 0 1 1 *';
const BIN = new URL('../../bin/newswatch', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;

/** A distinctive value: a label, then 24 random letters and digits. */
const secret = (label: string) =>
  `${label}${randomBytes(24)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, 24)}`;

// ---- child processes ---------------------------------------------------------------------------

interface Proc {
  name: string;
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const procs: Proc[] = [];

/** `bin/newswatch ARGS` with `env` over this process's environment, stdout and stderr both kept. */
function newswatch(name: string, args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  const p = { name, child, stdout: () => out, stderr: () => err, exited };
  procs.push(p);
  return p;
}

/** A command run to its end (at most `timeoutMs`). */
async function command(
  name: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 60_000,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = newswatch(name, args, env);
  const { code } = await within(`${name} exits`, p.exited, timeoutMs);
  return { code, stdout: p.stdout(), stderr: p.stderr() };
}

/** Resolves once a `start` process logged that it started; fails if it exits first. */
async function started(p: Proc, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!p.stderr().includes('"newswatch started"')) {
    if (p.child.exitCode !== null || p.child.signalCode !== null)
      throw new Error(`${p.name} exited before it started:\n${p.stderr().slice(-3000)}`);
    if (Date.now() > deadline) throw new Error(`${p.name} did not start within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function within<T>(what: string, p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not done within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}

// ---- a private redis-server whose one user needs a password --------------------------------------

interface AclRedis {
  port: number;
  /** redis://USER:PASSWORD@127.0.0.1:PORT */
  url: string;
  remove(): Promise<void>;
}

/**
 * redis-server on a free loopback port, configured on stdin (so the password is not on its
 * command line), with the default user off and one ACL user holding every right.
 */
async function startAclRedis(user: string, password: string): Promise<AclRedis> {
  const dir = await mkdtemp(path.join(tmpdir(), 'newswatch-redis-acl-'));
  const port = await freePort();
  const child = spawn('redis-server', ['-'], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  child.stdin!.end(
    [
      `port ${port}`,
      'bind 127.0.0.1',
      `dir ${dir}`,
      'save ""',
      'appendonly no',
      'user default off',
      `user ${user} on >${password} ~* &* +@all`,
      '',
    ].join('\n'),
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${out}`)));
  });
  return {
    port,
    url: `redis://${user}:${password}@127.0.0.1:${port}`,
    async remove() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** PING on a fresh connection that never logged in: the server's first reply line. */
async function anonymousPing(port: number): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  try {
    socket.write('PING\r\n');
    const [data] = (await once(socket, 'data')) as [Buffer];
    return data.toString().split('\r\n')[0]!;
  } finally {
    socket.destroy();
  }
}

// ---- HTTP: every response body is kept ---------------------------------------------------------

interface Sent {
  what: string;
  status: number;
  headers: Headers;
  text: string;
}

const responses: Sent[] = [];

/** The JSON log lines of a process's stderr (other lines are skipped). */
function logLines(text: string): Record<string, unknown>[] {
  return text.split('\n').flatMap((line) => {
    try {
      const v = JSON.parse(line) as unknown;
      return v && typeof v === 'object' ? [v as Record<string, unknown>] : [];
    } catch {
      return [];
    }
  });
}

// ---- the search ----------------------------------------------------------------------------------

/** The spellings of a secret that must not appear: itself, percent-encoded, base64 and base64url. */
function spellings(value: string): string[] {
  const b = Buffer.from(value, 'utf8');
  return [
    value,
    encodeURIComponent(value),
    b.toString('base64'),
    b.toString('base64').replace(/=+$/, ''),
    b.toString('base64url'),
  ];
}

/** Every run of `n` characters of a secret: a cut-off or partly masked copy is caught too. */
function windows(value: string, n = 12): string[] {
  if (value.length <= n) return [value];
  return Array.from({ length: value.length - n + 1 }, (_, i) => value.slice(i, i + n));
}

interface Finding {
  secret: string;
  needle: string;
  where: string;
  context: string;
}

/** Each place that holds a secret, once per secret, with the first spelling found and around it. */
function search(secrets: Record<string, string[]>, corpus: { where: string; text: string }[]): Finding[] {
  const findings: Finding[] = [];
  for (const [name, needles] of Object.entries(secrets)) {
    for (const { where, text } of corpus) {
      for (const needle of needles) {
        const at = text.indexOf(needle);
        if (at === -1) continue;
        findings.push({
          secret: name,
          needle,
          where,
          context: text.slice(Math.max(0, at - 160), at + needle.length + 160),
        });
        break;
      }
    }
  }
  return findings;
}

// ---- the run -------------------------------------------------------------------------------------

const kindOf = (r: ReceivedWebhook) => (r.payload as { data?: { kind?: string } }).data?.kind;
const alertIdOf = (r: ReceivedWebhook) => (r.payload as { data?: { id?: string } }).data?.id;

let redis: AclRedis | undefined;
let site: SeedSite | undefined;
let hook: WebhookReceiver | undefined;
let goneHook: WebhookReceiver | undefined;
let smtp: AuthSmtpServer | undefined;
let filesDir: string | undefined;
let watch: Redis | undefined;
let queues: Queue[] = [];

afterAll(async () => {
  for (const p of procs)
    if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGKILL');
  await Promise.all(procs.map((p) => p.exited));
  await Promise.all(queues.map((q) => q.close()));
  watch?.disconnect();
  // The whole private Redis goes, and every key of the run with it.
  await redis?.remove();
  await Promise.all([site?.fixtures.close(), hook?.close(), goneHook?.close(), smtp?.close()]);
  if (filesDir) await rm(filesDir, { recursive: true, force: true });
}, 60_000);

describe('secrets in a full run', () => {
  it('appear in no log, command output, API response or delivered message', async () => {
    // ---- every secret, distinctive -------------------------------------------------------------
    const operatorToken = secret('OpTok');
    const metricsToken = secret('MetTok');
    const unsubscribeSecret = secret('UnsubKey');
    const smtpUser = secret('smtpuser');
    const smtpPassword = secret('SmtpPw');
    const redisUser = 'nwuser';
    const redisPassword = secret('RedisPw');
    const hookSecret = generateWebhookSecret();
    const goneSecret = generateWebhookSecret();
    const runtimeSecret = generateWebhookSecret();
    const rotatedSecret = generateWebhookSecret();
    // A raw signing key pasted without its whsec_ prefix: refused, and still never shown.
    const pastedKey = generateWebhookSecret().slice('whsec_'.length);
    // Wrong credentials presented are secrets too (a mistyped password is most of the password).
    const wrongToken = secret('WrongTok');
    const wrongRedisPassword = secret('WrongRedisPw');
    const shortToken = secret('ShortTk').slice(0, 15); // one short of the 16 required

    // ---- the parts -----------------------------------------------------------------------------
    redis = await startAclRedis(redisUser, redisPassword);
    // The password is in use: without it this Redis answers nothing.
    expect(await anonymousPing(redis.port)).toMatch(/^-NOAUTH/);

    site = await startSeedSite();
    hook = await startWebhookReceiver({ secret: hookSecret, failFirst: 1 }); // 500 once
    goneHook = await startWebhookReceiver({ secret: goneSecret, status: 410 });
    smtp = await startAuthSmtpServer({ user: smtpUser, password: smtpPassword, failFirstAuth: 1 });

    filesDir = await mkdtemp(path.join(tmpdir(), 'newswatch-secrets-'));
    const filters = { entities: ['kuwait', 'nato'] };
    await writeFile(
      path.join(filesDir, 'feeds.yml'),
      JSON.stringify({ feeds: [{ ...site.feed, schedule: NEVER_DURING_THE_TEST }] }, null, 2),
    );
    await writeFile(
      path.join(filesDir, 'subscribers.yml'),
      JSON.stringify(
        {
          subscribers: [
            { id: 'desk-hook', name: 'Desk', webhook: { url: hook.url, secret: hookSecret }, filters },
            { id: 'gone-hook', name: 'Gone', webhook: { url: goneHook.url, secret: goneSecret }, filters },
            { id: 'desk-mail', name: 'Desk mail', email: 'desk@example.org', filters },
          ],
        },
        null,
        2,
      ),
    );
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const prefix = runPrefix('secrets');
    const env: Record<string, string> = {
      REDIS_URL: redis.url,
      NEWSWATCH_PREFIX: prefix,
      HOST: '127.0.0.1',
      PORT: String(port),
      PUBLIC_URL: base,
      OPERATOR_TOKEN: operatorToken,
      METRICS_TOKEN: metricsToken,
      UNSUBSCRIBE_SECRET: unsubscribeSecret,
      SMTP_URL: smtp.url,
      FEEDS_FILE: path.join(filesDir, 'feeds.yml'),
      SUBSCRIBERS_FILE: path.join(filesDir, 'subscribers.yml'),
      EVENTS_FILE: path.join(filesDir, 'no-events.yml'),
      FETCH_ALLOW_PRIVATE: LOOPBACK,
      HOST_MIN_DELAY_MS: '0',
      DELIVERY_BACKOFF_MS: '200',
      LOG_LEVEL: 'trace',
      // The run presents wrong tokens from 127.0.0.1 on purpose; a lockout would end it early.
      LOGIN_MAX_FAILURES: '25',
    };
    expect(smtp.url).toContain(smtpPassword);

    watch = connectRedis(redis.url);
    queues = Object.values(createQueues(watch, prefix, { attempts: 8, backoffMs: 200 }));
    const idle = (what: string) => within(what, waitForIdle(queues, 90_000), 100_000);

    // ---- the pipeline, in two processes -------------------------------------------------------
    const workers = newswatch('workers', ['start', '--role', 'scrape,analyze,alert,deliver'], env);
    const front = newswatch('front', ['start', '--role', 'scheduler,poll,http'], env);
    await Promise.all([started(workers), started(front)]);

    // The scheduler polls the feed at start: the first article goes through.
    await within(
      'first article alerts',
      hook.waitFor((r) => r.verified && kindOf(r) === 'expectation.opened', 90_000),
      95_000,
    );
    await idle('first article settles');

    // The second article, polled by the CLI.
    site.publishSecond();
    const check = await command('feeds check --now', ['feeds', 'check', '--now', '--json'], env);
    expect(check.code, check.stderr).toBe(0);
    expect(JSON.parse(check.stdout)).toEqual([
      expect.objectContaining({ id: site.feed.id, polled: expect.stringMatching(/^1 new of 2 items/) }),
    ]);
    const fulfilled = await within(
      'fulfilled webhook',
      hook.waitFor((r) => r.verified && kindOf(r) === 'expectation.fulfilled', 90_000),
      95_000,
    );
    const fulfilledId = alertIdOf(fulfilled)!;
    const mail = await within(
      'fulfilled email',
      smtp.waitFor(
        (m) => String(m.parsed.headers.get('x-newswatch-alerts') ?? '').includes(fulfilledId),
        90_000,
      ),
      95_000,
    );
    expect(mail.user).toBe(smtpUser);
    await idle('second article settles');

    // ---- what a user notices: the failures happened and were handled ---------------------------
    expect(hook.received[0]!.status, 'the first webhook was answered 500').toBe(500);
    expect(hook.received.every((r) => r.verified)).toBe(true);
    expect(goneHook.received.length).toBeGreaterThan(0);
    expect(goneHook.received.every((r) => r.verified && r.status === 410)).toBe(true);
    expect(smtp.auths[0]).toMatchObject({ status: 454, valid: true });
    expect(smtp.auths.some((a) => a.status === 235 && a.valid)).toBe(true);

    // ---- the operator surface ------------------------------------------------------------------
    const call = async (
      what: string,
      method: string,
      pathAndQuery: string,
      opts: {
        token?: string | null;
        cookie?: string;
        json?: unknown;
        form?: Record<string, string>;
        accept?: string;
      } = {},
    ): Promise<Sent> => {
      const headers: Record<string, string> = {};
      const token = opts.token === undefined ? operatorToken : opts.token;
      if (token !== null && opts.cookie === undefined) headers.authorization = `Bearer ${token}`;
      if (opts.cookie) headers.cookie = opts.cookie;
      if (opts.accept) headers.accept = opts.accept;
      let body: string | undefined;
      if (opts.json !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(opts.json);
      } else if (opts.form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(opts.form).toString();
      }
      const res = await fetch(`${base}${pathAndQuery}`, { method, headers, body, redirect: 'manual' });
      const sent = {
        what: `${what}: ${method} ${pathAndQuery}`,
        status: res.status,
        headers: res.headers,
        text: await res.text(),
      };
      responses.push(sent);
      return sent;
    };
    const json = (s: Sent) => JSON.parse(s.text) as Record<string, unknown>;

    expect((await call('health', 'GET', '/healthz', { token: null })).status).toBe(200);
    // Logging in: the form, a wrong token by form and by link, the right one by link and by form.
    expect((await call('login form', 'GET', '/login', { token: null, accept: 'text/html' })).status).toBe(
      200,
    );
    expect(
      (await call('failed login', 'POST', '/login', { token: null, form: { token: wrongToken, next: '/' } }))
        .status,
    ).toBe(401);
    expect(
      (
        await call('failed login link', 'GET', `/login?token=${encodeURIComponent(wrongToken)}`, {
          token: null,
        })
      ).status,
    ).toBe(401);
    const linked = await call('login link', 'GET', `/login?token=${encodeURIComponent(operatorToken)}`, {
      token: null,
    });
    expect(linked.status).toBe(303);
    const login = await call('login', 'POST', '/login', {
      token: null,
      form: { token: operatorToken, next: '/' },
    });
    expect(login.status).toBe(303);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    // Session cookies are random ids (secrets as well), one per login.
    const sessions = [linked, login].map((r) => {
      const [name, value] = r.headers.get('set-cookie')!.split(';')[0]!.split('=');
      expect(name).toBe(SESSION_COOKIE);
      return value!;
    });
    expect(sessions[0]).not.toBe(sessions[1]);

    // Error paths, each with a secret in its query string or form: logins whose `next` is Arabic
    // or carries CR/LF (the redirect used to throw, and the 500's log line printed the URL), and a
    // route that fails with 500 (a Redis key of the wrong type) while ?token= holds a secret.
    const arabicNext = encodeURIComponent('/تقرير?بلد=الكويت#الحوار');
    const crlfNext = encodeURIComponent('/alerts\r\nSet-Cookie: planted=1');
    for (const [what, token, next, status] of [
      ['login link, Arabic next', operatorToken, arabicNext, 303],
      ['login link, CR/LF next', operatorToken, crlfNext, 303],
      ['failed login link, Arabic next', wrongToken, arabicNext, 401],
      ['failed login link, CR/LF next', wrongToken, crlfNext, 401],
    ] as const) {
      const r = await call(what, 'GET', `/login?token=${encodeURIComponent(token)}&next=${next}`, {
        token: null,
      });
      expect(r.status, `${what}: ${r.text.slice(0, 200)}`).toBe(status);
      expect(r.headers.get('set-cookie') ?? '').not.toContain('planted');
      if (status === 303) expect(r.headers.get('location')).toMatch(/^\/[\x21-\x7e]*$/);
    }
    expect(
      (
        await call('failed login form, Arabic next', 'POST', '/login', {
          token: null,
          form: { token: wrongToken, next: '/تقرير\r\n' },
        })
      ).status,
    ).toBe(401);
    // The dead letters' index set aside for a moment, a string of the wrong type in its place.
    const byTime = `${prefix}dead-letters:by-time`;
    const hadIndex = (await watch.exists(byTime)) === 1;
    if (hadIndex) await watch.rename(byTime, `${byTime}:aside`);
    await watch.set(byTime, 'not a sorted set');
    // Secrets in the query of a route that takes none: refused 400 naming the parameter (every
    // route validates its query), and the 500 the key's wrong type makes; neither logs them.
    const refused = await call(
      'a 400 with secrets in its query',
      'GET',
      `/api/dead-letters?token=${encodeURIComponent(operatorToken)}&key=${encodeURIComponent(metricsToken)}`,
    );
    expect(refused.status).toBe(400);
    const failing = await call('a 500', 'GET', `/api/dead-letters`);
    expect(failing.status).toBe(500);
    await watch.del(byTime);
    if (hadIndex) await watch.rename(`${byTime}:aside`, byTime);

    // Wrong and missing credentials.
    for (const [what, token] of [
      ['wrong token', wrongToken],
      ['metrics token off /metrics', metricsToken],
      ['no token', null],
    ] as const) {
      expect((await call(what, 'GET', '/api/subscribers', { token })).status).toBe(401);
      expect((await call(what, 'GET', '/admin/queues/api/queues', { token })).status).toBe(401);
    }
    expect((await call('wrong metrics token', 'GET', '/metrics', { token: wrongToken })).status).toBe(401);
    expect(
      (await call('page without login', 'GET', '/alerts', { token: null, accept: 'text/html' })).status,
    ).toBe(303);

    // /metrics with either token.
    const metrics = await call('metrics', 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).toMatch(/newswatch_deliveries_total\{[^}]*channel="email"/);
    expect((await call('metrics by metrics token', 'GET', '/metrics', { token: metricsToken })).status).toBe(
      200,
    );

    // A subscriber added at run time, read back, its secret rotated, deleted.
    const runtime = {
      id: 'runtime-hook',
      name: 'Added at run time',
      webhook: { url: 'http://127.0.0.1:9/hook', secret: runtimeSecret },
      filters,
    };
    const added = await call('add subscriber', 'POST', '/api/subscribers', { json: runtime });
    expect(added.status, added.text).toBe(201);
    expect(json(added)).toMatchObject({
      subscriber: { id: 'runtime-hook', webhook: { secrets: [`${runtimeSecret.slice(0, 10)}…`] } },
    });
    const rotated = await call('rotate secret', 'PUT', '/api/subscribers/runtime-hook', {
      json: { ...runtime, webhook: { url: runtime.webhook.url, secrets: [rotatedSecret, runtimeSecret] } },
    });
    expect(rotated.status, rotated.text).toBe(200);
    expect((await call('conflict', 'POST', '/api/subscribers', { json: runtime })).status).toBe(409);
    const pasted = await call('add subscriber, raw key as secret', 'POST', '/api/subscribers', {
      json: { ...runtime, id: 'pasted-key', webhook: { url: runtime.webhook.url, secret: pastedKey } },
    });
    expect(pasted.status, pasted.text).toBe(400);
    expect(pasted.text).toMatch(/webhook\.secret/);

    const addedWatch = await call('add watch', 'POST', '/api/watches', {
      json: { subscriberId: 'desk-hook', name: 'Kuwait desk', keywords: ['Kuwait'] },
    });
    expect(addedWatch.status, addedWatch.text).toBe(201);

    // Every GET route the OpenAPI document lists under /api, its ids taken from the lists.
    const docs = await call('openapi', 'GET', '/docs/json');
    expect(docs.status).toBe(200);
    const routes = Object.entries(json(docs).paths as Record<string, Record<string, unknown>>)
      .filter(([p, ops]) => p.startsWith('/api/') && ops.get)
      .map(([p]) => p);
    const listed = async (what: string, p: string, field: string) => {
      const r = await call(what, 'GET', p);
      expect(r.status, r.text).toBe(200);
      return (json(r)[field] as { id: string }[]).map((x) => x.id);
    };
    const alertIds = await listed('alerts', '/api/alerts?limit=500', 'alerts');
    const eventIds = await listed('events', '/api/events?entity=kuwait,nato&limit=500', 'events');
    const expectationIds = await listed('expectations', '/api/expectations?limit=500', 'expectations');
    const feedIds = await listed('feeds', '/api/feeds?removed=true', 'feeds');
    const subscriberIds = await listed('subscribers', '/api/subscribers', 'subscribers');
    const deadLetterIds = await listed('dead letters', '/api/dead-letters', 'deadLetters');
    const watchIds = await listed('watches', '/api/watches', 'watches');
    const ids: Record<string, string[]> = {
      watches: watchIds,
      alerts: alertIds,
      events: eventIds,
      expectations: expectationIds,
      feeds: feedIds,
      subscribers: subscriberIds,
      'dead-letters': deadLetterIds,
    };
    expect(alertIds).toContain(fulfilledId);
    expect([...subscriberIds].sort()).toEqual(['desk-hook', 'desk-mail', 'gone-hook', 'runtime-hook']);
    expect(eventIds.length).toBeGreaterThan(0);
    expect(expectationIds.length).toBeGreaterThan(0);
    expect(deadLetterIds.length, 'the 410 endpoint was dead-lettered').toBeGreaterThan(0);
    const visited = new Set<string>();
    for (const route of routes) {
      const resource = route.split('/')[2]!;
      const fill = route.includes('{') ? (ids[resource] ?? []) : [''];
      expect(fill.length, `ids for ${route}`).toBeGreaterThan(0);
      for (const id of fill) {
        const p = route.replace(/\{[^}]+\}/, encodeURIComponent(id));
        const query = route === '/api/events/timeline' ? '?entities=kuwait,nato' : '';
        const r = await call('documented route', 'GET', p + query);
        expect(r.status, `${p}: ${r.text.slice(0, 300)}`).toBe(200);
        visited.add(route);
      }
    }
    // The list routes above, the delivery routes and whatever the document adds are all covered.
    for (const must of ['/api/alerts', '/api/subscribers', '/api/subscribers/{id}', '/api/feeds/export'])
      expect(visited).toContain(must);
    for (const alertId of alertIds)
      expect((await call('deliveries', 'GET', `/api/alerts/${alertId}/deliveries`)).status).toBe(200);

    // The 410 endpoint's dead letter re-driven: its channel is enabled again and refused again.
    // The letter is found by its subscriber, not by its place in the list: other
    // deliveries (a receiver that was down) may have been dead-lettered later.
    const letters = json(await call('dead letters', 'GET', '/api/dead-letters')).deadLetters as {
      id: string;
      reason: string;
      job: { subscriberId: string };
    }[];
    const found = letters.find((l) => l.job.subscriberId === 'gone-hook' && l.reason === 'gone');
    expect(found, JSON.stringify(letters.map((l) => [l.job.subscriberId, l.reason]))).toBeDefined();
    const letter = found!.id;
    const goneBefore = goneHook.received.length; // before the POST: the delivery may beat its answer
    const redriven = await call('redrive', 'POST', `/api/dead-letters/${encodeURIComponent(letter)}/redrive`);
    expect(redriven.status, redriven.text).toBe(202);
    await within(
      'redriven delivery refused again',
      goneHook.waitFor((_r, all) => all.length > goneBefore, 60_000),
      65_000,
    );
    await idle('redrive settles');
    await call('dead letters after redrive', 'GET', '/api/dead-letters');
    await call('gone subscriber', 'GET', '/api/subscribers/gone-hook');

    // The pages, logged in by cookie, and the queue dashboard with its JSON API.
    for (const page of [
      '/',
      '/expectations?state=open',
      '/expectations?state=fulfilled',
      '/timeline?entities=kuwait,nato',
      '/alerts',
      '/admin/queues',
    ])
      expect((await call('page', 'GET', page, { cookie, accept: 'text/html' })).status).toBe(200);
    const deliverQueue = await call(
      'dashboard',
      'GET',
      '/admin/queues/api/queues?activeQueue=deliver&status=failed&page=1&jobsPerPage=50',
    );
    expect(deliverQueue.status).toBe(200);
    expect(deliverQueue.text).toContain('HTTP 410');
    for (const p of [
      '/admin/queues/api/queues?activeQueue=deliver&status=completed&page=1&jobsPerPage=50',
      '/admin/queues/api/redis/stats',
      '/admin/queues/api/queues/deliver/workers',
      '/admin/queues/api/queues/deliver/default-job-options',
      `/admin/queues/api/queues/deliver/${encodeURIComponent(letter)}`,
    ])
      await call('dashboard', 'GET', p);

    // The unsubscribe page a recipient reaches from the email.
    const header = mail.parsed.headerLines.find((h) => h.key === 'list-unsubscribe')?.line ?? '';
    const unsubscribe = header
      .slice(header.indexOf(':') + 1)
      .replace(/\s+/g, '')
      .slice(1, -1);
    expect(unsubscribe.startsWith(`${base}/unsubscribe?token=`)).toBe(true);
    expect(
      (await call('unsubscribe page', 'GET', unsubscribe.slice(base.length), { token: null })).status,
    ).toBe(200);
    expect((await call('delete subscriber', 'DELETE', '/api/subscribers/runtime-hook')).status).toBe(204);

    // ---- the command line ----------------------------------------------------------------------
    for (const args of [
      ['feeds', 'list', '--json'],
      ['feeds', 'list'],
      ['feeds', 'check', '--json'],
      ['feeds', 'check'],
    ]) {
      const r = await command(args.join(' '), args, env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain(site.feed.id);
    }
    expect((await command('feeds export', ['feeds', 'export'], env)).code).toBe(0);
    // Start refused: a wrong Redis password, an unreachable Redis, an invalid environment.
    const wrongPassword = await command('start, wrong Redis password', ['start'], {
      ...env,
      REDIS_URL: `redis://${redisUser}:${wrongRedisPassword}@127.0.0.1:${redis.port}`,
    });
    expect(wrongPassword.code).toBe(1);
    expect(wrongPassword.stderr).toMatch(/cannot reach Redis at redis:\/\/nwuser:\*\*\*@127\.0\.0\.1/);
    const closedPort = await freePort();
    const unreachable = await command('start, no Redis', ['start'], {
      ...env,
      REDIS_URL: `redis://${redisUser}:${redisPassword}@127.0.0.1:${closedPort}`,
    });
    expect(unreachable.code).toBe(1);
    expect(unreachable.stderr).toMatch(
      /cannot reach Redis at redis:\/\/nwuser:\*\*\*@127\.0\.0\.1.*ECONNREFUSED/,
    );
    const invalid = await command('start, invalid environment', ['start'], {
      ...env,
      OPERATOR_TOKEN: shortToken,
      SMTP_URL: `http://${smtpUser}:${smtpPassword}@127.0.0.1:25`,
    });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/OPERATOR_TOKEN/);
    expect(invalid.stderr).toMatch(/SMTP_URL/);
    const pastedFile = path.join(filesDir, 'pasted-subscribers.yml');
    await writeFile(
      pastedFile,
      JSON.stringify({
        subscribers: [{ id: 'pasted', name: 'Pasted', webhook: { url: `${base}/hook`, secret: pastedKey } }],
      }),
    );
    const badFile = await command('start, raw key in subscribers.yml', ['start'], {
      ...env,
      SUBSCRIBERS_FILE: pastedFile,
    });
    expect(badFile.code).toBe(1);
    expect(badFile.stderr).toMatch(/pasted-subscribers\.yml.*webhook\.secret/);

    // ---- stop the service: its last words count too --------------------------------------------
    for (const p of [front, workers]) p.child.kill('SIGTERM');
    for (const p of [front, workers])
      expect((await within(`${p.name} stops`, p.exited, 30_000)).code).toBe(0);

    // ---- the search ----------------------------------------------------------------------------
    const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64');
    const keyOf = (whsec: string) => whsec.slice('whsec_'.length);
    const keyBytes = (whsec: string) => Buffer.from(keyOf(whsec), 'base64');
    const webhookSpellings = (whsec: string) => [
      ...spellings(whsec),
      ...windows(whsec),
      ...spellings(keyOf(whsec)),
      keyBytes(whsec).toString('hex'),
      keyBytes(whsec).toString('base64url'),
    ];
    const secrets: Record<string, string[]> = {
      OPERATOR_TOKEN: [...spellings(operatorToken), ...windows(operatorToken)],
      'session cookie': sessions.flatMap((session) => [...spellings(session), ...windows(session)]),
      METRICS_TOKEN: [...spellings(metricsToken), ...windows(metricsToken)],
      UNSUBSCRIBE_SECRET: [...spellings(unsubscribeSecret), ...windows(unsubscribeSecret)],
      'SMTP password': [
        ...spellings(smtpPassword),
        ...windows(smtpPassword),
        smtp.url,
        `${smtpUser}:${smtpPassword}`,
        b64(`${smtpUser}:${smtpPassword}`), // HTTP Basic style
        b64(`\0${smtpUser}\0${smtpPassword}`), // AUTH PLAIN
        b64(`${smtpUser}\0${smtpUser}\0${smtpPassword}`), // AUTH PLAIN with an authorisation id
      ],
      'Redis password': [
        ...spellings(redisPassword),
        ...windows(redisPassword),
        redis.url,
        `AUTH ${redisUser} ${redisPassword}`,
      ],
      'wrong Redis password': [...spellings(wrongRedisPassword), ...windows(wrongRedisPassword)],
      'wrong operator token': [...spellings(wrongToken), ...windows(wrongToken)],
      'short operator token': [...spellings(shortToken), ...windows(shortToken)],
      'webhook secret (file)': webhookSpellings(hookSecret),
      'webhook secret (410 endpoint)': webhookSpellings(goneSecret),
      'webhook secret (run time)': webhookSpellings(runtimeSecret),
      'webhook secret (rotated in)': webhookSpellings(rotatedSecret),
      'raw signing key pasted as a secret': [...spellings(pastedKey), ...windows(pastedKey)],
    };
    const corpus = [
      ...procs.flatMap((p) => [
        { where: `${p.name}: stdout`, text: p.stdout() },
        { where: `${p.name}: stderr`, text: p.stderr() },
      ]),
      ...responses.map((r) => ({ where: `response to ${r.what} (${r.status})`, text: r.text })),
      // What subscribers receive carries none of the operator's secrets either.
      ...hook.received.map((r) => ({ where: `webhook ${r.id}`, text: JSON.stringify(r.payload) })),
      ...smtp.received.map((m) => ({ where: `email to ${m.to.join(',')}`, text: m.raw })),
    ];
    expect(corpus.reduce((n, c) => n + c.text.length, 0)).toBeGreaterThan(100_000);
    expect(procs.length).toBeGreaterThanOrEqual(10);
    const findings = search(secrets, corpus);
    expect(
      findings.map((f) => `${f.secret} (${JSON.stringify(f.needle)}) in ${f.where}: …${f.context}…`),
    ).toEqual([]);

    // ---- the logs are the run's: non-trivial ---------------------------------------------------
    const workerLog = workers.stderr();
    const frontLog = front.stderr();
    const failed = logLines(workerLog)
      .filter((l) => l.msg === 'job failed')
      .map((l) => String(l.err));
    expect(logLines(workerLog).filter((l) => l.msg === 'analyzed')).toHaveLength(2);
    expect(failed).toContainEqual(expect.stringMatching(/answered HTTP 500$/));
    expect(failed).toContainEqual(expect.stringMatching(/answered HTTP 410$/));
    // The SMTP failure was logged, its URL with the password masked.
    expect(failed).toContainEqual(
      expect.stringMatching(/^SMTP smtp:\/\/smtpuser\w+:\*\*\*@127\.0\.0\.1:\d+\/? answered 454/),
    );
    expect(frontLog).toContain('"msg":"polled"');
    // The error paths were logged, their requests by path alone.
    const front500 = logLines(frontLog).filter((l) => l.level === 50 && (l.req as { path?: string })?.path);
    expect(front500.map((l) => l.req)).toContainEqual(
      expect.objectContaining({ method: 'GET', path: '/api/dead-letters' }),
    );
    expect(front500.every((l) => !('url' in (l.req as object)))).toBe(true);
    expect(logLines(frontLog).filter((l) => l.msg === 'wrong operator token').length).toBeGreaterThanOrEqual(
      5,
    );
    expect(frontLog.match(/"msg":"incoming request"/g)?.length ?? 0).toBeGreaterThanOrEqual(responses.length);
    expect(responses.length).toBeGreaterThan(40);
  }, 420_000);
});
