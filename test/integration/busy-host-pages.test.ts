// Waiting for a turn at a busy host is no failed attempt: a service allowed one request at a time
// per host and a 100 ms wait for a turn, scraping four slow pages of one site at once with a
// single attempt each. Were the waits counted, three pages would be given up; postponed, every
// article is stored and each page is asked for once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedDefinition } from '../../src/feeds/schema';
import { jobId } from '../../src/queue/queues';
import { hashKey } from '../../src/store/articles';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { enqueuePoll } from '../../workers/scheduler';
import { eventually, startOperatorService, type OperatorService } from '../support/operator';

const PAGES = ['/b/1', '/b/2', '/b/3', '/b/4'];
let fixtures: FixtureServer;
let svc: OperatorService;

const article = (n: number) =>
  `<!doctype html><html lang="en"><head><title>Gulf briefing ${n}</title></head><body><article><h1>Gulf briefing ${n}</h1>
  <p>Officials from Kuwait and NATO met in Kuwait City for the ${n}th round of talks on maritime security,
  and agreed to meet again next month to review progress on the partnership, a statement said.</p></article></body></html>`;

beforeAll(async () => {
  fixtures = await startFixtureServer({
    '/busy.xml': {
      contentType: 'application/rss+xml',
      body: (base) =>
        `<?xml version="1.0"?><rss version="2.0"><channel><title>Busy</title>${PAGES.map(
          (p, i) => `<item><title>Briefing ${i + 1}</title><link>${base}${p}</link><guid>${p}</guid></item>`,
        ).join('')}</channel></rss>`,
    },
    ...Object.fromEntries(
      PAGES.map((p, i) => [p, { contentType: 'text/html', body: article(i + 1), delayMs: 300 }]),
    ),
  });
  const feed: FeedDefinition = {
    id: 'busy-desk',
    name: 'Busy desk',
    url: `${fixtures.baseUrl}/busy.xml`,
    type: 'rss',
    language: 'en',
    region: ['gulf'],
    schedule: '*/5 * * * *',
    enabled: true,
  };
  svc = await startOperatorService(
    'busy-host-pages',
    ['poll', 'scrape', 'http'],
    { feeds: [feed] },
    { HOST_CONCURRENCY: '1', HOST_MAX_WAIT_MS: '100', PAGE_RETRY_ATTEMPTS: '1', WORKER_CONCURRENCY: '4' },
  );
  await enqueuePoll(svc.service.ctx, feed.id, 1);
}, 30_000);

afterAll(async () => {
  await svc?.close();
  await fixtures?.close();
});

describe('pages of a busy host', () => {
  it('are postponed, not failed, while they wait for their turn: every article is stored', async () => {
    const { queues, stores } = svc.service.ctx;
    const titles = await eventually(
      'every page scraped',
      async () => {
        const jobs = await Promise.all(
          PAGES.map((p) => queues.scrape.getJob(jobId.scrape(hashKey(`${fixtures.baseUrl}${p}`)))),
        );
        const states = await Promise.all(jobs.map((j) => j?.getState()));
        if (states.includes('failed')) throw new Error(`a page failed: ${JSON.stringify(states)}`);
        if (!states.every((s) => s === 'completed')) return undefined;
        return Promise.all(
          jobs.map(
            async (j) =>
              (await stores.articles.get((j!.returnvalue as { articleId: string }).articleId))?.title,
          ),
        );
      },
      30_000,
    );
    expect(titles).toEqual(['Gulf briefing 1', 'Gulf briefing 2', 'Gulf briefing 3', 'Gulf briefing 4']);
    expect((await svc.call('GET', '/api/pages/given-up')).body.pages).toEqual([]);
    for (const p of PAGES) expect(fixtures.hits.get(p), p).toBe(1);
  });
});
