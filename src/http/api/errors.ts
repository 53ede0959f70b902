// One error shape for the JSON API: `{error, field, message, problems}`, where `field` names what
// was wrong in the request (`url`, `query.limit`, `selectors.item`) so a client can point at it.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { Refusal, type Problem } from '../../refusal';

export interface ApiError {
  error: string;
  field?: string | undefined;
  message: string;
  problems?: Problem[] | undefined;
}

export function sendProblems(
  reply: FastifyReply,
  status: number,
  code: string,
  problems: Problem[],
): FastifyReply {
  const body: ApiError = {
    error: code,
    field: problems[0]?.field,
    message: problems.map((p) => `${p.field}: ${p.message}`).join('; '),
    problems,
  };
  return reply.code(status).send(body);
}

export const badRequest = (reply: FastifyReply, field: string, message: string) =>
  sendProblems(reply, 400, 'NW_BAD_REQUEST', [{ field, message }]);

export const notFound = (reply: FastifyReply, what: string, id: string) =>
  reply
    .code(404)
    .send({ error: 'NW_NOT_FOUND', field: 'id', message: `no ${what} "${id}"` } satisfies ApiError);

export const conflict = (reply: FastifyReply, field: string, message: string) =>
  sendProblems(reply, 409, 'NW_CONFLICT', [{ field, message }]);

/** Body fields are named as they are; query and path fields with their place (`query.limit`). */
function fieldOf(context: string | undefined, instancePath: string): string {
  const path = instancePath.replace(/^\//, '').split('/').filter(Boolean).join('.');
  if (context === 'body') return path || 'body';
  const where = context === 'querystring' ? 'query' : (context ?? 'request');
  return path ? `${where}.${path}` : where;
}

/** What a request's zod validation found, each problem naming its field; undefined for other errors. */
export function validationProblems(err: FastifyError): Problem[] | undefined {
  if (!hasZodFastifySchemaValidationErrors(err)) return undefined;
  return err.validation.flatMap((v) => {
    const keys = v.keyword === 'unrecognized_keys' ? ((v.params as { keys?: string[] }).keys ?? []) : [];
    if (keys.length)
      return keys.map((key) => ({
        field: fieldOf(err.validationContext, `${v.instancePath}/${key}`),
        message: 'is not a field of this request',
      }));
    return [{ field: fieldOf(err.validationContext, v.instancePath), message: v.message ?? 'is not valid' }];
  });
}

/** The answer to a request that failed inside: the log has the error, the client only that it failed. */
export const INTERNAL_MESSAGE = 'the request failed; the service log has the details';

export function installErrorHandler(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const problems = validationProblems(err);
    if (problems) return sendProblems(reply, 400, 'NW_BAD_REQUEST', problems);
    if (err instanceof Refusal) return sendProblems(reply, err.status, err.code, err.problems);
    if (err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY')
      return badRequest(reply, 'body', err.message);
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return sendProblems(reply, 415, 'NW_UNSUPPORTED_MEDIA_TYPE', [
        { field: 'content-type', message: err.message },
      ]);
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
      return sendProblems(reply, 413, 'NW_TOO_LARGE', [
        {
          field: 'body',
          message: `is larger than the ${request.routeOptions.bodyLimit ?? ''} bytes this route takes`,
        },
      ]);
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500)
      return reply.code(err.statusCode).send({ error: err.code, message: err.message });
    // The request by method and path (the app's serializer): never its query, which may hold secrets.
    request.log.error({ req: request, err: err.message, stack: err.stack }, 'request failed');
    return reply.code(500).send({ error: 'NW_INTERNAL', message: INTERNAL_MESSAGE });
  });
}
