// Loads the gazetteer, the lexicon and subscribers.yml at start, validated, and compiles the analyzer.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { compileAnalyzer, type Analyzer } from '../domain/analyzer';
import type { MatchModel } from '../domain/match';
import { NewswatchError } from '../errors';
import type { Subscriber } from '../domain/alerts';
import { ALERT_KINDS } from '../domain/alert-kinds';
import { isCronExpression, isHttpUrl } from '../feeds/schema';
import { entitiesFileSchema, lexiconSchema } from '../domain/lexicon';
import { showValue } from './show-value';
import { configProblem, parseYamlWith } from './yaml';

const linearModel = z
  .object({
    bias: z.number(),
    weights: z.record(z.string(), z.number()),
    threshold: z.number().min(0).max(1),
  })
  .strict();
const modelSchema = z
  .object({ sameEvent: linearModel, fulfils: linearModel, fitted: z.unknown().optional() })
  .strict();

/** The fitted matching model; by default the one beside the lexicon (data/match-model.json). */
async function loadModel(file: string | undefined, lexiconFile: string): Promise<MatchModel | undefined> {
  const path = file ?? join(dirname(lexiconFile), 'match-model.json');
  if (!file && !existsSync(path)) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new NewswatchError('NW_CONFIG_INVALID', `${path}: ${(err as Error).message}`);
  }
  const parsed = modelSchema.safeParse(json);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new NewswatchError('NW_CONFIG_INVALID', `${path}: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  return parsed.data;
}

export async function loadAnalyzer(
  entitiesFile: string,
  lexiconFile: string,
  modelFile?: string,
): Promise<Analyzer> {
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
  return compileAnalyzer(entities, lexicon, await loadModel(modelFile, lexiconFile));
}

// ---- subscribers.yml -------------------------------------------------------------------------

const show = showValue;
const absent = (input: unknown): string | undefined =>
  input === undefined ? 'is required' : input === null ? 'is empty' : undefined;
const text = (what = 'text') =>
  z.string({ error: (iss) => absent(iss.input) ?? `${show(iss.input)} is not ${what}` });
const list = <T extends z.ZodType>(item: T, what: string) =>
  z.array(item, { error: (iss) => absent(iss.input) ?? `must be a list of ${what}` }).min(1, {
    error: 'must not be an empty list (leave the field out instead)',
  });
/** `email: a@x.org` or a list of addresses. */
const oneOrMany = <T extends z.ZodType>(item: T, what: string) =>
  z.union([item.transform((v) => [v]), list(item, what)], {
    error: (iss) => absent(iss.input) ?? `must be ${what} or a list of them`,
  });

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

// A secret is never echoed, not even a malformed one: a raw signing key pasted without its
// whsec_ prefix is still the key, and errors reach logs and API responses.
const webhookSecret = z
  .string({ error: (iss) => absent(iss.input) ?? 'is not text (a secret: its value is not shown)' })
  .regex(/^whsec_[A-Za-z0-9+/=]{16,}$/, {
    error:
      'is not a Standard Webhooks secret (whsec_ then at least 16 base64 characters; the value is not shown)',
  });

const webhookSchema = z
  .strictObject(
    {
      url: text('an http(s) URL').refine(isHttpUrl, {
        error: (iss) => `${show(iss.input)} is not an http(s) URL`,
      }),
      secret: webhookSecret.optional(),
      secrets: list(webhookSecret, 'secrets')
        .max(2, { error: 'holds at most two secrets: the new one and the one it replaces' })
        .optional(),
      ratePerSecond: z
        .number({ error: (iss) => `${show(iss.input)} is not a number` })
        .positive({ error: 'must be more than 0' })
        .optional(),
    },
    { error: (iss) => absent(iss.input) ?? 'must be a map {url, secret or secrets, ratePerSecond?}' },
  )
  .superRefine((w, ctx) => {
    if ((w.secret === undefined) === (w.secrets === undefined))
      ctx.addIssue({
        code: 'custom',
        path: [],
        message: 'needs exactly one of secret (one) or secrets (two, during a rotation)',
      });
  })
  .transform((w) => ({
    url: w.url,
    secrets: w.secrets ?? [w.secret!],
    ...(w.ratePerSecond === undefined ? {} : { ratePerSecond: w.ratePerSecond }),
  }));

const names = (what: string) => list(text(what).min(1, { error: 'must not be empty' }), `${what}s`);

const filtersSchema = z.strictObject(
  {
    kinds: list(
      z.enum(ALERT_KINDS, {
        error: (iss) => `${show(iss.input)} is not an alert kind (${ALERT_KINDS.join(', ')})`,
      }),
      'alert kinds',
    ).optional(),
    entities: z
      .union(
        [
          names('entity id'),
          z.strictObject({ all: names('entity id').optional(), any: names('entity id').optional() }),
        ],
        { error: 'must be a list of entity ids (any of them) or a map {all: [...], any: [...]}' },
      )
      .optional(),
    eventTypes: names('event type').optional(),
    feeds: names('feed id').optional(),
    regions: names('region tag').optional(),
    languages: names('language code').optional(),
    minScore: z
      .number({ error: (iss) => `${show(iss.input)} is not a number` })
      .min(0, { error: 'must be between 0 and 1' })
      .max(1, { error: 'must be between 0 and 1' })
      .optional(),
  },
  { error: (iss) => (iss.input === null ? 'is empty' : 'must be a map of filters') },
);

const digestSchema = z.strictObject(
  {
    schedule: text('a cron expression').refine(isCronExpression, {
      error: (iss) => `${show(iss.input)} is not a cron expression (5 fields: minute hour day month weekday)`,
    }),
    timezone: text('an IANA time zone').refine(isTimeZone, {
      error: (iss) => `${show(iss.input)} is not an IANA time zone (e.g. Asia/Kuwait, Europe/Brussels, UTC)`,
    }),
  },
  { error: (iss) => absent(iss.input) ?? 'must be a map {schedule, timezone}' },
);

/** One subscriber as written in subscribers.yml or sent to the API, validated and normalised. */
export const subscriberSchema = z
  .strictObject(
    {
      id: text().regex(/^[a-z0-9][a-z0-9-]*$/, {
        error: (iss) => `${show(iss.input)} is not lower-case words joined by hyphens`,
      }),
      name: text().trim().min(1, { error: 'must not be empty' }),
      email: oneOrMany(
        text('an email address').pipe(
          z.email({ error: (iss) => `${show(iss.input)} is not an email address` }),
        ),
        'an email address',
      ).optional(),
      webhook: webhookSchema.optional(),
      filters: filtersSchema.optional().transform((f) => f ?? {}),
      mode: z
        .enum(['instant', 'digest'], {
          error: (iss) => `${show(iss.input)} is not instant or digest`,
        })
        .optional(),
      digest: digestSchema.optional(),
    },
    { error: (iss) => absent(iss.input) ?? 'must be a map of subscriber fields' },
  )
  .superRefine((sub, ctx) => {
    if (!sub.email && !sub.webhook)
      ctx.addIssue({ code: 'custom', path: [], message: 'needs a channel: email, webhook or both' });
    if (sub.mode === 'digest' && !sub.digest)
      ctx.addIssue({
        code: 'custom',
        path: ['mode'],
        message: 'digest needs `digest: {schedule, timezone}`',
      });
    if (sub.digest && sub.mode !== 'digest')
      ctx.addIssue({ code: 'custom', path: ['digest'], message: 'is read only with `mode: digest`' });
  }) satisfies z.ZodType<Subscriber, unknown>;

export const subscribersFileSchema = z.strictObject(
  {
    subscribers: z
      .array(subscriberSchema, { error: (iss) => absent(iss.input) ?? 'must be a list of subscribers' })
      .nullable()
      .transform((s) => s ?? []),
  },
  { error: 'must be a map with one field, subscribers' },
);

/** The gazetteer's ids, as far as validation needs them. */
export interface KnownIds {
  has(id: string): boolean;
}

/**
 * Pure: text in, subscribers out. Ids must be unique and, when `entityIds` is given, every
 * entity a filter names must be in the gazetteer: a typo would otherwise never match, silently.
 */
export function parseSubscribers(text: string, fileName: string, entityIds?: KnownIds): Subscriber[] {
  const { subscribers } = parseYamlWith(subscribersFileSchema, text, fileName);
  const problems: { path: (string | number)[]; message: string }[] = [];
  const seen = new Set<string>();
  subscribers.forEach((sub, i) => {
    if (seen.has(sub.id))
      problems.push({ path: ['subscribers', i, 'id'], message: `"${sub.id}" is declared twice` });
    seen.add(sub.id);
    if (entityIds)
      problems.push(
        ...unknownEntities(sub, entityIds).map((p) => ({ ...p, path: ['subscribers', i, ...p.path] })),
      );
  });
  if (problems.length > 0) throw configProblem(text, fileName, problems);
  return subscribers;
}

/** Filter entities that the gazetteer does not know, as `filters.entities...` paths. */
export function unknownEntities(
  sub: Subscriber,
  entityIds: KnownIds,
): { path: (string | number)[]; message: string }[] {
  const e = sub.filters.entities;
  if (!e) return [];
  const groups: [(string | number)[], string[] | undefined][] = Array.isArray(e)
    ? [[['filters', 'entities'], e]]
    : [
        [['filters', 'entities', 'all'], e.all],
        [['filters', 'entities', 'any'], e.any],
      ];
  return groups.flatMap(([path, ids]) =>
    (ids ?? []).flatMap((id, j) =>
      entityIds.has(id) ? [] : [{ path: [...path, j], message: `"${id}" is no entity id in the gazetteer` }],
    ),
  );
}

/** A missing subscribers file means no subscribers yet, not an error: the service still records events. */
export async function loadSubscribers(file: string, entityIds?: KnownIds): Promise<Subscriber[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return parseSubscribers(text, file, entityIds);
}
