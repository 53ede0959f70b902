// FETCH_ALLOW_PRIVATE by address only opened every port of that address: a feed allowed on
// 127.0.0.1 redirected to an internal admin page on another port of it, and the feed probe told
// open ports from closed ones (and quoted what answered). Here, on real servers on loopback and
// through the real poll, scrape and add-feed paths: entries with a port open that port only, on
// every hop; a probe at a private address says one thing whatever it found there, and never
// quotes a response body.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env';
import { FeedAdminError } from '../../src/feeds/admin';
import type { FeedDefinition } from '../../src/feeds/schema';
import { PRIVATE_ADDRESS_REASON } from '../../src/feeds/probe';
import { fetchResource } from '../../src/ingest/fetch';
import { createLogger } from '../../src/log';
import { generateWebhookSecret, sendWebhook } from '../../src/notify/webhook';
import { pollFeed } from '../../src/pipeline/poll';
import { scrapeItem } from '../../src/pipeline/scrape';
import { deleteKeys } from '../../src/store/redis';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { startWebhookReceiver } from '../../src/demo/webhook-receiver';
import { createContext, type Context } from '../../workers/context';
import { feedAdmin } from '../../workers/operator';
import { pollDeps } from '../../workers/roles';
import { testConfig } from '../support/config';

const SECRET = 'ADMIN-SECRET-7f3a9c';

/** An internal service on another port of loopback; every request it logs got through. */
interface Admin {
  port: number;
  requests: string[];
  close(): Promise<void>;
}

async function listen(host: string, answer: string): Promise<Admin | undefined> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(200, { 'content-type': 'text/plain' }).end(answer);
  });
  const ok = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(0, host, () => resolve(true));
  });
  if (!ok) return undefined; // no IPv6 loopback on this machine
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port on loopback that nothing listens on (bound once, then released). */
async function closedPort(): Promise<number> {
  const admin = (await listen('127.0.0.1', ''))!;
  await admin.close();
  return admin.port;
}

const RSS = (base: string, links: string[]) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Gulf wire</title>${links
    .map((l, i) => `<item><title>Story ${i}</title><link>${l.startsWith('/') ? base + l : l}</link></item>`)
    .join('')}</channel></rss>`;

let fixtures: FixtureServer;
let admin: Admin;
let admin6: Admin | undefined;
let feedPort: number;
const contexts: Context[] = [];

beforeAll(async () => {
  admin = (await listen('127.0.0.1', `${SECRET} internal admin console`))!;
  admin6 = await listen('::1', `${SECRET} v6 admin`);
  fixtures = await startFixtureServer({
    '/feed.xml': { contentType: 'application/rss+xml', body: (base) => RSS(base, ['/story']) },
    '/story': {
      contentType: 'text/html',
      body: '<html><head><title>Story</title></head><body><article><p>Kuwait and NATO held talks in Brussels on Wednesday about maritime security in the Gulf.</p></article></body></html>',
    },
  });
  feedPort = Number(new URL(fixtures.baseUrl).port);
  fixtures.setRoute('/to-admin.xml', {
    status: 302,
    contentType: 'text/plain',
    body: '',
    headers: { location: `http://127.0.0.1:${admin.port}/admin/feed.xml` },
  });
  fixtures.setRoute('/links-admin.xml', {
    contentType: 'application/rss+xml',
    body: (base) => RSS(base, [`http://127.0.0.1:${admin.port}/admin/users`]),
  });
});

afterAll(async () => {
  for (const ctx of contexts) {
    await deleteKeys(ctx.redis, ctx.config.prefix);
    await ctx.close();
  }
  await Promise.all([fixtures.close(), admin.close(), admin6?.close()]);
});

const feed = (id: string, path: string): FeedDefinition => ({
  id,
  name: id,
  url: `${fixtures.baseUrl}${path}`,
  type: 'rss',
  language: 'en',
  region: ['gulf'],
  schedule: '*/5 * * * *',
  enabled: true,
});

async function context(label: string, allow: string, feeds: FeedDefinition[] = []): Promise<Context> {
  const config = testConfig(label, {
    FETCH_ALLOW_PRIVATE: allow,
    HOST_MIN_DELAY_MS: '0',
    EVENTS_FILE: 'test/no-events.yml',
  });
  const ctx = await createContext(config, createLogger('silent'), { feeds, subscribers: [] });
  contexts.push(ctx);
  return ctx;
}

