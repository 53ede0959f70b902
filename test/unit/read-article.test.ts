// readArticle: golden pages (x.html beside x.expected.json), then the single rules a reader would notice.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readArticle, stripSiteName } from '../../src/ingest/read-article';
import type { ArticleDoc } from '../../src/ingest/types';

const PAGES = new URL('../fixtures/pages/', import.meta.url);
const goldens = readdirSync(PAGES)
  .filter((f) => f.endsWith('.html'))
  .map((f) => {
    const expected = JSON.parse(
      readFileSync(new URL(f.replace(/\.html$/, '.expected.json'), PAGES), 'utf8'),
    ) as {
      url: string;
      doc: ArticleDoc;
      absent: string[];
    };
    return { page: f, html: readFileSync(new URL(f, PAGES), 'utf8'), ...expected };
  });

describe('readArticle on golden pages', () => {
  it('has golden pages to read', () => {
    expect(goldens.map((g) => g.page)).toHaveLength(4);
  });

  it.each(goldens)('$page', ({ html, url, doc, absent }) => {
    const read = readArticle(html, url);
    expect(read).toEqual(doc);
    for (const phrase of absent)
      expect(read.text, `"${phrase}" should not be in the text`).not.toContain(phrase);
  });
});

describe('readArticle rules', () => {
  const URL_ = 'https://www.arabtimesonline.com/news/kuwait-nato/';
  const page = (head: string, body: string, lang = '') =>
    `<html${lang}><head>${head}</head><body><article>${body}</article></body></html>`;
  const P = '<p>Kuwait and NATO held talks in Brussels on regional security and cooperation.</p>';

  it('falls back to the hints when the page has no title or date', () => {
    const doc = readArticle(page('', P), URL_, {
      title: 'Kuwait, NATO talk',
      published: '2026-01-31T08:00:00Z',
    });
    expect(doc).toMatchObject({ title: 'Kuwait, NATO talk', published: '2026-01-31T08:00:00.000Z' });
  });

  it('prefers the page date to the feed hint', () => {
    const head = '<meta property="article:published_time" content="2026-01-30T10:00:00+03:00">';
    expect(readArticle(page(head, P), URL_, { published: '2026-02-02T00:00:00Z' }).published).toBe(
      '2026-01-30T07:00:00.000Z',
    );
  });

  it('reads itemprop=datePublished and <time datetime> when there is no meta tag', () => {
    expect(
      readArticle(page('', `<span itemprop="datePublished" content="2026-01-29">x</span>${P}`), URL_)
        .published,
    ).toBe('2026-01-29T00:00:00.000Z');
    expect(
      readArticle(page('', `<time datetime="2026-01-27T12:00:00Z">27 Jan</time>${P}`), URL_).published,
    ).toBe('2026-01-27T12:00:00.000Z');
  });

  it('dates the page by its own stated offset: 01:00 in Kuwait on the 31st is the 31st', () => {
    const head = '<meta property="article:published_time" content="2026-01-31T01:00:00+03:00">';
    expect(readArticle(page(head, P), URL_)).toMatchObject({
      published: '2026-01-30T22:00:00.000Z',
      publishedDay: '2026-01-31',
    });
  });

  it("gives a UTC stamp the URL's day when the two are a day apart, keeping the instant", () => {
    const head = '<meta property="article:published_time" content="2026-01-31T02:00:00Z">';
    const doc = readArticle(page(head, P), 'https://www.arabtimesonline.com/2026/01/30/kuwait-nato/');
    expect(doc).toMatchObject({ published: '2026-01-31T02:00:00.000Z', publishedDay: '2026-01-30' });
    const farApart = readArticle(page(head, P), 'https://www.arabtimesonline.com/2025/12/01/kuwait-nato/');
    expect(farApart.publishedDay).toBe('2026-01-31');
  });

  it('reads JSON-LD written with a stray closing brace, and the Dublin Core and Sailthru tags', () => {
    const ld =
      '{"@type":"NewsArticle","headline":"Kuwait, NATO talk","datePublished":"2026-01-29T09:00:00+03:00"}}';
    expect(readArticle(page(`<script type="application/ld+json">${ld}</script>`, P), URL_).publishedDay).toBe(
      '2026-01-29',
    );
    for (const name of ['DC.date.issued', 'sailthru.date', 'parsely-pub-date'])
      expect(readArticle(page(`<meta name="${name}" content="2026-01-27">`, P), URL_).publishedDay).toBe(
        '2026-01-27',
      );
  });

  it("takes a byline's date in the page's language, and skips date lists of teasers", () => {
    const teasers = `<div class="post-date">${'Una nota anterior, publicada el 3 de enero de 2026 con mucho texto. '.repeat(4)}</div>`;
    const html = `<html lang="es"><body>${teasers}<span class="entry-date">29 de enero de 2026</span><article>${P}</article></body></html>`;
    expect(readArticle(html, URL_).publishedDay).toBe('2026-01-29');
  });

  it('prefers a dateline on a line of its own to a date inside the photo caption above it', () => {
    const body =
      '<div class="caption">Ministers at NATO headquarters in Brussels, Belgium, January 16, 2026. Photo: NATO</div>' +
      `<p>January 18, 2026</p>${P}${P.replace('talks', 'more talks')}`;
    expect(readArticle(page('', body), URL_).publishedDay).toBe('2026-01-18');
  });

  it("trusts the feed's date over the upload date in the lead image's path", () => {
    const head = '<meta property="og:image" content="/uploads/2025/12/02/lead.jpg">';
    expect(readArticle(page(head, P), URL_).publishedDay).toBe('2025-12-02');
    expect(readArticle(page(head, P), URL_, { published: '2026-01-31T08:00:00Z' }).publishedDay).toBe(
      '2026-01-31',
    );
  });

  it('finds the language by script when <html> has no lang', () => {
    const ar = '<p>عقدت الكويت وحلف شمال الأطلسي جولة حوار سياسي وأمني في بروكسل.</p>';
    expect(readArticle(page('', ar), URL_).lang).toBe('ar');
    expect(readArticle(page('', P), URL_).lang).toBe('en');
  });

  it('keeps another declared language, and overrides lang="en" on an Arabic page', () => {
    expect(
      readArticle(
        page('', '<p>Le Koweït et l’OTAN ont tenu un dialogue à Bruxelles.</p>', ' lang="fr-BE"'),
        URL_,
      ).lang,
    ).toBe('fr');
    const ar = '<p>عقدت الكويت وحلف شمال الأطلسي جولة حوار سياسي وأمني في بروكسل.</p>';
    expect(readArticle(page('', ar, ' lang="en"'), URL_).lang).toBe('ar');
  });

  it('prefers the article to a longer block of teasers elsewhere on the page', () => {
    const teasers =
      '<div class="more">' +
      '<p>Another story about something else entirely, in a teaser.</p>'.repeat(3) +
      '</div>';
    const html = `<html><body><article>${P}${P.replace('talks', 'more talks')}</article>${teasers}</body></html>`;
    expect(readArticle(html, URL_).text).not.toContain('teaser');
  });

  it('joins a story split around a figure, and keeps its subheadings and lists', () => {
    const part = (n: number) =>
      `<div class="rich-text">${P.replace('talks', `talks, round ${n},`).repeat(3)}</div>`;
    const html =
      `<html><body><div class="page"><div>${part(1)}</div><figure><img src="x.jpg"></figure>` +
      `<div>${part(2)}<h2>What comes next</h2><ul><li>A second round in Kuwait, in spring.</li></ul></div>` +
      `<div>${part(3)}</div></div><div class="teasers"><a href="/a">Another story</a></div></body></html>`;
    const text = readArticle(html, URL_).text;
    for (const phrase of ['round 1,', 'round 2,', 'round 3,', 'What comes next', 'A second round'])
      expect(text).toContain(phrase);
    expect(text).not.toContain('Another story');
  });

  it('drops link lists and share prompts inside the article', () => {
    const links =
      '<ul><li><a href="/1">Gulf security news</a></li><li><a href="/2">More NATO news</a></li></ul>';
    const html = page('', `${P}${links}<p>Share this article</p>${P.replace('talks', 'more talks')}`);
    expect(readArticle(html, URL_).text.split('\n')).toHaveLength(2);
  });

  it('refuses, without retry, a page with no text, naming the URL', () => {
    expect(() => readArticle('<html><body><nav><a href="/">Home</a></nav></body></html>', URL_)).toThrowError(
      expect.objectContaining({
        name: 'PermanentError',
        code: 'NW_PAGE_INVALID',
        message: `${URL_}: no article text found`,
      }),
    );
  });
});

describe('stripSiteName', () => {
  it.each([
    ['Kuwait, NATO hold first dialogue round - Kuwait Times', '', 'Kuwait, NATO hold first dialogue round'],
    [
      'Kuwait Times | Kuwait, NATO hold first dialogue round',
      'Kuwait Times',
      'Kuwait, NATO hold first dialogue round',
    ],
    ['الكويت والناتو يعقدان الجولة الأولى | الخليج أونلاين', '', 'الكويت والناتو يعقدان الجولة الأولى'],
    ['Biden - Putin', '', 'Biden - Putin'],
    ['NATO summit opens in The Hague', '', 'NATO summit opens in The Hague'],
  ])('%s', (title, site, expected) => {
    expect(stripSiteName(title, site)).toBe(expected);
  });
});
