// What the JSON API answers, as zod schemas: the OpenAPI document at /docs shows them, and the API's
// serializer checks every answer against them, so the document cannot promise what a route does not
// send. Objects are loose: a field added to a record shows in answers at once, and the document lists
// the fields a client may rely on.
import { z } from 'zod';
import { ALERT_KINDS } from '../../domain/alert-kinds';
import { CHANNELS } from '../../domain/alerts';

const at = (what: string) => z.string().meta({ description: `${what}, ISO 8601` });
const optionalText = z.string().optional();

// ---- errors -------------------------------------------------------------------------------------

export const problemSchema = z.looseObject({
  field: z
    .string()
    .meta({ description: 'the request field that was wrong: `url`, `query.limit`, `selectors.item`' }),
  message: z.string(),
});

export const apiErrorSchema = z
  .looseObject({
    error: z.string().meta({ description: 'a stable code: NW_BAD_REQUEST, NW_NOT_FOUND, NW_CONFLICT, ...' }),
    field: z.string().optional().meta({ description: 'the first field that was wrong' }),
    message: z.string().meta({ description: 'what was wrong, for a person' }),
    problems: z.array(problemSchema).optional().meta({ description: 'every field that was wrong' }),
  })
  .meta({ id: 'ApiError' });

/** The answers every route may give besides its own: a bad request, and a failure inside. */
export const commonErrors = {
  400: apiErrorSchema.describe('the request was refused; `field` names what was wrong'),
  500: apiErrorSchema.describe('the request failed inside; the service log has the details'),
} as const;

/** The common errors in the long form, for a route whose success is not JSON (`produces` another type). */
export const commonErrorsAsJson = Object.fromEntries(
  Object.entries(commonErrors).map(([code, schema]) => [
    code,
    { description: schema.description ?? '', content: { 'application/json': { schema } } },
  ]),
);

/** A route's answers: its success, the common errors, and those it names (404, 409, ...). */
export function answers<S extends z.ZodType>(
  ok: S,
  opts: {
    status?: keyof typeof SUCCESS_MEANING;
    /** what the success means, when more than its status says */
    description?: string;
    errors?: readonly (keyof typeof ERROR_MEANING)[];
  } = {},
) {
  const status = opts.status ?? 200;
  const errors = Object.fromEntries(
    (opts.errors ?? []).map((code) => [code, apiErrorSchema.describe(ERROR_MEANING[code])]),
  );
  return {
    [status]: ok.describe(opts.description ?? SUCCESS_MEANING[status]),
    ...commonErrors,
    ...errors,
  } as Record<number, z.ZodType>;
}

const SUCCESS_MEANING = {
  200: 'done',
  201: 'created',
  202: 'accepted: queued to run again',
  204: 'deleted; no body',
} as const;

const ERROR_MEANING = {
  404: 'no such id',
  409: 'refused in the present state (named in `message`)',
  413: 'the body is too large',
  415: 'the body is not of a type this route takes',
  422: 'the request was understood but cannot be done',
  502: 'the URL could not be fetched',
} as const;

// ---- the news ----------------------------------------------------------------------------------

export const sourceSchema = z
  .looseObject({
    articleId: z.string(),
    url: z.string().meta({ description: 'canonical URL of the article' }),
    title: z.string(),
    published: at('publication time'),
    lang: z.string().meta({ description: 'ISO 639-1 code: ar, en' }),
    feedId: optionalText.meta({ description: 'the feed it was read from' }),
  })
  .meta({ id: 'SourceRef', description: 'an article that reports or expects something' });

const partySchema = z.looseObject({ id: z.string(), name: z.string() });

export const eventSchema = z
  .looseObject({
    id: z.string(),
    type: z.string().meta({ description: 'meeting, dialogue, visit, strike, ...' }),
    types: z.array(z.string()).optional(),
    family: z.string().meta({ description: 'the CAMEO root the type sits beneath' }),
    participants: z.array(z.string()).meta({ description: 'entity ids taking part' }),
    actors: z.array(z.string()),
    place: optionalText,
    date: z.looseObject({
      value: z.string().meta({ description: '2026-01-28, 2026-01 or 2026: as precise as the text' }),
      precision: z.enum(['day', 'month', 'year', 'reported']),
      from: z.string(),
      to: z.string(),
    }),
    historical: z.boolean().meta({ description: 'background an article recounts, not its news' }),
    evidence: z.string().meta({ description: 'the sentence it was read from' }),
    sources: z.array(sourceSchema),
  })
  .meta({ id: 'Event', description: 'something that happened, as the event base holds it' });

