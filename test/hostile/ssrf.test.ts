// The SSRF guard, as an attacker would probe it: a feed URL, a link or a redirect pointing at
// this machine, its network or the cloud metadata service, and a webhook URL doing the same.
// What breaks: a URL aimed inside. What is checked: the fetch fails with NW_ADDRESS_REFUSED
// naming the URL, the address and the rule, and no connection is attempted (undici's own
// diagnostics channel records every attempt; servers listening at the targets log nothing).
// No test needs DNS for a public name: literal addresses, loopback, and injected resolvers.
import dc from 'node:diagnostics_channel';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env';
import { fetchResource } from '../../src/ingest/fetch';
import { refusalOf, type LookupAll } from '../../src/ingest/ssrf';
import { generateWebhookSecret, sendWebhook, WebhookError } from '../../src/notify/webhook';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { startWebhookReceiver } from '../../src/demo/webhook-receiver';

const FEED = '<?xml version="1.0"?><rss version="2.0"><channel><title>Gulf wire</title></channel></rss>';

/** A server at an address the guard must refuse: any request it logs is a connection that got through. */
interface Trap {
  url: string;
  port: number;
  requests: string[];
  close(): Promise<void>;
}

async function trap(host: string, port = 0): Promise<Trap | undefined> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.end('secret');
  });
  const listening = await new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, host, () => resolve(true));
  });
  // A machine without IPv6 loopback still runs the refusal check, only without the server.
  if (!listening) return undefined;
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Every connection undici attempts in this process, as host:port. */
const attempts: string[] = [];
const onConnect = (message: unknown) => {
  const { connectParams } = message as { connectParams: { hostname: string; port: string } };
  attempts.push(`${connectParams.hostname}:${connectParams.port}`);
};

let fixtures: FixtureServer;
let loopback: Trap;
let loopback2: Trap | undefined;
let ipv6: Trap | undefined;

beforeAll(async () => {
  dc.subscribe('undici:client:beforeConnect', onConnect);
  loopback = (await trap('127.0.0.1'))!;
  loopback2 = await trap('127.0.0.2');
  ipv6 = await trap('::1');
  fixtures = await startFixtureServer({
    '/feed.xml': { body: FEED, contentType: 'application/rss+xml' },
  });
});

afterAll(async () => {
  dc.unsubscribe('undici:client:beforeConnect', onConnect);
  await Promise.all([fixtures.close(), loopback.close(), loopback2?.close(), ipv6?.close()]);
});

beforeEach(() => {
  attempts.length = 0;
});

async function refusal(url: string, opts: Parameters<typeof fetchResource>[1] = {}) {
  const err = await fetchResource(url, { timeoutMs: 3_000, ...opts }).then(
    () => undefined,
    (e: unknown) => e as Error & { code: string },
  );
  expect(err, `${url} was fetched`).toBeDefined();
  return err!;
}

const hint = 'set FETCH_ALLOW_PRIVATE to allow it';

