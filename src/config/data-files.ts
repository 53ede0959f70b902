// Loads the gazetteer, the lexicon and subscribers.yml at start, validated, and compiles the analyzer.
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { compileAnalyzer, type Analyzer } from '../domain/analyzer';
import type { Subscriber } from '../domain/alerts';
import { entitiesFileSchema, lexiconSchema } from '../domain/lexicon';
import { configProblem, parseYamlWith } from './yaml';

export async function loadAnalyzer(entitiesFile: string, lexiconFile: string): Promise<Analyzer> {
  const text = await readFile(entitiesFile, 'utf8');
  const { entities } = parseYamlWith(entitiesFileSchema, text, entitiesFile);
  const problems: { path: (string | number)[]; message: string }[] = [];
  const ids = new Map<string, number>();
  entities.forEach((e, i) => {
    if (ids.has(e.id)) problems.push({ path: ['entities', i, 'id'], message: `"${e.id}" is declared twice` });
    ids.set(e.id, i);
  });
  entities.forEach((e, i) => {
    for (const field of ['affiliation', 'country'] as const) {
      const ref = e[field];
      if (ref && !ids.has(ref))
        problems.push({ path: ['entities', i, field], message: `"${ref}" is no entity id` });
    }
  });
  if (problems.length > 0) throw configProblem(text, entitiesFile, problems);
  const lexText = await readFile(lexiconFile, 'utf8');
  const lexicon = parseYamlWith(lexiconSchema, lexText, lexiconFile);
  const types = Object.keys(lexicon.eventTypes);
  const unknown = Object.entries(lexicon.eventTypes).flatMap(([type, d]) =>
    (d.answers ?? []).flatMap((t, i) =>
      types.includes(t)
        ? []
        : [
            {
              path: ['eventTypes', type, 'answers', i],
              message: `"${t}" is no event type (${types.join(', ')})`,
            },
          ],
    ),
  );
  if (unknown.length > 0) throw configProblem(lexText, lexiconFile, unknown);
  return compileAnalyzer(entities, lexicon);
}

const ALERT_KINDS = [
  'event.new',
  'expectation.opened',
  'expectation.fulfilled',
  'expectation.overdue',
] as const;

const subscriberSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case words joined by hyphens'),
    name: z.string().min(1),
    webhook: z
      .object({
        url: z.string().url(),
        secret: z
          .string()
          .regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, 'a Standard Webhooks secret: whsec_ and base64'),
      })
      .strict()
      .optional(),
    filters: z
      .object({ kinds: z.array(z.enum(ALERT_KINDS)).optional(), entities: z.array(z.string()).optional() })
      .strict()
      .default({}),
  })
  .strict();

export const subscribersFileSchema = z.object({ subscribers: z.array(subscriberSchema) }).strict();

export function parseSubscribers(text: string, fileName: string): Subscriber[] {
  return parseYamlWith(subscribersFileSchema, text, fileName).subscribers;
}

/** A missing subscribers file means no subscribers yet, not an error: the service still records events. */
export async function loadSubscribers(file: string): Promise<Subscriber[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return parseSubscribers(text, file);
}
