// Adding, changing, pausing, resuming and removing feeds at run time: the one code path behind
// the API, the dashboard form and `newswatch feeds`. A new feed is validated as a feeds.yml entry,
// refused when its URL is polled already, and probed before it is stored.
import type { z } from 'zod';
import { canonicalUrl } from '../ingest/canonical-url';
import type { FeedStore } from '../store/feeds';
import type { FeedRegistry } from './registry';
import type { OpmlFeed } from './opml';
import { ProbeError } from './probe';
import {
  DEFAULT_SCHEDULE,
  DEFAULT_TAGS,
  definitionOf,
  feedIdFor,
  feedPatchSchema,
  freeId,
  hostAndPath,
  newFeedSchema,
  type FeedPatch,
  type ManagedFeed,
  type ProbeResult,
  type StoredFeed,
} from './runtime';
import { feedSchema, type FeedDefinition } from './schema';
import { Refusal, type Problem } from '../refusal';

export type { Problem };

/** A request the feed admin refuses: 404 no such feed, 409 a duplicate or a change to a removed one. */
export class FeedAdminError extends Refusal<
  'NW_BAD_REQUEST' | 'NW_NOT_A_FEED' | 'NW_NOT_FOUND' | 'NW_FEED_DUPLICATE' | 'NW_FEED_REMOVED'
> {}

/** What became of one outline of an imported OPML file. */
export interface ImportOutcome {
  line: number;
  url: string;
  outcome: 'added' | 'already polled' | 'refused';
  /** the feed added */
  id?: string | undefined;
  name?: string | undefined;
  /** why it was refused or is polled already, naming the field (`url: ...`) */
  message?: string | undefined;
}

export interface FeedAdminDeps {
  store: FeedStore;
  registry: FeedRegistry;
  probe: (url: string, selectors: FeedDefinition['selectors']) => Promise<ProbeResult>;
  now: () => Date;
}

export class FeedAdmin {
  constructor(private readonly deps: FeedAdminDeps) {}

  list(opts: { removed?: boolean } = {}): readonly ManagedFeed[] {
    return opts.removed ? this.deps.registry.all() : this.deps.registry.active();
  }

  get(id: string): ManagedFeed | undefined {
    return this.deps.registry.get(id);
  }

  /** Validates, refuses duplicates, probes, stores; a removed feed's URL brings that feed back. */
  async add(input: unknown): Promise<{ feed: ManagedFeed; probe: ProbeResult }> {
    const req = parse(newFeedSchema, input);
    await this.deps.registry.refresh();
    const url = canonicalUrl(req.url);
    const active = this.deps.registry.active();
    const twin = active.find((f) => canonicalUrl(f.url) === url);
    if (twin)
      throw new FeedAdminError(409, 'NW_FEED_DUPLICATE', [
        { field: 'url', message: `${req.url} is polled already, as feed "${twin.id}" (${twin.name})` },
      ]);
    if (req.id && active.some((f) => f.id === req.id))
      throw new FeedAdminError(409, 'NW_FEED_DUPLICATE', [
        { field: 'id', message: `"${req.id}" is the id of a feed already` },
      ]);

    let probe: ProbeResult;
    try {
      probe = await this.deps.probe(req.url, req.selectors);
    } catch (err) {
      if (err instanceof ProbeError)
        throw new FeedAdminError(400, 'NW_NOT_A_FEED', [{ field: err.field, message: err.message }]);
      throw err;
    }

    const removed = this.deps.registry.all().find((f) => f.removedAt && canonicalUrl(f.url) === url);
    const id =
      removed?.id ??
      req.id ??
      freeId(feedIdFor(req.name, req.url), new Set(this.deps.registry.all().map((f) => f.id)));
    const definition: FeedDefinition = {
      ...(removed ? definitionOf(removed) : {}),
      id,
      name: req.name ?? removed?.name ?? hostAndPath(req.url),
      url: req.url,
      type: probe.type,
      ...(req.selectors ? { selectors: req.selectors } : {}),
      language: req.lang ?? probe.language,
      region: req.tags ?? removed?.region ?? DEFAULT_TAGS,
      schedule: req.schedule ?? removed?.schedule ?? DEFAULT_SCHEDULE,
      enabled: true,
      ...(req.alertBacklog !== undefined ? { alertBacklog: req.alertBacklog } : {}),
    };
    if (!req.selectors) delete definition.selectors;
    const valid = parse(feedSchema, definition);
    const at = this.deps.now().toISOString();
    if (removed?.origin === 'file') {
      const prior = await this.deps.store.get(id);
      const patch = prior?.origin === 'file' ? prior.patch : {};
      const given = { name: req.name, schedule: req.schedule, region: req.tags, language: req.lang };
      const revived = {
        ...patch,
        ...Object.fromEntries(Object.entries(given).filter(([, v]) => v)),
        enabled: true,
      };
      await this.deps.store.put({ origin: 'file', id, patch: revived, updatedAt: at });
    } else {
      const record: StoredFeed = {
        origin: 'runtime',
        id,
        definition: valid,
        probe,
        addedAt: at,
        updatedAt: at,
      };
      const stored = removed
        ? (await this.deps.store.put(record), true)
        : await this.deps.store.create(record);
      if (!stored)
        throw new FeedAdminError(409, 'NW_FEED_DUPLICATE', [
          { field: 'id', message: `"${id}" was taken meanwhile` },
        ]);
    }
    await this.deps.registry.refresh();
    return { feed: this.mustGet(id), probe };
  }

