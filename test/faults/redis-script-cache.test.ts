// Redis forgetting the stores' Lua scripts: SCRIPT FLUSH, and a restart (a restarted Redis starts
// with an empty script cache). The scripts are ioredis commands (defineCommand) sent by EVALSHA;
// a Redis that does not know one answers NOSCRIPT, and the command must be sent again with its
// text, on the connection that was open before (flush) and on the one that reconnects (restart).
// Each of the ten scripts is run through its store, as the service runs it, on a private
// redis-server (its own port, no persistence), so flushing and restarting it disturbs nobody.
// Checked: every store operation answers as on a fresh Redis, on a connection from connectRedis
// (auto-pipelined, as the stores' own) and on a plain one the stores define the scripts on.
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArticleInput, EventRecord, ExpectationRecord, SourceRef } from '../../src/domain/types';
import { ArticleStore } from '../../src/store/articles';
import { DigestStore } from '../../src/store/digests';
import { RedisEventBase } from '../../src/store/event-base';
import { HostGate } from '../../src/store/host-gate';
import { connectRedis } from '../../src/store/redis';
import { SubscriberStore } from '../../src/store/subscribers';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A redis-server of this test's own on `port`; resolves once it accepts connections. */
async function startRedisServer(port: number): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('Ready to accept connections')) resolve();
    });
    child.on('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${out}`)));
  });
  return child;
}

