// Reading the memory of a real `newswatch start` child and of the Redis keys under a prefix, for
// the memory bench. The child is spawned by test/support/worker-processes.ts's spawnNewswatch
// with `--expose-gc --import bench/memory-probe.mjs`, which answers SIGUSR2 with its heap
// after a full collection; RSS and its peak come from /proc/<pid>/status, read before the probe
// so the forced collection does not lower them.
import { readdir, readFile, rm } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import { spawnNewswatch, type NewswatchProcess } from '../test/support/worker-processes';

const PROBE = new URL('./memory-probe.mjs', import.meta.url).href;

export interface ProbedWorker extends NewswatchProcess {
  /** where memory-probe.mjs writes its answer */
  probeFile: string;
}

/** `bin/newswatch start --role ROLES` with the heap probe preloaded and `env` over the current environment. */
export function spawnProbedWorker(
  roles: string,
  env: Record<string, string>,
  probeFile: string,
): ProbedWorker {
  const worker = spawnNewswatch(roles, { ...env, NW_MEMORY_PROBE_FILE: probeFile }, [
    '--expose-gc',
    '--import',
    PROBE,
  ]);
  return { ...worker, probeFile };
}

/** Waits for the worker's `newswatch started`, failing after `ms` rather than hanging the bench. */
export async function readyWithin(worker: NewswatchProcess, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`newswatch did not start within ${ms} ms:\n${worker.stderr().slice(-2000)}`)),
      ms,
    );
  });
  try {
    await Promise.race([worker.ready, late]);
  } finally {
    clearTimeout(timer);
  }
}

export interface ProcMemory {
  /** resident set now, bytes (VmRSS) */
  rss: number;
  /** the highest resident set of the process's life so far, bytes (VmHWM) */
  peakRss: number;
  /** resident set now of the process's descendants (tsx's esbuild service), bytes */
  childrenRss: number;
  /** their command names */
  children: string[];
}

async function status(pid: number): Promise<{ kb(field: string): number; name: string }> {
  const text = await readFile(`/proc/${pid}/status`, 'utf8');
  return {
    name: /^Name:\s+(.*)$/m.exec(text)?.[1] ?? '?',
    kb(field: string) {
      const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
      if (!m) throw new Error(`/proc/${pid}/status has no ${field}`);
      return Number(m[1]) * 1024;
    },
  };
}

/** Child pids of every thread of a process (/proc/PID/task/TID/children). */
async function childPids(pid: number): Promise<number[]> {
  const tasks = await readdir(`/proc/${pid}/task`).catch(() => [] as string[]);
  const lists = await Promise.all(
    tasks.map((tid) => readFile(`/proc/${pid}/task/${tid}/children`, 'utf8').catch(() => '')),
  );
  return lists.flatMap((l) => l.split(/\s+/).filter(Boolean).map(Number));
}

/** VmRSS and VmHWM of a Linux process, and the VmRSS of its descendants. */
export async function procMemory(pid: number): Promise<ProcMemory> {
  const own = await status(pid);
  let childrenRss = 0;
  const children: string[] = [];
  for (let queue = await childPids(pid); queue.length > 0;) {
    const child = queue.shift()!;
    const s = await status(child).catch(() => undefined); // it may have exited meanwhile
    if (!s) continue;
    childrenRss += s.kb('VmRSS');
    children.push(s.name);
    queue = [...queue, ...(await childPids(child))];
  }
  return { rss: own.kb('VmRSS'), peakRss: own.kb('VmHWM'), childrenRss, children };
}

export interface HeapSample {
  /** V8 heap in use after a full collection, bytes: what the process really holds on to */
  heapUsed: number;
  heapTotal: number;
  /** memory of C++ objects bound to JS ones, Buffers included */
  external: number;
}

/** Asks the worker's probe for its heap after a full collection and waits for the answer. */
export async function probeHeap(worker: ProbedWorker, timeoutMs = 10_000): Promise<HeapSample> {
  await rm(worker.probeFile, { force: true });
  worker.child.kill('SIGUSR2');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const { memory } = JSON.parse(await readFile(worker.probeFile, 'utf8')) as {
        memory: NodeJS.MemoryUsage;
      };
      return { heapUsed: memory.heapUsed, heapTotal: memory.heapTotal, external: memory.external };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (Date.now() > deadline)
        throw new Error(`the worker's memory probe did not answer in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

export interface RedisBytes {
  keys: number;
  bytes: number;
  /** bytes by the key's first segment after the prefix (`event`, `expectation`, `idx`, ...) */
  byKind: Record<string, number>;
}

/**
 * Bytes Redis attributes to the keys under `prefix`: MEMORY USAGE (SAMPLES 0, so every element of
 * a large sorted set is counted, not estimated from five) summed over a SCAN of the prefix.
 */
export async function redisBytesUnder(redis: Redis, prefix: string): Promise<RedisBytes> {
  let cursor = '0';
  let keys = 0;
  let bytes = 0;
  const byKind: Record<string, number> = {};
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (batch.length === 0) continue;
    const p = redis.pipeline();
    for (const key of batch) p.call('MEMORY', 'USAGE', key, 'SAMPLES', '0');
    const replies = (await p.exec()) ?? [];
    replies.forEach(([err, reply], i) => {
      if (err) throw err;
      const n = Number(reply ?? 0); // null: the key went away between SCAN and MEMORY USAGE
      const kind = batch[i]!.slice(prefix.length).split(':')[0]!;
      byKind[kind] = (byKind[kind] ?? 0) + n;
      bytes += n;
    });
    keys += batch.length;
  } while (cursor !== '0');
  return { keys, bytes, byKind };
}

/** INFO memory's used_memory: everything Redis holds, other clients' keys included. */
export async function redisUsedMemory(redis: Redis): Promise<number> {
  const m = /^used_memory:(\d+)/m.exec(await redis.info('memory'));
  if (!m) throw new Error('INFO memory has no used_memory');
  return Number(m[1]);
}
