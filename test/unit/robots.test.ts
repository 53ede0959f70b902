// RFC 9309 as newswatch applies it: what a robots.txt answer means, how long it holds, and
// which pages the `newswatch` token may fetch.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ROBOTS_TIMING,
  nextCachedRobots,
  ROBOTS_MAX_BYTES,
  robotsEntryFrom,
  robotsUrlFor,
  robotsVerdict,
  type CachedRobots,
  type RobotsEntry,
  type RobotsFetchOutcome,
} from '../../src/ingest/robots';

const NOW = Date.parse('2026-01-31T12:00:00Z');
const HOUR = 3600_000;
const DAY = 24 * HOUR;

describe('robotsEntryFrom', () => {
  const body = Buffer.from('User-agent: *\nDisallow: /x\n');
  it.each<[string, RobotsFetchOutcome, RobotsEntry['kind']]>([
    ['200 gives its rules', { status: 200, body }, 'rules'],
    ['204 gives its (empty) rules', { status: 204, body: Buffer.alloc(0) }, 'rules'],
    ['404 allows everything', { status: 404, body }, 'allow-all'],
    ['401 allows everything (§2.3.1.3)', { status: 401, body }, 'allow-all'],
    ['403 allows everything (§2.3.1.3)', { status: 403, body }, 'allow-all'],
    ['429 is "come back later", not "no rules"', { status: 429, body }, 'unreachable'],
    ['500 disallows for now', { status: 500, body }, 'unreachable'],
    ['503 disallows for now', { status: 503, body }, 'unreachable'],
    ['no answer disallows for now', { error: 'unreachable (ECONNREFUSED)' }, 'unreachable'],
  ])('%s', (_label, outcome, kind) => {
    expect(robotsEntryFrom(outcome, NOW)).toMatchObject({ kind, fetchedAt: NOW });
  });

  it('keeps the rules text, decoded as UTF-8 and cut at 500 KiB', () => {
    const arabic = 'User-agent: *\nDisallow: /أخبار/خاص\n';
    expect(robotsEntryFrom({ status: 200, body: Buffer.from(arabic) }, NOW)).toEqual({
      kind: 'rules',
      body: arabic,
      fetchedAt: NOW,
    });
    const huge = Buffer.alloc(ROBOTS_MAX_BYTES + 100, 'a');
    const entry = robotsEntryFrom({ status: 200, body: huge }, NOW);
    expect(entry.kind === 'rules' && entry.body.length).toBe(ROBOTS_MAX_BYTES);
  });

  it('says why it is unreachable', () => {
    expect(robotsEntryFrom({ status: 503, body: Buffer.alloc(0) }, NOW)).toEqual({
      kind: 'unreachable',
      reason: 'HTTP 503',
      fetchedAt: NOW,
    });
  });
});

describe('nextCachedRobots', () => {
  const rules: RobotsEntry = {
    kind: 'rules',
    body: 'User-agent: *\nDisallow: /\n',
    fetchedAt: NOW - 2 * DAY,
  };
  const down: RobotsEntry = { kind: 'unreachable', reason: 'HTTP 503', fetchedAt: NOW };
  const cached = (entry: RobotsEntry): CachedRobots => ({ entry, freshUntil: entry.fetchedAt + DAY });
  const { retryMs, freshMs } = DEFAULT_ROBOTS_TIMING;

  it.each<[string, CachedRobots | undefined, RobotsEntry, CachedRobots]>([
    [
      'a good answer holds for 24 hours',
      undefined,
      { kind: 'allow-all', status: 404, fetchedAt: NOW },
      { entry: { kind: 'allow-all', status: 404, fetchedAt: NOW }, freshUntil: NOW + freshMs },
    ],
    [
      'a good answer replaces an older one',
      cached(rules),
      { ...rules, fetchedAt: NOW },
      { entry: { ...rules, fetchedAt: NOW }, freshUntil: NOW + 24 * HOUR },
    ],
    [
      'unreachable with no copy: disallow, ask again soon',
      undefined,
      down,
      { entry: down, freshUntil: NOW + retryMs },
    ],
    [
      'unreachable with a recent copy: the copy stays in force, ask again soon',
      cached(rules),
      down,
      { entry: rules, freshUntil: NOW + retryMs },
    ],
    [
      'unreachable with a copy over 30 days old: disallow',
      cached({ ...rules, fetchedAt: NOW - 31 * DAY }),
      down,
      { entry: down, freshUntil: NOW + retryMs },
    ],
    [
      'unreachable after unreachable: still disallowed',
      cached({ ...down, fetchedAt: NOW - HOUR }),
      down,
      { entry: down, freshUntil: NOW + retryMs },
    ],
  ])('%s', (_label, previous, fetched, expected) => {
    expect(nextCachedRobots(previous, fetched, NOW)).toEqual(expected);
  });
});