  /** Changes schedule, selectors, tags, name or language; the result is checked like a feeds.yml entry. */
  async update(id: string, input: unknown): Promise<ManagedFeed> {
    const req = parse(feedPatchSchema, input);
    return this.change(id, {
      name: req.name,
      schedule: req.schedule,
      selectors: req.selectors,
      region: req.tags,
      language: req.lang,
    });
  }

  pause(id: string): Promise<ManagedFeed> {
    return this.change(id, { enabled: false });
  }

  resume(id: string): Promise<ManagedFeed> {
    return this.change(id, { enabled: true });
  }

  /** Stops polling it for good; its articles, events and state stay, and it is listed as removed. */
  async remove(id: string): Promise<ManagedFeed> {
    await this.deps.registry.refresh();
    const feed = this.deps.registry.get(id);
    if (!feed) throw notFound(id);
    if (feed.removedAt) return feed;
    const at = this.deps.now().toISOString();
    const prior = await this.deps.store.get(id);
    await this.deps.store.put(
      prior
        ? { ...prior, removedAt: at, updatedAt: at }
        : { origin: 'file', id, patch: {}, removedAt: at, updatedAt: at },
    );
    await this.deps.registry.refresh();
    return this.mustGet(id);
  }

  /**
   * Polls a removed feed again, under its id: its state, seen items, articles and events are
   * still there, so what it listed before is not news again. Restoring one not removed does
   * nothing; one whose URL another feed polls meanwhile is refused.
   */
  async restore(id: string): Promise<ManagedFeed> {
    await this.deps.registry.refresh();
    const feed = this.deps.registry.get(id);
    if (!feed) throw notFound(id);
    if (!feed.removedAt) return feed;
    const url = canonicalUrl(feed.url);
    const twin = this.deps.registry.active().find((f) => canonicalUrl(f.url) === url);
    if (twin)
      throw new FeedAdminError(409, 'NW_FEED_DUPLICATE', [
        { field: 'id', message: `${feed.url} is polled already, as feed "${twin.id}" (${twin.name})` },
      ]);
    const at = this.deps.now().toISOString();
    const prior = await this.deps.store.get(id);
    if (prior?.origin === 'runtime') {
      const { removedAt: _r, ...kept } = prior;
      await this.deps.store.put({
        ...kept,
        definition: { ...kept.definition, enabled: true },
        updatedAt: at,
      });
    } else {
      const patch = prior?.origin === 'file' ? prior.patch : {};
      await this.deps.store.put({ origin: 'file', id, patch: { ...patch, enabled: true }, updatedAt: at });
    }
    await this.deps.registry.refresh();
    return this.mustGet(id);
  }

