// parseFeed and parseHtmlListing: real feeds from other parsers' test suites, plus the quirks we work around.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/ingest/decode';
import { parseFeed, parseHtmlListing } from '../../src/ingest/parse-feed';

// CI clones the repository with shared/ beside it.
const FEEDS = new URL('../../../shared/fixtures/feeds/', import.meta.url);
const fixture = async (path: string) => decodeBody(await readFile(new URL(path, FEEDS)));
const FEED_URL = 'https://feeds.example.org/news/feed.xml';

describe('parseFeed on real feeds', () => {
  it('reads RSS 2.0 (Al Jazeera America, 2016): every item, in order, with ISO dates', async () => {
    const items = await parseFeed(await fixture('gsidhu__Pretty_Parser/aljazeera.xml'), FEED_URL);
    expect(items).toHaveLength(50);
    expect(items[0]).toEqual({
      guid: 'http://america.aljazeera.com/articles/2016/2/26/goodnight-and-good-luck.html',
      link: 'http://america.aljazeera.com/articles/2016/2/26/goodnight-and-good-luck.html',
      title: 'Goodnight, and good luck',
      published: '2016-02-26T16:00:00.000Z',
      summary:
        'A valedictory note from Al Jazeera America on what we tried to bring to the online news landscape',
    });
  });

  it('reads RSS 1.0 / RDF', async () => {
    const items = await parseFeed(await fixture('rbren__rss-parser/test/input/rss-1.rss'), FEED_URL);
    expect(items).toHaveLength(69);
    expect(items[0]).toMatchObject({
      link: 'http://science.sciencemag.org/cgi/content/short/356/6343/1134-a?rss=1',
      title: 'Food for fungi',
      published: '2017-06-15T17:29:47.000Z',
    });
  });

  it('reads Atom, keeping the entry id as guid and the alternate link as link', async () => {
    const items = await parseFeed(await fixture('rbren__rss-parser/test/input/heise.atom'), FEED_URL);
    expect(items).toHaveLength(15);
    expect(items[0]).toMatchObject({
      guid: 'http://heise.de/-3088438',
      link: 'http://www.heise.de/developer/meldung/Java-Anwendungsserver-Red-Hat-gibt-WildFly-10-frei-3088438.html?wt_mc=rss.developer.beitrag.atom',
      title: 'Java-Anwendungsserver: Red Hat gibt WildFly 10 frei',
      published: '2016-02-01T16:22:00.000Z',
    });
  });

  it('resolves relative item links against the feed URL', async () => {
    const items = await parseFeed(
      await fixture('danmactough__node-feedparser/test/feeds/rss-with-relative-urls.xml'),
      'https://www.arcgames.com/en/games/neverwinter/news/rss',
    );
    expect(items[0]?.link).toBe(
      'https://www.arcgames.com/en/games/neverwinter/news/detail/10743874-neverwinter-%26-jingle-jam-humble-bundle%21',
    );
  });

  it('reads a windows-1251 feed decoded through its XML declaration', async () => {
    const items = await parseFeed(
      await fixture('danmactough__node-feedparser/test/feeds/iconv.xml'),
      FEED_URL,
    );
    expect(items[0]?.title).toBe('В Бузулуке главные стройплощадки – детсад и Ледовый дворец');
  });

  it('reads a UTF-16 feed without a byte-order mark', async () => {
    const items = await parseFeed(
      await fixture('simplepie__simplepie/tests/data/feed-utf16le.xml'),
      FEED_URL,
    );
    expect(items.map((i) => i.title)).toEqual(['Test feed title 1']);
  });

  it('accepts blank lines before the XML declaration (an empty Atom feed: no items, no error)', async () => {
    const xml = await fixture(
      'simplepie__simplepie/tests/data/feed-with-whitespace-before-xml-declaration.xml',
    );
    await expect(parseFeed(xml, FEED_URL)).resolves.toEqual([]);
  });

  it('rejects an HTML page as not a feed, naming the URL, without retry', async () => {
    const html = await fixture('danmactough__node-feedparser/test/feeds/notafeed.html');
    await expect(parseFeed(html, FEED_URL)).rejects.toMatchObject({
      name: 'PermanentError',
      code: 'NW_FEED_INVALID',
      message: expect.stringMatching(/^https:\/\/feeds\.example\.org\/news\/feed\.xml: not a feed \(/),
    });
  });
});

describe('parseFeed quirks', () => {
  const rss = (open: string, items: string) =>
    `<?xml version="1.0"?>${open}<channel><title>KUNA</title>${items}</channel></rss>`;

  it('reads an <rss> with no version attribute, which rss-parser alone rejects', async () => {
    const xml = rss(
      '<rss>',
      '<item><title>الكويت والناتو</title><link>https://www.kuna.net.kw/a?id=1</link></item>',
    );
    expect(await parseFeed(xml, FEED_URL)).toEqual([
      {
        guid: 'https://www.kuna.net.kw/a?id=1',
        link: 'https://www.kuna.net.kw/a?id=1',
        title: 'الكويت والناتو',
      },
    ]);
  });

  it('drops items without a link, and takes a permalink guid as the link', async () => {
    const xml = rss(
      '<rss version="2.0">',
      '<item><title>no link</title><guid isPermaLink="false">tag:kuna,1</guid></item>' +
        '<item><title>permalink</title><guid>https://www.kuna.net.kw/a?id=2</guid></item>',
    );
    expect(await parseFeed(xml, FEED_URL)).toEqual([
      { guid: 'https://www.kuna.net.kw/a?id=2', link: 'https://www.kuna.net.kw/a?id=2', title: 'permalink' },
    ]);
  });

  it('rejects truncated XML as not a feed', async () => {
    await expect(parseFeed('<rss version="2.0"><channel><item>', FEED_URL)).rejects.toMatchObject({
      code: 'NW_FEED_INVALID',
    });
  });
});

describe('parseHtmlListing', () => {
  const page = `<html><body>
    <nav><a href="/">الرئيسية</a></nav>
    <div class="news">
      <div class="card"><a href="/ArticleDetails.aspx?id=1&amp;language=ar"><h3>الكويت والناتو</h3></a><time datetime="2026-01-28T09:00:00+03:00">28 يناير</time></div>
      <div class="card"><a href="https://www.kuna.net.kw/ArticleDetails.aspx?id=2&amp;language=ar"><h3>  قمة   خليجية </h3></a><span class="date">31/01/2026</span></div>
      <div class="card"><a href="/ArticleDetails.aspx?id=1&amp;language=ar">الكويت والناتو (مكرر)</a></div>
      <div class="card"><span>no link here</span></div>
    </div></body></html>`;
  const PAGE_URL = 'https://www.kuna.net.kw/Default.aspx?language=ar';

  it('reads one item per distinct link, with absolute links, titles and dates', () => {
    const items = parseHtmlListing(page, PAGE_URL, {
      item: '.card',
      link: 'a',
      title: 'h3',
      date: 'time, .date',
    });
    expect(items).toEqual([
      {
        guid: 'https://www.kuna.net.kw/ArticleDetails.aspx?id=1&language=ar',
        link: 'https://www.kuna.net.kw/ArticleDetails.aspx?id=1&language=ar',
        title: 'الكويت والناتو',
        published: '2026-01-28T06:00:00.000Z',
      },
      {
        guid: 'https://www.kuna.net.kw/ArticleDetails.aspx?id=2&language=ar',
        link: 'https://www.kuna.net.kw/ArticleDetails.aspx?id=2&language=ar',
        title: 'قمة خليجية',
        published: '2026-01-31T00:00:00.000Z',
      },
    ]);
  });

  it('accepts an item selector that matches the links themselves', () => {
    const items = parseHtmlListing(page, PAGE_URL, { item: 'a[href*="ArticleDetails.aspx"]', link: 'a' });
    expect(items.map((i) => i.title)).toEqual(['الكويت والناتو', 'قمة خليجية']);
  });
});
