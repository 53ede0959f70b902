// `node --import tsx bench/feed-parsers.ts [--record]`: reads every shared feed fixture (the files
// test/unit/shared-feeds.test.ts reads) and the seed feeds with today's parseFeed, and compares each
// with the reading of the other XML path, recorded beside this file: items found, and per item the
// guid, link, title, dates and summary. Writes bench/FEED-PARSERS.md.
//
// Two XML paths were measured (issue 16): rewriting the text with a regex tokenizer until rss-parser's
// strict sax accepts it (src/ingest/feed-xml.ts and rss-parser, up to commit 560ec37), and reading it
// leniently with htmlparser2 in XML mode, mapping items ourselves. `--record` writes what parseFeed
// reads now to bench/feed-parsers.recorded.json: it was run once on the rewrite path, so a run on
// the lenient one compares the two. Verdicts on the differences, from the raw XML, are in VERDICTS.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeBody } from '../src/ingest/decode';
import { parseFeed } from '../src/ingest/parse-feed';
import type { FeedItem } from '../src/ingest/types';

const here = fileURLToPath(new URL('.', import.meta.url));
const repo = join(here, '..');
const SHARED = join(repo, '../shared/fixtures/feeds');
const SEED = join(repo, 'test/fixtures/seed');
const RECORDED = join(here, 'feed-parsers.recorded.json');
const REPORT = join(here, 'FEED-PARSERS.md');
const FEED_URL = 'https://feeds.example.org/news/feed.xml';

/** The files of the feed readers, whose lines are counted (the JSON Feed and listing code in them is the same both ways). */
const XML_PATH_FILES = ['src/ingest/feed-xml.ts', 'src/ingest/parse-feed.ts', 'src/ingest/parse-html.ts'];

/**
 * An item as sha1 digests of its fields (8 hex digits; absent fields absent): the recording holds
 * no text of the fixtures, which are other projects' and real news sites' feeds.
 */
type Item = Partial<Record<Field, string>>;
type Reading = { items: Item[] } | { error: string };
interface Recording {
  path: string;
  commit: string;
  /** Lines of the XML path's own code, and what it uses besides. */
  lines: number;
  uses: string;
  /** Time to read all the fixtures, one after another, on the machine that recorded them. */
  ms: number;
  readings: Record<string, Reading>;
}

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });

/** The same selection as test/unit/shared-feeds.test.ts, plus the seed feeds, XML only (JSON Feed is no XML path). */
function fixtures(): { name: string; path: string }[] {
  const shared = existsSync(SHARED)
    ? walk(SHARED)
        .map((path) => ({ name: relative(SHARED, path), path }))
        .filter(
          ({ name }) =>
            !/(^|\/)_licence_/.test(name) &&
            !name.endsWith('.serde.json') &&
            !name.includes('/test/output/') &&
            !name.endsWith('.json'),
        )
    : [];
  const seed = readdirSync(SEED)
    .filter((f) => f.endsWith('.xml'))
    .map((f) => ({ name: `seed/${f}`, path: join(SEED, f) }));
  return [...shared, ...seed].sort((a, b) => a.name.localeCompare(b.name));
}

const FIELDS = ['guid', 'link', 'title', 'published', 'updated', 'summary'] as const;
type Field = (typeof FIELDS)[number];

const sha1 = (text: string) => createHash('sha1').update(text).digest('hex').slice(0, 8);

const digest = (i: FeedItem): Item =>
  Object.fromEntries(FIELDS.flatMap((f) => (i[f] === undefined ? [] : [[f, sha1(i[f])]])));

