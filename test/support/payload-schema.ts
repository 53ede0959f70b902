// Validates payloads against the JSON Schema files in schema/, as a subscriber's own validator
// would (ajv, draft 2020-12): the files are the contract, not the zod schemas they come from.
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020';

const root = new URL('../../schema/', import.meta.url);

export function schemaFile(kind: 'alert' | 'digest'): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`${kind}-v1.schema.json`, root), 'utf8')) as Record<string, unknown>;
}

/** Returns the validation errors as `path: message` lines; [] when the payload is valid. */
export function validatorFor(kind: 'alert' | 'digest'): (payload: unknown) => string[] {
  const validate = new Ajv2020({ allErrors: true, strict: true }).compile(schemaFile(kind));
  return (payload) =>
    validate(payload) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'}: ${e.message}`);
}
