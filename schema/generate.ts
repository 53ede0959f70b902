// Writes the JSON Schema of the webhook payloads from their zod schemas (src/domain/alert-payload.ts).
// Run after changing the payload: `node --import tsx schema/generate.ts`; a test fails until you do.
import { writeFileSync } from 'node:fs';
import { payloadJsonSchema } from '../src/domain/alert-payload';

for (const kind of ['alert', 'digest'] as const) {
  const file = new URL(`./${kind}-v1.schema.json`, import.meta.url);
  writeFileSync(file, `${JSON.stringify(payloadJsonSchema(kind), null, 2)}\n`);
  console.log(`written: ${file.pathname}`);
}