  /**
   * Adds each outline of an OPML file as `add` would, one after another (so a URL listed twice
   * is added once), and says per outline what happened; only a failure of Redis stops it.
   */
  async importFeeds(feeds: readonly OpmlFeed[]): Promise<ImportOutcome[]> {
    const out: ImportOutcome[] = [];
    for (const { line, url, input } of feeds) {
      try {
        const { feed } = await this.add(input);
        out.push({ line, url, outcome: 'added', id: feed.id, name: feed.name });
      } catch (err) {
        if (!(err instanceof FeedAdminError)) throw err;
        const duplicate = err.code === 'NW_FEED_DUPLICATE' && err.problems[0]?.field === 'url';
        const message = url ? err.message : 'url: the outline has no xmlUrl';
        out.push({ line, url, outcome: duplicate ? 'already polled' : 'refused', message });
      }
    }
    return out;
  }

  /** Every feed polled now, declared or added at run time: what an OPML export lists. */
  polled(): FeedDefinition[] {
    return this.deps.registry.active().map(definitionOf);
  }

  /** The runtime feeds as feeds.yml entries, ready to be moved into the file. */
  exportable(): FeedDefinition[] {
    return this.deps.registry
      .active()
      .filter((f) => f.origin === 'runtime')
      .map(definitionOf);
  }

  private async change(id: string, patch: FeedPatch): Promise<ManagedFeed> {
    await this.deps.registry.refresh();
    const feed = this.deps.registry.get(id);
    if (!feed) throw notFound(id);
    if (feed.removedAt) throw removedFeed(feed);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as FeedPatch;
    const valid = parse(feedSchema, { ...definitionOf(feed), ...defined }, FIELD_NAMES);
    const at = this.deps.now().toISOString();
    const prior = await this.deps.store.get(id);
    if (feed.origin === 'runtime' && prior?.origin === 'runtime') {
      await this.deps.store.put({ ...prior, definition: valid, updatedAt: at });
    } else {
      const before = prior?.origin === 'file' ? prior.patch : {};
      await this.deps.store.put({ origin: 'file', id, patch: { ...before, ...defined }, updatedAt: at });
    }
    await this.deps.registry.refresh();
    return this.mustGet(id);
  }

  private mustGet(id: string): ManagedFeed {
    const feed = this.deps.registry.get(id);
    if (!feed) throw notFound(id);
    return feed;
  }
}

/** feeds.yml's names for what the API calls `tags` and `lang`. */
const FIELD_NAMES: Record<string, string> = { region: 'tags', language: 'lang' };

function parse<T extends z.ZodType>(
  schema: T,
  input: unknown,
  rename: Record<string, string> = {},
): z.output<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw new FeedAdminError(400, 'NW_BAD_REQUEST', problemsOf(result.error.issues, rename));
}

/** Zod issues as `field: message`, the field dotted as the input spells it. */
export function problemsOf(
  issues: readonly z.core.$ZodIssue[],
  rename: Record<string, string> = {},
): Problem[] {
  return issues.flatMap((issue) => {
    const path = issue.path.map(String);
    const renamed = path[0] === undefined ? undefined : rename[path[0]];
    if (renamed) path[0] = renamed;
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({
        field: [...path, key].join('.'),
        message: 'is not a field of this request',
      }));
    return [{ field: path.join('.') || 'body', message: issue.message }];
  });
}

/** Changing a removed feed is refused with the way back, not as if it did not exist. */
function removedFeed(feed: ManagedFeed): FeedAdminError {
  return new FeedAdminError(409, 'NW_FEED_REMOVED', [
    {
      field: 'id',
      message: `feed "${feed.id}" was removed (${feed.removedAt}); restore it first: its Restore button under "Removed feeds", \`newswatch feeds restore ${feed.id}\` or POST /api/feeds/${feed.id}/restore`,
    },
  ]);
}

function notFound(id: string): FeedAdminError {
  return new FeedAdminError(404, 'NW_NOT_FOUND', [{ field: 'id', message: `no feed "${id}"` }]);
}
