// Issue 15 through the API, on the running service over real HTTP and Redis: a listing page added
// with selectors, a selector that finds nothing refused naming its field; a removed feed restored
// (POST /api/feeds/:id/restore), polled again with its history, what it listed before not news
// again; and a JSON Feed stored as type json, exported as such (feeds.yml and OPML) and found so
// again by an import into another service.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeedsYaml } from '../../src/feeds/load';
import { enqueuePoll } from '../../workers/scheduler';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { eventually, startOperatorService, type OperatorService } from '../support/operator';

const listing = (base: string) =>
  `<!doctype html><html lang="en"><body><main>
<article class="card"><h3>Kuwait and NATO open a dialogue</h3><a href="${base}/l/1">Read</a><time datetime="2026-02-02T09:00:00Z">2 Feb</time></article>
<article class="card"><h3>GCC ministers meet in Riyadh</h3><a href="/l/2">Read</a></article>
</main></body></html>`;

const rssItem = (base: string, n: number, title: string) =>
  `<item><title>${title}</title><link>${base}/r/${n}</link><guid>${base}/r/${n}</guid><pubDate>Mon, 0${n} Feb 2026 08:00:00 GMT</pubDate></item>`;
const rss = (titles: string[]) => (base: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Restore fixture</title>${titles
    .map((t, i) => rssItem(base, i + 1, t))
    .join('')}</channel></rss>`;

const jsonFeed = (base: string) =>
  JSON.stringify({
    version: 'https://jsonfeed.org/version/1.1',
    title: 'JSON desk',
    home_page_url: `${base}/`,
    items: [
      {
        id: `${base}/j/1`,
        url: `${base}/j/1`,
        title: 'NATO and Kuwait sign a transit agreement',
        date_published: '2026-02-03T10:00:00Z',
      },
    ],
  });

let fixtures: FixtureServer;
let svc: OperatorService;

beforeAll(async () => {
  fixtures = await startFixtureServer({
    '/listing.html': { contentType: 'text/html; charset=utf-8', body: listing },
    '/listing-2.html': { contentType: 'text/html; charset=utf-8', body: listing },
    '/restore.xml': {
      contentType: 'application/rss+xml',
      body: rss(['Kuwait hosts Gulf security talks', 'NATO liaison office opens']),
    },
    '/desk.json': { contentType: 'application/feed+json', body: jsonFeed },
  });
  // The fixture server's address and port by name: only there does the probe say why (allow-ports.test.ts).
  // No scheduler: each poll here is one the test queues, as the scheduler's tick would (it also
  // polls a feed at once when it becomes pollable again, workers/feed-ticks.ts), so none overlap.
  svc = await startOperatorService('api-feeds-manage', ['poll', 'http'], undefined, {
    FETCH_ALLOW_PRIVATE: `127.0.0.1:${new URL(fixtures.baseUrl).port}`,
  });
});

afterAll(async () => {
  await svc?.close();
  await fixtures?.close();
});

describe('a listing page (type html)', () => {
  it('is added with its selectors, and the probe reads its items', async () => {
    const res = await svc.call('POST', '/api/feeds', {
      url: `${fixtures.baseUrl}/listing.html`,
      name: 'Listing desk',
      selectors: { item: 'article.card', link: 'a', title: 'h3', date: 'time' },
    });
    expect(res.status).toBe(201);
    expect(res.body.feed).toMatchObject({
      id: 'listing-desk',
      type: 'html',
      selectors: { item: 'article.card', link: 'a', title: 'h3', date: 'time' },
    });
    expect(res.body.probe.itemCount).toBe(2);
    expect(res.body.probe.newest[0]).toMatchObject({ title: 'Kuwait and NATO open a dialogue' });
  });

  it.each([
    [{ item: 'li.story', link: 'a' }, 'selectors.item', '"li.story" matches nothing on the page'],
    [{ item: 'article.card', link: 'a.more' }, 'selectors.link', '"a.more" finds no link'],
    [
      { item: 'article.card', link: 'a', title: 'h2' },
      'selectors.title',
      '"h2" matches nothing inside the 2 items',
    ],
    [{ item: 'article.card', link: 'a', date: '.when' }, 'selectors.date', '".when" matches nothing inside'],
    [{ item: 'article[', link: 'a' }, 'selectors.item', '"article[" is not a CSS selector'],
  ])('refuses selectors %j, naming %s', async (selectors, field, message) => {
    const res = await svc.call('POST', '/api/feeds', {
      url: `${fixtures.baseUrl}/listing-2.html`,
      selectors,
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'NW_NOT_A_FEED', field });
    expect(res.body.message).toContain(message);
  });
});

describe('restoring a removed feed', () => {
  /** The feed's scrape jobs: one per item the poll stage took for new (no scrape worker runs here). */
  const scrapeJobs = async (feedId: string) =>
    (
      await svc.service.ctx.queues.scrape.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'])
    ).filter((j) => (j.data as { feedId: string }).feedId === feedId).length;

  it('polls it again under its id, keeping its history: only what is new since is queued', async () => {
    const added = await svc.call('POST', '/api/feeds', {
      url: `${fixtures.baseUrl}/restore.xml`,
      name: 'Restore desk',
    });
    expect(added.status).toBe(201);
    const id = added.body.feed.id as string;
    await enqueuePoll(svc.service.ctx, id, 1);
    const polled = await eventually('the first poll', async () => {
      const f = (await svc.call('GET', `/api/feeds/${id}`)).body.feed;
      return f.health.itemsSeen === 2 ? f : undefined;
    });
    const jobsBefore = await scrapeJobs(id);
    expect(jobsBefore).toBe(2);

    expect((await svc.call('DELETE', `/api/feeds/${id}`)).body.feed.health.state).toBe('removed');
    // A removed feed is not "unknown": changing it says how to bring it back.
    const resume = await svc.call('POST', `/api/feeds/${id}/resume`);
    expect(resume.status).toBe(409);
    expect(resume.body).toMatchObject({ error: 'NW_FEED_REMOVED', field: 'id' });
    expect(resume.body.message).toContain(`POST /api/feeds/${id}/restore`);

    fixtures.setRoute('/restore.xml', {
      contentType: 'application/rss+xml',
      body: rss(['Kuwait hosts Gulf security talks', 'NATO liaison office opens', 'A third story']),
    });
    const restored = await svc.call('POST', `/api/feeds/${id}/restore`);
    expect(restored.status).toBe(200);
    expect(restored.body.feed.removedAt).toBeUndefined();
    expect(restored.body.feed).toMatchObject({
      id,
      enabled: true,
      health: { state: 'ok', itemsSeen: 2, lastSuccessAt: polled.health.lastSuccessAt },
    });
    expect((await svc.call('GET', '/api/feeds')).body.feeds.map((f: { id: string }) => f.id)).toContain(id);

    const poll = await enqueuePoll(svc.service.ctx, id, 2);
    const outcome = await eventually(
      'the poll after the restore',
      async () => (await svc.service.ctx.queues.poll.getJob(poll.id!))?.returnvalue ?? undefined,
    );
    // The two items seen before the removal are not news again: the poll took one item for new.
    expect(outcome).toMatchObject({
      status: 'polled',
      items: 3,
      newItems: 1,
    });
    expect(await scrapeJobs(id)).toBe(3);
    expect((await svc.call('GET', `/api/feeds/${id}`)).body.feed.health.itemsSeen).toBe(3);
  });

  it('answers 404 for an unknown id, and a feed not removed comes back as it is', async () => {
    const unknown = await svc.call('POST', '/api/feeds/nosuch/restore');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({ error: 'NW_NOT_FOUND', field: 'id' });
    const active = await svc.call('POST', '/api/feeds/listing-desk/restore');
    expect(active.status).toBe(200);
    expect(active.body.feed).toMatchObject({ id: 'listing-desk', health: { state: 'never polled' } });
  });

  it('is refused to a browser session without the service’s Origin (CSRF)', async () => {
    await svc.call('DELETE', '/api/feeds/listing-desk');
    const login = await fetch(`${svc.url}/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token: svc.token, next: '/' }).toString(),
      redirect: 'manual',
    });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    for (const path of ['/api/feeds/listing-desk/restore', '/feeds/listing-desk/restore']) {
      const res = await fetch(`${svc.url}${path}`, {
        method: 'POST',
        headers: { cookie, origin: 'http://127.0.0.1:1' },
        redirect: 'manual',
      });
      expect(res.status, path).toBe(403);
    }
    const all = await svc.call('GET', '/api/feeds?removed=true');
    const feed = all.body.feeds.find((f: { id: string }) => f.id === 'listing-desk');
    expect(feed.health.state).toBe('removed');
  });
});

