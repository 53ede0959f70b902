// `newswatch feeds add` for a listing page (--item-selector, --link-selector, ...), `feeds remove`
// asking first (on a terminal; refused off one without --yes) and `feeds restore`, as an operator
// runs them: the real bin/newswatch in a child process, against real Redis under a prefix of its
// own, probing a fixture server on 127.0.0.1. The terminal is a real pseudo-terminal (script(1)).
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFeedsYaml } from '../../src/feeds/load';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { runPrefix } from '../../src/demo/seed-scenario';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { NEWSWATCH_BIN as bin, runNewswatch } from '../support/cli';

const LISTING = (base: string) => `<!doctype html><html lang="ar"><body>
<div class="news-list">
  <div class="news-item"><a class="title" href="${base}/ar/1">وزير الخارجية يستقبل سفير الناتو</a><time datetime="2026-02-03T09:00:00Z">3 فبراير</time></div>
  <div class="news-item"><a class="title" href="/ar/2">الكويت تستضيف اجتماعا خليجيا</a></div>
</div></body></html>`;

const JSON_FEED = (base: string) =>
  JSON.stringify({
    version: 'https://jsonfeed.org/version/1',
    title: 'Desk',
    items: [
      { id: '1', url: `${base}/j/1`, title: 'NATO and Kuwait talk', date_published: '2026-02-03T10:00:00Z' },
    ],
  });

