// The shape of feeds.yml as one zod schema, so start-up validation and run-time `feeds add` agree.
// Messages are written to follow "file:line: field:" in src/feeds/load.ts.
import { validate as isCronPattern } from 'node-cron';
import { z } from 'zod';
import { showValue } from '../config/show-value';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const show = showValue;

/** `schedule:` with nothing after it parses as null: say "is empty", not "null is not text". */
const absent = (input: unknown): string | undefined =>
  input === undefined ? 'is required' : input === null ? 'is empty' : undefined;

/** zod's default texts ("Invalid input: expected string, received undefined") read badly in a config error. */
const text = (what = 'text') =>
  z.string({ error: (iss) => absent(iss.input) ?? `${show(iss.input)} is not ${what}` });

const nonEmpty = (what?: string) => text(what).trim().min(1, { error: 'must not be empty' });

/** node-cron also accepts a 6-field pattern with seconds; polling finer than a minute is never wanted. */
export function isCronExpression(value: string): boolean {
  return value.trim().split(/\s+/).length === 5 && isCronPattern(value.trim());
}

export function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

const selectorsSchema = z.strictObject(
  {
    item: nonEmpty('a CSS selector'),
    link: nonEmpty('a CSS selector'),
    title: nonEmpty('a CSS selector').optional(),
    date: nonEmpty('a CSS selector').optional(),
  },
  { error: (iss) => absent(iss.input) ?? 'must be a map {item, link, title?, date?}' },
);

/**
 * `json` is a JSON Feed (jsonfeed.org). Only `html` changes how a feed is read: the poll stage
 * sniffs RSS, Atom, RDF and JSON Feed from the document itself; the others say what it is.
 */
export const FEED_TYPES = ['rss', 'atom', 'rdf', 'json', 'html'] as const;
export const LANGUAGES = ['ar', 'en'] as const;

export const feedSchema = z
  .strictObject(
    {
      id: text().regex(SLUG, { error: (iss) => `${show(iss.input)} is not a slug (a-z, 0-9 and dashes)` }),
      name: nonEmpty(),
      url: text().refine(isHttpUrl, { error: (iss) => `${show(iss.input)} is not an http(s) URL` }),
      type: z.enum(FEED_TYPES, {
        error: (iss) => absent(iss.input) ?? `${show(iss.input)} is not one of ${FEED_TYPES.join(', ')}`,
      }),
      selectors: selectorsSchema.optional(),
      language: z.enum(LANGUAGES, {
        error: (iss) => absent(iss.input) ?? `${show(iss.input)} is not one of ar, en`,
      }),
      region: z
        .array(
          text().regex(SLUG, { error: (iss) => `${show(iss.input)} is not a tag (a-z, 0-9 and dashes)` }),
          {
            error: (iss) => absent(iss.input) ?? 'must be a list of tags, e.g. [gulf, kuwait]',
          },
        )
        .min(1, { error: 'must name at least one region' }),
      schedule: text('a cron expression').refine(isCronExpression, {
        error: (iss) =>
          `${show(iss.input)} is not a cron expression (5 fields: minute hour day month weekday)`,
      }),
      enabled: z
        .boolean({ error: (iss) => `${show(iss.input)} is not true or false` })
        .optional()
        .default(true),
      // The feed's backlog and old articles alert like new ones (src/domain/alert-quiet.ts).
      alertBacklog: z.boolean({ error: (iss) => `${show(iss.input)} is not true or false` }).optional(),
    },
    { error: (iss) => absent(iss.input) ?? 'must be a map of feed fields' },
  )
  .superRefine((feed, ctx) => {
    if (feed.type === 'html' && !feed.selectors) {
      ctx.addIssue({ code: 'custom', path: ['selectors'], message: 'is required when type is html' });
    }
    if (feed.type !== 'html' && feed.selectors) {
      ctx.addIssue({
        code: 'custom',
        path: ['selectors'],
        message: `is only read for type html, not ${feed.type}`,
      });
    }
  });

export const feedsFileSchema = z
  .strictObject(
    {
      feeds: z.array(feedSchema, {
        error: (iss) => absent(iss.input) ?? 'must be a list of feeds',
      }),
    },
    { error: () => 'the file must be a map with a "feeds" list' },
  )
  .superRefine(({ feeds }, ctx) => {
    const firstIndex = new Map<string, number>();
    feeds.forEach((feed, index) => {
      const first = firstIndex.get(feed.id);
      if (first === undefined) firstIndex.set(feed.id, index);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['feeds', index, 'id'],
          message: `${show(feed.id)} is already used by feeds[${first}]`,
        });
    });
  });

export type FeedDefinition = z.output<typeof feedSchema>;
export type FeedSelectors = z.output<typeof selectorsSchema>;