/** An event with its parties' names, as the events routes show it. */
export const eventViewSchema = eventSchema
  .extend({ parties: z.array(partySchema) })
  .meta({ id: 'EventView', description: 'an event with the names of its parties' });

export const expectationSchema = z
  .looseObject({
    id: z.string(),
    types: z.array(z.string()).meta({ description: 'event types expected' }),
    participants: z.array(z.string()),
    due: z.looseObject({ from: z.string(), to: z.string() }),
    horizon: z.string().meta({ description: 'the phrase the window was read from' }),
    text: z.string().meta({ description: 'the sentence it came from' }),
    state: z.enum(['open', 'fulfilled', 'overdue', 'cancelled']),
    source: sourceSchema,
    fulfilledBy: z
      .looseObject({
        eventId: z.string(),
        source: sourceSchema,
        score: z.number(),
        reasons: z.array(z.string()),
      })
      .optional(),
    cancelledBy: z
      .looseObject({ source: z.unknown(), text: z.string(), reasons: z.array(z.string()) })
      .optional(),
  })
  .meta({ id: 'Expectation', description: 'something an article said will or should happen' });

export const expectationViewSchema = expectationSchema
  .extend({ parties: z.array(partySchema) })
  .meta({ id: 'ExpectationView', description: 'an expectation with the names of its parties' });

export const alertSchema = z
  .looseObject({
    id: z.string().meta({ description: 'stable: the same decision always has the same id' }),
    kind: z.enum(ALERT_KINDS),
    createdAt: at('when it was raised'),
    title: z.string(),
    parties: z.array(partySchema),
    event: eventSchema.optional(),
    expectation: expectationSchema.optional(),
    feed: z.looseObject({ id: z.string(), name: z.string(), url: z.string() }).optional(),
    sources: z.array(sourceSchema),
    score: z.number().optional(),
    reasons: z.array(z.string()),
  })
  .meta({ id: 'Alert' });

// ---- deliveries --------------------------------------------------------------------------------

export const deliveryAttemptSchema = z
  .looseObject({
    subscriberId: z.string(),
    channel: z.string(),
    at: at('when it was tried'),
    outcome: z.enum(['delivered', 'failed', 'skipped']),
    attempt: z.number().optional(),
    status: z.number().optional().meta({ description: 'the receiver’s HTTP or SMTP status' }),
    latencyMs: z.number().optional(),
    error: optionalText,
    messageId: optionalText.meta({ description: 'webhook-id or Message-ID the receiver saw' }),
    digestId: optionalText,
  })
  .meta({ id: 'DeliveryAttempt' });

export const deliveryStatusSchema = z
  .looseObject({
    subscriberId: z.string(),
    channel: z.string(),
    outcome: z.enum(['delivered', 'retrying', 'dead-lettered', 'skipped']),
    attempts: z.number(),
    lastAt: at('the last attempt'),
    status: z.number().optional(),
    latencyMs: z.number().optional(),
    error: optionalText,
    messageId: optionalText,
    digestId: optionalText,
  })
  .meta({ id: 'DeliveryStatus', description: 'what became of an alert for one subscriber channel' });

export const deadLetterSchema = z
  .looseObject({
    id: z.string().meta({ description: 'the delivery job id' }),
    alertIds: z.array(z.string()),
    reason: z.string().meta({ description: 'exhausted, permanent, gone, disabled or unconfigured' }),
    error: z.string(),
    status: z.number().optional(),
    attempts: z.number(),
    at: at('when it was given up'),
  })
  .meta({ id: 'DeadLetter' });

export const givenUpPageSchema = z
  .looseObject({
    id: z.string().meta({ description: 'the scrape job id' }),
    url: z.string(),
    feedId: z.string(),
    reason: z.string().meta({ description: 'exhausted, not found, refused, not html, too large, stalled' }),
    error: z.string(),
    status: z.number().optional(),
    attempts: z.number(),
    at: at('when it was given up'),
  })
  .meta({ id: 'GivenUpPage' });

// ---- feeds -------------------------------------------------------------------------------------

export const feedHealthSchema = z
  .looseObject({
    state: z.string().meta({ description: 'ok, backing off, failing, paused, removed, ...' }),
    reason: optionalText,
    lastSuccessAt: optionalText,
    lastErrorAt: optionalText,
    lastError: optionalText,
    errorStreak: z.number(),
    failingSince: optionalText,
    itemsSeen: z.number(),
    nextPollAt: optionalText,
  })
  .meta({ id: 'FeedHealth' });