async function read(path: string): Promise<{ reading: Reading; items?: FeedItem[]; ms: number }> {
  const text = decodeBody(readFileSync(path));
  const started = performance.now();
  try {
    const items = await parseFeed(text, FEED_URL);
    return { reading: { items: items.map(digest) }, items, ms: performance.now() - started };
  } catch (err) {
    // The message names the URL and what the document is; the parser's own words stay out of the
    // comparison (sax and htmlparser2 word a broken document differently).
    const message = (err as Error).message.replace(`${FEED_URL}: `, '').replace(/ \(.*$/s, '');
    return { reading: { error: message }, ms: performance.now() - started };
  }
}

interface Comparison {
  name: string;
  before: Reading;
  after: Reading;
  /** Items in both (by position), and per field how many agree. */
  same: Record<Field, number>;
  paired: number;
  differences: string[];
}

/** Compares by digest; a difference shows the lenient reading's value, read live from ../shared. */
function compare(name: string, before: Reading, after: Reading, live: FeedItem[] = []): Comparison {
  const same = Object.fromEntries(FIELDS.map((f) => [f, 0])) as Record<Field, number>;
  const differences: string[] = [];
  if ('error' in before || 'error' in after) {
    const b = 'error' in before ? before.error : `${before.items.length} items`;
    const a = 'error' in after ? after.error : `${after.items.length} items`;
    if (b !== a) differences.push(`rewrite: ${b}; lenient: ${a}`);
    return { name, before, after, same, paired: 0, differences };
  }
  const paired = Math.min(before.items.length, after.items.length);
  if (before.items.length !== after.items.length)
    differences.push(`items: rewrite ${before.items.length}, lenient ${after.items.length}`);
  for (let i = 0; i < paired; i++) {
    const b = before.items[i]!;
    const a = after.items[i]!;
    for (const field of FIELDS) {
      if (b[field] === a[field]) same[field] += 1;
      else {
        const value = live[i]?.[field];
        const shown = value === undefined ? 'none' : JSON.stringify(value.slice(0, 90));
        differences.push(
          `item ${i + 1} ${field}: ${b[field] === undefined ? 'rewrite none' : 'rewrite other'}; lenient ${shown}`,
        );
      }
    }
  }
  return { name, before, after, same, paired, differences };
}

/**
 * Which reading is right where the two differ, from the raw XML of the fixture. Filled in by hand
 * after reading each difference the comparison lists.
 */
const VERDICTS: Record<string, string> = {};

const lines = (file: string) => readFileSync(join(repo, file), 'utf8').split('\n').length;

async function main(): Promise<void> {
  const files = fixtures();
  const readings: Record<string, Reading> = {};
  const live: Record<string, FeedItem[] | undefined> = {};
  const times: Record<string, number> = {};
  for (const { name, path } of files) {
    const { reading, items, ms } = await read(path);
    readings[name] = reading;
    live[name] = items;
    times[name] = ms;
  }
  if (process.argv.includes('--record')) {
    const recording: Recording = {
      path: 'regex rewrite (src/ingest/feed-xml.ts) + rss-parser 3.13 (xml2js 0.5, sax 1.6 strict)',
      commit: '560ec37',
      lines: XML_PATH_FILES.reduce((n, f) => n + lines(f), 0),
      uses: 'rss-parser, xml2js, sax',
      ms: Math.round(Object.values(times).reduce((a, b) => a + b, 0)),
      readings,
    };
    writeFileSync(RECORDED, JSON.stringify(recording) + '\n');
    console.log(`recorded ${files.length} fixtures to ${relative(repo, RECORDED)}`);
    return;
  }
  const recorded = JSON.parse(readFileSync(RECORDED, 'utf8')) as Recording;
  const comparisons = files.map(({ name }) =>
    compare(name, recorded.readings[name] ?? { error: 'not recorded' }, readings[name]!, live[name]),
  );
  console.log(report(recorded, comparisons, times));
  writeFileSync(REPORT, report(recorded, comparisons, times));
}

function report(recorded: Recording, comparisons: Comparison[], times: Record<string, number>): string {
  const count = (r: Reading) => ('error' in r ? 0 : r.items.length);
  const feeds = comparisons.length;
  const read = (pick: (c: Comparison) => Reading) => comparisons.filter((c) => !('error' in pick(c))).length;
  const items = (pick: (c: Comparison) => Reading) => comparisons.reduce((n, c) => n + count(pick(c)), 0);
  const paired = comparisons.reduce((n, c) => n + c.paired, 0);
  const agree = (f: Field) => comparisons.reduce((n, c) => n + c.same[f], 0);
  const differing = comparisons.filter((c) => c.differences.length > 0);
  const ms = Object.values(times).reduce((a, b) => a + b, 0);
  const out = [
    '# Feed XML: regex rewrite + rss-parser against htmlparser2 in XML mode',
    '',
    `Written by \`node --import tsx bench/feed-parsers.ts\`. ${feeds} XML fixtures: every file`,
    'test/unit/shared-feeds.test.ts reads from ../shared/fixtures/feeds except the JSON Feeds (which take',
    'neither path), and the two seed feeds. Each is decoded as the poll stage decodes it and read by',
    `parseFeed with the feed URL ${FEED_URL}.`,
    '',
    `- rewrite: ${recorded.path}, recorded at ${recorded.commit} in bench/feed-parsers.recorded.json.`,
    '- lenient: what parseFeed reads now (src/ingest/feed-xml.ts on htmlparser2 in XML mode).',
    '',
    '| | rewrite | lenient |',
    '| --- | ---: | ---: |',
    `| fixtures read (not refused) | ${read((c) => c.before)} / ${feeds} | ${read((c) => c.after)} / ${feeds} |`,
    `| items found | ${items((c) => c.before)} | ${items((c) => c.after)} |`,
    `| ms to read them all | ${recorded.ms} | ${ms.toFixed(0)} |`,
    `| lines of feed-xml.ts, parse-feed.ts, parse-html.ts | ${recorded.lines} (+ ${recorded.uses}) | ${XML_PATH_FILES.reduce((n, f) => n + lines(f), 0)} (+ htmlparser2) |`,
    '',
    `Items compared (same position in both readings): ${paired}. Fields that agree:`,
    '',
    '| field | agree | differ |',
    '| --- | ---: | ---: |',
    ...FIELDS.map((f) => `| ${f} | ${agree(f)} | ${paired - agree(f)} |`),
    '',
    `Fixtures read identically: ${feeds - differing.length} / ${feeds}.`,
    '',
    '## Per fixture',
    '',
    '| fixture | rewrite | lenient | fields that differ |',
    '| --- | ---: | ---: | --- |',
    ...comparisons.map((c) => {
      const cell = (r: Reading) => ('error' in r ? `refused: ${r.error}` : String(r.items.length));
      const fields = FIELDS.filter((f) => c.same[f] < c.paired);
      return `| ${c.name} | ${cell(c.before)} | ${cell(c.after)} | ${fields.join(', ') || (c.differences.length ? 'items' : '')} |`;
    }),
    '',
    '## Differences, and which reading is right',
    '',
    ...(differing.length === 0
      ? ['None.']
      : differing.flatMap((c) => [
          `### ${c.name}`,
          '',
          ...c.differences.slice(0, 6).map((d) => `- ${d}`),
          ...(c.differences.length > 6 ? [`- … ${c.differences.length - 6} more`] : []),
          '',
          `Verdict: ${VERDICTS[c.name] ?? 'not judged yet'}`,
          '',
        ])),
  ];
  return out.join('\n') + '\n';
}

await main();
