// `newswatch feeds import FILE` and `feeds export --opml` as an operator runs them: the real
// bin/newswatch in a child process, against real Redis under a prefix of its own, each feed of the
// file probed at a fixture server on 127.0.0.1.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseOpml } from '../../src/feeds/opml';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { runPrefix } from '../../src/demo/seed-scenario';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { LOOPBACK } from '../support/config';
import { runNewswatch } from '../support/cli';

const FEED =
  '<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>' +
  '<item><title>Kuwait and NATO hold dialogue</title><link>https://news.example/1</link></item></channel></rss>';

describe('newswatch feeds import / export --opml', () => {
  const prefix = runPrefix('e2e-opml');
  let fixtures: FixtureServer;
  let dir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    fixtures = await startFixtureServer({
      '/wire.xml': { contentType: 'application/rss+xml', body: FEED },
      '/desk.xml': { contentType: 'application/rss+xml', body: FEED },
    });
    dir = await mkdtemp(join(tmpdir(), 'nw-opml-'));
    await writeFile(join(dir, 'feeds.yml'), 'feeds: []\n');
    env = {
      NEWSWATCH_PREFIX: prefix,
      FEEDS_FILE: join(dir, 'feeds.yml'),
      FETCH_ALLOW_PRIVATE: LOOPBACK,
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

  it('imports a reader’s file, reporting each outline, and exports the feeds back as OPML', async () => {
    const file = join(dir, 'reader.opml');
    await writeFile(
      file,
      [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0"><head><title>My reader</title></head><body>',
        '  <outline text="Gulf">',
        `    <outline type="rss" text="Wire" xmlUrl="${fixtures.baseUrl}/wire.xml" htmlUrl="https://news.example/" category="kuwait"/>`,
        '  </outline>',
        `  <outline type="rss" title="Desk" xmlUrl="${fixtures.baseUrl}/desk.xml" language="en-GB"/>`,
        `  <outline type="rss" text="Wire again" xmlUrl="${fixtures.baseUrl}/wire.xml"/>`,
        '  <outline type="rss" text="Bad" xmlUrl="javascript:alert(1)"/>',
        '</body></opml>',
      ].join('\n'),
    );
    const imported = await newswatch('import', file);
    expect(imported.code).toBe(1); // one outline was refused
    expect(imported.stdout.trim().split('\n')).toEqual([
      `${file}:4: ${fixtures.baseUrl}/wire.xml: added as feed wire (Wire)`,
      `${file}:6: ${fixtures.baseUrl}/desk.xml: added as feed desk (Desk)`,
      `${file}:7: ${fixtures.baseUrl}/wire.xml: already polled: url: ${fixtures.baseUrl}/wire.xml is polled already, as feed "wire" (Wire)`,
      `${file}:8: javascript:alert(1): refused: url: "javascript:alert(1)" is not an http(s) URL`,
      '4 feed outlines: 2 added, 1 already polled, 1 refused',
    ]);

    const exported = await newswatch('export', '--opml');
    expect(exported.code).toBe(0);
    expect(parseOpml(exported.stdout).map((f) => f.input)).toEqual([
      { url: `${fixtures.baseUrl}/desk.xml`, name: 'Desk', lang: 'en', tags: ['manual'] },
      { url: `${fixtures.baseUrl}/wire.xml`, name: 'Wire', lang: 'en', tags: ['kuwait', 'gulf'] },
    ]);
  }, 120_000);

  it('refuses an entity bomb and an oversized file whole, naming the file, and adds nothing', async () => {
    const bomb = join(dir, 'bomb.opml');
    await writeFile(
      bomb,
      `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">]>\n<opml><body><outline xmlUrl="${fixtures.baseUrl}/x.xml" text="&lol;"/></body></opml>`,
    );
    const refused = await newswatch('import', bomb);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain(`${bomb}: line 2: a <!DOCTYPE> is refused`);

    const big = join(dir, 'big.opml');
    await writeFile(big, `<opml><body>${' '.repeat(10 * 1024 * 1024)}</body></opml>`);
    const large = await newswatch('import', big);
    expect(large.code).not.toBe(0);
    expect(large.stderr).toContain(`${big}: the file is larger than 1048576 bytes`);

    const list = await newswatch('list', '--json');
    expect((JSON.parse(list.stdout) as { id: string }[]).map((f) => f.id)).toEqual(['desk', 'wire']);
  }, 120_000);
});
