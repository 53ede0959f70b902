// Which site a URL is on, and whose canonical claims a page may make (read-article.ts).
import { describe, expect, it } from 'vitest';
import { readArticle } from '../../src/ingest/read-article';
import { sameSite, siteOf } from '../../src/ingest/site';

describe('siteOf', () => {
  it.each([
    ['https://www.kuna.net.kw/a?id=1', 'kuna.net.kw'],
    ['https://news.bbc.co.uk/x', 'bbc.co.uk'],
    // the private section of the list: two github.io projects are two owners
    ['https://alice.github.io/post', 'alice.github.io'],
    ['http://127.0.0.1:8080/x', '127.0.0.1'],
    ['http://[::1]:8080/x', '[::1]'],
    ['http://localhost:3000/', 'localhost'],
    ['HTTPS://Example.COM./x', 'example.com'],
    ['file:///tmp/page.html', undefined],
    ['not a url', undefined],
  ])('%s → %s', (url, site) => {
    expect(siteOf(url)).toBe(site);
  });

  it('compares sites, not hosts, schemes or ports', () => {
    expect(sameSite('https://amp.example.com/a', 'http://www.example.com:8080/b')).toBe(true);
    expect(sameSite('https://alice.github.io/', 'https://bob.github.io/')).toBe(false);
    expect(sameSite('http://127.0.0.1/', 'http://127.0.0.2/')).toBe(false);
    expect(sameSite('file:///a', 'file:///a')).toBe(false);
  });
});

describe('readArticle: which canonical claims are believed', () => {
  const STORY =
    'Kuwait and NATO held the first round of their political and security dialogue at the Alliance headquarters in Brussels.';
  const page = (canonical: string, og = false) =>
    `<html><head><title>t</title>${
      og ? `<meta property="og:url" content="${canonical}">` : `<link rel="canonical" href="${canonical}">`
    }</head><body><article><p>${STORY}</p></article></body></html>`;

  it.each([
    [
      'the same site',
      'https://amp.site-b.example/x',
      'https://www.site-b.example/x',
      undefined,
      'https://www.site-b.example/x',
    ],
    ['a relative link', 'https://site-b.example/amp/x', '/x', undefined, 'https://site-b.example/x'],
    [
      'another site',
      'https://site-b.example/x',
      'https://site-a.example/real',
      undefined,
      'https://site-b.example/x',
    ],
    [
      'another github.io owner',
      'https://bob.github.io/x',
      'https://alice.github.io/x',
      undefined,
      'https://bob.github.io/x',
    ],
    [
      'the feed’s declared site',
      'https://cdn.static.example/x',
      'https://site-c.example/x',
      'https://site-c.example/',
      'https://site-c.example/x',
    ],
    [
      'a third site, with a feed site',
      'https://cdn.static.example/x',
      'https://site-a.example/x',
      'https://site-c.example/',
      'https://cdn.static.example/x',
    ],
  ])('a claim on %s', (_what, url, claim, site, expected) => {
    expect(readArticle(page(claim), url, { site }).canonicalUrl).toBe(expected);
    expect(readArticle(page(claim, true), url, { site }).canonicalUrl).toBe(expected);
  });

  it('a saved page (file: address) keeps its canonical link, the one record of where it came from', () => {
    expect(readArticle(page('https://site-a.example/real'), 'file:///tmp/page.html').canonicalUrl).toBe(
      'https://site-a.example/real',
    );
  });
});
