// The pieces every route's query string and path are validated with (zod, as the API's bodies
// are): what arrives is text, or an array when a name is given twice (`?offset=1&offset=2`), and
// a value is refused with a message that says what is wrong without echoing it back (it may be
// 10,000 characters long). The route's error handler puts the field's name in front
// (`query.offset: is at most 1000000000`).
import { z } from 'zod';

/** The message for a value that is not text: a name given more than once arrives as an array. */
const notText = (message: string) => (issue: { input?: unknown }) =>
  Array.isArray(issue.input) ? 'is given more than once' : message;

/** One text value of at most `max` characters. */
export const queryText = (max: number) =>
  z
    .string({ error: notText('is not text') })
    .max(max, { error: `is at most ${max} characters`, abort: true });

/** One of `values`. */
export const queryEnum = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.enum(values, { error: notText(`is one of ${values.join(', ')}`) });

/** `true` or `false`, as text. */
export const queryBoolean = () => z.enum(['true', 'false'], { error: notText('is true or false') });

/**
 * A whole number written in digits, within [min, max]: `1e308`, `NaN`, `0x10` and ` 5` are
 * refused rather than read the way Number() would, so what reaches a store is always a plain
 * integer it accepts.
 */
export const queryInt = (opts: { min: number; max: number; fallback: number }) =>
  z
    .string({ error: notText('is not a number') })
    .regex(/^-?\d+$/, {
      error: (issue) =>
        /^-?\d+\.\d+$/.test(String(issue.input)) ? 'is not a whole number' : 'is not a number',
    })
    .transform(Number)
    .pipe(
      z
        .number()
        .min(opts.min, { error: `is at least ${opts.min}` })
        .max(opts.max, { error: `is at most ${opts.max}` }),
    )
    .default(opts.fallback);

/** How many records a list answers at most: 1 to `max`, `fallback` when not given. */
export const limit = (max: number, fallback: number) => queryInt({ min: 1, max, fallback });

/** How many records a list skips: 0 to a billion. */
export const offset = () => queryInt({ min: 0, max: 1_000_000_000, fallback: 0 });

/** The longest id a path takes; fastify's router already refuses params over 100 characters. */
export const ID_MAX = 200;

/** `/:id` routes: one non-empty id. */
export const idParams = z.strictObject({
  id: z
    .string()
    .min(1, { error: 'is empty' })
    .max(ID_MAX, { error: `is at most ${ID_MAX} characters` }),
});

/** A route that takes no query: any parameter is refused by name. */
export const noQuery = z.strictObject({});
