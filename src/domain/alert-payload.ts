// The versioned JSON payload subscribers receive (webhook bodies; the same data an email shows).
// The zod schemas are the source of schema/alert-v1.schema.json and schema/digest-v1.schema.json,
// so the documented contract and what the code sends cannot drift apart. Pure.
import { z } from 'zod';
import { ALERT_KINDS } from './alert-kinds';
import type { Alert, EventRecord, ExpectationRecord, SourceRef } from './types';

export const PAYLOAD_VERSION = 1;

const sourceSchema = z
  .object({
    title: z.string().meta({ description: 'headline of the article' }),
    url: z.string().meta({ description: 'canonical URL of the article' }),
    feed: z.string().nullable().meta({ description: 'id of the feed it was read from (feeds.yml), if any' }),
    language: z.string().meta({ description: 'ISO 639-1 code of the article, e.g. ar, en' }),
    date: z.string().meta({ description: 'publication time, ISO 8601' }),
  })
  .meta({ id: 'Source', description: 'an article that reports or expects what the alert is about' });

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

const eventSchema = z
  .object({
    id: z.string(),
    type: z.string().meta({ description: 'meeting, dialogue, visit, summit, agreement, exercise, ...' }),
    family: z.string(),
    participants: z.array(z.string()).meta({ description: 'entity ids taking part' }),
    actors: z.array(z.string()).meta({ description: 'entity ids of the people named' }),
    place: z.string().nullable(),
    date: z.object({
      value: z
        .string()
        .meta({ description: 'the date as precise as the text gives it: 2026-01-28, 2026-01, 2026' }),
      precision: z.enum(['day', 'month', 'year', 'reported']),
      from: day,
      to: day,
    }),
    historical: z.boolean().meta({ description: 'background recounted by an article, not its news' }),
    evidence: z.string().meta({ description: 'the sentence the event was read from' }),
    sources: z.array(sourceSchema),
  })
  .meta({ id: 'Event', description: 'something that happened, as the event base holds it' });

const expectationSchema = z
  .object({
    id: z.string(),
    types: z.array(z.string()).meta({ description: 'event types expected' }),
    participants: z.array(z.string()),
    due: z.object({ from: day, to: day }).meta({ description: 'the window in which it is expected' }),
    horizon: z.string().meta({ description: 'the phrase the window was read from' }),
    text: z.string().meta({ description: 'the sentence it came from' }),
    state: z.enum(['open', 'fulfilled', 'overdue', 'cancelled']),
    source: sourceSchema,
    fulfilledBy: z
      .object({ eventId: z.string(), source: sourceSchema, score: z.number(), reasons: z.array(z.string()) })
      .nullable(),
  })
  .meta({ id: 'Expectation', description: 'something an article said will or should happen' });

export const alertDataSchema = z
  .object({
    id: z.string().meta({ description: 'stable alert id: the same decision always has the same id' }),
    kind: z.enum(ALERT_KINDS),
    title: z.string(),
    createdAt: z.string().meta({ description: 'when the alert was raised, ISO 8601' }),
    parties: z.array(z.object({ id: z.string(), name: z.string() })),
    event: eventSchema.nullable(),
    expectation: expectationSchema.nullable(),
    sources: z.array(sourceSchema),
    feed: z
      .object({ id: z.string(), name: z.string(), url: z.string() })
      .nullable()
      .meta({ description: 'the feed an operator alert (feed.failing, feed.silent, feed.broken) is about' }),
    watch: z.object({ id: z.string(), name: z.string() }).nullable().optional().meta({
      description: 'the watch an article.match met; sources[0] is the article (null for other kinds)',
    }),
    matched: z
      .object({
        entities: z.array(z.string()).meta({ description: "entity ids of the watch's the article names" }),
        keywords: z
          .array(z.string())
          .meta({ description: "the watch's keywords the article holds, as the watch writes them" }),
        excerpt: z
          .string()
          .nullable()
          .meta({ description: 'the sentence of the text where the first keyword met stands' }),
      })
      .nullable()
      .optional()
      .meta({ description: 'what of the watch an article.match article met (null for other kinds)' }),
    score: z
      .number()
      .nullable()
      .meta({ description: 'match score (0–1) for fulfilled and same_event alerts' }),
    reasons: z.array(z.string()).meta({ description: 'why this alert was raised, human-readable' }),
  })
  .meta({ id: 'Alert' });

