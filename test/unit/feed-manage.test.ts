// The pure parts of issue 15's feed management: which selector of a listing page finds nothing
// (named by its field), the type a probed document is stored as, and the dashboard's health line.
import { describe, expect, it } from 'vitest';
import { summarizeFeeds } from '../../src/domain/feed-summary';
import { listingSelectorProblem } from '../../src/feeds/listing-check';
import { feedTypeOf } from '../../src/feeds/probe';

const PAGE = `<html><body>
<a class="story" href="/n/1"><span class="t">One</span></a>
<a class="story" href="javascript:void(0)"><span class="t">Two</span></a>
<div class="promo"><a href="mailto:desk@example.org">Mail us</a></div>
</body></html>`;
const URL_ = 'https://news.example/list';

describe('listingSelectorProblem', () => {
  it('accepts an item that is its own link, with a title inside it', () => {
    expect(listingSelectorProblem(PAGE, URL_, { item: 'a.story', link: 'a', title: '.t' })).toBeUndefined();
  });

  it('names the first selector that finds nothing', () => {
    expect(listingSelectorProblem(PAGE, URL_, { item: 'li', link: 'a' })).toEqual({
      field: 'selectors.item',
      message: '"li" matches nothing on the page',
    });
    // A mailto: link is no link to an article.
    expect(listingSelectorProblem(PAGE, URL_, { item: '.promo', link: 'a' })?.field).toBe('selectors.link');
    expect(listingSelectorProblem(PAGE, URL_, { item: 'a.story', link: 'a', date: 'time' })).toEqual({
      field: 'selectors.date',
      message: '"time" matches nothing inside the 1 item found',
    });
    expect(listingSelectorProblem(PAGE, URL_, { item: 'a.story', link: 'a[href', title: 'h3' })).toEqual({
      field: 'selectors.link',
      message: '"a[href" is not a CSS selector',
    });
  });
});

describe('feedTypeOf', () => {
  it('tells a JSON Feed from the XML feeds', () => {
    expect(feedTypeOf('\uFEFF {"version":"https://jsonfeed.org/version/1.1"}')).toBe('json');
    expect(feedTypeOf('<?xml version="1.0"?><rss version="2.0"><channel/></rss>')).toBe('rss');
    expect(feedTypeOf('<feed xmlns="http://www.w3.org/2005/Atom"></feed>')).toBe('atom');
    expect(feedTypeOf('<rdf:RDF xmlns:rdf="x"></rdf:RDF>')).toBe('rdf');
  });
});

describe('the dashboard health line', () => {
  it('counts ok, backing off, failing and paused always, the other states when any, and the removed', () => {
    expect(summarizeFeeds(['ok', 'ok', 'failing', 'silent', 'removed', 'paused', 'ok'])).toEqual({
      total: 6,
      counts: [
        { state: 'ok', count: 3 },
        { state: 'backing off', count: 0 },
        { state: 'failing', count: 1 },
        { state: 'paused', count: 1 },
        { state: 'silent', count: 1 },
      ],
      removed: 1,
    });
  });
});
