// Every file under ../shared/fixtures/feeds (real and deliberately broken feeds from five other parsers'
// test suites and real 2016 news feeds) either reads into items with links, titles and dates, or is
// rejected with an error naming what it is. The other parser's expected output beside a feed, where there
// is one, is the cross-check for the items' links, titles and dates.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { load } from 'cheerio';
import { expect, it } from 'vitest';
import { PermanentError } from '../../src/errors';
import { decodeBody } from '../../src/ingest/decode';
import { parseFeed } from '../../src/ingest/parse-feed';
import type { FeedItem } from '../../src/ingest/types';
import { describeWithShared, withShared } from '../support/shared';

// CI clones the repository with shared/ beside it and requires it (test/support/shared.ts); a user's
// clone without it skips this file.
const ROOT = new URL('../../../shared/fixtures/feeds/', import.meta.url).pathname;
const FEED_URL = 'https://feeds.example.org/news/feed.xml';

const walk = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });

const ALL = withShared ? walk(ROOT).map((path) => relative(ROOT, path)) : [];
/** Licences and the other parsers' expected outputs sit beside the feeds; JSON Feed files are feeds. */
const FILES = ALL.filter(
  (rel) => !/(^|\/)_licence_/.test(rel) && !rel.endsWith('.serde.json') && !rel.includes('/test/output/'),
).sort();

