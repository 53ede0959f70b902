// canonicalUrl: one spelling per article, so shared and feed links of one story dedupe.
import { describe, expect, it } from 'vitest';
import { canonicalUrl } from '../../src/ingest/canonical-url';

describe('canonicalUrl', () => {
  it.each([
    [
      'lower-cases the host',
      'https://WWW.NATO.INT/cps/en/natohq/news.htm',
      'https://www.nato.int/cps/en/natohq/news.htm',
    ],
    ['drops the fragment', 'https://kuwaittimes.com/story#comments', 'https://kuwaittimes.com/story'],
    [
      'drops utm_* and click ids',
      'https://www.arabnews.com/node/1?utm_source=twitter&utm_medium=social&fbclid=abc&gclid=x',
      'https://www.arabnews.com/node/1',
    ],
    [
      'drops mailing-list and referral params but keeps the article id',
      'https://www.kuna.net.kw/ArticleDetails.aspx?mc_cid=1&mc_eid=2&ref=home&ocid=x&id=3200001',
      'https://www.kuna.net.kw/ArticleDetails.aspx?id=3200001',
    ],
    [
      'sorts the remaining params',
      'https://www.kuna.net.kw/ArticleDetails.aspx?language=ar&id=3200001',
      'https://www.kuna.net.kw/ArticleDetails.aspx?id=3200001&language=ar',
    ],
    [
      'removes the default https port',
      'https://gulfnews.com:443/world/gulf',
      'https://gulfnews.com/world/gulf',
    ],
    ['removes the default http port', 'http://gulfnews.com:80/world', 'http://gulfnews.com/world'],
    ['keeps a non-default port', 'http://127.0.0.1:8080/a', 'http://127.0.0.1:8080/a'],
    ['removes a trailing index.html', 'https://www.wam.ae/en/news/index.html', 'https://www.wam.ae/en/news'],
    [
      'strips a trailing slash on a path',
      'https://kuwaittimes.com/kuwait-nato/',
      'https://kuwaittimes.com/kuwait-nato',
    ],
    ['keeps the root slash', 'https://www.aljazeera.net/', 'https://www.aljazeera.net/'],
    ['turns /index.html into the root', 'https://www.aljazeera.net/index.html', 'https://www.aljazeera.net/'],
    ['keeps a valueless param as written', 'https://x.org/a?amp&b=1', 'https://x.org/a?amp&b=1'],
    [
      'keeps an encoded Arabic path',
      'https://alkhaleejonline.net/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9/',
      'https://alkhaleejonline.net/%D8%B3%D9%8A%D8%A7%D8%B3%D8%A9',
    ],
    ['returns what is not a URL unchanged', 'not a url', 'not a url'],
  ])('%s', (_rule, input, expected) => {
    expect(canonicalUrl(input)).toBe(expected);
  });

  it('gives the same answer twice (idempotent)', () => {
    const once = canonicalUrl('https://A.example/x/index.html?b=2&utm_source=t&a=1#f');
    expect(canonicalUrl(once)).toBe(once);
  });
});