describe('a URL aimed inside is refused before any connection', () => {
  it('refuses 10.x with the message an operator can act on', async () => {
    const err = await refusal('http://10.0.0.5/feed.xml');
    expect(err).toMatchObject({
      name: 'AddressRefusedError',
      code: 'NW_ADDRESS_REFUSED',
      message: `http://10.0.0.5/feed.xml resolves to 10.0.0.5, a private address; ${hint}`,
    });
    expect(attempts).toEqual([]);
  });

  // Each row: the URL a feed could carry, the address the error must name, and the rule.
  const table: [string, () => string, string, string][] = [
    ['172.16.x', () => 'http://172.16.3.4/feed.xml', '172.16.3.4', 'a private address'],
    ['the top of 172.16/12', () => 'http://172.31.255.254/', '172.31.255.254', 'a private address'],
    ['192.168.x', () => 'http://192.168.1.1/admin', '192.168.1.1', 'a private address'],
    [
      '127.x, when loopback is not allowed',
      () => `${loopback.url}/feed.xml`,
      '127.0.0.1',
      'a loopback address',
    ],
    [
      '127.0.0.1 spelled as one decimal number',
      () => `http://2130706433:${loopback.port}/`,
      '127.0.0.1',
      'a loopback address',
    ],
    [
      '127.0.0.1 spelled in hex, short form',
      () => `http://0x7f.1:${loopback.port}/`,
      '127.0.0.1',
      'a loopback address',
    ],
    [
      '0.0.0.0, which Linux connects to this host',
      () => `http://0.0.0.0:${loopback.port}/`,
      '0.0.0.0',
      'an unspecified address',
    ],
    [
      'the cloud metadata service 169.254.169.254',
      () => 'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      '169.254.169.254',
      'a link-local address (cloud metadata)',
    ],
    ['link-local 169.254.x', () => 'http://169.254.10.20/', '169.254.10.20', 'a link-local address'],
    ['carrier-grade NAT 100.64/10', () => 'http://100.64.0.1/', '100.64.0.1', 'a carrier-grade NAT address'],
    ['[::1]', () => `http://[::1]:${ipv6?.port ?? 8080}/feed.xml`, '::1', 'a loopback address'],
    ['IPv6 link-local fe80::/10', () => 'http://[fe80::1]/', 'fe80::1', 'a link-local address'],
    [
      'IPv6 unique-local fc00::/7 (an IPv6 metadata address)',
      () => 'http://[fd00:ec2::254]/',
      'fd00:ec2::254',
      'a unique-local address',
    ],
    [
      'IPv4-mapped IPv6 loopback',
      () => `http://[::ffff:127.0.0.1]:${loopback.port}/`,
      '::ffff:7f00:1',
      'a loopback address (the IPv6 form of 127.0.0.1)',
    ],
    [
      'IPv4-mapped IPv6 metadata address',
      () => 'http://[::ffff:169.254.169.254]/',
      '::ffff:a9fe:a9fe',
      'a link-local address (cloud metadata) (the IPv6 form of 169.254.169.254)',
    ],
  ];

  it.each(table)('refuses %s', async (_label, url, address, rule) => {
    const err = await refusal(url());
    expect(err.code).toBe('NW_ADDRESS_REFUSED');
    expect(err.message).toBe(`${url()} resolves to ${address}, ${rule}; ${hint}`);
    expect(attempts).toEqual([]);
    expect(loopback.requests).toEqual([]);
    expect(ipv6?.requests ?? []).toEqual([]);
  });

  it('refuses a name that resolves to a private address, after resolving it', async () => {
    const lookup: LookupAll = async (name) =>
      name === 'intranet.example' ? [{ address: '10.1.2.3', family: 4 }] : [];
    const err = await refusal('http://intranet.example/feed.xml', { lookup });
    expect(err.message).toBe(
      `http://intranet.example/feed.xml resolves to 10.1.2.3, a private address; ${hint}`,
    );
    expect(attempts).toEqual([]);
  });

  it('refuses localhost through the system resolver (it answers from the hosts file, not the internet)', async () => {
    const err = await refusal(`http://localhost:${loopback.port}/feed.xml`);
    expect(err.code).toBe('NW_ADDRESS_REFUSED');
    expect(err.message).toMatch(
      /^http:\/\/localhost:\d+\/feed\.xml resolves to (127\.0\.0\.1|::1), a loopback address;/,
    );
    expect(loopback.requests).toEqual([]);
  });

  it('refuses a name with one public and one private address, naming the private one', async () => {
    const lookup: LookupAll = async () => [
      { address: '93.184.215.14', family: 4 },
      { address: '192.168.0.10', family: 4 },
    ];
    const err = await refusal('http://split.example/', { lookup });
    expect(err.message).toBe(`http://split.example/ resolves to 192.168.0.10, a private address; ${hint}`);
    expect(attempts).toEqual([]);
  });

  it('refuses a scheme other than http(s) without trying', async () => {
    await expect(fetchResource('file:///etc/passwd')).rejects.toMatchObject({ name: 'PermanentError' });
    await expect(fetchResource('gopher://127.0.0.1:70/')).rejects.toMatchObject({ name: 'PermanentError' });
    expect(attempts).toEqual([]);
  });
});

