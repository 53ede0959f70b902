// The OpenAPI document at /docs/json as a client generator reads it: every JSON route says what it
// answers (a real schema, not "Default Response"), with the API's error shape; the public routes
// are marked public (no token), and /healthz, /readyz and /metrics are documented. The API's
// serializer encodes answers through the same schemas, so the other API tests check that each
// route sends what is documented.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOperatorService, type OperatorService } from '../support/operator';

let svc: OperatorService;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is JSON read as a client reads it
let doc: any;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
interface Operation {
  security?: Record<string, string[]>[];
  responses: Record<string, { description: string; content?: Record<string, { schema: unknown }> }>;
}
const operations = (): { path: string; method: string; op: Operation }[] =>
  Object.entries(doc.paths as Record<string, Record<string, Operation>>).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((method) => ({ path, method, op: item[method]! })),
  );
/** A schema with its $ref followed into components. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON Schema read as JSON
const resolve = (schema: any): any => {
  if (schema?.$ref) return resolve(doc.components.schemas[String(schema.$ref).split('/').pop()!]);
  if (schema?.allOf?.length === 1) return resolve(schema.allOf[0]);
  return schema;
};

beforeAll(async () => {
  svc = await startOperatorService('openapi', ['http']);
  const res = await svc.call('GET', '/docs/json');
  expect(res.status).toBe(200);
  doc = res.body;
});

afterAll(async () => {
  await svc?.close();
});

describe('the OpenAPI document', () => {
  it('gives every /api route a success answer with a real schema, and the error shape', () => {
    const api = operations().filter((o) => o.path.startsWith('/api/'));
    expect(api.length).toBeGreaterThan(20);
    for (const { path, method, op } of api) {
      const name = `${method.toUpperCase()} ${path}`;
      const success = Object.entries(op.responses).filter(([code]) => /^2/.test(code));
      expect(success.length, name).toBeGreaterThan(0);
      for (const [code, answer] of success) {
        expect(answer.description, `${name} ${code}`).not.toBe('Default Response');
        if (code === '204') continue;
        const [type, media] = Object.entries(answer.content ?? {})[0] ?? [];
        expect(type, `${name} ${code}`).toBeDefined();
        if (type === 'application/json') {
          const schema = resolve(media!.schema);
          expect(Object.keys(schema.properties ?? {}).length, `${name} ${code}`).toBeGreaterThan(0);
        }
      }
      const refused = resolve(op.responses['400']?.content?.['application/json']?.schema);
      expect(refused?.required, `${name} 400`).toEqual(expect.arrayContaining(['error', 'message']));
    }
  });

  it('describes the records with their fields: an alert, an event, a feed with its health', () => {
    const alerts = resolve(doc.paths['/api/alerts'].get.responses['200'].content['application/json'].schema);
    const alert = resolve(alerts.properties.alerts.items);
    expect(alert.properties).toHaveProperty('kind');
    expect(alert.properties).toHaveProperty('deliveries');
    expect(alert.required).toEqual(expect.arrayContaining(['id', 'kind', 'title', 'sources', 'reasons']));
    const feed = resolve(
      resolve(doc.paths['/api/feeds/{id}'].get.responses['200'].content['application/json'].schema).properties
        .feed,
    );
    expect(Object.keys(feed.properties)).toEqual(
      expect.arrayContaining(['id', 'url', 'type', 'schedule', 'health']),
    );
    expect(doc.paths['/api/feeds/{id}'].get.responses).toHaveProperty('404');
    expect(doc.paths['/api/feeds'].post.responses).toHaveProperty('201');
    expect(doc.paths['/api/feeds/export.opml'].get.responses['200'].content).toHaveProperty('text/x-opml');
  });

  it('marks the public routes public and documents health and metrics', () => {
    for (const [path, method] of [
      ['/healthz', 'get'],
      ['/readyz', 'get'],
      ['/unsubscribe', 'get'],
      ['/unsubscribe', 'post'],
    ] as const) {
      const op = doc.paths[path]?.[method] as Operation | undefined;
      expect(op, `${method} ${path}`).toBeDefined();
      expect(op!.security, `${method} ${path}`).toEqual([]);
    }
    expect(doc.paths['/readyz'].get.responses).toHaveProperty('503');
    expect(doc.paths['/unsubscribe'].get.responses['200'].content).toHaveProperty('text/html');
    const metrics = doc.paths['/metrics'].get as Operation;
    expect(metrics.security).toEqual([{ operatorToken: [] }, { metricsToken: [] }]);
    expect(metrics.responses['200']!.content).toHaveProperty('text/plain');
    expect(Object.keys(doc.components.securitySchemes)).toEqual(['operatorToken', 'metricsToken']);
    // every route not marked public needs the operator token (the document's default)
    expect(doc.security).toEqual([{ operatorToken: [] }]);
  });

  it('leaves the operator pages and bull-board out', () => {
    const paths = Object.keys(doc.paths);
    expect(paths.filter((p) => !/^\/(api\/|healthz$|readyz$|metrics$|unsubscribe$)/.test(p))).toEqual([]);
  });
});

describe('the public routes answer as documented', () => {
  it('/healthz and /readyz need no token', async () => {
    const live = await svc.call('GET', '/healthz', undefined, { token: null });
    expect(live.body).toEqual({ status: 'ok' });
    const ready = await svc.call('GET', '/readyz', undefined, { token: null });
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ status: 'ready', failed: [] });
  });
});
