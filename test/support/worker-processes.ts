// Real `newswatch start` child processes for fault tests and the pipeline bench: the feeds and
// subscribers files they read, spawning one with chosen roles and environment, and a private
// redis-server with append-only persistence that can be stopped and started again on the
// same port and directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FeedDefinition } from '../../src/feeds/schema';

const BIN = new URL('../../bin/newswatch', import.meta.url).pathname;
const ROOT = new URL('../../', import.meta.url).pathname;

export interface RunFiles {
  dir: string;
  /** environment naming the files: FEEDS_FILE, SUBSCRIBERS_FILE, EVENTS_FILE (absent: none) */
  env: Record<string, string>;
  remove(): Promise<void>;
}

export interface WebhookSubscriberFile {
  id: string;
  name: string;
  webhook: { url: string; secret: string };
  filters?: Record<string, unknown>;
}

/** Writes feeds.yml and subscribers.yml (as JSON, which YAML reads) into a fresh temporary folder. */
export async function writeRunFiles(
  feeds: FeedDefinition[],
  subscribers: WebhookSubscriberFile[],
): Promise<RunFiles> {
  const dir = await mkdtemp(path.join(tmpdir(), 'newswatch-run-'));
  const feedsFile = path.join(dir, 'feeds.yml');
  const subscribersFile = path.join(dir, 'subscribers.yml');
  await writeFile(feedsFile, JSON.stringify({ feeds }, null, 2));
  await writeFile(subscribersFile, JSON.stringify({ subscribers }, null, 2));
  return {
    dir,
    env: {
      FEEDS_FILE: feedsFile,
      SUBSCRIBERS_FILE: subscribersFile,
      EVENTS_FILE: path.join(dir, 'no-events.yml'),
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

export interface NewswatchProcess {
  child: ChildProcess;
  /** everything written on stderr so far (JSON log lines) */
  stderr(): string;
  /** resolves once the process logged `newswatch started` */
  ready: Promise<void>;
  /** resolves with the exit code (null when killed by a signal) and the signal */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Spawns `bin/newswatch start --role ROLES` with `env` over the current environment; `nodeArgs`
 * go to node itself (the memory bench preloads a heap probe).
 */
export function spawnNewswatch(
  roles: string,
  env: Record<string, string>,
  nodeArgs: readonly string[] = [],
): NewswatchProcess {
  const child = spawn(process.execPath, [...nodeArgs, BIN, 'start', '--role', roles], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  let onReady: () => void = () => {};
  let onFail: (e: Error) => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    onReady = resolve;
    onFail = reject;
  });
  child.stderr!.on('data', (d: Buffer) => {
    err += d.toString();
    if (err.includes('"newswatch started"')) onReady();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      onFail(new Error(`newswatch exited (${code ?? signal}) before it started:\n${err.slice(-2000)}`));
      resolve({ code, signal });
    }),
  );
  // An unhandled rejection would surface when the process exits after having started.
  ready.catch(() => {});
  return { child, stderr: () => err, ready, exited };
}

/** Stops a child if it still runs and waits for its exit. */
export async function stopProcess(p: NewswatchProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill(signal);
  await p.exited;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface PrivateRedis {
  url: string;
  port: number;
  dir: string;
  /** SIGTERM (redis-server flushes its append-only file and exits), then waits for the exit */
  stop(): Promise<void>;
  /** starts redis-server again on the same port and directory; resolves once it accepts connections */
  start(): Promise<void>;
  /** stops it and removes its directory */
  remove(): Promise<void>;
}

/** A private redis-server on a free loopback port with `--appendonly yes` in a temporary folder. */
export async function startPrivateRedis(): Promise<PrivateRedis> {
  const dir = await mkdtemp(path.join(tmpdir(), 'newswatch-redis-'));
  const port = await freePort();
  let proc: ChildProcess | undefined;
  let exited: Promise<void> = Promise.resolve();
  const start = async () => {
    const child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--appendonly', 'yes', '--dir', dir, '--save', ''],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    proc = child;
    exited = new Promise((resolve) => child.on('exit', () => resolve()));
    let out = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        if (out.includes('Ready to accept connections')) resolve();
      });
      child.on('exit', (code) => reject(new Error(`redis-server exited (${code}):\n${out}`)));
    });
  };
  const stop = async () => {
    if (proc && proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    start,
    stop,
    async remove() {
      await stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