describe('FETCH_ALLOW_PRIVATE entries with a port', () => {
  it('are read from the environment in every form, and a bad one stops the start naming the variable and the entry', () => {
    const value = '127.0.0.1:8080, 10.0.0.0/8:443,[::1]:8080,[fd00::/8]:9000,::1/128,192.168.0.7';
    expect(loadConfig({ FETCH_ALLOW_PRIVATE: value }).fetchAllowPrivate).toEqual([
      '127.0.0.1:8080',
      '10.0.0.0/8:443',
      '[::1]:8080',
      '[fd00::/8]:9000',
      '::1/128',
      '192.168.0.7',
    ]);
    for (const [entry, why] of [
      ['127.0.0.1:0', 'the port "0" is not a number from 1 to 65535'],
      ['127.0.0.1:65536', 'the port "65536" is not a number from 1 to 65535'],
      ['127.0.0.1:http', 'the port "http" is not a number from 1 to 65535'],
      ['[::1]:', 'the port "" is not a number from 1 to 65535'],
      ['[127.0.0.1]:80', 'brackets are for IPv6 addresses; write an IPv4 one as 10.0.0.7:8080'],
    ]) {
      expect(() => loadConfig({ FETCH_ALLOW_PRIVATE: `127.0.0.1,${entry}` })).toThrow(
        `environment: FETCH_ALLOW_PRIVATE: "${entry}": ${why}`,
      );
    }
    expect(() => loadConfig({ FETCH_ALLOW_PRIVATE: 'intranet:8080' })).toThrow(
      'environment: FETCH_ALLOW_PRIVATE: "intranet:8080" is not an address or address range with an optional port, like 10.0.0.7, 10.0.0.0/8, 10.0.0.7:8080, 10.0.0.0/8:8080, ::1/128 or [::1]:8080',
    );
  });

  it('a feed allowed on its port cannot redirect the poll to another port of the same address', async () => {
    const redirecting = feed('to-admin', '/to-admin.xml');
    const wire = feed('wire', '/feed.xml');
    const ctx = await context('hostile-port-redirect', `127.0.0.1:${feedPort}`, [redirecting, wire]);
    await expect(pollFeed(pollDeps(ctx), redirecting.id)).rejects.toMatchObject({
      code: 'NW_ADDRESS_REFUSED',
      message:
        `${redirecting.url} redirects to http://127.0.0.1:${admin.port}/admin/feed.xml, which resolves to 127.0.0.1, ` +
        `a loopback address, which FETCH_ALLOW_PRIVATE allows on port ${feedPort} only, not ${admin.port}; ` +
        'set FETCH_ALLOW_PRIVATE to allow it',
    });
    expect(admin.requests).toEqual([]);
    // The allowed port itself still works: its feed is polled and its page scraped.
    expect(await pollFeed(pollDeps(ctx), wire.id)).toMatchObject({ status: 'polled', newItems: 1 });
  });

  it('a feed item linking to another port is not scraped', async () => {
    const linking = feed('links-admin', '/links-admin.xml');
    const ctx = await context('hostile-port-link', `127.0.0.0/8:${feedPort}`, [linking]);
    expect(await pollFeed(pollDeps(ctx), linking.id)).toMatchObject({ status: 'polled', newItems: 1 });
    const item = { guid: 'x', link: `http://127.0.0.1:${admin.port}/admin/users`, title: 'Users' };
    await expect(
      scrapeItem({ articles: ctx.stores.articles, fetch: ctx.fetch, now: ctx.now }, linking.id, item),
    ).rejects.toMatchObject({ code: 'NW_ADDRESS_REFUSED' });
    expect(admin.requests).toEqual([]);
  });

  it('[v6]:port opens that port of the IPv6 address only', async () => {
    if (!admin6) return;
    const url = `http://[::1]:${admin6.port}/status`;
    const res = await fetchResource(url, { allowPrivate: [`[::1]:${admin6.port}`] });
    expect(res.body.toString()).toContain('v6 admin');
    const err = await fetchResource(url, { allowPrivate: [`[::1]:${admin6.port + 1}`] }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'NW_ADDRESS_REFUSED' });
    expect(admin6.requests).toEqual(['GET /status']);
  });

  it('a plain address still opens every port, as before', async () => {
    const res = await fetchResource(`http://127.0.0.1:${admin.port}/`, { allowPrivate: ['127.0.0.1'] });
    expect(res.body.toString()).toContain('internal admin console');
    admin.requests.length = 0;
  });

  it('holds for webhooks too: a receiver on another port than the allowed one gets nothing', async () => {
    const secret = generateWebhookSecret();
    const receiver = await startWebhookReceiver({ secret });
    try {
      const message = { id: 'alert-1:sub-1:webhook', timestamp: new Date(), body: '{"type":"event.new"}' };
      const err = await sendWebhook({ url: receiver.url, secrets: [secret] }, message, {
        allowPrivate: [`127.0.0.1:${feedPort}`],
      }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'NW_ADDRESS_REFUSED', permanent: true });
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});

describe('the feed probe (adding a feed) on private addresses', () => {
  async function addError(ctx: Context, url: string): Promise<string> {
    const err = await feedAdmin(ctx)
      .add({ url })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err, `${url} was added`).toBeInstanceOf(FeedAdminError);
    expect((err as FeedAdminError).code).toBe('NW_NOT_A_FEED');
    return (err as FeedAdminError).problems[0]!.message;
  }

  it('says the same for an open port, a closed one, a refused address and a redirect into any of them', async () => {
    // The whole of loopback allowed on every port: the setting that made the probe a port scanner.
    const ctx = await context('hostile-probe-private', '127.0.0.0/8');
    const closed = await closedPort();
    fixtures.setRoute('/to-closed.xml', {
      status: 302,
      contentType: 'text/plain',
      body: '',
      headers: { location: `http://127.0.0.1:${closed}/` },
    });
    const urls = [
      `http://127.0.0.1:${admin.port}/`, // open, answering text that is no feed
      `http://127.0.0.1:${closed}/`, // closed
      'http://10.0.0.5/feed.xml', // refused by the guard: not allowed
      `${fixtures.baseUrl}/to-admin.xml`, // a redirect to the open port
      `${fixtures.baseUrl}/to-closed.xml`, // a redirect to the closed one
      `${fixtures.baseUrl}/missing.xml`, // an HTTP 404
    ];
    for (const url of urls) {
      const message = await addError(ctx, url);
      expect(message, url).toBe(`${url}: ${PRIVATE_ADDRESS_REASON}`);
      expect(message).not.toContain(SECRET);
    }
    expect(admin.requests).toEqual(['GET /', 'GET /admin/feed.xml']);
  });

  it('gives reasons, without quoting the body, at an address and port the operator allowed by name', async () => {
    const ctx = await context('hostile-probe-named', `127.0.0.1:${feedPort}`);
    fixtures.setRoute('/secret.txt', { contentType: 'text/plain', body: `${SECRET} root:x:0:0` });
    fixtures.setRoute('/secret.html', {
      contentType: 'text/html',
      body: `<html><head><link rel="alternate" type="application/rss+xml" href="/${SECRET}.xml"></head><body>${SECRET}</body></html>`,
    });
    fixtures.setRoute('/secret.json', { contentType: 'application/json', body: `{"${SECRET}": tru` });
    fixtures.setRoute('/secret-root.xml', { contentType: 'text/xml', body: `<${SECRET}>x</${SECRET}>` });
    const cases: [string, string][] = [
      ['/secret.txt', 'not a feed: neither XML nor JSON'],
      ['/secret.html', 'not a feed: an HTML page, which names a feed of its own in a <link rel="alternate">'],
      ['/secret.json', 'not a feed: JSON that does not parse'],
      [
        '/secret-root.xml',
        "not a feed: XML, but its root element is not a feed's (<rss>, <rdf:RDF> or <feed>)",
      ],
      ['/missing.xml', 'could not be fetched: HTTP 404'],
    ];
    for (const [path, reason] of cases) {
      const url = `${fixtures.baseUrl}${path}`;
      expect(await addError(ctx, url)).toBe(`${url}: ${reason}`);
    }
    // Another port of that address is private again: the one answer.
    const other = `http://127.0.0.1:${admin.port}/`;
    expect(await addError(ctx, other)).toBe(`${other}: ${PRIVATE_ADDRESS_REASON}`);
    expect(admin.requests).toEqual(['GET /', 'GET /admin/feed.xml']);
  });
});
