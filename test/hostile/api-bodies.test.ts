// Hostile request bodies against every JSON route that takes one, on the running service over
// real HTTP. Field-by-field validation (a bad cron, a missing name, an unknown entity) is checked
// route by route in test/integration/api-*.test.ts; here each route gets the same hostile
// shapes. What they try: the wrong JSON type, prototype pollution, a value nested 10,000 deep
// (which overflowed the error formatter into a 500), a body of 2 MB, a type-confused field, and
// a feed URL aimed at the cloud metadata service. What is checked: a 4xx that names the field
// (`body` when the whole body is wrong), never a 500, and nothing polluted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOperatorService, type OperatorService } from '../support/operator';
import { PRIVATE_ADDRESS_REASON } from '../../src/feeds/probe';

let svc: OperatorService;

beforeAll(async () => {
  svc = await startOperatorService('hostile-api');
});

afterAll(async () => {
  await svc?.close();
});

async function send(method: string, path: string, body: string, contentType = 'application/json') {
  const res = await fetch(`${svc.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${svc.token}`, 'content-type': contentType },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text) as { error: string; field?: string; message: string } };
}

const ROUTES: [string, string, string][] = [
  // method, path, the field a type-confused body is refused on
  ['POST', '/api/feeds', 'url'],
  ['PATCH', '/api/feeds/gulf', 'name'],
  ['POST', '/api/subscribers', 'id'],
  ['PUT', '/api/subscribers/desk', 'id'],
  ['POST', '/api/expectations/xp_1/cancel', 'reason'],
];

const deep = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

// what the body tries, the raw body, the status, the field the answer must name (undefined: no field)
const BODIES: [string, (field: string) => string, number, ((field: string) => string) | undefined][] = [
  ['a JSON list instead of an object', () => '[1, 2]', 400, () => 'body'],
  ['a JSON string instead of an object', () => '"hello"', 400, () => 'body'],
  ['prototype pollution through __proto__', () => '{"__proto__": {"polluted": true}}', 400, () => 'body'],
  [
    'prototype pollution through constructor',
    () => '{"constructor": {"prototype": {"polluted": true}}}',
    400,
    () => 'body',
  ],
  ['JSON cut short', () => '{"url": ', 400, () => 'body'],
  ['a field nested 10,000 deep', (field) => `{"${field}": ${deep(10_000)}}`, 400, (field) => field],
  ['a field of the wrong type', (field) => `{"${field}": {"$gt": ""}}`, 400, (field) => field],
  ['a 2 MB body', (field) => JSON.stringify({ [field]: 'x'.repeat(2 * 1024 * 1024) }), 413, undefined],
];

describe.each(ROUTES)('%s %s', (method, path, field) => {
  it.each(BODIES)(
    'refuses %s with a 4xx naming the field, never a 500',
    async (_what, body, status, named) => {
      const res = await send(method, path, body(field));
      expect(res.status).toBe(status);
      if (named) expect(res.body.field).toBe(named(field));
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    },
  );
});

describe('a feed added through the API that points inside', () => {
  it('is refused on its url, never fetched, with the one answer the probe gives for private addresses', async () => {
    const url = 'http://169.254.169.254/latest/meta-data/';
    const res = await send('POST', '/api/feeds', JSON.stringify({ url }));
    expect(res.status).toBe(400);
    expect(res.body.field).toBe('url');
    // Naming the address and the rule would tell a prober which addresses are allowed (allow-ports.test.ts).
    expect(res.body.message).toContain(`${url}: ${PRIVATE_ADDRESS_REASON}`);
  });
});