describe('FETCH_ALLOW_PRIVATE lets exactly the allowed range through', () => {
  it('fetches from 127.0.0.1 when 127.0.0.1/32 is allowed, and still refuses 127.0.0.2', async () => {
    const res = await fetchResource(`${fixtures.baseUrl}/feed.xml`, { allowPrivate: ['127.0.0.1/32'] });
    expect(res.body.toString()).toBe(FEED);
    if (loopback2) {
      const err = await refusal(`${loopback2.url}/`, { allowPrivate: ['127.0.0.1/32'] });
      expect(err.message).toBe(`${loopback2.url}/ resolves to 127.0.0.2, a loopback address; ${hint}`);
      expect(loopback2.requests).toEqual([]);
    }
  });

  it('is read from the environment, and a wrong entry stops the start naming the variable', () => {
    expect(loadConfig({}).fetchAllowPrivate).toEqual([]);
    expect(loadConfig({ FETCH_ALLOW_PRIVATE: '127.0.0.0/8, ::1/128,10.0.0.7' }).fetchAllowPrivate).toEqual([
      '127.0.0.0/8',
      '::1/128',
      '10.0.0.7',
    ]);
    expect(() => loadConfig({ FETCH_ALLOW_PRIVATE: '127.0.0.0/8,intranet/8' })).toThrow(
      'environment: FETCH_ALLOW_PRIVATE: "intranet/8" is not an address or address range with an optional port, like 10.0.0.7, 10.0.0.0/8, 10.0.0.7:8080, 10.0.0.0/8:8080, ::1/128 or [::1]:8080',
    );
  });
});

describe('every redirect hop is checked again', () => {
  // The redirecting server is on 127.0.0.1, the one address allowed; each route sends the
  // client somewhere inside. The second column is the address the error must name.
  const allowPrivate = ['127.0.0.1/32'];
  const lookup: LookupAll = async (name) =>
    name === 'metadata.internal' ? [{ address: '169.254.169.254', family: 4 }] : [];
  const targets: [string, () => string | undefined, string, string][] = [
    ['127.0.0.2', () => loopback2 && `${loopback2.url}/feed.xml`, '127.0.0.2', 'a loopback address'],
    ['10.x', () => 'http://10.0.0.5/feed.xml', '10.0.0.5', 'a private address'],
    ['172.16.x', () => 'http://172.16.0.1/feed.xml', '172.16.0.1', 'a private address'],
    ['192.168.x', () => 'http://192.168.0.1/feed.xml', '192.168.0.1', 'a private address'],
    [
      '169.254.169.254',
      () => 'http://169.254.169.254/latest/meta-data/',
      '169.254.169.254',
      'a link-local address (cloud metadata)',
    ],
    ['[::1]', () => `http://[::1]:${ipv6?.port ?? 8080}/feed.xml`, '::1', 'a loopback address'],
    [
      'a name resolving to the metadata service',
      () => 'http://metadata.internal/computeMetadata/v1/',
      '169.254.169.254',
      'a link-local address (cloud metadata)',
    ],
  ];

  it.each(targets)(
    'refuses a redirect from the allowed server into %s',
    async (label, target, address, rule) => {
      const location = target();
      if (!location) return; // no such loopback address on this machine: nothing to redirect into
      const path = `/to/${encodeURIComponent(label)}`;
      fixtures.setRoute(path, { status: 302, body: '', contentType: 'text/plain', headers: { location } });
      const url = `${fixtures.baseUrl}${path}`;
      const err = await refusal(url, { allowPrivate, lookup });
      expect(err.code).toBe('NW_ADDRESS_REFUSED');
      expect(err.message).toBe(
        `${url} redirects to ${location}, which resolves to ${address}, ${rule}; ${hint}`,
      );
      // The allowed server was reached; nothing else was.
      expect(attempts.every((a) => a.startsWith('127.0.0.1:'))).toBe(true);
      expect(loopback2?.requests ?? []).toEqual([]);
      expect(ipv6?.requests ?? []).toEqual([]);
    },
  );

  it('checks the third hop as well as the first two', async () => {
    fixtures.setRoute('/hop1', {
      status: 301,
      body: '',
      contentType: 'text/plain',
      headers: { location: '/hop2' },
    });
    fixtures.setRoute('/hop2', {
      status: 307,
      body: '',
      contentType: 'text/plain',
      headers: { location: 'http://192.168.50.1/feed.xml' },
    });
    const url = `${fixtures.baseUrl}/hop1`;
    const err = await refusal(url, { allowPrivate });
    expect(err.message).toBe(
      `${url} redirects to http://192.168.50.1/feed.xml, which resolves to 192.168.50.1, a private address; ${hint}`,
    );
  });

  it('refuses a redirect to a scheme other than http(s)', async () => {
    fixtures.setRoute('/to-file', {
      status: 302,
      body: '',
      contentType: 'text/plain',
      headers: { location: 'file:///etc/passwd' },
    });
    const url = `${fixtures.baseUrl}/to-file`;
    const err = await refusal(url, { allowPrivate });
    expect(err).toMatchObject({
      code: 'NW_ADDRESS_REFUSED',
      message: `${url} redirects to file:///etc/passwd, which uses file:; only http and https are fetched`,
    });
  });
});

