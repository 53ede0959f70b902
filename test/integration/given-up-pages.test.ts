// The given-up pages list through its three doors, against a running service (poll, scrape and
// http roles) on a shrunk retry schedule: the JSON API, the operator page and `newswatch pages`
// (straight on Redis, as the CLI does from another process). A page that is gone, one that is no
// HTML and one that keeps failing each land there with why; re-driving one once it is back
// stores its article.
import { load } from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatGivenUp, listGivenUp, redriveGivenUp } from '../../src/cli/pages';
import type { FeedDefinition } from '../../src/feeds/schema';
import { createLogger } from '../../src/log';
import { jobId } from '../../src/queue/queues';
import { hashKey } from '../../src/store/articles';
import type { GivenUpPage } from '../../src/store/given-up-pages';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { enqueuePoll } from '../../workers/scheduler';
import { eventually, startOperatorService, type OperatorService } from '../support/operator';

const log = createLogger('silent');
let fixtures: FixtureServer;
let svc: OperatorService;

const PATHS = { gone: '/p/gone', broken: '/p/broken', paper: '/p/paper' };

const article = (title: string) =>
  `<!doctype html><html lang="en"><head><title>${title}</title></head><body><article><h1>${title}</h1>
  <p>Kuwait hosted a meeting of Gulf and NATO officials on Tuesday to discuss maritime security,
  and the delegations agreed to hold a joint exercise in the spring, officials said after the talks.</p>
  </article></body></html>`;