describe('robotsVerdict', () => {
  const site = 'https://www.alkhaleej.example';
  const rules = (body: string): RobotsEntry => ({ kind: 'rules', body, fetchedAt: NOW });
  const ROBOTS = [
    'User-agent: *', //                 1
    'Disallow: /', //                   2
    '', //                              3
    'User-agent: newswatch', //         4
    'Disallow: /members/', //           5
    'Disallow: /*.pdf$', //             6
    'Disallow: /search?', //            7
    'Allow: /members/public/', //       8
    'Disallow: /أخبار/خاص', //          9
    '', //                              10
    'User-agent: otherbot', //          11
    'Disallow: /news/', //              12
  ].join('\n');

  it.each<[string, string, string | undefined]>([
    ['our group overrides *', '/news/2026/01/31/kuwait-nato.html', undefined],
    ['a disallowed folder', '/members/profile', 'line 5 disallows /members/profile'],
    ['the longest match wins: Allow', '/members/public/list', undefined],
    ['wildcard with end anchor', '/files/report.pdf', 'line 6 disallows /files/report.pdf'],
    ['end anchor does not match a longer path', '/files/report.pdf.html', undefined],
    ['the query string counts', '/search?q=nato', 'line 7 disallows /search?q=nato'],
    [
      'an Arabic rule matches the percent-encoded URL',
      '/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/%D8%AE%D8%A7%D8%B5/1',
      'line 9 disallows /أخبار/خاص/1',
    ],
    ['another Arabic path is allowed', '/%D8%A3%D8%AE%D8%A8%D8%A7%D8%B1/1', undefined],
  ])('%s: %s', (_label, path, refusal) => {
    const verdict = robotsVerdict(rules(ROBOTS), `${site}${path}`);
    if (refusal === undefined) expect(verdict).toEqual({ verdict: 'allowed' });
    else
      expect(verdict).toEqual({
        verdict: 'disallowed',
        reason: `${site}/robots.txt ${refusal} for newswatch`,
      });
  });

  it('matches the product token whatever its case, and falls back to * without a group of ours', () => {
    expect(robotsVerdict(rules('User-agent: NewsWatch\nDisallow: /a\n'), `${site}/a`)).toMatchObject({
      verdict: 'disallowed',
    });
    expect(robotsVerdict(rules('User-agent: *\nDisallow: /a\n'), `${site}/a`)).toMatchObject({
      verdict: 'disallowed',
    });
    expect(robotsVerdict(rules('User-agent: otherbot\nDisallow: /\n'), `${site}/a`)).toEqual({
      verdict: 'allowed',
    });
  });

  it('allows everything on a 4xx and holds back everything while unreachable', () => {
    expect(robotsVerdict({ kind: 'allow-all', status: 404, fetchedAt: NOW }, `${site}/x`)).toEqual({
      verdict: 'allowed',
    });
    expect(robotsVerdict({ kind: 'unreachable', reason: 'HTTP 500', fetchedAt: NOW }, `${site}/x`)).toEqual({
      verdict: 'unavailable',
      reason: `${site}/robots.txt could not be read (HTTP 500); its pages wait until it can`,
    });
  });

  it('finds robots.txt at the root of the page’s origin, port included', () => {
    expect(robotsUrlFor('http://127.0.0.1:8081/news/a.html?x=1#top')).toBe(
      'http://127.0.0.1:8081/robots.txt',
    );
  });
});