describe('the connection goes to the address that was checked (DNS rebinding)', () => {
  it('connects to the vetted 127.0.0.1 although the name answers 127.0.0.2 afterwards', async () => {
    if (!loopback2) return;
    // A second server on the same port at 127.0.0.2: a client that asked DNS again would land there.
    const port = Number(new URL(fixtures.baseUrl).port);
    const rebound = await trap('127.0.0.2', port);
    if (!rebound) return;
    try {
      let answers = 0;
      const lookup: LookupAll = async () => [
        { address: answers++ === 0 ? '127.0.0.1' : '127.0.0.2', family: 4 },
      ];
      const res = await fetchResource(`http://rebind.example:${port}/feed.xml`, {
        allowPrivate: ['127.0.0.1/32'],
        lookup,
      });
      expect(res.body.toString()).toBe(FEED);
      expect(answers).toBe(1);
      expect(rebound.requests).toEqual([]);
    } finally {
      await rebound.close();
    }
  });
});

describe('subscriber webhooks go through the same guard', () => {
  const message = { id: 'alert-1:sub-1:webhook', timestamp: new Date(), body: '{"type":"event.new"}' };
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const secret = generateWebhookSecret();
  beforeEach(async () => {
    receiver = await startWebhookReceiver({ secret });
  });
  afterEach(async () => {
    await receiver.close();
  });

  it('refuses a webhook on loopback when loopback is not allowed, as permanent, and posts nothing', async () => {
    const err = await sendWebhook({ url: receiver.url, secrets: [secret] }, message).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WebhookError);
    expect(err).toMatchObject({ code: 'NW_ADDRESS_REFUSED', permanent: true });
    expect((err as Error).message).toMatch(
      /^webhook http:\/\/127\.0\.0\.1:\d+.* resolves to 127\.0\.0\.1, a loopback address;/,
    );
    expect(receiver.received).toEqual([]);
    expect(attempts).toEqual([]);
  });

  it('refuses a webhook at the metadata address, and delivers when its range is allowed', async () => {
    const err = await sendWebhook({ url: 'http://169.254.169.254/hook', secrets: [secret] }, message).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({
      code: 'NW_ADDRESS_REFUSED',
      permanent: true,
      message: `webhook http://169.254.169.254/hook resolves to 169.254.169.254, a link-local address (cloud metadata); ${hint}`,
    });
    await sendWebhook({ url: receiver.url, secrets: [secret] }, message, { allowPrivate: ['127.0.0.1/32'] });
    expect(receiver.received).toHaveLength(1);
  });
});

describe('refusalOf: what counts as public', () => {
  it.each([
    ['93.184.215.14', undefined],
    ['172.32.0.1', undefined],
    ['100.128.0.1', undefined],
    ['2606:4700:4700::1111', undefined],
    // NAT64: how an IPv4-only site looks from an IPv6-only network; judged by the address inside.
    ['64:ff9b::5db8:d70e', undefined],
    ['64:ff9b::a00:1', 'a private address (the IPv6 form of 10.0.0.1)'],
    ['2002:a9fe:a9fe::1', 'a link-local address (cloud metadata) (the IPv6 form of 169.254.169.254)'],
    ['::7f00:1', 'a reserved address'],
    ['2001:db8::1', 'a reserved address'],
    ['255.255.255.255', 'a broadcast address'],
    ['224.0.0.1', 'a multicast address'],
    ['0.1.2.3', 'an unspecified address'],
    ['::', 'an unspecified address'],
  ])('%s → %s', (address, rule) => {
    expect(refusalOf(address)).toBe(rule);
  });

  it('an allowed range covers the IPv4-mapped spelling of its addresses too', () => {
    expect(refusalOf('::ffff:127.0.0.1', ['127.0.0.0/8'])).toBeUndefined();
    expect(refusalOf('10.0.0.1', ['127.0.0.0/8'])).toBe('a private address');
  });
});
