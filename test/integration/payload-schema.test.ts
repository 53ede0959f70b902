// The versioned payload documented in schema/: the files match the code, and the payloads the
// pipeline really sends (the seed scenario, end to end) validate against them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { payloadJsonSchema } from '../../src/domain/alert-payload';
import { createLogger } from '../../src/log';
import { startSeedScenario, type SeedScenario } from '../../src/demo/seed-scenario';
import { testConfig } from '../support/config';
import { schemaFile, validatorFor } from '../support/payload-schema';

describe('schema/*.schema.json', () => {
  it.each(['alert', 'digest'] as const)(
    '%s-v1 is what the code defines (regenerate: node --import tsx schema/generate.ts)',
    (kind) => {
      expect(schemaFile(kind)).toEqual(payloadJsonSchema(kind));
    },
  );
});

describe('payloads the pipeline sends', () => {
  let scenario: SeedScenario;
  beforeAll(async () => {
    scenario = await startSeedScenario(testConfig('payload-schema'), createLogger('silent'));
    await scenario.poll();
    await scenario.publishSecond();
    await scenario.poll();
  }, 60_000);
  afterAll(async () => {
    await scenario?.close();
  });

  it('validate against alert-v1, for every kind the seed scenario raises', () => {
    const validate = validatorFor('alert');
    const bodies = scenario.receiver.accepted().map((d) => d.payload as { type: string; version: number });
    expect(new Set(bodies.map((b) => b.type))).toEqual(
      new Set(['event.new', 'expectation.opened', 'expectation.fulfilled']),
    );
    for (const body of bodies) {
      expect(body.version).toBe(1);
      expect(validate(body)).toEqual([]);
    }
  });

  it('would fail validation if a source lost its URL or the version changed', () => {
    const validate = validatorFor('alert');
    const body = structuredClone(scenario.receiver.accepted()[0]!.payload) as {
      version: number;
      data: { sources: Record<string, unknown>[] };
    };
    delete body.data.sources[0]!.url;
    body.version = 2;
    expect(validate(body)).toEqual(
      expect.arrayContaining([
        "/data/sources/0: must have required property 'url'",
        '/version: must be equal to constant',
      ]),
    );
  });
});