export const feedViewSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    type: z.string().meta({ description: 'rss, atom, rdf or html' }),
    language: z.string().meta({ description: 'ar or en' }),
    region: z.array(z.string()),
    schedule: z.string().meta({ description: 'cron expression, read in UTC' }),
    enabled: z.boolean(),
    origin: z.enum(['file', 'runtime']),
    removedAt: optionalText,
    addedAt: optionalText,
    health: feedHealthSchema,
  })
  .meta({ id: 'Feed', description: 'a feed with its polling health' });

/** A runtime feed as a feeds.yml entry. */
export const feedEntrySchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    type: optionalText,
    schedule: optionalText,
  })
  .meta({ id: 'FeedEntry', description: 'a feed as feeds.yml declares one' });

export const probeSchema = z
  .looseObject({
    type: z.string().meta({ description: 'the type the URL was read as' }),
    itemCount: z.number().meta({ description: 'items the URL gave when probed' }),
    newest: z.array(z.looseObject({ title: z.string(), link: z.string() })),
    language: z.string(),
    at: at('when it was probed'),
  })
  .meta({ id: 'Probe', description: 'what probing the URL found' });

export const importAnswerSchema = z
  .object({
    added: z.number(),
    alreadyPolled: z.number(),
    refused: z.number(),
    outlines: z.array(
      z.looseObject({
        line: z.number().meta({ description: 'the outline’s line in the file' }),
        url: z.string(),
        outcome: z.enum(['added', 'already polled', 'refused']),
        id: optionalText,
        name: optionalText,
        message: optionalText.meta({ description: 'why it was refused, naming the field' }),
      }),
    ),
  })
  .meta({ id: 'OpmlImport' });

// ---- subscribers -------------------------------------------------------------------------------

export const subscriberViewSchema = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    email: z.array(z.string()).optional(),
    webhook: z
      .looseObject({
        url: z.string(),
        secrets: z.array(z.string()).meta({ description: 'cut short: enough to tell which is configured' }),
      })
      .optional(),
    filters: z.looseObject({}),
    mode: z.enum(['instant', 'digest']).optional(),
    origin: z.enum(['file', 'runtime']),
    pausedAt: optionalText.meta({ description: 'set while paused: it receives nothing' }),
    channels: z.array(
      z.looseObject({
        channel: z.enum(CHANNELS),
        disabled: z.looseObject({ at: z.string(), reason: z.string() }).optional(),
        unsubscribedAt: optionalText,
        consents: z.array(z.lazy(() => consentSchema)),
      }),
    ),
  })
  .meta({ id: 'Subscriber', description: 'a subscriber with the state of each channel' });

export const consentSchema = z
  .looseObject({
    subscriberId: z.string(),
    channel: z.enum(CHANNELS),
    at: at('when it was recorded'),
    by: z.string().meta({ description: 'who recorded it' }),
    note: z.string().meta({ description: 'how the recipient gave consent' }),
    unsubscribedAt: at('the unsubscription it lifted'),
  })
  .meta({ id: 'Consent', description: 'a recipient’s consent to be subscribed again' });

export const unsubscribedSchema = z
  .looseObject({
    subscriberId: z.string(),
    name: z.string(),
    origin: z.enum(['file', 'runtime']),
    channel: z.enum(CHANNELS),
    address: z.string().meta({ description: 'the email addresses or webhook URL' }),
    at: at('when the recipient unsubscribed'),
  })
  .meta({ id: 'Unsubscribed' });

// ---- watches -----------------------------------------------------------------------------------

export const watchSchema = z
  .looseObject({
    id: z.string(),
    subscriberId: z.string().meta({ description: 'the subscriber its article.match alerts go to' }),
    name: z.string(),
    entities: z.array(z.string()).optional().meta({ description: 'gazetteer ids the article must name' }),
    entityMatch: z.enum(['any', 'all']).optional(),
    keywords: z.array(z.string()).optional().meta({ description: 'words or phrases, any one of which' }),
    language: z.enum(['ar', 'en']).optional(),
    createdAt: at('when it was created'),
  })
  .meta({ id: 'Watch', description: 'entities and keywords a subscriber follows' });

// ---- the public routes -------------------------------------------------------------------------

export const livenessSchema = z.object({ status: z.literal('ok') });

export const readinessSchema = z
  .object({
    status: z.enum(['ready', 'not ready']),
    failed: z.array(z.string()).meta({ description: 'the checks that failed' }),
    checks: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
  })
  .meta({ id: 'Readiness' });
