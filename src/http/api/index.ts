// The JSON API under /api/: routes validated by zod schemas (the same ones feeds.yml and
// subscribers.yml are checked with), described in the OpenAPI document at /docs.
import type { FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { OperatorDeps } from '../operator';
import { alertsApi } from './alerts';
import { installErrorHandler } from './errors';
import { eventsApi } from './events';
import { expectationsApi } from './expectations';
import { feedsApi } from './feeds';
import { pagesApi } from './pages';
import { subscribersApi } from './subscribers';
import { watchesApi } from './watches';

export function api(deps: OperatorDeps) {
  return async function routes(parent: FastifyInstance): Promise<void> {
    // Set in this plugin's own context: bull-board's routes elsewhere keep fastify's own validation.
    parent.setValidatorCompiler(validatorCompiler);
    // Every answer is encoded through its route's response schema (src/http/api/responses.ts): what
    // /docs promises is what is sent, and an answer that breaks its schema fails loudly in tests.
    parent.setSerializerCompiler(serializerCompiler);
    installErrorHandler(parent);
    const app = parent.withTypeProvider<ZodTypeProvider>();
    for (const plugin of [feedsApi, eventsApi, expectationsApi, alertsApi, pagesApi, subscribersApi])
      await app.register(plugin(deps));
    await app.register(watchesApi(deps));
  };
}