describe('a JSON Feed', () => {
  let other: OperatorService | undefined;
  afterAll(async () => other?.close());

  it('is stored as type json and exported as json, in feeds.yml form and in OPML', async () => {
    const res = await svc.call('POST', '/api/feeds', {
      url: `${fixtures.baseUrl}/desk.json`,
      name: 'JSON desk',
    });
    expect(res.status).toBe(201);
    expect(res.body.probe.type).toBe('json');
    expect(res.body.feed.type).toBe('json');

    const yaml = await svc.call('GET', '/api/feeds/export');
    const exported = yaml.body.feeds.find((f: { id: string }) => f.id === 'json-desk');
    expect(exported.type).toBe('json');
    // What `feeds export` prints is a valid feeds.yml: type json is a type of the file.
    expect(parseFeedsYaml(JSON.stringify({ feeds: [exported] }), 'export.yml')[0]?.type).toBe('json');

    const opml = await svc.call('GET', '/api/feeds/export.opml');
    expect(opml.text).toMatch(
      new RegExp(
        `<outline type="rss" text="JSON desk"[^>]*xmlUrl="${fixtures.baseUrl}/desk.json" version="JSONFeed"`,
      ),
    );

    other = await startOperatorService('api-feeds-manage-b', ['http'], undefined, {
      FETCH_ALLOW_PRIVATE: `127.0.0.1:${new URL(fixtures.baseUrl).port}`,
    });
    const imported = await fetch(`${other.url}/api/feeds/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${other.token}`, 'content-type': 'text/x-opml' },
      body: opml.text,
    });
    expect(imported.status).toBe(200);
    const feeds = (await other.call('GET', '/api/feeds')).body.feeds as { url: string; type: string }[];
    expect(feeds.find((f) => f.url === `${fixtures.baseUrl}/desk.json`)?.type).toBe('json');
  });
});
