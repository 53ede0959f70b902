// parseFeed and parseHtmlListing: real feeds from other parsers' test suites, plus the quirks we work around
// (the XML rss-parser alone fails or crashes on, which feed-xml.ts repairs before it reads the feed).
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../src/ingest/decode';
import { parseFeed, parseHtmlListing } from '../../src/ingest/parse-feed';
import { describeWithShared } from '../support/shared';

// CI clones the repository with shared/ beside it.
const FEEDS = new URL('../../../shared/fixtures/feeds/', import.meta.url);
const fixture = async (path: string) => decodeBody(await readFile(new URL(path, FEEDS)));
const FEED_URL = 'https://feeds.example.org/news/feed.xml';

describeWithShared('parseFeed on real feeds', () => {
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
      message: 'https://feeds.example.org/news/feed.xml: not a feed: an HTML page',
    });
  });

  it('reads a gzip file served without Content-Encoding as the feed inside it', async () => {
    const items = await parseFeed(
      await fixture('danmactough__node-feedparser/test/feeds/compressed.xml'),
      FEED_URL,
    );
    expect(items[0]?.title).toBe('В Бузулуке главные стройплощадки – детсад и Ледовый дворец');
  });

  it('reads Atom whose elements carry a namespace prefix (<atom:feed>)', async () => {
    const items = await parseFeed(
      await fixture('danmactough__node-feedparser/test/feeds/nondefaultnamespace.atom'),
      FEED_URL,
    );
    expect(items).toHaveLength(1);
    expect(items[0]?.link).toMatch(/^http/);
  });

  it('reads JSON Feed 1.1', async () => {
    const items = await parseFeed(
      await fixture('feed-rs__feed-rs/feed-rs/fixture/jsonfeed/jsonfeed_example_1.json'),
      FEED_URL,
    );
    expect(items.length).toBeGreaterThan(0);
    for (const item of items) expect(item.link).toMatch(/^https?:\/\//);
  });
});

