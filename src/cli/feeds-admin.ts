// `newswatch feeds add|import|pause|resume|remove|list|export`: run-time feed changes straight on Redis,
// through the same FeedAdmin as the API and the dashboard form (validation, duplicate check,
// probe). A running service picks each change up within seconds, without a restart.
import { open } from 'node:fs/promises';
import { stringify } from 'yaml';
import type { Config } from '../config/env';
import { NewswatchError } from '../errors';
import { FeedAdminError, type FeedAdmin, type ImportOutcome } from '../feeds/admin';
import { MAX_OPML_BYTES, OpmlError, parseOpml, writeOpml } from '../feeds/opml';
import type { ProbeResult } from '../feeds/runtime';
import type { FeedView } from '../http/operator';
import type { Logger } from '../log';
import { createContext, type Context } from '../../workers/context';
import { feedAdmin, feedView } from '../../workers/operator';
import { formatTable } from './table';

export interface AddOptions {
  name?: string | undefined;
  /** a listing page's CSS selectors (feeds.yml's `selectors.item`, `.link`, `.title`, `.date`) */
  itemSelector?: string | undefined;
  linkSelector?: string | undefined;
  titleSelector?: string | undefined;
  dateSelector?: string | undefined;
  lang?: string | undefined;
  schedule?: string | undefined;
  tags?: string | undefined;
  id?: string | undefined;
  alertBacklog?: boolean | undefined;
}

async function withAdmin<T>(
  config: Config,
  log: Logger,
  run: (admin: FeedAdmin, ctx: Context) => Promise<T>,
): Promise<T> {
  const ctx = await createContext(config, log);
  try {
    return await run(feedAdmin(ctx), ctx);
  } catch (err) {
    // One line naming the field, like the API's 400, rather than a stack trace.
    if (err instanceof FeedAdminError) throw new NewswatchError('NW_FEED_INVALID', err.message);
    throw err;
  } finally {
    await ctx.close();
  }
}

/** The flags of a listing page as the API's `selectors`; undefined when none is given (a feed). */
export function selectorsOf(opts: AddOptions): Record<string, string> | undefined {
  const given = Object.entries({
    item: opts.itemSelector,
    link: opts.linkSelector,
    title: opts.titleSelector,
    date: opts.dateSelector,
  }).filter((e): e is [string, string] => e[1] !== undefined);
  return given.length ? Object.fromEntries(given) : undefined;
}

/** The API's field names as this command's flags, so an error names the flag to change. */
const FLAG_OF: Record<string, string> = {
  'selectors.item': '--item-selector',
  'selectors.link': '--link-selector',
  'selectors.title': '--title-selector',
  'selectors.date': '--date-selector',
};

export function addFeed(config: Config, log: Logger, url: string, opts: AddOptions): Promise<string> {
  return withAdmin(config, log, async (admin) => {
    const selectors = selectorsOf(opts);
    const { feed, probe } = await admin
      .add({
        url,
        ...(selectors ? { selectors } : {}),
        ...(opts.name !== undefined ? { name: opts.name } : {}),
        ...(opts.lang !== undefined ? { lang: opts.lang } : {}),
        ...(opts.schedule !== undefined ? { schedule: opts.schedule } : {}),
        ...(opts.tags !== undefined ? { tags: opts.tags.split(/[\s,]+/).filter(Boolean) } : {}),
        ...(opts.id !== undefined ? { id: opts.id } : {}),
        ...(opts.alertBacklog ? { alertBacklog: true } : {}),
      })
      .catch((err: unknown) => {
        if (!(err instanceof FeedAdminError)) throw err;
        const problems = err.problems.map((p) =>
          FLAG_OF[p.field] ? { ...p, field: `${p.field} (${FLAG_OF[p.field]})` } : p,
        );
        throw new FeedAdminError(err.status, err.code, problems);
      });
    return `added feed ${feed.id} (${feed.name}), polled ${feed.schedule}\n${describeProbe(probe)}`;
  });
}

export function describeProbe(probe: ProbeResult): string {
  const lines = [
    `probe: ${probe.type}, ${probe.itemCount} item${probe.itemCount === 1 ? '' : 's'}, language ${probe.language}`,
  ];
  for (const item of probe.newest)
    lines.push(`  ${item.published ?? '(undated)'}  ${item.title || item.link}`);
  return lines.join('\n');
}

export type FeedAction = 'pause' | 'resume' | 'remove' | 'restore';

const DONE: Record<FeedAction, string> = {
  pause: 'paused',
  resume: 'resumed',
  remove: 'removed (its articles and events stay; `newswatch feeds restore` brings it back)',
  restore: 'restored: polled again from the next slot; what it listed before is not news again',
};

