// Hostile and broken config files. A wrong line in each file is already checked where its
// loader is tested, each error naming the file and the line:
//   feeds.yml          test/unit/feeds-load.test.ts       ("feeds.yml:8: feeds[0].schedule: ...")
//   subscribers.yml    test/unit/subscribers-file.test.ts ("subscribers.yml:4: subscribers[0].email[1]: ...")
//   events.yml         test/unit/events-file.test.ts      ("events.yml:3: events[0].participants[0]: ...")
//   data/entities.yml  test/unit/gazetteer.test.ts        ("bad.yml:6: entities[1].kind ...")
//   data/lexicon.yml   test/unit/gazetteer.test.ts        ("lexicon.yml:N: eventTypes.summit.answers[1]: ...")
// What is added here: a YAML "billion laughs" (aliases nested nine deep, 9^7 strings from a few
// lines) in each of the five files. What it broke: before, the yaml library's refusal escaped as a
// bare ReferenceError with no file or line. What is checked: nothing expands, and the start stops
// with NW_CONFIG_INVALID naming the file and the line of the first alias.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAnalyzer, loadSubscribers } from '../../src/config/data-files';
import { loadEventsFile } from '../../src/config/events-file';
import { loadFeedsFile } from '../../src/feeds/load';

const ENTITIES = 'data/entities.yml';
const LEXICON = 'data/lexicon.yml';

/** Line 1 anchors a list; line 2 holds the first alias; each level multiplies by nine. */
const laughs = (key: string) =>
  [
    'l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]',
    ...Array.from({ length: 7 }, (_, i) => `l${i + 1}: &l${i + 1} [${Array(9).fill(`*l${i}`).join(', ')}]`),
    `${key}: *l7`,
    '',
  ].join('\n');

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nw-hostile-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a YAML alias bomb in each config file', () => {
  const loaders: [string, string, (path: string) => Promise<unknown>][] = [
    ['feeds.yml', 'feeds', (path) => loadFeedsFile(path)],
    ['subscribers.yml', 'subscribers', (path) => loadSubscribers(path)],
    [
      'events.yml',
      'events',
      async (path) =>
        loadEventsFile(path, LEXICON, await loadAnalyzer(ENTITIES, LEXICON), new Date('2026-02-01')),
    ],
    ['entities.yml', 'entities', (path) => loadAnalyzer(path, LEXICON)],
    ['lexicon.yml', 'eventTypes', (path) => loadAnalyzer(ENTITIES, path)],
  ];

  it.each(loaders)('%s: refused without expanding, naming the file and line', async (name, key, load) => {
    const path = join(dir, name);
    await writeFile(path, laughs(key));
    const rssBefore = process.memoryUsage().rss;
    const err = await load(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({
      code: 'NW_CONFIG_INVALID',
      message: `${path}:2: YAML: Excessive alias count indicates a resource exhaustion attack`,
    });
    // Expanded, the document would hold 43 million strings.
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(128 * 1024 * 1024);
  });
});