async function stopRedisServer(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const source = (articleId: string): SourceRef => ({
  articleId,
  url: `https://news.example/${articleId}`,
  title: articleId,
  published: '2026-01-10T08:00:00.000Z',
  lang: 'en',
});

const event: EventRecord = {
  id: 'e1',
  type: 'meeting',
  family: 'consult',
  participants: ['nato', 'kuwait'],
  actors: [],
  date: { value: '2026-01-12', precision: 'day', from: '2026-01-12', to: '2026-01-12' },
  historical: false,
  evidence: 'nato and kuwait met',
  sources: [source('a-e1')],
};

const expectation: ExpectationRecord = {
  id: 'x1',
  types: ['meeting'],
  participants: ['nato', 'kuwait'],
  due: { from: '2026-01-10', to: '2026-01-20' },
  horizon: 'near_future',
  text: 'nato and kuwait are expected to meet',
  state: 'open',
  source: source('a-x1'),
};

const article: ArticleInput = {
  id: 'art1',
  url: 'https://news.example/art1',
  title: 'A meeting',
  published: '2026-01-10T08:00:00.000Z',
  lang: 'en',
  text: 'NATO and Kuwait met.',
  version: 1,
};

/** Runs every script through its store under `prefix` and returns what the stores answered. */
async function everyScript(redis: Redis, prefix: string) {
  const subscribers = new SubscriberStore(redis, prefix);
  const articles = new ArticleStore(redis, prefix);
  const events = new RedisEventBase(redis, prefix);
  const digests = new DigestStore(redis, prefix);
  const gate = new HostGate(redis, prefix, { concurrency: 1, minDelayMs: 0, maxWaitMs: 2000, leaseMs: 5000 });
  const url = 'https://host.example/page';

  await subscribers.unsubscribe('s1', 'email', new Date('2026-01-01T00:00:00Z'));
  const consent = { at: new Date('2026-01-02T00:00:00Z'), by: 'operator', note: 'asked by phone' };
  const resubscribed = await subscribers.resubscribe('s1', 'email', consent);
  const resubscribedAgain = await subscribers.resubscribe('s1', 'email', consent);

  const firstClaim = await articles.claim('art1', ['https://news.example/art1', 'fingerprint-1']);
  const copyClaim = await articles.claim('art2', ['fingerprint-1', 'https://mirror.example/art1']);
  const saved = await articles.saveVersion(article, 0);
  const savedStale = await articles.saveVersion({ ...article, version: 2 }, 0);

  const created = await events.createEvent(event);
  const createdAgain = await events.createEvent(event);
  const opened = await events.createExpectation(expectation);
  const fulfilled = await events.fulfil('x1', {
    eventId: 'e1',
    source: source('a-e1'),
    score: 1,
    reasons: ['same parties'],
  });
  const overdueToo = await events.markOverdue('x1');
  await events.addTerms(['nato', 'kuwait'], 'art1');
  await events.addTerms(['nato', 'kuwait'], 'art1');
  const terms = await events.termStats(['nato', 'kuwait']);

  await digests.add('s1', 'al1', '2026-01-10T08:00:00.000Z');
  await digests.add('s1', 'al2', '2026-01-10T09:00:00.000Z');
  const batch = await digests.close('s1', '2026-01-10');
  const batchAgain = await digests.close('s1', '2026-01-10');

  const lease = await gate.acquire(url);
  await lease.release();
  const heldUntil = await gate.holdOff(url, 60_000);
  const busy = await gate.acquire(url, { maxWaitMs: 0 }).then(
    () => 'granted',
    (err: Error) => err.name,
  );

  return {
    resubscribed: resubscribed?.unsubscribedAt,
    resubscribedAgain,
    firstClaim,
    copyClaim,
    saved,
    savedStale,
    stored: (await articles.get('art1'))?.version,
    created,
    createdAgain,
    opened,
    fulfilled,
    overdueToo,
    state: (await events.getExpectation('x1'))?.state,
    docs: terms.docs,
    df: Object.fromEntries(terms.df),
    batch,
    batchAgain,
    heldForAMinute: heldUntil.getTime() - Date.now() > 50_000,
    busy,
  };
}

const EXPECTED = {
  resubscribed: '2026-01-01T00:00:00.000Z',
  resubscribedAgain: undefined,
  firstClaim: undefined,
  copyClaim: 'art1',
  saved: true,
  savedStale: false,
  stored: 1,
  created: true,
  createdAgain: false,
  opened: true,
  fulfilled: true,
  overdueToo: false,
  state: 'fulfilled',
  docs: 1,
  df: { nato: 1, kuwait: 1 },
  batch: ['al1', 'al2'],
  batchAgain: ['al1', 'al2'],
  heldForAMinute: true,
  busy: 'HostBusyError',
};

describe('the stores’ Lua scripts when Redis forgets them', () => {
  let port: number;
  let server: ChildProcess | undefined;
  let service: Redis;
  let plain: Redis;
  let round = 0;
  const prefix = () => `nw-scripts-${++round}:`;

  beforeAll(async () => {
    port = await freePort();
    server = await startRedisServer(port);
    service = connectRedis(`redis://127.0.0.1:${port}`, { autoPipelining: true });
    plain = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: null });
    for (const c of [service, plain]) c.on('error', () => {});
  });

  afterAll(async () => {
    service?.disconnect();
    plain?.disconnect();
    await stopRedisServer(server);
  });

  it('answer as on a fresh Redis, after SCRIPT FLUSH and after a restart', async () => {
    for (const redis of [service, plain]) expect(await everyScript(redis, prefix())).toEqual(EXPECTED);

    // The cache emptied under open connections: each script's EVALSHA meets NOSCRIPT, and is sent
    // again as EVAL (MONITOR shows both, so this round does take that path).
    expect(await service.script('FLUSH')).toBe('OK');
    expect(await service.script('EXISTS', ...scriptShas(service))).toEqual(scriptShas(service).map(() => 0));
    const sent = await watchCommands(`redis://127.0.0.1:${port}`);
    for (const redis of [service, plain]) expect(await everyScript(redis, prefix())).toEqual(EXPECTED);
    const commands = await sent.stop();
    expect(commands.filter((c) => c === 'evalsha').length).toBeGreaterThanOrEqual(10);
    expect(commands.filter((c) => c === 'eval').length).toBeGreaterThanOrEqual(10);

    // A restart: the connections reconnect by themselves to a Redis that knows no script.
    await stopRedisServer(server);
    server = await startRedisServer(port);
    for (const redis of [service, plain]) expect(await everyScript(redis, prefix())).toEqual(EXPECTED);
  });
});

/** The names of the commands Redis runs until stop() (MONITOR, on a connection of its own). */
async function watchCommands(url: string): Promise<{ stop(): Promise<string[]> }> {
  const client = new Redis(url);
  const monitor = await client.monitor();
  const names: string[] = [];
  const marker = `nw-scripts-done-${Date.now()}`;
  let done: () => void = () => {};
  const seen = new Promise<void>((resolve) => (done = resolve));
  monitor.on('monitor', (_time: string, args: string[]) => {
    if (args[0]?.toLowerCase() === 'echo' && args[1] === marker) done();
    else if (args[0]) names.push(args[0].toLowerCase());
  });
  return {
    async stop() {
      // Commands reach MONITOR in the order Redis ran them: once the marker is seen, all are.
      await client.echo(marker);
      await seen;
      monitor.disconnect();
      client.disconnect();
      return names;
    },
  };
}

/** The SHA1s of the scripts defined on a connection (ioredis keeps them in `scriptsSet`). */
function scriptShas(redis: Redis): string[] {
  const set = (redis as unknown as { scriptsSet: Record<string, { sha: string }> }).scriptsSet;
  return Object.values(set).map((s) => s.sha);
}
