// The labelled-set format matching is judged by: the one ../shared/realnews uses (articles with
// their main event, same-event clusters, expectations and what fulfilled them). Pure: parsed here.
import { z } from 'zod';

const id = z.string().min(1);

export const goldSchema = z
  .object({
    dataset: z.string().optional(),
    articles: z.record(
      id,
      z
        .object({
          gist: z.string().optional(),
          type: z.string().optional(),
          /** `non-event`: opinion, features, local colour: no news event is expected from it */
          kind: z.enum(['event', 'non-event']).optional(),
          lang: z.string().optional(),
          style: z.string().optional(),
        })
        .passthrough(),
    ),
    clusters: z.array(z.array(id).min(2)).default([]),
    /** pairs a careful reader could decide either way: scorers leave them out on both sides */
    uncertain_pairs: z.array(z.array(z.string()).min(2)).default([]),
    expectations: z
      .array(
        z
          .object({
            id,
            expected: z.string().optional(),
            fulfilled_by: z.array(id).default([]),
            /** borderline fulfilments: neither counted right nor wrong */
            arguable_fulfilled_by: z.array(id).default([]),
          })
          .passthrough(),
      )
      .default([]),
  })
  .passthrough();

export type Gold = z.infer<typeof goldSchema>;

/** Parses a gold file's JSON; the error names the file and the field. */
export function parseGold(json: unknown, file: string): Gold {
  const parsed = goldSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return parsed.data;
}

/** Several labelled folders scored as one set (their ids are distinct). */
export function mergeGold(parts: readonly Gold[]): Gold {
  const articles: Gold['articles'] = {};
  for (const g of parts) {
    for (const [k, v] of Object.entries(g.articles)) {
      if (k in articles) throw new Error(`article id ${k} is labelled in two gold files`);
      articles[k] = v;
    }
  }
  return {
    dataset: parts.map((g) => g.dataset ?? '?').join('+'),
    articles,
    clusters: parts.flatMap((g) => g.clusters),
    uncertain_pairs: parts.flatMap((g) => g.uncertain_pairs),
    expectations: parts.flatMap((g) => g.expectations),
  };
}
