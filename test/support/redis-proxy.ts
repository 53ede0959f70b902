// A loopback TCP proxy in front of Redis for fault tests: it passes every connection through
// unchanged, reading the commands clients send (RESP arrays), and can stop a connection dead
// right after a chosen command: that command reaches Redis, nothing the client sends afterwards
// does. A test then kills the client process, which dies with its work written up to exactly
// that command, without any hook in the code under test.
import { createServer, connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export type CommandMatcher = (args: readonly string[]) => boolean;

export interface RedisProxy {
  /** redis://127.0.0.1:PORT: give this to the processes whose traffic is watched */
  url: string;
  /**
   * Resolves with the arguments of the first command matching `match` once it has been passed
   * on to Redis; every later command on that connection is held back for good (replies still
   * flow). One watch at a time; other connections are not affected.
   */
  holdAfter(match: CommandMatcher): Promise<string[]>;
  close(): Promise<void>;
}

export async function startRedisProxy(redisUrl: string): Promise<RedisProxy> {
  const target = new URL(redisUrl);
  const targetHost = target.hostname || '127.0.0.1';
  const targetPort = Number(target.port || 6379);
  const sockets = new Set<Socket>();
  let watch: { match: CommandMatcher; resolve: (args: string[]) => void } | undefined;

  const server = createServer((client) => {
    const upstream = connect(targetPort, targetHost);
    sockets.add(client);
    sockets.add(upstream);
    let pending: Buffer = Buffer.alloc(0);
    let held = false;
    let opaque = false; // not RESP as expected: passed on unread
    const cut = () => {
      // Held commands are dropped with the connection: they never reached Redis.
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', cut).on('close', cut);
    upstream.on('error', cut).on('close', cut);
    upstream.pipe(client);
    client.on('data', (chunk: Buffer) => {
      if (held) return;
      if (opaque) {
        upstream.write(chunk);
        return;
      }
      pending = pending.length > 0 ? Buffer.concat([pending, chunk]) : chunk;
      let at = 0;
      for (;;) {
        const command = parseCommand(pending, at);
        if (command === null) {
          opaque = true;
          break;
        }
        if (!command) break;
        at = command.end;
        if (watch?.match(command.args)) {
          upstream.write(pending.subarray(0, at));
          held = true;
          pending = Buffer.alloc(0);
          const { resolve } = watch;
          watch = undefined;
          resolve(command.args);
          return;
        }
      }
      // Only whole commands go on, so a watch never misses one split across two chunks.
      if (opaque) {
        upstream.write(pending);
        pending = Buffer.alloc(0);
        return;
      }
      if (at > 0) upstream.write(pending.subarray(0, at));
      pending = pending.subarray(at);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `redis://127.0.0.1:${port}`,
    holdAfter(match) {
      if (watch) throw new Error('redis proxy: a watch is already set');
      return new Promise((resolve) => {
        watch = { match, resolve };
      });
    },
    async close() {
      watch = undefined;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      sockets.clear();
      await closed;
    },
  };
}

/**
 * One command from `buf` at `at`: a RESP array of bulk strings (what clients send), or an inline
 * command line. Undefined while it is incomplete, null when it is not what a client sends.
 */
export function parseCommand(buf: Buffer, at: number): { args: string[]; end: number } | undefined | null {
  if (at >= buf.length) return undefined;
  const lineEnd = (from: number) => {
    const i = buf.indexOf('\r\n', from);
    return i < 0 ? undefined : i;
  };
  if (buf[at] !== 0x2a /* '*' */) {
    const eol = lineEnd(at);
    if (eol === undefined) return undefined;
    return { args: buf.toString('utf8', at, eol).trim().split(/\s+/), end: eol + 2 };
  }
  const headEnd = lineEnd(at + 1);
  if (headEnd === undefined) return undefined;
  const count = Number(buf.toString('latin1', at + 1, headEnd));
  if (!Number.isInteger(count)) return null;
  let pos = headEnd + 2;
  const args: string[] = [];
  for (let i = 0; i < count; i += 1) {
    if (pos >= buf.length) return undefined;
    if (buf[pos] !== 0x24 /* '$' */) return null;
    const lenEnd = lineEnd(pos + 1);
    if (lenEnd === undefined) return undefined;
    const len = Number(buf.toString('latin1', pos + 1, lenEnd));
    if (!Number.isInteger(len) || len < 0) return null;
    const start = lenEnd + 2;
    if (start + len + 2 > buf.length) return undefined;
    args.push(buf.toString('utf8', start, start + len));
    pos = start + len + 2;
  }
  return { args, end: pos };
}
