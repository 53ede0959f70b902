// Hostile query strings against every list route, on the running service over real HTTP: the JSON
// API, the delivery routes (/api/dead-letters sat outside the API's validation, and
// `?offset=1e308` reached Redis and came back as a 500 carrying Redis's own error), the operator
// pages (`/timeline?entities=a&entities=b` was a 500 with a TypeError's message) and bull-board's
// job lists. What they try: 1e308, -1, NaN, 10,000 characters, a name given twice, a name the
// route does not take. What is checked: 400 naming the field (`query.offset`), never a 500. Then
// a store that fails inside (a key of the wrong type, as a corrupted or foreign Redis would give):
// a 500 on every surface, and none of them passes Redis's message on.
import { load } from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/store/redis';
import { startOperatorService, type OperatorService, type Reply } from '../support/operator';

let svc: OperatorService;

beforeAll(async () => {
  svc = await startOperatorService('hostile-query', ['http']);
});

afterAll(async () => {
  await svc?.close();
});

const HUGE = 'x'.repeat(10_000);
const HOSTILE: [string, string][] = [
  ['1e308', '1e308'],
  ['-1', '-1'],
  ['NaN', 'NaN'],
  ['10,000 characters', HUGE],
];

/** What leaks when an internal error's message is passed on. */
const RAW_ERROR = /\bERR\b|WRONGTYPE|is not a function|TypeError|ReplyError|at .*\.(ts|js):\d+/;

/** The fields an HTML error page names, as a person reads them. */
const pageErrors = (res: Reply) => load(res.text)('.error, .field-error').text();

function expectRefused(res: Reply, kind: 'json' | 'html', param: string) {
  expect(res.status).toBe(400);
  expect(res.text).not.toMatch(RAW_ERROR);
  if (kind === 'json') expect(res.body.field).toBe(`query.${param}`);
  else expect(pageErrors(res)).toContain(`query.${param}`);
}

// route, what it answers, its query parameters, values a parameter takes as they are
const LISTS: [string, 'json' | 'html', string[], Record<string, string[]>?][] = [
  ['/api/dead-letters', 'json', ['limit', 'offset']],
  ['/api/pages/given-up', 'json', ['limit', 'offset']],
  ['/api/events', 'json', ['limit', 'entity', 'type', 'from', 'to', 'historical']],
  ['/api/events/timeline', 'json', ['entities']],
  ['/api/expectations', 'json', ['state', 'entity', 'limit']],
  ['/api/alerts', 'json', ['kind', 'limit']],
  ['/api/feeds', 'json', ['removed']],
  // `added` names the feed just added, to show what its probe read; an id no feed has shows nothing
  ['/', 'html', ['added'], { added: ['1e308', '-1', 'NaN'] }],
  ['/expectations', 'html', ['state']],
  ['/timeline', 'html', ['entities']],
];

const cases = LISTS.flatMap(([path, kind, params, accepted = {}]) =>
  params.flatMap((param) =>
    HOSTILE.map(([what, value]) => [
      `${path}?${param}=${what}`,
      { path, kind, param, value, accepted: (accepted[param] ?? []).includes(value) },
    ]),
  ),
) as [string, { path: string; kind: 'json' | 'html'; param: string; value: string; accepted: boolean }][];

describe('hostile values in a list route’s query', () => {
  it.each(cases)('%s is refused with 400 naming the parameter, or taken as it is', async (_name, c) => {
    const res = await svc.call('GET', `${c.path}?${c.param}=${encodeURIComponent(c.value)}`);
    if (c.accepted) {
      expect(res.status).toBe(200);
      return;
    }
    expectRefused(res, c.kind, c.param);
  });

  const twice = LISTS.flatMap(([path, kind, params]) =>
    params.map((param) => [`${path}?${param}=1&${param}=2`, { path, kind, param }] as const),
  );
  it.each(twice)('%s is refused: the name is given more than once', async (_name, c) => {
    const res = await svc.call('GET', `${c.path}?${c.param}=1&${c.param}=2`);
    expectRefused(res, c.kind, c.param);
    const said = c.kind === 'json' ? res.body.message : pageErrors(res);
    expect(said).toContain('is given more than once');
  });

  it('keeps to plain whole numbers: 1e3, 0x10, 1.5 and " 5" are not read as numbers', async () => {
    for (const value of ['1e3', '0x10', '1.5', ' 5', '5 ', '+5', '']) {
      const res = await svc.call('GET', `/api/dead-letters?offset=${encodeURIComponent(value)}`);
      expectRefused(res, 'json', 'offset');
    }
    expect((await svc.call('GET', '/api/dead-letters?offset=1000000001')).body.message).toBe(
      'query.offset: is at most 1000000000',
    );
    expect((await svc.call('GET', '/api/dead-letters?limit=20&offset=40')).status).toBe(200);
  });
});

