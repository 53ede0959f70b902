// `newswatch feeds add|pause|resume|remove|list|export` go to Redis through their own connection,
// as the CLI does from another process; a running service picks each change up without a restart.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addFeed, changeFeed, exportFeeds, formatFeedList, listFeeds } from '../../src/cli/feeds-admin';
import { NewswatchError } from '../../src/errors';
import { parseFeedsYaml } from '../../src/feeds/load';
import { createLogger } from '../../src/log';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { eventually, startOperatorService, type OperatorService } from '../support/operator';

const log = createLogger('silent');
let fixtures: FixtureServer;
let svc: OperatorService;
let dir: string;

const feed = (base: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>CLI fixture</title><item><title>Kuwait hosts Gulf security talks</title><link>${base}/c/1</link><pubDate>Tue, 03 Feb 2026 09:00:00 GMT</pubDate></item></channel></rss>`;

beforeAll(async () => {
  fixtures = await startFixtureServer({
    '/cli.xml': { contentType: 'application/rss+xml', body: feed },
    '/c/1': { contentType: 'text/html', body: '<html><body><p>talks</p></body></html>' },
  });
  // The CLI reads FEEDS_FILE like the service: an empty one, so only run-time feeds are listed.
  dir = await mkdtemp(join(tmpdir(), 'nw-cli-'));
  await writeFile(join(dir, 'feeds.yml'), 'feeds: []\n');
  svc = await startOperatorService('api-feeds-cli', undefined, {}, { FEEDS_FILE: join(dir, 'feeds.yml') });
});

afterAll(async () => {
  await svc?.close();
  await fixtures?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const served = async (id: string) => (await svc.call('GET', `/api/feeds/${id}`)).body?.feed;

describe('newswatch feeds, against a running service', () => {
  it('adds a feed that the service then polls, and prints what the probe read', async () => {
    const out = await addFeed(svc.config, log, `${fixtures.baseUrl}/cli.xml`, {
      name: 'CLI Desk',
      schedule: '*/30 * * * *',
      tags: 'gulf,kuwait',
    });
    expect(out).toContain('added feed cli-desk (CLI Desk), polled */30 * * * *');
    expect(out).toContain('probe: rss, 1 item, language en');
    expect(out).toContain('Kuwait hosts Gulf security talks');
    const polled = await eventually('the service to poll the feed the CLI added', async () => {
      const f = await served('cli-desk');
      return f?.health.lastSuccessAt ? f : undefined;
    });
    expect(polled).toMatchObject({ region: ['gulf', 'kuwait'], health: { state: 'ok', itemsSeen: 1 } });
  });

  it('refuses a duplicate and a bad schedule in one line naming the field', async () => {
    await expect(addFeed(svc.config, log, `${fixtures.baseUrl}/cli.xml`, {})).rejects.toThrow(
      /^url: .* is polled already, as feed "cli-desk"/,
    );
    const bad = addFeed(svc.config, log, `${fixtures.baseUrl}/other.xml`, { schedule: 'hourly' });
    await expect(bad).rejects.toBeInstanceOf(NewswatchError);
    await expect(bad).rejects.toThrow(/^schedule: "hourly" is not a cron expression/);
  });

  it('pauses and resumes; the service sees each', async () => {
    expect(await changeFeed(svc.config, log, 'pause', 'cli-desk')).toBe('feed cli-desk (CLI Desk) paused');
    await eventually('the service to see the pause', async () =>
      (await served('cli-desk'))?.health.state === 'paused' ? true : undefined,
    );
    await changeFeed(svc.config, log, 'resume', 'cli-desk');
    await eventually('the service to see the resume', async () =>
      (await served('cli-desk'))?.enabled === true ? true : undefined,
    );
    await expect(changeFeed(svc.config, log, 'pause', 'no-such-feed')).rejects.toThrow(
      'id: no feed "no-such-feed"',
    );
  });

  it('lists the feeds and exports the runtime ones as a valid feeds.yml', async () => {
    const list = await listFeeds(svc.config, log, { removed: false });
    expect(list.map((f) => f.id)).toEqual(['cli-desk']);
    expect(formatFeedList(list)).toMatch(
      /^ID\s+STATE\s+ORIGIN\s+SCHEDULE\s+LANG\s+TYPE\s+NAME\ncli-desk\s+ok\s+runtime\s+\*\/30 \* \* \* \*\s+en\s+rss\s+CLI Desk </,
    );
    const yaml = await exportFeeds(svc.config, log);
    expect(parseFeedsYaml(yaml, 'export.yml')).toEqual([
      {
        id: 'cli-desk',
        name: 'CLI Desk',
        url: `${fixtures.baseUrl}/cli.xml`,
        type: 'rss',
        language: 'en',
        region: ['gulf', 'kuwait'],
        schedule: '*/30 * * * *',
        enabled: true,
      },
    ]);
  });

  it('removes a feed, which the list then shows only with --removed', async () => {
    expect(await changeFeed(svc.config, log, 'remove', 'cli-desk')).toContain(
      'removed (its articles and events stay; `newswatch feeds restore` brings it back)',
    );
    expect(await listFeeds(svc.config, log, { removed: false })).toEqual([]);
    const all = await listFeeds(svc.config, log, { removed: true });
    expect(all.map((f) => [f.id, f.health.state])).toEqual([['cli-desk', 'removed']]);
    await eventually('the service to drop the feed', async () =>
      (await svc.call('GET', '/api/feeds')).body.feeds.length === 0 ? true : undefined,
    );
  });
});
