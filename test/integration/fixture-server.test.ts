// The fixture server must behave like a real feed host: conditional GET answers 304 until the
// content changes, unknown paths are 404, and every request is counted.
import { afterEach, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';

let server: FixtureServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const rss = (title: string) => (base: string) =>
  `<rss version="2.0"><channel><item><title>${title}</title><link>${base}/a/1</link></item></channel></rss>`;

describe('startFixtureServer', () => {
  it('answers 304 to a matching ETag, and 200 with a new ETag once the content changes', async () => {
    server = await startFixtureServer({
      '/feed.xml': { body: rss('first'), contentType: 'application/rss+xml' },
    });
    const url = `${server.baseUrl}/feed.xml`;

    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(await first.text()).toContain(`<link>${server.baseUrl}/a/1</link>`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^"[^"]+"$/); // strong validator

    const again = await fetch(url, { headers: { 'if-none-match': etag! } });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    server.setRoute('/feed.xml', { body: rss('second'), contentType: 'application/rss+xml' });
    const changed = await fetch(url, { headers: { 'if-none-match': etag! } });
    expect(changed.status).toBe(200);
    expect(changed.headers.get('etag')).not.toBe(etag);
    expect(server.hits.get('/feed.xml')).toBe(3);
  });

  it('answers 304 to If-Modified-Since until the route is replaced', async () => {
    server = await startFixtureServer({ '/page.html': { body: '<p>one</p>', contentType: 'text/html' } });
    const url = `${server.baseUrl}/page.html`;
    const lastModified = (await fetch(url)).headers.get('last-modified')!;
    expect((await fetch(url, { headers: { 'if-modified-since': lastModified } })).status).toBe(304);
    server.setRoute('/page.html', { body: '<p>two</p>', contentType: 'text/html' });
    expect((await fetch(url, { headers: { 'if-modified-since': lastModified } })).status).toBe(200);
  });

  it('ignores validators on a route that does not support them', async () => {
    server = await startFixtureServer({
      '/naive': { body: 'x', contentType: 'text/plain', conditional: false },
    });
    const res = await fetch(`${server.baseUrl}/naive`, { headers: { 'if-none-match': '*' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBeNull();
  });

  it('answers 404 for unknown paths and counts those hits too', async () => {
    server = await startFixtureServer({ '/feed.xml': { body: 'x', contentType: 'text/xml', status: 503 } });
    expect((await fetch(`${server.baseUrl}/missing`)).status).toBe(404);
    expect((await fetch(`${server.baseUrl}/feed.xml`)).status).toBe(503);
    expect(Object.fromEntries(server.hits)).toEqual({ '/missing': 1, '/feed.xml': 1 });
  });

  it('answers the first requests from `firstResponses`, and logs each request', async () => {
    server = await startFixtureServer({
      '/page': {
        body: 'ok',
        contentType: 'text/plain',
        firstResponses: [{ status: 429, headers: { 'retry-after': '1' }, body: 'wait' }],
      },
    });
    const first = await fetch(`${server.baseUrl}/page`, { headers: { 'user-agent': 'probe/1' } });
    expect([first.status, first.headers.get('retry-after'), await first.text()]).toEqual([429, '1', 'wait']);
    const second = await fetch(`${server.baseUrl}/page?x=1`);
    expect([second.status, await second.text()]).toEqual([200, 'ok']);
    expect(server.log.map((r) => [r.method, r.path, r.status])).toEqual([
      ['GET', '/page', 429],
      ['GET', '/page?x=1', 200],
    ]);
    expect(server.log[0]!.userAgent).toBe('probe/1');
  });
});
