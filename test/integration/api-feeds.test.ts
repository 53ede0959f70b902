// /api/feeds on the running service (scheduler, poll worker, HTTP) over real HTTP and Redis: a feed
// added through the API is probed, polled without a restart, paused, resumed, changed and removed,
// and survives a restart; bad input is refused with the field named.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { eventually, startOperatorService, type OperatorService } from '../support/operator';

const rss = (title: string, items: { title: string; path: string; date: string }[]) => (base: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>${title}</title><link>${base}/</link>${items
    .map(
      (i) =>
        `<item><title>${i.title}</title><link>${base}${i.path}</link><guid>${base}${i.path}</guid><pubDate>${i.date}</pubDate></item>`,
    )
    .join('')}</channel></rss>`;

const atom = (base: string) =>
  `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Atom fixture</title><id>${base}/atom.xml</id><updated>2026-01-30T10:00:00Z</updated>
<entry><title>NATO and Kuwait hold talks</title><id>${base}/a/1</id><link href="${base}/a/1"/><updated>2026-01-30T10:00:00Z</updated></entry></feed>`;

let fixtures: FixtureServer;
let svc: OperatorService;

beforeAll(async () => {
  fixtures = await startFixtureServer({
    '/gulf.xml': {
      contentType: 'application/rss+xml; charset=utf-8',
      body: rss('Gulf fixture', [
        {
          title: 'الكويت والناتو يعقدان الجولة الأولى من الحوار',
          path: '/n/2',
          date: 'Sat, 31 Jan 2026 08:00:00 GMT',
        },
        {
          title: 'نائبة الأمين العام للناتو تلتقي نائب وزير الخارجية الكويتي',
          path: '/n/1',
          date: 'Wed, 14 Jan 2026 07:00:00 GMT',
        },
      ]),
    },
    '/atom.xml': { contentType: 'application/atom+xml', body: atom },
    '/not-a-feed.html': {
      contentType: 'text/html; charset=utf-8',
      body: '<!doctype html><html><head><title>Home</title></head><body><p>Welcome</p></body></html>',
    },
    '/n/1': { contentType: 'text/html', body: '<html><body><p>one</p></body></html>' },
    '/n/2': { contentType: 'text/html', body: '<html><body><p>two</p></body></html>' },
  });
  // The fixture server's address and port by name: the probe gives its reasons only there
  // (an address allowed on every port gets one answer for every failure, allow-ports.test.ts).
  svc = await startOperatorService('api-feeds', undefined, undefined, {
    FETCH_ALLOW_PRIVATE: `127.0.0.1:${new URL(fixtures.baseUrl).port}`,
  });
});

afterAll(async () => {
  await svc?.close();
  await fixtures?.close();
});

describe('authentication', () => {
  it('refuses every feed route without the operator token, or with a wrong one', async () => {
    for (const token of [null, 'not-the-token']) {
      for (const [method, path, body] of [
        ['GET', '/api/feeds'],
        ['POST', '/api/feeds', { url: `${fixtures.baseUrl}/gulf.xml` }],
        ['PATCH', '/api/feeds/x', { schedule: '* * * * *' }],
        ['POST', '/api/feeds/x/pause'],
        ['DELETE', '/api/feeds/x'],
        ['GET', '/api/feeds/export'],
      ] as const) {
        const res = await svc.call(method, path, body, { token });
        expect(res.status, `${method} ${path}`).toBe(401);
        expect(res.body.error).toBe('NW_UNAUTHORIZED');
      }
    }
    const list = await svc.call('GET', '/api/feeds');
    expect(list.body.feeds).toEqual([]); // nothing was added by the refused POSTs
  });
});

describe('adding a feed', () => {
  let id: string;

  it('probes the URL, stores the feed and shows what the probe read', async () => {
    const res = await svc.call('POST', '/api/feeds', {
      url: `${fixtures.baseUrl}/gulf.xml`,
      name: 'Gulf Fixture News',
    });
    expect(res.status).toBe(201);
    id = res.body.feed.id;
    expect(id).toBe('gulf-fixture-news');
    expect(res.body.feed).toMatchObject({
      origin: 'runtime',
      type: 'rss',
      language: 'ar',
      schedule: '*/10 * * * *',
      enabled: true,
    });
    expect(res.body.probe.itemCount).toBe(2);
    expect(res.body.probe.newest.map((i: { title: string }) => i.title)[0]).toBe(
      'الكويت والناتو يعقدان الجولة الأولى من الحوار',
    );
  });

  it('polls the new feed without a restart', async () => {
    const feed = await eventually('the added feed to be polled', async () => {
      const res = await svc.call('GET', `/api/feeds/${id}`);
      return res.body.feed.health.lastSuccessAt ? res.body.feed : undefined;
    });
    expect(feed.health).toMatchObject({ state: 'ok', errorStreak: 0, itemsSeen: 2 });
    expect(fixtures.hits.get('/gulf.xml')).toBeGreaterThanOrEqual(2); // the probe, then the poll
  });

  it('detects Atom and the language of its items when none is given', async () => {
    const res = await svc.call('POST', '/api/feeds', {
      url: `${fixtures.baseUrl}/atom.xml`,
      schedule: '0 * * * *',
      tags: ['nato'],
    });
    expect(res.status).toBe(201);
    expect(res.body.feed).toMatchObject({
      type: 'atom',
      language: 'en',
      schedule: '0 * * * *',
      region: ['nato'],
    });
    expect(res.body.feed.name).toBe(`${new URL(fixtures.baseUrl).host}/atom.xml`);
  });

  it('refuses the same feed twice, naming the feed that polls it', async () => {
    const res = await svc.call('POST', '/api/feeds', { url: `${fixtures.baseUrl}/gulf.xml?utm_source=x` });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: 'NW_FEED_DUPLICATE', field: 'url' });
    expect(res.body.message).toContain(`"${id}"`);
  });

  it('refuses a page that is not a feed, with the reason', async () => {
    const res = await svc.call('POST', '/api/feeds', { url: `${fixtures.baseUrl}/not-a-feed.html` });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'NW_NOT_A_FEED', field: 'url' });
    expect(res.body.message).toContain('not a feed: an HTML page');
  });

  it('refuses a URL that does not answer, with the status', async () => {
    const res = await svc.call('POST', '/api/feeds', { url: `${fixtures.baseUrl}/missing.xml` });
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('url');
    expect(res.body.message).toContain('HTTP 404');
  });

  it.each([
    [{ url: 'ftp://example.org/feed.xml' }, 'url', 'is not an http(s) URL'],
    [{ name: 'no url' }, 'url', 'is required'],
    [{ url: 'http://127.0.0.1/x.xml', schedule: 'every minute' }, 'schedule', 'is not a cron expression'],
    [{ url: 'http://127.0.0.1/x.xml', lang: 'fr' }, 'lang', 'is not one of ar, en'],
    [{ url: 'http://127.0.0.1/x.xml', tags: ['Gulf States'] }, 'tags.0', 'is not a tag'],
    [{ url: 'http://127.0.0.1/x.xml', colour: 'red' }, 'colour', 'is not a field of this request'],
    [{ url: 'http://127.0.0.1/x.xml', selectors: { item: 'li' } }, 'selectors.link', 'is required'],
  ])('answers 400 naming the field for %j', async (body, field, message) => {
    const res = await svc.call('POST', '/api/feeds', body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('NW_BAD_REQUEST');
    expect(res.body.field).toBe(field);
    expect(res.body.message).toContain(message);
  });

  it('answers 400 for a body that is not JSON', async () => {
    const res = await fetch(`${svc.url}/api/feeds`, {
      method: 'POST',
      headers: { authorization: `Bearer ${svc.token}`, 'content-type': 'application/json' },
      body: '{"url": ',
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { field: string }).field).toBe('body');
  });
});

describe('changing a feed', () => {
  const id = 'gulf-fixture-news';

  it('changes the schedule and tags, and refuses a bad schedule or selectors on an RSS feed', async () => {
    const ok = await svc.call('PATCH', `/api/feeds/${id}`, {
      schedule: '*/5 * * * *',
      tags: ['gulf', 'kuwait'],
    });
    expect(ok.status).toBe(200);
    expect(ok.body.feed).toMatchObject({ schedule: '*/5 * * * *', region: ['gulf', 'kuwait'] });

    const badCron = await svc.call('PATCH', `/api/feeds/${id}`, { schedule: '61 * * * *' });
    expect(badCron.status).toBe(400);
    expect(badCron.body.field).toBe('schedule');

    const selectors = await svc.call('PATCH', `/api/feeds/${id}`, { selectors: { item: 'li', link: 'a' } });
    expect(selectors.status).toBe(400);
    expect(selectors.body).toMatchObject({ field: 'selectors' });
    expect(selectors.body.message).toContain('only read for type html');
    expect((await svc.call('GET', `/api/feeds/${id}`)).body.feed.schedule).toBe('*/5 * * * *');
  });

  it('answers 404 for a feed it does not know', async () => {
    for (const [method, path] of [
      ['PATCH', '/api/feeds/nope'],
      ['POST', '/api/feeds/nope/pause'],
      ['DELETE', '/api/feeds/nope'],
      ['GET', '/api/feeds/nope'],
    ] as const) {
      const res = await svc.call(method, path, method === 'PATCH' ? { name: 'x' } : undefined);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.field).toBe('id');
    }
  });

  it('pauses and resumes: a paused feed is not polled', async () => {
    const paused = await svc.call('POST', `/api/feeds/${id}/pause`);
    expect(paused.body.feed).toMatchObject({ enabled: false, health: { state: 'paused' } });
    expect(paused.body.feed.health.nextPollAt).toBeUndefined();

    const resumed = await svc.call('POST', `/api/feeds/${id}/resume`);
    expect(resumed.body.feed).toMatchObject({ enabled: true, health: { state: 'ok' } });
    expect(resumed.body.feed.health.nextPollAt).toBeDefined();
  });

  it('exports the runtime feeds as feeds.yml entries', async () => {
    const res = await svc.call('GET', '/api/feeds/export');
    expect(res.body.feeds.map((f: { id: string }) => f.id).sort()).toEqual(
      ['127-0-0-1-' + new URL(fixtures.baseUrl).port + '-atom-xml', id].sort(),
    );
    expect(res.body.feeds.find((f: { id: string }) => f.id === id)).toEqual({
      id,
      name: 'Gulf Fixture News',
      url: `${fixtures.baseUrl}/gulf.xml`,
      type: 'rss',
      language: 'ar',
      region: ['gulf', 'kuwait'],
      schedule: '*/5 * * * *',
      enabled: true,
    });
  });
});

describe('after a restart', () => {
  it('still has the feeds added at run time, with their state', async () => {
    await svc.restart();
    const res = await svc.call('GET', '/api/feeds');
    const gulf = res.body.feeds.find((f: { id: string }) => f.id === 'gulf-fixture-news');
    expect(gulf).toMatchObject({ schedule: '*/5 * * * *', origin: 'runtime' });
    expect(gulf.health.itemsSeen).toBe(2);
  });
});

describe('removing a feed', () => {
  it('stops listing it but keeps it, with its history, among the removed', async () => {
    const res = await svc.call('DELETE', '/api/feeds/gulf-fixture-news');
    expect(res.status).toBe(200);
    expect(res.body.feed).toMatchObject({ health: { state: 'removed', itemsSeen: 2 } });
    expect(res.body.feed.removedAt).toBeDefined();

    const active = await svc.call('GET', '/api/feeds');
    expect(active.body.feeds.map((f: { id: string }) => f.id)).not.toContain('gulf-fixture-news');
    const all = await svc.call('GET', '/api/feeds?removed=true');
    expect(all.body.feeds.map((f: { id: string }) => f.id)).toContain('gulf-fixture-news');
    // Not "no feed": a removed feed is refused with the way back.
    const resume = await svc.call('POST', '/api/feeds/gulf-fixture-news/resume');
    expect(resume.status).toBe(409);
    expect(resume.body).toMatchObject({ error: 'NW_FEED_REMOVED', field: 'id' });
  });

  it('brings a removed feed back when its URL is added again', async () => {
    const res = await svc.call('POST', '/api/feeds', { url: `${fixtures.baseUrl}/gulf.xml` });
    expect(res.status).toBe(201);
    expect(res.body.feed).toMatchObject({
      id: 'gulf-fixture-news',
      name: 'Gulf Fixture News',
      health: { itemsSeen: 2 },
    });
    expect(res.body.feed.removedAt).toBeUndefined();
  });
});