describe('a query parameter a route does not take', () => {
  const routes: [string, 'json' | 'html'][] = [
    ['/api/subscribers', 'json'],
    ['/api/feeds/export', 'json'],
    ['/api/alerts/al_1', 'json'],
    ['/api/alerts/al_1/deliveries', 'json'],
    ['/alerts', 'html'],
    ['/expectations', 'html'],
    ['/api/unsubscriptions', 'json'],
    ['/subscribers', 'html'],
  ];
  it.each(routes)('%s?offset=1e308 is refused naming query.offset', async (path, kind) => {
    const res = await svc.call('GET', `${path}?offset=1e308`);
    expectRefused(res, kind, 'offset');
    const said = kind === 'json' ? res.body.message : pageErrors(res);
    expect(said).toContain('is not a field of this request');
  });
});

describe('bull-board’s job lists', () => {
  const params = ['page', 'jobsPerPage'];
  const board = params.flatMap((param) =>
    [...HOSTILE, ['given twice', '']].map(
      ([what, value]) => [`?${param}=${what}`, { param, what: what!, value: value! }] as const,
    ),
  );
  it.each(board)('%s is refused with 400 naming the parameter, never a 500', async (_name, c) => {
    const query =
      c.what === 'given twice' ? `${c.param}=1&${c.param}=2` : `${c.param}=${encodeURIComponent(c.value)}`;
    const res = await svc.call('GET', `/admin/queues/api/queues?activeQueue=poll&${query}`);
    expect(res.status).toBe(400);
    expect(res.text).not.toMatch(RAW_ERROR);
    expect(res.body.error.options.field).toBe(c.param);
    expect(res.body.field).toBe(`query.${c.param}`);
  });

  it('still lists a queue’s jobs a page at a time', async () => {
    const res = await svc.call('GET', '/admin/queues/api/queues?activeQueue=poll&page=1&jobsPerPage=50');
    expect(res.status).toBe(200);
    expect(res.body.queues.map((q: { name: string }) => q.name)).toContain('poll');
  });
});

describe('a store that fails inside', () => {
  let broken: OperatorService;

  beforeAll(async () => {
    broken = await startOperatorService('hostile-query-broken', ['http']);
    // Keys of the wrong type where the dead letters, the alerts and a queue's waiting list are kept.
    const redis = connectRedis(broken.config.redisUrl);
    const p = broken.config.prefix;
    await redis.mset(`${p}dead-letters:by-time`, 'x', `${p}alerts`, 'x', `${p}bull:poll:wait`, 'x');
    redis.disconnect();
  });

  afterAll(async () => {
    await broken?.close();
  });

  const surfaces: [string, string, 'json' | 'html' | 'board'][] = [
    ['the delivery routes', '/api/dead-letters', 'json'],
    ['the JSON API', '/api/alerts', 'json'],
    ['the alerts page', '/alerts', 'html'],
    ['the dashboard', '/', 'html'],
    ['bull-board', '/admin/queues/api/queues?activeQueue=poll', 'board'],
    ['/metrics', '/metrics', 'json'],
  ];
  it.each(surfaces)('%s (%s) answers 500 without Redis’s message', async (_what, path, kind) => {
    const res = await broken.call('GET', path);
    expect(res.status).toBe(500);
    expect(res.text).not.toMatch(RAW_ERROR);
    if (kind === 'json') expect(res.body).toEqual({ error: 'NW_INTERNAL', message: expect.any(String) });
    if (kind === 'board') expect(res.body.error.key).toBe('ERRORS.INTERNAL_SERVER_ERROR');
    if (kind === 'html') expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.text).toContain('the service log has the details');
  });
});
