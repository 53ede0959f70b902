// A real static HTTP server on 127.0.0.1 for tests and the demo: feeds and article pages come
// from a route table, with ETag and Last-Modified validators so that conditional GET (304) is
// exercised over a real socket, and a hit count per path so tests can see what was fetched. A
// request log with arrival and finish times shows how a client spread its requests over time.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FixtureRoute {
  /** A function receives the server's base URL, so feeds can link to pages on this server. */
  body: string | Buffer | ((baseUrl: string) => string);
  contentType: string;
  status?: number;
  /** Extra response headers; they override the computed ones. */
  headers?: Record<string, string>;
  /** Default: the time the route was installed (start or setRoute). */
  lastModified?: Date;
  /** false: send no ETag/Last-Modified and ignore conditional headers, like a naive server. */
  conditional?: boolean;
  /** Answer only after this long, like a slow server, so that overlapping requests show in `log`. */
  delayMs?: number;
  /** The first requests get these, in order (a 429 with Retry-After, say); later ones the route itself. */
  firstResponses?: Partial<Pick<FixtureRoute, 'body' | 'contentType' | 'status' | 'headers'>>[];
}

export interface FixtureRequest {
  method: string;
  /** path and query string */
  path: string;
  userAgent: string | undefined;
  /** Date.now() when the request arrived */
  arrivedAt: number;
  /** Date.now() when the response was sent (or the connection dropped); unset while in flight */
  finishedAt?: number;
  status?: number;
}

export interface FixtureServer {
  baseUrl: string;
  /** Requests per path (query string included when the route key has one), 304s and 404s too. */
  hits: Map<string, number>;
  /** Every request in arrival order. */
  log: FixtureRequest[];
  /** Adds or replaces a route: its validators change, so the next conditional GET gets 200. */
  setRoute(path: string, route: FixtureRoute): void;
  close(): Promise<void>;
}

interface InstalledRoute extends FixtureRoute {
  installedAt: Date;
  /** requests answered since the route was installed, for `firstResponses` */
  served: number;
}

export async function startFixtureServer(routes: Record<string, FixtureRoute>): Promise<FixtureServer> {
  const table = new Map<string, InstalledRoute>();
  const hits = new Map<string, number>();
  const log: FixtureRequest[] = [];
  let baseUrl = '';

  const setRoute = (path: string, route: FixtureRoute) => {
    // Last-Modified has one-second resolution: a replaced route must still look newer.
    const previous = table.get(path)?.installedAt.getTime() ?? 0;
    const installedAt = new Date(Math.max(Math.floor(Date.now() / 1000) * 1000, previous + 1000));
    table.set(path, { ...route, installedAt, served: 0 });
  };
  for (const [path, route] of Object.entries(routes)) setRoute(path, route);

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', baseUrl);
    const entry: FixtureRequest = {
      method: req.method ?? 'GET',
      path: url.pathname + url.search,
      userAgent: req.headers['user-agent'],
      arrivedAt: Date.now(),
    };
    log.push(entry);
    res.on('close', () => {
      entry.finishedAt = Date.now();
      entry.status = res.statusCode;
    });
    const key = table.has(url.pathname + url.search) ? url.pathname + url.search : url.pathname;
    hits.set(key, (hits.get(key) ?? 0) + 1);
    const route = table.get(key);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`no fixture for ${url.pathname}\n`);
      return;
    }
    const override = route.firstResponses?.[route.served];
    route.served += 1;
    const answer = () => {
      if (!res.destroyed) serve(req, res, override ? { ...route, ...override } : route, baseUrl);
    };
    if (route.delayMs) setTimeout(answer, route.delayMs);
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    baseUrl,
    hits,
    log,
    setRoute,
    close() {
      server.closeAllConnections();
      return new Promise((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

function serve(req: IncomingMessage, res: ServerResponse, route: InstalledRoute, baseUrl: string): void {
  const body = typeof route.body === 'function' ? Buffer.from(route.body(baseUrl)) : Buffer.from(route.body);
  const status = route.status ?? 200;
  const headers: Record<string, string> = { 'content-type': route.contentType };
  if (route.conditional !== false && status === 200) {
    headers.etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    headers['last-modified'] = (route.lastModified ?? route.installedAt).toUTCString();
    Object.assign(headers, lowerCaseKeys(route.headers));
    if (notModified(req, headers.etag, headers['last-modified'])) {
      res.writeHead(304, withoutContentType(headers)).end();
      return;
    }
  } else {
    Object.assign(headers, lowerCaseKeys(route.headers));
  }
  headers['content-length'] = String(body.length);
  res.writeHead(status, headers).end(req.method === 'HEAD' ? undefined : body);
}

/** RFC 9110 §13.1: If-None-Match (weak comparison) wins; If-Modified-Since only without it. */
function notModified(
  req: IncomingMessage,
  etag: string | undefined,
  lastModified: string | undefined,
): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    if (etag === undefined) return false;
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
  }
  const ifModifiedSince = req.headers['if-modified-since'];
  if (ifModifiedSince === undefined || lastModified === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  return !Number.isNaN(since) && Date.parse(lastModified) <= since;
}

function lowerCaseKeys(headers: Record<string, string> = {}): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));
}

function withoutContentType(headers: Record<string, string>): Record<string, string> {
  const { 'content-type': _omitted, ...rest } = headers;
  return rest;
}
