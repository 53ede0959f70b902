// fetchResource against a real HTTP server on 127.0.0.1: limits, conditional GET and error codes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchResource, HttpStatusError, parseRetryAfter } from '../../src/ingest/fetch';

// The server is on loopback, which the SSRF guard refuses unless allowed (test/hostile/ssrf.test.ts).
const LOCAL = { allowPrivate: ['127.0.0.0/8'] };

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>NATO</title></channel></rss>';
const ETAG = '"v1"';
const seen: Record<string, IncomingMessage['headers']> = {};

const routes: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
  '/feed.xml': (req, res) => {
    if (req.headers['if-none-match'] === ETAG) return void res.writeHead(304, { etag: ETAG }).end();
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8', etag: ETAG }).end(FEED);
  },
  '/moved': (_req, res) => void res.writeHead(301, { location: '/feed.xml' }).end(),
  // Chunked, with no Content-Length, so only counting while streaming can catch it.
  '/endless': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    const chunk = Buffer.alloc(16 * 1024, 'a');
    const push = () => {
      while (!res.destroyed && res.write(chunk));
      if (!res.destroyed) res.once('drain', push);
    };
    push();
  },
  '/declared-large': (_req, res) =>
    void res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) }).end(),
  '/slow': (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.write('<html>'); // headers arrive; the rest never does in time
  },
  '/busy': (_req, res) => void res.writeHead(429, { 'retry-after': '120' }).end('slow down'),
  '/gone': (_req, res) => void res.writeHead(404).end('not here'),
};

let server: Server;
let base: string;
let connections = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen[req.url ?? ''] = req.headers;
    const route = routes[req.url ?? ''];
    if (route) route(req, res);
    else res.writeHead(500).end();
  });
  server.on('connection', () => (connections += 1));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('fetchResource', () => {
  it('returns status, body, lower-cased headers, and sends our User-Agent and Accept', async () => {
    const res = await fetchResource(`${base}/feed.xml`, {
      ...LOCAL,
      userAgent: 'newswatch-test/1',
      accept: 'application/rss+xml',
    });
    expect(res).toMatchObject({ status: 200, url: `${base}/feed.xml`, notModified: false });
    expect(res.body.toString('utf8')).toBe(FEED);
    expect(res.headers).toMatchObject({ etag: ETAG, 'content-type': 'application/rss+xml; charset=utf-8' });
    expect(seen['/feed.xml']).toMatchObject({
      'user-agent': 'newswatch-test/1',
      accept: 'application/rss+xml',
    });
  });

  it('reuses one kept-alive connection for consecutive pages of a site, and a fresh one after a cut-off body', async () => {
    await fetchResource(`${base}/feed.xml`, LOCAL);
    const before = connections;
    for (let i = 0; i < 3; i++) await fetchResource(`${base}/feed.xml`, LOCAL);
    // A new TCP (and, on https, TLS) handshake per page would cost the site and us a round trip each.
    expect(connections - before).toBe(0);
    // A body cut off by the timeout leaves its socket unusable: it is dropped, and the next page still comes.
    await expect(fetchResource(`${base}/slow`, { ...LOCAL, timeoutMs: 200 })).rejects.toThrow(/200 ms/);
    const res = await fetchResource(`${base}/feed.xml`, LOCAL);
    expect(res.body.toString('utf8')).toBe(FEED);
  });

  it('reports the final URL after a redirect', async () => {
    const res = await fetchResource(`${base}/moved`, LOCAL);
    expect(res.url).toBe(`${base}/feed.xml`);
    expect(res.body.toString('utf8')).toBe(FEED);
  });

  it('sends If-None-Match and returns notModified with an empty body on 304', async () => {
    const res = await fetchResource(`${base}/feed.xml`, {
      ...LOCAL,
      etag: ETAG,
      lastModified: 'Wed, 28 Jan 2026 10:00:00 GMT',
    });
    expect(res).toMatchObject({ status: 304, notModified: true });
    expect(res.body).toHaveLength(0);
    expect(seen['/feed.xml']?.['if-modified-since']).toBe('Wed, 28 Jan 2026 10:00:00 GMT');
  });

  it('cuts off a streamed body over the cap with NW_HTTP_TOO_LARGE naming the URL and the cap', async () => {
    await expect(fetchResource(`${base}/endless`, { ...LOCAL, maxBytes: 100_000 })).rejects.toMatchObject({
      code: 'NW_HTTP_TOO_LARGE',
      message: `${base}/endless: body exceeds the 100000-byte cap`,
    });
  });

  it('refuses a declared Content-Length over the cap before reading it', async () => {
    await expect(fetchResource(`${base}/declared-large`, LOCAL)).rejects.toMatchObject({
      code: 'NW_HTTP_TOO_LARGE',
      message: `${base}/declared-large: body exceeds the ${5 * 1024 * 1024}-byte cap`,
    });
  });

  it('gives up on a slow server with NW_HTTP_TIMEOUT naming the URL', async () => {
    await expect(fetchResource(`${base}/slow`, { ...LOCAL, timeoutMs: 200 })).rejects.toMatchObject({
      code: 'NW_HTTP_TIMEOUT',
      message: `${base}/slow: no complete response within 200 ms`,
    });
  });

  it('exposes status and Retry-After on a 429', async () => {
    const err = await fetchResource(`${base}/busy`, LOCAL).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HttpStatusError);
    expect(err).toMatchObject({
      code: 'NW_HTTP_STATUS',
      status: 429,
      retryAfterSeconds: 120,
      message: `${base}/busy: HTTP 429, retry after 120 s`,
    });
  });

  it('reports a 404 with its status and no retry hint', async () => {
    await expect(fetchResource(`${base}/gone`, LOCAL)).rejects.toMatchObject({
      code: 'NW_HTTP_STATUS',
      status: 404,
      retryAfterSeconds: undefined,
      message: `${base}/gone: HTTP 404`,
    });
  });

  it('gives NW_FEED_UNREACHABLE with ECONNREFUSED when nothing listens', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(fetchResource(`http://127.0.0.1:${port}/feed.xml`, LOCAL)).rejects.toMatchObject({
      code: 'NW_FEED_UNREACHABLE',
      message: `http://127.0.0.1:${port}/feed.xml: unreachable (ECONNREFUSED)`,
    });
  });

  it('refuses a non-http URL without trying, as a permanent error', async () => {
    await expect(fetchResource('file:///etc/passwd')).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'NW_FEED_UNREACHABLE',
    });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('Wed, 28 Jan 2026 10:00:00 GMT');
  it.each([
    ['120', 120],
    ['Wed, 28 Jan 2026 10:02:00 GMT', 120],
    ['Wed, 28 Jan 2026 09:00:00 GMT', 0],
    ['soon', undefined],
    [null, undefined],
  ])('%s → %s seconds', (value, seconds) => {
    expect(parseRetryAfter(value, now)).toBe(seconds);
  });
});
