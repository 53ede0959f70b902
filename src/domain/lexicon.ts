// The shape of data/lexicon.yml and data/entities.yml, checked with zod when loaded.
import { z } from 'zod';

const words = z.array(z.string().min(1));
const bilingual = z.object({ ar: words.optional(), en: words.optional() }).strict();

export const horizonSchema = z
  .object({
    id: z.string().min(1),
    kind: z.enum(['days', 'nextWeek', 'nextMonth', 'endOfYear', 'nextYear']),
    days: z.number().int().positive().optional(),
    ar: words.optional(),
    en: words.optional(),
  })
  .strict()
  .refine((h) => h.kind !== 'days' || h.days !== undefined, {
    message: 'a horizon of kind "days" needs "days"',
    path: ['days'],
  });

export const lexiconSchema = z
  .object({
    placeholders: words,
    recencyDays: z.number().int().nonnegative(),
    reportedSlackDays: z.number().int().nonnegative(),
    /** CAMEO root categories (and two of our own) every event type sits beneath */
    roots: z.record(
      z.string().regex(/^[a-z][a-z-]*$/, 'root ids are lower-case words joined by hyphens'),
      z
        .object({
          cameo: z
            .string()
            .regex(/^\d\d$/, 'a CAMEO root code is two digits')
            .optional(),
          name: z.string().min(1),
          /** words, not deeds (a statement, a condemnation): news only when no deed is reported */
          spoken: z.boolean().optional(),
        })
        .strict(),
    ),
    eventTypes: z.record(
      z.string().regex(/^[a-z][a-z-]*$/, 'type ids are lower-case words joined by hyphens'),
      z
        .object({
          root: z.string().min(1),
          /** expected types an event of this type also answers (a summit answers an expected meeting) */
          answers: z.array(z.string().min(1)).optional(),
          ar: words.optional(),
          en: words.optional(),
        })
        .strict(),
    ),
    /**
     * Event words that are events only with their object: «نشرت ... ست مقاتلات» deploys,
     * «نشرت الوزارة بيانا» only publishes; "signed ... an agreement".
     */
    frames: z
      .array(
        z
          .object({
            type: z.string().min(1),
            verbs: bilingual,
            objects: bilingual,
            /** words after the verb within which the object stands */
            within: z.number().int().positive(),
          })
          .strict(),
      )
      .default([]),
    /** how many words after a modality marker it reaches */
    modalityReach: z.number().int().positive(),
    modality: z
      .object({
        negators: bilingual,
        future: bilingual,
        futureAfter: bilingual,
        agreedTo: bilingual,
        calledFor: bilingual,
        hypothetical: bilingual,
        preparation: bilingual,
        background: bilingual,
        pastAfter: bilingual,
        wasPlanned: bilingual,
      })
      .strict(),
    /** words that call an event off: it did not happen and will not at the expected time */
    cancellations: bilingual,
    /** words after which the entities named are what was discussed, not who took part */
    topicMarkers: bilingual,
    partyReferences: bilingual,
    /** words before a person's name («وزير الخارجية», "Foreign Minister") */
    personTitles: bilingual,
    /** words a name never runs into */
    nameStops: bilingual,
    /** markers of sports, economy and opinion pieces, with the share of words that decides */
    articleKinds: z.record(
      z.enum(['sports', 'economy', 'opinion']),
      z
        .object({ minShare: z.number().positive().max(1), ar: words.optional(), en: words.optional() })
        .strict(),
    ),
    reportingVerbs: bilingual,
    /** ordinal words, the first first */
    ordinals: z.array(bilingual).max(100),
    horizons: z.array(horizonSchema),
    defaultHorizonDays: z.number().int().positive(),
    months: z.array(bilingual).length(12),
    /** seven entries, Monday first */
    weekdays: z.array(bilingual).length(7),
    /** weekday names that are also common words; they count only next to a weekdayContext word */
    ambiguousWeekdays: words,
    weekdayContext: bilingual,
    /** words beside a weekday that point forward (next Monday) or back (last Monday) */
    weekdayFuture: bilingual,
    weekdayPast: bilingual,
    /** day-of-month ordinals written in words (الخامس من يناير), the first day first */
    ordinalDays: z.array(bilingual).max(31),
    /** the twelve months of the Hijri calendar, Muharram first (رمضان الماضي) */
    hijriMonths: z.array(bilingual).length(12).optional(),
    relativeDays: z.array(
      z.object({ offset: z.number().int(), ar: words.optional(), en: words.optional() }).strict(),
    ),
  })
  .strict();

export type Lexicon = z.infer<typeof lexiconSchema>;
export type Horizon = z.infer<typeof horizonSchema>;

export const entitySchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lower-case words joined by hyphens'),
    kind: z.enum(['country', 'organisation', 'person', 'place', 'programme', 'media']),
    names: bilingual,
    adjectives: bilingual.optional(),
    weak: bilingual.optional(),
    /** names it shares with another entity (عمان: Oman, and Amman): see readHomographs */
    homographs: bilingual.optional(),
    affiliation: z.string().optional(),
    country: z.string().optional(),
  })
  .strict();

export const entitiesFileSchema = z.object({ entities: z.array(entitySchema) }).strict();

export function both(b: { ar?: string[] | undefined; en?: string[] | undefined } | undefined): string[] {
  return [...(b?.ar ?? []), ...(b?.en ?? [])];
}