export function changeFeed(config: Config, log: Logger, action: FeedAction, id: string): Promise<string> {
  return withAdmin(config, log, async (admin) => {
    const feed = await admin[action](id);
    return `feed ${feed.id} (${feed.name}) ${DONE[action]}`;
  });
}

/**
 * `feeds remove ID`: asks `confirm` first (the feed is named, so the operator sees what goes),
 * unless `confirm` is undefined (--yes). An unknown id is refused before anything is asked.
 */
export function removeFeed(
  config: Config,
  log: Logger,
  id: string,
  confirm: ((feed: { id: string; name: string; url: string }) => Promise<boolean>) | undefined,
): Promise<string> {
  return withAdmin(config, log, async (admin) => {
    const feed = admin.get(id);
    if (feed && !feed.removedAt && confirm && !(await confirm(feed)))
      throw new NewswatchError('NW_NOT_CONFIRMED', `feed ${id} not removed`);
    const removed = await admin.remove(id);
    return `feed ${removed.id} (${removed.name}) ${DONE.remove}`;
  });
}

export function listFeeds(config: Config, log: Logger, opts: { removed: boolean }): Promise<FeedView[]> {
  return withAdmin(config, log, async (admin, ctx) => {
    const feeds = admin.list({ removed: opts.removed });
    const now = ctx.now();
    const states = await Promise.all(feeds.map((f) => ctx.stores.feeds.get(f.id)));
    return feeds.map((f, i) => feedView(ctx, f, states[i]!, now));
  });
}

export function formatFeedList(feeds: readonly FeedView[]): string {
  const rows = feeds.map((f) => [
    f.id,
    f.health.state,
    f.origin === 'file' ? 'feeds.yml' : 'runtime',
    f.schedule,
    f.language,
    f.type,
    `${f.name} <${f.url}>`,
  ]);
  const header = ['ID', 'STATE', 'ORIGIN', 'SCHEDULE', 'LANG', 'TYPE', 'NAME'];
  return formatTable(header, rows);
}

/** The runtime feeds as a feeds.yml document, to move them into the file. */
export function exportFeeds(config: Config, log: Logger): Promise<string> {
  return withAdmin(config, log, async (admin) => stringify({ feeds: admin.exportable() }));
}

/** The feeds polled now (declared and runtime) as an OPML 2.0 document, for another feed reader. */
export function exportOpml(config: Config, log: Logger): Promise<string> {
  return withAdmin(config, log, async (admin, ctx) =>
    writeOpml(admin.polled(), { title: 'newswatch feeds', now: ctx.now() }).trimEnd(),
  );
}

/**
 * Adds every feed outline of an OPML file as `feeds add` would. The file is refused whole when it
 * is no OPML, too large, or hostile; otherwise each outline gets its line of report, and `ok` is
 * false when any was refused.
 */
export async function importOpml(
  config: Config,
  log: Logger,
  file: string,
): Promise<{ report: string; ok: boolean }> {
  const text = await readCapped(file, MAX_OPML_BYTES);
  let feeds;
  try {
    feeds = parseOpml(text);
  } catch (err) {
    if (err instanceof OpmlError) throw new NewswatchError('NW_FEED_INVALID', `${file}: ${err.message}`);
    throw err;
  }
  const outcomes = await withAdmin(config, log, (admin) => admin.importFeeds(feeds));
  return { report: formatImport(file, outcomes), ok: outcomes.every((o) => o.outcome !== 'refused') };
}

export function formatImport(file: string, outcomes: readonly ImportOutcome[]): string {
  const lines = outcomes.map((o) => {
    const at = `${file}:${o.line}: ${o.url || '(no xmlUrl)'}`;
    if (o.outcome === 'added') return `${at}: added as feed ${o.id} (${o.name})`;
    return `${at}: ${o.outcome}: ${o.message}`;
  });
  const count = (what: ImportOutcome['outcome']) => outcomes.filter((o) => o.outcome === what).length;
  lines.push(
    `${outcomes.length} feed outline${outcomes.length === 1 ? '' : 's'}: ${count('added')} added, ${count('already polled')} already polled, ${count('refused')} refused`,
  );
  return lines.join('\n');
}

/** The file's text, refused without reading it all when it is larger than `max` bytes. */
async function readCapped(file: string, max: number): Promise<string> {
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (err) {
    throw new NewswatchError(
      'NW_FEED_INVALID',
      `${file}: cannot be read (${(err as NodeJS.ErrnoException).code})`,
    );
  }
  try {
    const buffer = Buffer.alloc(max + 1);
    const { bytesRead } = await handle.read(buffer, 0, max + 1, 0);
    if (bytesRead > max)
      throw new NewswatchError(
        'NW_FEED_INVALID',
        `${file}: the file is larger than ${max} bytes, and no OPML list is that long`,
      );
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