describe('parseFeed quirks', () => {
  const rss = (open: string, items: string) =>
    `<?xml version="1.0"?>${open}<channel><title>KUNA</title>${items}</channel></rss>`;

  it('reads an <rss> with no version attribute', async () => {
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

  it('reads a date written in Arabic when the feed does not use RFC 822', async () => {
    const xml = rss(
      '<rss version="2.0">',
      '<item><title>الكويت</title><link>https://www.kuna.net.kw/a?id=3</link><pubDate>الأحد، 31 يناير 2026</pubDate></item>',
    );
    expect((await parseFeed(xml, FEED_URL))[0]?.published).toBe('2026-01-31T00:00:00.000Z');
  });

  it('keeps inline markup in a title from splitting words, and decodes entities', async () => {
    const xml = rss(
      '<rss version="2.0">',
      '<item><title><![CDATA[1930ft<sup>2</sup> &#x0024;4300]]></title><link>https://x.example/1</link></item>',
    );
    expect((await parseFeed(xml, FEED_URL))[0]?.title).toBe('1930ft2 $4300');
  });

  it('reads a link with a bare & and a title with entities strict XML refuses, instead of failing the feed', async () => {
    const xml = rss(
      '<rss version="2.0">',
      '<item><title>Q&A: Kuwait&#X2019;s &bogus; &eacute;lan&#x1F;</title>' +
        '<link>https://www.kuna.net.kw/ArticleDetails.aspx?id=4&language=ar</link></item>',
    );
    expect(await parseFeed(xml, FEED_URL)).toEqual([
      {
        guid: 'https://www.kuna.net.kw/ArticleDetails.aspx?id=4&language=ar',
        link: 'https://www.kuna.net.kw/ArticleDetails.aspx?id=4&language=ar',
        title: 'Q&A: Kuwait’s &bogus; élan',
      },
    ]);
  });

  it('reads HTML written straight into a description and a bare < in a title', async () => {
    const xml = rss(
      '<rss version="2.0">',
      '<item><title>Oil < $80 as OPEC+ meets</title><link>https://x.example/5</link>' +
        '<description>Ministers met<br>in <a href=/vienna>Vienna</a> on <b>Sunday</b></description></item>',
    );
    expect(await parseFeed(xml, FEED_URL)).toEqual([
      {
        guid: 'https://x.example/5',
        link: 'https://x.example/5',
        title: 'Oil < $80 as OPEC+ meets',
        summary: 'Ministers met in Vienna on Sunday',
      },
    ]);
  });

  it.each([
    {
      what: 'a PHP warning printed between the XML declaration and <rss>',
      xml:
        '<?xml version="1.0"?>\nWarning: Cannot modify header information in feed.php on line 3\n' +
        rss('<rss version="2.0">', '<item><title>t</title><link>https://x.example/20</link></item>').replace(
          '<?xml version="1.0"?>',
          '',
        ),
    },
    {
      what: 'unquoted and valueless attributes',
      xml: rss(
        '<rss version="2.0">',
        '<item><title>t</title><link>https://x.example/20</link><guid isPermaLink=false>tag:x,20</guid>' +
          '<enclosure url="https://x.example/20.mp3" length type="audio/mpeg"/></item>',
      ),
    },
    {
      what: "a comment holding '--'",
      xml: rss(
        '<rss version="2.0">',
        '<!-- cached -- 0.2 s --><item><title>t</title><link>https://x.example/20</link></item>',
      ),
    },
  ])('reads a feed with $what, as feed readers do', async ({ xml }) => {
    expect((await parseFeed(xml, FEED_URL)).map((i) => i.link)).toEqual(['https://x.example/20']);
  });

  it('refuses an item left open, saying which end tag closes it and on which line', async () => {
    const xml = rss('<rss version="2.0">', '\n<item><title>a</title>\n');
    await expect(parseFeed(xml, FEED_URL)).rejects.toMatchObject({
      code: 'NW_FEED_INVALID',
      message: `${FEED_URL}: not a feed: a broken <rss> document (</channel> on line 3 closes <item>, which was never closed)`,
    });
  });

  const atom = (entries: string, open = '<feed xmlns="http://www.w3.org/2005/Atom">') =>
    `<?xml version="1.0"?>${open}<title>NATO</title>${entries}</feed>`;

  it('reads Atom that holds an empty <entry/>, which crashes rss-parser, as the entries it has', async () => {
    const xml = atom(
      '<entry/><entry><title>NATO and Kuwait</title><link href="https://x.example/6"/></entry>',
    );
    expect(await parseFeed(xml, FEED_URL)).toEqual([
      { guid: 'https://x.example/6', link: 'https://x.example/6', title: 'NATO and Kuwait' },
    ]);
  });

  it('reads an empty Atom <feed/> as no items', async () => {
    await expect(parseFeed('<feed xmlns="http://www.w3.org/2005/Atom"/>', FEED_URL)).resolves.toEqual([]);
  });

  it.each([
    { what: 'in Arabic', written: 'الأحد، 31 يناير 2026', published: '2026-01-31T00:00:00.000Z' },
    {
      what: 'padded with whitespace',
      written: '\n  2026-01-28T09:00:00Z\n',
      published: '2026-01-28T09:00:00.000Z',
    },
    { what: 'that is no date at all', written: 'soon', published: undefined },
  ])('reads an Atom entry whose date is $what, where rss-parser throws', async ({ written, published }) => {
    const xml = atom(
      `<entry><title>t</title><link href="https://x.example/7"/><published>${written}</published></entry>`,
    );
    const [item] = await parseFeed(xml, FEED_URL);
    expect(item?.link).toBe('https://x.example/7');
    expect(item?.published).toBe(published);
  });

  it('reads Atom under any prefix, and dates from Dublin Core or Atom elements under any prefix in RSS', async () => {
    const prefixed =
      '<a:feed xmlns:a="http://www.w3.org/2005/Atom"><a:entry><a:title>p</a:title>' +
      '<a:link href="https://x.example/8"/><a:updated>2026-01-28T09:00:00Z</a:updated></a:entry></a:feed>';
    expect(await parseFeed(prefixed, FEED_URL)).toEqual([
      {
        guid: 'https://x.example/8',
        link: 'https://x.example/8',
        title: 'p',
        published: '2026-01-28T09:00:00.000Z',
      },
    ]);
    const dates = rss(
      '<rss version="2.0" xmlns:d="http://purl.org/dc/elements/1.1/" xmlns:a10="http://www.w3.org/2005/Atom">',
      '<item><title>dc</title><link>https://x.example/9</link><d:date>2026-01-28T09:00:00+03:00</d:date></item>' +
        '<item><title>atom</title><link>https://x.example/10</link><a10:updated>2026-01-29T10:00:00Z</a10:updated></item>',
    );
    expect((await parseFeed(dates, FEED_URL)).map((i) => i.published)).toEqual([
      '2026-01-28T06:00:00.000Z',
      '2026-01-29T10:00:00.000Z',
    ]);
  });

  it('keeps when an entry was last updated beside when it was published: a live blog is read again by it', async () => {
    const entry = atom(
      '<entry><title>live</title><link href="https://x.example/live"/>' +
        '<published>2026-01-28T09:00:00Z</published><updated>2026-01-28T15:30:00Z</updated></entry>',
    );
    expect(await parseFeed(entry, FEED_URL)).toMatchObject([
      { published: '2026-01-28T09:00:00.000Z', updated: '2026-01-28T15:30:00.000Z' },
    ]);
    const item = rss(
      '<rss version="2.0" xmlns:a10="http://www.w3.org/2005/Atom">',
      '<item><title>live</title><link>https://x.example/live</link><pubDate>Wed, 28 Jan 2026 09:00:00 GMT</pubDate>' +
        '<a10:updated>2026-01-28T15:30:00Z</a10:updated></item>',
    );
    expect((await parseFeed(item, FEED_URL))[0]?.updated).toBe('2026-01-28T15:30:00.000Z');
  });

  it('takes an Atom entry link that is alternate (or has no rel), never its rel="self" document', async () => {
    const xml = atom(
      '<entry><title>api only</title><link rel="self" href="https://x.example/api/11"/></entry>' +
        '<entry><title>page</title><link rel="replies" href="https://x.example/r"/><link href="https://x.example/12"/></entry>' +
        '<entry><title>text link</title><link>https://x.example/13</link></entry>',
    );
    expect((await parseFeed(xml, FEED_URL)).map((i) => i.link)).toEqual([
      'https://x.example/12',
      'https://x.example/13',
    ]);
  });

  it('reads an XHTML title as its text, words in order', async () => {
    const xml = atom(
      '<entry><title type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml">NATO <b>welcomes</b> Kuwait</div></title>' +
        '<link href="https://x.example/15"/></entry>',
    );
    expect((await parseFeed(xml, FEED_URL))[0]?.title).toBe('NATO welcomes Kuwait');
  });

  it('resolves relative links against xml:base, else the channel link, else the feed URL', async () => {
    const based = atom(
      '<entry xml:base="cps/en/"><title>t</title><link href="news_1.htm"/></entry>',
      '<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://www.nato.int/">',
    );
    expect((await parseFeed(based, FEED_URL))[0]?.link).toBe('https://www.nato.int/cps/en/news_1.htm');
    const channel = rss(
      '<rss version="2.0">',
      '<link>https://www.kuna.net.kw/</link><item><title>t</title><link>ArticleDetails.aspx?id=16</link></item>',
    );
    expect((await parseFeed(channel, FEED_URL))[0]?.link).toBe(
      'https://www.kuna.net.kw/ArticleDetails.aspx?id=16',
    );
    const bare = rss('<rss version="2.0">', '<item><title>t</title><link>a?id=17</link></item>');
    expect((await parseFeed(bare, FEED_URL))[0]?.link).toBe('https://feeds.example.org/news/a?id=17');
  });

  it('takes an item from JSON Feed with url, id, title and date_published', async () => {
    const json = JSON.stringify({
      version: 'https://jsonfeed.org/version/1.1',
      title: 'KUNA',
      items: [
        { id: 7, url: '/a?id=7', title: 'الكويت والناتو', date_published: '2026-01-28T09:00:00+03:00' },
        { id: 'no-link', content_text: 'no url at all' },
      ],
    });
    expect(await parseFeed(json, 'https://www.kuna.net.kw/feed.json')).toEqual([
      {
        guid: '7',
        link: 'https://www.kuna.net.kw/a?id=7',
        title: 'الكويت والناتو',
        published: '2026-01-28T06:00:00.000Z',
      },
    ]);
  });

  it.each([
    { what: 'an empty body', body: ' \n ', why: 'the document is empty' },
    { what: 'binary data', body: '\u0000\u0001\u0002PK', why: 'binary data, neither XML nor JSON' },
    {
      what: 'plain text',
      body: 'Service Unavailable',
      why: 'neither XML nor JSON: it starts with "Service Unavailable"',
    },
    {
      what: 'truncated XML',
      body: '<rss version="2.0"><channel><item>',
      why: 'truncated: the document ends before </rss>',
    },
    {
      what: 'RSS without a channel',
      body: '<rss version="2.0"><item><title>t</title><link>https://x.example/1</link></item></rss>',
      why: 'a broken <rss> document (it has no <channel> element)',
    },
    {
      what: 'another XML document',
      body: '<?xml version="1.0"?><!-- sitemap --><urlset><url/></urlset>',
      why: "XML with the root element <urlset> (a feed's is <rss>, <rdf:RDF> or <feed>)",
    },
    {
      what: 'JSON that is not a JSON Feed',
      body: '{"status":"ok","articles":[]}',
      why: 'JSON but not a JSON Feed: version: ',
    },
    { what: 'JSON that does not parse', body: '{"version": ', why: 'JSON that does not parse (' },
    {
      what: 'an HTML page advertising its feed',
      body: '<!DOCTYPE html><html><head><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head><body></body></html>',
      why: 'an HTML page; the page names its feed: https://feeds.example.org/rss.xml',
    },
  ])('rejects $what, saying so', async ({ body, why }) => {
    const err = await parseFeed(body, FEED_URL).catch((e: unknown) => e);
    expect(err).toMatchObject({ name: 'PermanentError', code: 'NW_FEED_INVALID' });
    expect((err as Error).message.startsWith(`${FEED_URL}: not a feed: ${why}`)).toBe(true);
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