/** Files that are not feeds, or broken beyond reading, and what the error must say about each. */
const REJECTED: Record<string, RegExp> = {
  'danmactough__node-feedparser/test/feeds/notafeed.html': /an HTML page$/,
  'feed-rs__feed-rs/feed-rs/fixture/atom/atom_entry_1.xml': /root element <entry>/,
  'feed-rs__feed-rs/feed-rs/fixture/rss2/rss_2.0_invalid_1.xml':
    /truncated: the document ends before <\/rss>/,
  'feed-rs__feed-rs/feed-rs/fixture/xml/xml_iso8859.xml': /<rdf> document \(.*channel/,
  'feed-rs__feed-rs/feed-rs/fixture/xml/xml_sample_1.xml': /root element <catalog>/,
  'feed-rs__feed-rs/feed-rs/fixture/xml/xml_sample_2.xml': /root element <catalog>/,
  'nicolus__picoFeed/tests/fixtures/html4_head_stripped_page.html': /an HTML page$/,
  'nicolus__picoFeed/tests/fixtures/html4_page.html': /an HTML page$/,
  'nicolus__picoFeed/tests/fixtures/html_head_stripped_page.html': /an HTML page$/,
  'nicolus__picoFeed/tests/fixtures/html_page.html':
    /an HTML page; the page names its feed: http:\/\/www\.lemonde\.fr\/europe\/rss_full\.xml$/,
  'nicolus__picoFeed/tests/fixtures/html_reader_cabinporn.html':
    /names its feed: https:\/\/cabinporn\.com\/rss$/,
  // a relative <link rel=alternate> resolves against the URL the page came from
  'nicolus__picoFeed/tests/fixtures/html_reader_linuxfr.html':
    /names its feed: https:\/\/feeds\.example\.org\/news\.atom$/,
  'nicolus__picoFeed/tests/fixtures/html_reader_universfreebox.html': /names its feed: .*backend\.php$/,
  'nicolus__picoFeed/tests/fixtures/html_scraper_arstechnica.html': /names its feed: .*arstechnica/,
  'nicolus__picoFeed/tests/fixtures/html_scraper_egscomic.html': /an HTML page$/,
  'nicolus__picoFeed/tests/fixtures/html_scraper_inc.html': /an HTML page$/,
  'nicolus__picoFeed/tests/fixtures/html_scraper_lemonde.html': /names its feed: .*rss_full\.xml$/,
  'nicolus__picoFeed/tests/fixtures/rss_10_empty_feed.xml': /<rdf:RDF> document \(.*channel/,
  'nicolus__picoFeed/tests/fixtures/rss_20_empty_feed.xml': /<rss> document \(.*channel/,
  // an IIS "Object Moved" page with no <html> around its <head>
  'rbren__rss-parser/test/input/unrecognized.rss': /an HTML page$/,
  // SimplePie's PHP-serialised cache of a feed
  'simplepie__simplepie/tests/data/feed_rss-2.0_for_file_mock.spc':
    /neither XML nor JSON: it starts with "a:6:/,
  'simplepie__simplepie/tests/data/fftests.html': /an HTML page; the page names its feed/,
  'simplepie__simplepie/tests/data/microformats/h-feed-simple.html': /an HTML page$/,
  'simplepie__simplepie/tests/data/microformats/h-feed-with-comments.html': /an HTML page$/,
};

/** Feeds that read without error into no items, and why: none of their entries links to a web page. */
const EMPTY: Record<string, string> = {
  'danmactough__node-feedparser/test/feeds/atom-with-tag-uri-links.xml': 'the entry link is a tag: URI',
  'danmactough__node-feedparser/test/feeds/complexNamespaceFeed.xml': 'entries carry urn:uuid ids only',
  'feed-rs__feed-rs/feed-rs/fixture/atom/atom_example_7.xml': 'the entry has a tag: id and no link',
  'feed-rs__feed-rs/feed-rs/fixture/atom/atom_pub_spec_1.xml': 'an AtomPub entry with a urn:uuid id only',
  'feed-rs__feed-rs/feed-rs/fixture/rss0/rss_0.91_missing_id.xml': 'the item has no link',
  'feed-rs__feed-rs/feed-rs/fixture/rss0/rss_0.92_spec_1.xml': 'RSS 0.92 items with a description only',
  'feed-rs__feed-rs/feed-rs/fixture/rss2/rss_2.0_ghost_1.xml': 'the item has no link',
  'nicolus__picoFeed/tests/fixtures/atom_element_preference.xml': 'entries without links',
  'nicolus__picoFeed/tests/fixtures/atom_empty_feed.xml': 'no entries',
  'nicolus__picoFeed/tests/fixtures/atom_empty_item.xml': 'one empty <entry/>',
  'nicolus__picoFeed/tests/fixtures/atom_fallback_on_invalid_feed_values.xml': 'no entries',
  'nicolus__picoFeed/tests/fixtures/rss_0.92.xml': 'RSS 0.92 items with a description only',
  'nicolus__picoFeed/tests/fixtures/rss_10_empty_channel.xml': 'an empty channel',
  'nicolus__picoFeed/tests/fixtures/rss_10_empty_item.xml': 'one empty item',
  'nicolus__picoFeed/tests/fixtures/rss_10_fallback_on_invalid_feed_values.xml': 'no items',
  'nicolus__picoFeed/tests/fixtures/rss_20_dc.xml': 'the item has Dublin Core fields and no link',
  'nicolus__picoFeed/tests/fixtures/rss_20_empty_channel.xml': 'an empty channel',
  'nicolus__picoFeed/tests/fixtures/rss_20_empty_item.xml': 'one empty item',
  'nicolus__picoFeed/tests/fixtures/rss_20_fallback_on_invalid_feed_values.xml': 'no items',
  'rbren__rss-parser/test/input/incomplete-fields.atom': 'the entry has no link',
  'rbren__rss-parser/test/input/missing-fields.atom': 'the entry has no link',
  'simplepie__simplepie/tests/data/feed-with-whitespace-before-xml-declaration.xml': 'no entries',
};

async function read(rel: string): Promise<FeedItem[] | Error> {
  try {
    return await parseFeed(decodeBody(readFileSync(join(ROOT, rel))), FEED_URL);
  } catch (err) {
    return err as Error;
  }
}

describeWithShared(`every feed fixture in ../shared/fixtures/feeds (${FILES.length} files)`, () => {
  it('finds the fixtures, and every file named in the tables below exists', () => {
    expect(FILES.length).toBeGreaterThan(200);
    for (const rel of [...Object.keys(REJECTED), ...Object.keys(EMPTY)]) expect(FILES).toContain(rel);
  });

  it.each(FILES)('%s', async (rel) => {
    const result = await read(rel);
    const rejection = REJECTED[rel];
    if (rejection) {
      expect(result).toBeInstanceOf(PermanentError);
      expect(result).toMatchObject({ code: 'NW_FEED_INVALID' });
      expect((result as Error).message).toMatch(new RegExp(`^${FEED_URL}: not a feed: `));
      expect((result as Error).message).toMatch(rejection);
      return;
    }
    if (result instanceof Error) throw result;
    if (EMPTY[rel]) {
      expect(result).toEqual([]);
      return;
    }
    expect(result.length).toBeGreaterThan(0);
    for (const item of result) {
      expect(item.link).toMatch(/^https?:\/\/[^/]/);
      expect(item.guid).not.toBe('');
      // decoded text, not markup or mojibake
      expect(item.title).not.toMatch(/<\/?[a-z][^>]*>|\uFFFD/i);
      if (item.published) expect(item.published).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    }
  });
});

describeWithShared('items agree with the other parser expected output beside the feed', () => {
  interface Expected {
    title?: string | undefined;
    link?: string | undefined;
    date?: string | undefined;
  }
  const text = (s: string) => load(s).text().replace(/\s+/g, ' ').trim();

  /** rss-parser: test/input/X.rss ↔ test/output/X.json; feed-rs: X.xml or X.json ↔ X.serde.json. */
  function expectedOutput(rel: string): Expected[] | undefined {
    const rssParser = rel.replace('/test/input/', '/test/output/').replace(/\.(rss|atom)$/, '.json');
    const feedRs = rel.replace(/\.(xml|json)$/, '.serde.json');
    const candidates: [string, (j: never) => Expected[]][] = [
      [
        rssParser,
        (j: { feed: { items: { title?: string; link?: string; isoDate?: string; pubDate?: string }[] } }) =>
          j.feed.items.map((i) => ({ title: i.title, link: i.link, date: i.isoDate ?? i.pubDate })),
      ],
      [
        feedRs,
        (j: {
          entries: {
            title?: { content: string };
            links?: { href: string }[];
            published?: string;
            updated?: string;
          }[];
        }) =>
          j.entries.map((e) => ({
            title: e.title?.content,
            link: e.links?.[0]?.href,
            date: e.published ?? e.updated,
          })),
      ],
    ];
    for (const [path, map] of candidates) {
      if (path !== rel && ALL.includes(path)) {
        return map(JSON.parse(readFileSync(join(ROOT, path), 'utf8')) as never);
      }
    }
    return undefined;
  }
  const CROSS_CHECKED = FILES.filter((rel) => !REJECTED[rel] && expectedOutput(rel) !== undefined);

  it('has expected outputs for a good share of the feeds', () => {
    expect(CROSS_CHECKED.length).toBeGreaterThan(80);
  });

  it.each(CROSS_CHECKED)('%s', async (rel) => {
    const ours = await read(rel);
    if (ours instanceof Error) throw ours;
    for (const want of expectedOutput(rel)!) {
      // Relative links stay unresolved in the other outputs, so only absolute ones compare.
      const link = want.link?.trim();
      if (!link || !/^https?:\/\//.test(link)) continue;
      const got = ours.find((item) => item.link === new URL(link).toString());
      expect(got, `an item linking to ${link}`).toBeDefined();
      // rss-parser's own expected output reads a Latin-1 feed as UTF-8; ours must read it right instead.
      if (want.title && !want.title.includes('\uFFFD')) expect(got!.title).toBe(text(want.title));
      if (want.title?.includes('\uFFFD')) expect(got!.title).not.toContain('\uFFFD');
      if (want.date && !Number.isNaN(Date.parse(want.date))) {
        expect(Date.parse(got!.published ?? ''), `date of ${link}`).toBe(Date.parse(want.date));
      }
    }
  });
});

describeWithShared('the real news feeds (gsidhu/Pretty_Parser, 2016)', () => {
  const NEWS = FILES.filter((rel) => rel.startsWith('gsidhu__Pretty_Parser/'));

  it.each(NEWS)('%s: every item has a title, and a date where the feed gives one', async (rel) => {
    const items = await read(rel);
    if (items instanceof Error) throw items;
    expect(items.every((i) => i.title.length > 0)).toBe(true);
    const raw = readFileSync(join(ROOT, rel), 'utf8');
    // The New Yorker's 2016 feed carried no dates at all.
    const carriesDates = /<(pubDate|dc:date|updated|published)>/.test(raw);
    expect(items.every((i) => i.published !== undefined)).toBe(carriesDates);
  });
});
