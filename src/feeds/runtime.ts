// Feeds as operators manage them at run time: the declared feeds of feeds.yml merged with what is
// kept in Redis (feeds added through the API or the CLI, and operator changes to declared feeds).
// Pure: records in, feeds out; src/store/feeds.ts keeps the records.
import { z } from 'zod';
import type { FeedItem } from '../ingest/types';
import { feedSchema, type FeedDefinition } from './schema';

/** Where a feed was declared: feeds.yml, or added at run time (API, CLI, dashboard). */
export type FeedOrigin = 'file' | 'runtime';

/** What an operator may change on a feed without editing feeds.yml. */
export interface FeedPatch {
  name?: string | undefined;
  schedule?: string | undefined;
  selectors?: FeedDefinition['selectors'];
  region?: string[] | undefined;
  language?: FeedDefinition['language'] | undefined;
  enabled?: boolean | undefined;
}

/** What the probe saw when the feed was added: shown to the operator who added it. */
export interface ProbeResult {
  type: FeedDefinition['type'];
  /** the feed's items, newest first, at most PROBE_ITEMS */
  newest: FeedItem[];
  itemCount: number;
  /** the language the items' titles are written in, when the operator gave none */
  language: FeedDefinition['language'];
  at: string;
}

/** One record in Redis. A runtime feed carries its whole definition; a declared one only the operator's changes. */
export type StoredFeed =
  | {
      origin: 'runtime';
      id: string;
      definition: FeedDefinition;
      probe?: ProbeResult | undefined;
      addedAt: string;
      updatedAt: string;
      removedAt?: string | undefined;
    }
  | { origin: 'file'; id: string; patch: FeedPatch; updatedAt: string; removedAt?: string | undefined };

export interface ManagedFeed extends FeedDefinition {
  origin: FeedOrigin;
  /** set once the feed is removed: it is polled no more, but its articles and events stay */
  removedAt?: string | undefined;
  addedAt?: string | undefined;
  probe?: ProbeResult | undefined;
}

/**
 * The declared feeds with the operator's changes applied, then the runtime feeds. A runtime feed
 * whose id feeds.yml now declares (it was exported there) gives way to the declaration.
 */
export function mergeFeeds(
  declared: readonly FeedDefinition[],
  stored: readonly StoredFeed[],
): ManagedFeed[] {
  const byId = new Map(stored.map((s) => [s.id, s]));
  const out: ManagedFeed[] = declared.map((feed) => {
    const s = byId.get(feed.id);
    if (s?.origin !== 'file') return { ...feed, origin: 'file' };
    return { ...applyPatch(feed, s.patch), origin: 'file', removedAt: s.removedAt };
  });
  const declaredIds = new Set(declared.map((f) => f.id));
  for (const s of stored) {
    if (s.origin !== 'runtime' || declaredIds.has(s.id)) continue;
    out.push({
      ...s.definition,
      origin: 'runtime',
      removedAt: s.removedAt,
      addedAt: s.addedAt,
      probe: s.probe,
    });
  }
  return out;
}

export function applyPatch(feed: FeedDefinition, patch: FeedPatch): FeedDefinition {
  const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
  return { ...feed, ...defined };
}

/** The definition a managed feed stands for, without the bookkeeping: what feeds.yml would hold. */
export function definitionOf(feed: ManagedFeed): FeedDefinition {
  const { origin: _o, removedAt: _r, addedAt: _a, probe: _p, ...definition } = feed;
  return definition;
}

const shape = feedSchema.shape;

/** A new feed as the API, the CLI and the dashboard form take it; fields are checked as in feeds.yml. */
export const newFeedSchema = z.strictObject({
  url: shape.url,
  name: shape.name.optional(),
  lang: shape.language.optional(),
  schedule: shape.schedule.optional(),
  tags: shape.region.optional(),
  selectors: shape.selectors,
  id: shape.id.optional(),
  alertBacklog: shape.alertBacklog,
});
export type NewFeed = z.output<typeof newFeedSchema>;

/** The fields PATCH /api/feeds/:id may change; `tags` are feeds.yml's `region`. */
export const feedPatchSchema = z.strictObject({
  name: shape.name.optional(),
  schedule: shape.schedule.optional(),
  selectors: shape.selectors,
  tags: shape.region.optional(),
  lang: shape.language.optional(),
});
export type FeedPatchInput = z.output<typeof feedPatchSchema>;

export const DEFAULT_SCHEDULE = '*/10 * * * *';
/** Subscribers filter by region tags; a feed added without any is tagged so that an operator can find it. */
export const DEFAULT_TAGS = ['manual'];
export const PROBE_ITEMS = 5;

/** A slug for a feed id from its name or, failing that, its host and path. */
export function feedIdFor(name: string | undefined, url: string): string {
  const source = name && /[a-z0-9]/i.test(name) ? name : hostAndPath(url);
  const slug = source
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
  return slug || 'feed';
}

/** The first of `id`, `id-2`, `id-3` ... not taken. */
export function freeId(id: string, taken: ReadonlySet<string>): string {
  if (!taken.has(id)) return id;
  for (let n = 2; ; n += 1) if (!taken.has(`${id}-${n}`)) return `${id}-${n}`;
}

export function hostAndPath(url: string): string {
  try {
    const u = new URL(url);
    return `${u.host}${u.pathname === '/' ? '' : u.pathname}`;
  } catch {
    return url;
  }
}

const ARABIC_LETTER = /[\u0621-\u064A]/g;
const LATIN_LETTER = /[A-Za-z]/g;

/** Arabic when most letters of the titles are Arabic: feeds rarely mix the two. */
export function languageOfTitles(titles: readonly string[]): FeedDefinition['language'] {
  const text = titles.join(' ');
  const arabic = text.match(ARABIC_LETTER)?.length ?? 0;
  const latin = text.match(LATIN_LETTER)?.length ?? 0;
  return arabic > latin ? 'ar' : 'en';
}
