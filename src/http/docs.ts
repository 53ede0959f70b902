// The OpenAPI document of the JSON API, built from the routes' zod schemas: the UI at /docs and
// the document itself at /docs/json. The operator pages and bull-board are left out of it.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import { createJsonSchemaTransform, createJsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { allowStyleHashes } from './security-headers';

const zodTransform = createJsonSchemaTransform({});
const DOCS_PATH = '/docs';
/** The <style> swagger-ui's small logo (the @fastify/swagger-ui 6 bundle) puts its two colours in. */
const LOGO_STYLE = "'sha256-RL3ie0nH+Lzz2YNqQN83mnU0J1ot4QL7b99vMdIX99w='" as const;

export async function registerDocs(app: FastifyInstance, boardPath: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'newswatch operator API',
        description:
          'Feeds, events, expectations, alerts and subscribers. Every route needs the operator token (`Authorization: Bearer <token>`) but the public ones, marked so: `/healthz`, `/readyz` and the unsubscribe link. `/metrics` also takes `METRICS_TOKEN`. Bad input is answered with 400 and `{error, field, message, problems}`, where `field` names what was wrong.',
        version: '1',
      },
      components: {
        securitySchemes: {
          operatorToken: { type: 'http', scheme: 'bearer', description: 'OPERATOR_TOKEN' },
          metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN, for /metrics only' },
        },
      },
      security: [{ operatorToken: [] }],
    },
    // The records named with .meta({ id }) (Alert, Event, Feed, ApiError, ...) go to
    // components.schemas once, and the routes refer to them there.
    transformObject: createJsonSchemaTransformObject({}),
    transform: (doc) =>
      doc.url.startsWith(boardPath) ? { schema: { hide: true }, url: doc.url } : zodTransform(doc),
  });
  allowStyleHashes(app, DOCS_PATH, [LOGO_STYLE]);
  await app.register(swaggerUi, { routePrefix: DOCS_PATH });
}