// Each command is a process of its own (a few seconds each on a busy machine).
describe('newswatch feeds add (listing page), remove, restore', { timeout: 120_000 }, () => {
  const prefix = runPrefix('e2e-feeds-manage');
  let fixtures: FixtureServer;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    fixtures = await startFixtureServer({
      '/ar/news.html': { contentType: 'text/html; charset=utf-8', body: LISTING },
      '/desk.json': { contentType: 'application/feed+json', body: JSON_FEED },
    });
    dir = await mkdtemp(join(tmpdir(), 'nw-feeds-cli-'));
    await writeFile(join(dir, 'feeds.yml'), 'feeds: []\n');
    env = {
      NEWSWATCH_PREFIX: prefix,
      FEEDS_FILE: join(dir, 'feeds.yml'),
      // By address and port: only there does the probe say which selector found nothing.
      FETCH_ALLOW_PRIVATE: `127.0.0.1:${new URL(fixtures.baseUrl).port}`,
      HOST_MIN_DELAY_MS: '0',
      LOG_LEVEL: 'silent',
    };
  });

  afterAll(async () => {
    const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    await deleteKeys(redis, prefix);
    redis.disconnect();
    await fixtures?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const newswatch = (...args: string[]) => runNewswatch(['feeds', ...args], env);

  /** The command on a pseudo-terminal (script(1)), typing `answer` once it asks. */
  function onTerminal(answer: string, ...args: string[]): Promise<{ code: number; output: string }> {
    const command = [process.execPath, bin, 'feeds', ...args].map((a) => `'${a}'`).join(' ');
    return new Promise((resolve, reject) => {
      const child = spawn('script', ['-qec', command, '/dev/null'], {
        env: { ...process.env, ...env },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let output = '';
      let answered = false;
      const read = (chunk: Buffer) => {
        output += chunk.toString();
        if (!answered && output.includes('[y/N]')) {
          answered = true;
          child.stdin.write(`${answer}\n`);
        }
      };
      child.stdout.on('data', read);
      child.stderr.on('data', read);
      const timer = setTimeout(() => child.kill(), 60_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code: code ?? -1, output });
      });
    });
  }

  const listed = async (removed = false) =>
    (
      JSON.parse((await newswatch('list', '--json', ...(removed ? ['--removed'] : []))).stdout) as {
        id: string;
        type: string;
        health: { state: string; itemsSeen: number };
      }[]
    ).map((f) => [f.id, f.type, f.health.state]);

  it('refuses a link selector that finds nothing, naming the field and its flag', async () => {
    const res = await newswatch(
      'add',
      `${fixtures.baseUrl}/ar/news.html`,
      '--name',
      'MOFA news',
      '--item-selector',
      '.news-item',
      '--link-selector',
      'a.read-more',
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toContain(
      'newswatch: selectors.link (--link-selector): "a.read-more" finds no link (an element with an http(s) href) in the 2 items ".news-item" matches',
    );
    const noItem = await newswatch(
      'add',
      `${fixtures.baseUrl}/ar/news.html`,
      '--item-selector',
      'article',
      '--link-selector',
      'a',
    );
    expect(noItem.stderr).toContain(
      'selectors.item (--item-selector): "article" matches nothing on the page',
    );
    const noLink = await newswatch(
      'add',
      `${fixtures.baseUrl}/ar/news.html`,
      '--item-selector',
      '.news-item',
    );
    expect(noLink.stderr).toContain('selectors.link (--link-selector): is required');
    expect(await listed()).toEqual([]);
  });

  it('adds a listing page with its selectors, and prints what the probe read', async () => {
    const res = await newswatch(
      'add',
      `${fixtures.baseUrl}/ar/news.html`,
      '--name',
      'MOFA news',
      '--item-selector',
      '.news-item',
      '--link-selector',
      'a.title',
      '--date-selector',
      'time',
    );
    expect(res.stderr).toBe('');
    expect(res.stdout).toContain('added feed mofa-news (MOFA news), polled */10 * * * *');
    expect(res.stdout).toContain('probe: html, 2 items, language ar');
    expect(res.stdout).toContain('2026-02-03T09:00:00.000Z  وزير الخارجية يستقبل سفير الناتو');
    const yaml = parseFeedsYaml((await newswatch('export')).stdout, 'export.yml');
    expect(yaml[0]).toMatchObject({
      id: 'mofa-news',
      type: 'html',
      selectors: { item: '.news-item', link: 'a.title', date: 'time' },
    });
  });

  it('stores a JSON Feed as type json, and exports it so', async () => {
    const res = await newswatch('add', `${fixtures.baseUrl}/desk.json`, '--name', 'Desk');
    expect(res.stdout).toContain('probe: json, 1 item');
    expect(await listed()).toContainEqual(['desk', 'json', 'never polled']);
    const yaml = parseFeedsYaml((await newswatch('export')).stdout, 'export.yml');
    expect(yaml.find((f) => f.id === 'desk')?.type).toBe('json');
  });

  it('will not remove without --yes when stdin is no terminal, and says so', async () => {
    const res = await newswatch('remove', 'desk');
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'newswatch: feeds remove asks for confirmation, and stdin is not a terminal: run `newswatch feeds remove desk --yes` to remove it\n',
    );
    expect(await listed()).toContainEqual(['desk', 'json', 'never polled']);
  });

  it('asks on a terminal, naming the feed: no keeps it, yes removes it', async () => {
    const kept = await onTerminal('n', 'remove', 'desk');
    expect(kept.output).toContain(`Remove feed desk (Desk <${fixtures.baseUrl}/desk.json>)?`);
    expect(kept.output).toContain('feed desk not removed');
    expect(kept.code).toBe(1);
    expect((await listed()).map(([id]) => id)).toContain('desk');

    const removed = await onTerminal('y', 'remove', 'desk');
    expect(removed.output).toContain('feed desk (Desk) removed');
    expect(removed.code).toBe(0);
    expect((await listed()).map(([id]) => id)).not.toContain('desk');
  });

  it('removes with --yes, says a removed feed must be restored, and restores it', async () => {
    const res = await newswatch('remove', 'mofa-news', '--yes');
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('feed mofa-news (MOFA news) removed');
    expect(await listed(true)).toEqual([
      ['desk', 'json', 'removed'],
      ['mofa-news', 'html', 'removed'],
    ]);

    const resume = await newswatch('resume', 'mofa-news');
    expect(resume.code).toBe(1);
    expect(resume.stderr).toContain('restore it first');
    expect(resume.stderr).toContain('`newswatch feeds restore mofa-news`');

    const restored = await newswatch('restore', 'mofa-news');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toBe(
      'feed mofa-news (MOFA news) restored: polled again from the next slot; what it listed before is not news again\n',
    );
    expect(await listed()).toEqual([['mofa-news', 'html', 'never polled']]);
    const unknown = await newswatch('restore', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('id: no feed "nope"');
  });
});
