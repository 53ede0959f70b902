// The article.match alerts of an article, for the analyze stage: the watches read from their store,
// those of subscribers that no longer exist left out (their alerts would go to no one), and the
// matching done by src/domain/watch.ts. Only an article's first version is asked (workers/roles.ts):
// an update, or a re-run of an analysis already done, raises no article.match again.
import type { Arrival } from '../domain/alert-quiet';
import { watchAlerts, type Watch, type WatchAlerts } from '../domain/watch';
import type { ArticleInput, Extraction } from '../domain/types';

export interface WatchAlertDeps {
  watches: { list(): Promise<Watch[]> };
  subscriberExists(id: string): Promise<boolean>;
  nameOf(id: string): string;
  hash(s: string): string;
  now(): Date;
  /** ALERT_RECENCY in ms (0: no window) */
  recencyMs: number;
}

export async function articleMatches(
  deps: WatchAlertDeps,
  article: ArticleInput,
  extraction: Pick<Extraction, 'entities'>,
  arrival: Omit<Arrival, 'recencyMs'>,
): Promise<WatchAlerts> {
  const all = await deps.watches.list();
  if (all.length === 0) return { alerts: [], quieted: [] };
  const subscribers = [...new Set(all.map((w) => w.subscriberId))];
  const known = new Set(
    (
      await Promise.all(subscribers.map(async (id) => ((await deps.subscriberExists(id)) ? id : undefined)))
    ).filter((id): id is string => id !== undefined),
  );
  return watchAlerts(
    all.filter((w) => known.has(w.subscriberId)),
    article,
    extraction.entities,
    {
      nameOf: deps.nameOf,
      hash: deps.hash,
      now: deps.now(),
      arrival: { ...arrival, recencyMs: deps.recencyMs },
    },
  );
}