export const alertPayloadSchema = z
  .object({
    type: alertDataSchema.shape.kind,
    version: z.literal(PAYLOAD_VERSION),
    timestamp: z.string().meta({ description: 'when the alert was raised, ISO 8601' }),
    data: alertDataSchema,
  })
  .meta({
    title: 'newswatch alert, version 1',
    description: 'The body of a newswatch webhook for one alert, signed with Standard Webhooks headers.',
  });

export const digestPayloadSchema = z
  .object({
    type: z.literal('digest'),
    version: z.literal(PAYLOAD_VERSION),
    timestamp: z.string().meta({ description: 'when the period closed, ISO 8601' }),
    data: z.object({
      id: z.string().meta({ description: 'stable digest id: subscriber and period' }),
      period: z.object({ from: z.string().nullable(), to: z.string() }),
      alerts: z.array(alertDataSchema),
    }),
  })
  .meta({
    title: 'newswatch digest, version 1',
    description: 'The body of a newswatch webhook for a digest: every alert of one period.',
  });

export type SourcePayload = z.infer<typeof sourceSchema>;
export type AlertData = z.infer<typeof alertDataSchema>;
export type AlertPayload = z.infer<typeof alertPayloadSchema>;
export type DigestPayload = z.infer<typeof digestPayloadSchema>;

export function sourcePayload(s: SourceRef): SourcePayload {
  return { title: s.title, url: s.url, feed: s.feedId ?? null, language: s.lang, date: s.published };
}

function eventPayload(e: EventRecord): z.infer<typeof eventSchema> {
  return {
    id: e.id,
    type: e.type,
    family: e.family,
    participants: e.participants,
    actors: e.actors,
    place: e.place ?? null,
    date: { value: e.date.value, precision: e.date.precision, from: e.date.from, to: e.date.to },
    historical: e.historical,
    evidence: e.evidence,
    sources: e.sources.map(sourcePayload),
  };
}

function expectationPayload(x: ExpectationRecord): z.infer<typeof expectationSchema> {
  return {
    id: x.id,
    types: x.types,
    participants: x.participants,
    due: { from: x.due.from, to: x.due.to },
    horizon: x.horizon,
    text: x.text,
    state: x.state,
    source: sourcePayload(x.source),
    fulfilledBy: x.fulfilledBy
      ? {
          eventId: x.fulfilledBy.eventId,
          source: sourcePayload(x.fulfilledBy.source),
          score: x.fulfilledBy.score,
          reasons: x.fulfilledBy.reasons,
        }
      : null,
  };
}

/** Fields are copied one by one, so an internal field added later never leaks into the contract. */
export function alertData(a: Alert): AlertData {
  return {
    id: a.id,
    kind: a.kind,
    title: a.title,
    createdAt: a.createdAt,
    parties: a.parties.map((p) => ({ id: p.id, name: p.name })),
    event: a.event ? eventPayload(a.event) : null,
    expectation: a.expectation ? expectationPayload(a.expectation) : null,
    sources: a.sources.map(sourcePayload),
    feed: a.feed ? { id: a.feed.id, name: a.feed.name, url: a.feed.url } : null,
    watch: a.watch ? { id: a.watch.id, name: a.watch.name } : null,
    matched: a.matched
      ? {
          entities: a.matched.entities,
          keywords: a.matched.keywords,
          excerpt: a.matched.excerpt ?? null,
        }
      : null,
    score: a.score ?? null,
    reasons: a.reasons,
  };
}

export function alertPayload(a: Alert): AlertPayload {
  return { type: a.kind, version: PAYLOAD_VERSION, timestamp: a.createdAt, data: alertData(a) };
}

export interface DigestPeriod {
  id: string;
  /** the previous close of this subscriber's digest, when known */
  from?: string | undefined;
  to: string;
}

export function digestPayload(period: DigestPeriod, alerts: readonly Alert[]): DigestPayload {
  return {
    type: 'digest',
    version: PAYLOAD_VERSION,
    timestamp: period.to,
    data: {
      id: period.id,
      period: { from: period.from ?? null, to: period.to },
      alerts: alerts.map(alertData),
    },
  };
}

/** The JSON Schema documents in schema/ (written by schema/generate.ts, checked by a test). */
export function payloadJsonSchema(kind: 'alert' | 'digest'): Record<string, unknown> {
  const schema = kind === 'alert' ? alertPayloadSchema : digestPayloadSchema;
  return {
    $id: `https://github.com/newswatch/newswatch/schema/${kind}-v${PAYLOAD_VERSION}.schema.json`,
    // io 'input': no additionalProperties:false, so v1 may gain fields; receivers ignore the ones they do not know.
    ...z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }),
  };
}