const feedXml = (base: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>Given-up desk</title>${Object.entries(PATHS)
    .map(
      ([name, path]) =>
        `<item><title>Story ${name}</title><link>${base}${path}</link><guid>${name}</guid><pubDate>Tue, 03 Feb 2026 09:00:00 GMT</pubDate></item>`,
    )
    .join('')}</channel></rss>`;

beforeAll(async () => {
  fixtures = await startFixtureServer({
    '/feed.xml': { contentType: 'application/rss+xml', body: feedXml },
    [PATHS.gone]: { contentType: 'text/html', status: 404, body: 'not here' },
    [PATHS.broken]: { contentType: 'text/html', status: 500, body: 'oops' },
    [PATHS.paper]: { contentType: 'application/pdf', body: Buffer.from('%PDF-1.7 ...') },
  });
  const feed: FeedDefinition = {
    id: 'given-up-desk',
    name: 'Given-up desk',
    url: `${fixtures.baseUrl}/feed.xml`,
    type: 'rss',
    language: 'en',
    region: ['gulf'],
    schedule: '*/5 * * * *',
    enabled: true,
  };
  // Three attempts 50 ms then 100 ms apart: a page that keeps failing is given up within a second.
  svc = await startOperatorService(
    'given-up-pages',
    ['poll', 'scrape', 'http'],
    { feeds: [feed] },
    { PAGE_RETRY_ATTEMPTS: '3', PAGE_RETRY_BASE: '50ms', PAGE_RETRY_CAP: '100ms' },
  );
  await enqueuePoll(svc.service.ctx, feed.id, 1);
  await eventually('three pages given up', async () => {
    const res = await svc.call('GET', '/api/pages/given-up');
    return res.body?.pages?.length === 3 ? true : undefined;
  });
}, 60_000);

afterAll(async () => {
  await svc?.close();
  await fixtures?.close();
});

const idOf = (path: string) => jobId.scrape(hashKey(`${fixtures.baseUrl}${path}`));

async function listed(): Promise<Record<string, GivenUpPage>> {
  const res = await svc.call('GET', '/api/pages/given-up');
  expect(res.status).toBe(200);
  return Object.fromEntries((res.body.pages as GivenUpPage[]).map((p) => [new URL(p.url).pathname, p]));
}

/** The article the page's scrape job stored, once it has. */
async function articleOf(path: string) {
  const id = idOf(path);
  return eventually(`the article of ${path} stored`, async () => {
    const job = await svc.service.ctx.queues.scrape.getJob(id);
    const articleId = (job?.returnvalue as { articleId?: string } | undefined)?.articleId;
    return articleId ? svc.service.ctx.stores.articles.get(articleId) : undefined;
  });
}

describe('the given-up pages', () => {
  it('lists each page with its reason, URL, feed, attempts, last error and time', async () => {
    const pages = await listed();
    expect(pages[PATHS.gone]).toMatchObject({
      id: idOf(PATHS.gone),
      reason: 'gone',
      status: 404,
      attempts: 1, // a 404 is definitive: not retried
      feedId: 'given-up-desk',
      error: `${fixtures.baseUrl}${PATHS.gone}: HTTP 404`,
    });
    expect(pages[PATHS.paper]).toMatchObject({
      reason: 'not-html',
      attempts: 1,
      error: `${fixtures.baseUrl}${PATHS.paper}: application/pdf is not an HTML page`,
    });
    expect(pages[PATHS.broken]).toMatchObject({ reason: 'exhausted', status: 500, attempts: 3 });
    for (const p of Object.values(pages)) expect(Date.parse(p.at)).toBeGreaterThan(Date.now() - 60_000);
    // Each page was asked for as often as it was tried, no more.
    expect(fixtures.hits.get(PATHS.gone)).toBe(1);
    expect(fixtures.hits.get(PATHS.paper)).toBe(1);
    expect(fixtures.hits.get(PATHS.broken)).toBe(3);
  });

  it('shows them on the operator page, each with a re-drive button', async () => {
    const res = await svc.call('GET', '/pages/given-up');
    expect(res.status).toBe(200);
    const $ = load(res.text);
    expect($('tr[data-given-up]')).toHaveLength(3);
    const row = $(`tr[data-given-up="${idOf(PATHS.gone)}"]`);
    expect(row.text()).toContain('gone');
    expect(row.text()).toContain(`${fixtures.baseUrl}${PATHS.gone}: HTTP 404`);
    expect(row.find('form').attr('action')).toBe(`/pages/given-up/${idOf(PATHS.gone)}/redrive`);
    const dashboard = load((await svc.call('GET', '/')).text);
    expect(dashboard('a[href="/pages/given-up"]').last().text()).toBe('3');
  });

  it('re-drives a page through the API once it is back: its article is stored and it leaves the list', async () => {
    expect((await svc.call('POST', '/api/pages/given-up/nosuch/redrive')).body).toEqual({
      error: 'NW_NOT_FOUND',
      field: 'id',
      message: 'no given-up page "nosuch"',
    });
    fixtures.setRoute(PATHS.broken, { contentType: 'text/html', body: article('Gulf talks resume') });
    const res = await svc.call('POST', `/api/pages/given-up/${idOf(PATHS.broken)}/redrive`);
    expect(res.status).toBe(202);
    expect(res.body.redriven).toMatchObject({
      reason: 'exhausted',
      url: `${fixtures.baseUrl}${PATHS.broken}`,
    });
    expect((await articleOf(PATHS.broken))!.title).toBe('Gulf talks resume');
    expect(Object.keys(await listed()).sort()).toEqual([PATHS.gone, PATHS.paper].sort());
  });

  it('lists and re-drives from the command line', async () => {
    const list = await listGivenUp(svc.config, log, { limit: 100, offset: 0 });
    expect(list.map((p) => p.reason).sort()).toEqual(['gone', 'not-html']);
    const table = formatGivenUp(list);
    expect(table.split('\n')[0]).toMatch(/^ID\s+GIVEN UP\s+REASON\s+ATTEMPTS\s+FEED\s+URL\s+LAST ERROR$/);
    expect(table).toContain(`${idOf(PATHS.gone)}`);
    expect(table).toContain(`${fixtures.baseUrl}${PATHS.gone}: HTTP 404`);
    await expect(redriveGivenUp(svc.config, log, 'nosuch')).rejects.toThrow('no given-up page "nosuch"');

    fixtures.setRoute(PATHS.gone, { contentType: 'text/html', body: article('Kuwait page restored') });
    expect(await redriveGivenUp(svc.config, log, idOf(PATHS.gone))).toBe(
      `re-driven ${idOf(PATHS.gone)}: ${fixtures.baseUrl}${PATHS.gone} (feed given-up-desk) is scraped again from its first attempt`,
    );
    expect((await articleOf(PATHS.gone))!.title).toBe('Kuwait page restored');
    expect((await listGivenUp(svc.config, log, { limit: 100, offset: 0 })).map((p) => p.reason)).toEqual([
      'not-html',
    ]);
  });
});
