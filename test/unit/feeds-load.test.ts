// feeds.yml: the shipped file validates, and each kind of mistake is reported as file:line: field.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadFeedsFile, parseFeedsYaml } from '../../src/feeds/load';

const FEED = (fields: Record<string, string>) =>
  Object.entries({
    id: 'nato-newsroom',
    name: 'NATO Newsroom',
    url: 'https://www.nato.int/rss.xml',
    type: 'rss',
    language: 'en',
    region: '[nato]',
    schedule: "'*/10 * * * *'",
    ...fields,
  })
    .filter(([, v]) => v !== '')
    .map(([k, v], i) => `${i === 0 ? '  - ' : '    '}${k}: ${v}`)
    .join('\n');

/** Line 1 is "feeds:", so the first feed's fields start on line 2 in the order id, name, url, type, ... */
const file = (...feeds: string[]) => `feeds:\n${feeds.join('\n')}\n`;

describe('the repository feeds.yml', () => {
  it('loads, with Arabic and English sources for the Gulf and NATO', async () => {
    const feeds = await loadFeedsFile(fileURLToPath(new URL('../../feeds.yml', import.meta.url)));
    expect(feeds.length).toBeGreaterThanOrEqual(10);
    expect(new Set(feeds.map((f) => f.language))).toEqual(new Set(['ar', 'en']));
    expect(feeds.some((f) => f.region.includes('nato'))).toBe(true);
    expect(feeds.some((f) => f.region.includes('kuwait') && f.language === 'ar')).toBe(true);
    expect(feeds.filter((f) => f.type === 'html').every((f) => f.selectors?.item && f.selectors.link)).toBe(
      true,
    );
  });
});

describe('parseFeedsYaml', () => {
  it('fills enabled: true when the field is left out, and keeps an explicit false', () => {
    const [a, b] = parseFeedsYaml(file(FEED({}), FEED({ id: 'b', enabled: 'false' })), 'feeds.yml');
    expect(a?.enabled).toBe(true);
    expect(b?.enabled).toBe(false);
  });

  it.each([
    {
      mistake: 'a schedule in words',
      text: file(FEED({ schedule: 'every minute' })),
      message:
        'feeds.yml:8: feeds[0].schedule: "every minute" is not a cron expression (5 fields: minute hour day month weekday)',
    },
    {
      mistake: 'a six-field cron with seconds',
      text: file(FEED({}), FEED({ id: 'b', schedule: "'*/5 * * * * *'" })),
      message:
        'feeds.yml:15: feeds[1].schedule: "*/5 * * * * *" is not a cron expression (5 fields: minute hour day month weekday)',
    },
    {
      mistake: 'an ftp URL',
      text: file(FEED({ url: 'ftp://ftp.nato.int/news.xml' })),
      message: 'feeds.yml:4: feeds[0].url: "ftp://ftp.nato.int/news.xml" is not an http(s) URL',
    },
    {
      mistake: 'an unknown type',
      text: file(FEED({ type: 'xml' })),
      message: 'feeds.yml:5: feeds[0].type: "xml" is not one of rss, atom, rdf, json, html',
    },
    {
      mistake: 'a language that is not ar or en',
      text: file(FEED({ language: 'fr' })),
      message: 'feeds.yml:6: feeds[0].language: "fr" is not one of ar, en',
    },
    {
      mistake: 'a missing name, reported on the entry line',
      text: file(FEED({}), FEED({ id: 'b', name: '' })),
      message: 'feeds.yml:9: feeds[1].name: is required',
    },
    {
      mistake: 'an empty schedule',
      text: file(FEED({ schedule: ' ' })),
      message: 'feeds.yml:8: feeds[0].schedule: is empty',
    },
    {
      mistake: 'a misspelt field',
      text: file(FEED({ shedule: "'0 * * * *'" })),
      message: 'feeds.yml:9: feeds[0].shedule: is not a known field',
    },
    {
      mistake: 'an html feed without selectors',
      text: file(FEED({ type: 'html' })),
      message: 'feeds.yml:2: feeds[0].selectors: is required when type is html',
    },
    {
      mistake: 'a duplicate id',
      text: file(FEED({}), FEED({})),
      message: 'feeds.yml:9: feeds[1].id: "nato-newsroom" is already used by feeds[0]',
    },
    {
      mistake: 'region given as a string',
      text: file(FEED({ region: 'gulf' })),
      message: 'feeds.yml:7: feeds[0].region: must be a list of tags, e.g. [gulf, kuwait]',
    },
    {
      mistake: 'a top-level list instead of a feeds map',
      text: '- id: a\n',
      message: 'feeds.yml:1: the file must be a map with a "feeds" list',
    },
    {
      mistake: 'a different top-level key',
      text: 'sources: []\n',
      message: 'feeds.yml:1: feeds: is required\nfeeds.yml:1: sources: is not a known field',
    },
  ])('names file, line and field for $mistake', ({ text, message }) => {
    expect(() => parseFeedsYaml(text, 'feeds.yml')).toThrowError(
      expect.objectContaining({ code: 'NW_CONFIG_INVALID', message }),
    );
  });

  it('lists every problem, one line each, in file order', () => {
    const text = file(FEED({ url: 'nato.int' }), FEED({ id: 'b', schedule: 'hourly' }));
    expect(() => parseFeedsYaml(text, 'conf/feeds.yml')).toThrowError(
      [
        'conf/feeds.yml:4: feeds[0].url: "nato.int" is not an http(s) URL',
        'conf/feeds.yml:15: feeds[1].schedule: "hourly" is not a cron expression (5 fields: minute hour day month weekday)',
      ].join('\n'),
    );
  });

  it('names the line of a YAML syntax error', () => {
    const text = 'feeds:\n  - id: a\n    region: [gulf\n    name: x\n';
    expect(() => parseFeedsYaml(text, 'feeds.yml')).toThrowError(/^feeds\.yml:[34]: YAML syntax: /);
  });

  it('reports a repeated key as a syntax error on its line', () => {
    const text = 'feeds:\n  - id: a\n    name: A\n    name: B\n';
    expect(() => parseFeedsYaml(text, 'feeds.yml')).toThrowError(
      /^feeds\.yml:4: YAML syntax: Map keys must be unique/,
    );
  });

  it('names the path when the file cannot be read', async () => {
    await expect(loadFeedsFile('/nonexistent/feeds.yml')).rejects.toMatchObject({
      code: 'NW_CONFIG_INVALID',
      message: '/nonexistent/feeds.yml: cannot read the feeds file (ENOENT)',
    });
  });
});
