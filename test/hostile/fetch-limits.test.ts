// Hostile servers against the one HTTP client (fetchResource): a 200 MB answer, a body that
// drips one byte a second, a gzip bomb and a redirect that never ends. Each test names what the
// server tried and checks what a user relies on: the fetch ends with an error that names the
// URL, within its limit, without reading (or decompressing) more than the cap. Caps and
// timeouts are set small per test so the suite stays fast.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { constants, createGzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchResource } from '../../src/ingest/fetch';

const MB = 1024 * 1024;
const LOCAL = { allowPrivate: ['127.0.0.1/32'] };

/** What the server managed to send on each route: the measure of what the client let in. */
const sent = new Map<string, number>();
let bomb: Buffer;
const BOMB_INFLATED = 1024 * MB;

/** Writes `total` bytes in 64 KiB chunks, honouring backpressure, so the server never holds 200 MB. */
function stream(res: ServerResponse, path: string, total: number): void {
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let written = 0;
  const push = () => {
    while (!res.destroyed && written < total) {
      written += chunk.length;
      sent.set(path, written);
      if (!res.write(chunk)) return void res.once('drain', push);
    }
    if (!res.destroyed) res.end();
  };
  push();
}

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  // Chunked, no length: only counting while streaming can stop it.
  '/huge': (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml' });
    stream(res, '/huge', 200 * MB);
  },
  // An honest Content-Length: refused before the body is read.
  '/huge-declared': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html', 'content-length': String(200 * MB) });
    stream(res, '/huge-declared', 200 * MB);
  },
  '/drip': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    let n = 0;
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      res.write('<');
      sent.set('/drip', ++n);
    }, 1000);
    res.on('close', () => clearInterval(timer));
  },
  '/bomb': (_req, res) => {
    res.writeHead(200, {
      'content-type': 'text/html',
      'content-encoding': 'gzip',
      'content-length': String(bomb.length),
    });
    res.end(bomb);
  },
  '/loop': (_req, res) => void res.writeHead(302, { location: '/loop' }).end(),
};

let server: Server;
let base: string;
const hits = new Map<string, number>();

beforeAll(async () => {
  bomb = await gzipOfZeros(BOMB_INFLATED);
  server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    hits.set(path, (hits.get(path) ?? 0) + 1);
    const chain = /^\/chain\/(\d+)$/.exec(path);
    if (chain) return void res.writeHead(301, { location: `/chain/${Number(chain[1]) + 1}` }).end();
    (routes[path] ?? ((_q, r: ServerResponse) => void r.writeHead(404).end()))(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** A gzip stream of `size` zero bytes, compressed a megabyte at a time (1 GiB packs to about 1 MB). */
async function gzipOfZeros(size: number): Promise<Buffer> {
  const gzip = createGzip({ level: constants.Z_BEST_COMPRESSION });
  const out: Buffer[] = [];
  gzip.on('data', (c: Buffer) => out.push(c));
  const done = new Promise((resolve) => gzip.on('end', resolve));
  const zeros = Buffer.alloc(MB);
  for (let n = 0; n < size; n += MB) if (!gzip.write(zeros)) await new Promise((r) => gzip.once('drain', r));
  gzip.end();
  await done;
  return Buffer.concat(out);
}

describe('a server that sends too much', () => {
  it('a 200 MB streamed answer is cut at the cap: NW_HTTP_TOO_LARGE naming the URL, most of it never sent', async () => {
    const err = await fetchResource(`${base}/huge`, { ...LOCAL, maxBytes: MB }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'NW_HTTP_TOO_LARGE',
      message: `${base}/huge: body exceeds the ${MB}-byte cap`,
    });
    // Socket buffers let a few megabytes through before backpressure; 200 MB would mean no cap.
    await until(() => (sent.get('/huge') ?? 0) > 0);
    expect(sent.get('/huge')).toBeLessThan(32 * MB);
  });

  it('a declared 200 MB Content-Length is refused before the body is read', async () => {
    const err = await fetchResource(`${base}/huge-declared`, { ...LOCAL, maxBytes: MB }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({
      code: 'NW_HTTP_TOO_LARGE',
      message: `${base}/huge-declared: body exceeds the ${MB}-byte cap`,
    });
    expect(sent.get('/huge-declared') ?? 0).toBeLessThan(32 * MB);
  });

  it('a gzip bomb (1 MB that inflates to 1 GiB) is cut at the cap on the decompressed size, in bounded memory', async () => {
    // The cap is well above what goes over the wire, so only counting inflated bytes can stop it.
    const cap = 8 * MB;
    expect(bomb.length).toBeLessThan(cap / 4);
    const rssBefore = process.memoryUsage().rss;
    const err = await fetchResource(`${base}/bomb`, { ...LOCAL, maxBytes: cap }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'NW_HTTP_TOO_LARGE',
      message: `${base}/bomb: body exceeds the ${cap}-byte cap`,
    });
    // Inflating it all would cost a gigabyte; the cap keeps the growth to buffers.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(256 * MB);
  });
});

describe('a server that sends too slowly', () => {
  it('a body dripping one byte a second is cut off by the deadline (1 s here), long before it ends', async () => {
    const started = Date.now();
    const err = await fetchResource(`${base}/drip`, { ...LOCAL, timeoutMs: 1_000 }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'NW_HTTP_TIMEOUT',
      message: `${base}/drip: no complete response within 1000 ms`,
    });
    // Without a deadline the fetch would hang as long as the server likes.
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('a server that redirects forever', () => {
  it('a page redirecting to itself stops at the redirect limit, naming the URL', async () => {
    hits.delete('/loop');
    const err = await fetchResource(`${base}/loop`, { ...LOCAL, maxRedirects: 5 }).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'NW_HTTP_REDIRECTS',
      message: `${base}/loop: more than 5 redirects (the last one to ${base}/loop)`,
    });
    expect(hits.get('/loop')).toBe(6);
  });

  it('an endless chain of new URLs stops at the default limit too', async () => {
    const err = await fetchResource(`${base}/chain/0`, LOCAL).catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'NW_HTTP_REDIRECTS',
      message: `${base}/chain/0: more than 5 redirects (the last one to ${base}/chain/6)`,
    });
  });
});

async function until(check: () => boolean, ms = 2_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
}
