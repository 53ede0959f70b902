// `newswatch feeds check [--now] [--json]`: every feed's health as an operator needs it, read from the
// feed state in Redis; with --now each feed is first polled once through the poll stage itself, so new
// items go to the scrape queue exactly as the scheduler's polls would send them.
import { createTask } from 'node-cron';
import type { Config } from '../config/env';
import { describeSpan, feedStatus, feedStatusReason, type FeedStatus } from '../domain/feed-alerts';
import type { FeedDefinition } from '../feeds/schema';
import { NewswatchError } from '../errors';
import type { Logger } from '../log';
import { pollFeed } from '../pipeline/poll';
import type { FeedState } from '../store/feed-state';
import { createContext } from '../../workers/context';
import { pollDeps } from '../../workers/roles';

export interface FeedRow {
  id: string;
  name: string;
  type: FeedDefinition['type'];
  url: string;
  state: FeedStatus;
  /** why it is in that state: the last error, the breakage (`broken`, `needs JavaScript`) or the silence */
  reason?: string | undefined;
  lastSuccessAt?: string | undefined;
  lastErrorAt?: string | undefined;
  /** the error message, which names the URL that failed */
  lastError?: string | undefined;
  errorStreak: number;
  failingSince?: string | undefined;
  itemsSeen: number;
  /** when the scheduler will next fetch it: its next tick, or the first after its backoff */
  nextPollAt?: string | undefined;
  /** with --now: what this run's poll did */
  polled?: string | undefined;
}

/** Feeds polled at once with --now; the host gate keeps each site's own pace regardless. */
const POLL_CONCURRENCY = 4;

export async function checkFeeds(
  config: Config,
  log: Logger,
  opts: { now: boolean; ids?: readonly string[] | undefined },
): Promise<FeedRow[]> {
  const ctx = await createContext(config, log);
  try {
    const feeds = chosenFeeds(ctx.feeds, opts.ids ?? []);
    const polled = new Map<string, string>();
    if (opts.now) {
      const deps = pollDeps(ctx);
      const queue = [...feeds];
      const worker = async () => {
        for (let feed = queue.shift(); feed; feed = queue.shift()) {
          polled.set(feed.id, await pollOnce(() => pollFeed(deps, feed.id)));
        }
      };
      await Promise.all(Array.from({ length: POLL_CONCURRENCY }, worker));
    }
    const now = ctx.now();
    // Feeds added at run time would join here; today every feed is declared in feeds.yml.
    return await Promise.all(
      feeds.map(async (feed) =>
        feedRow(feed, await ctx.stores.feeds.get(feed.id), now, config, polled.get(feed.id)),
      ),
    );
  } finally {
    await ctx.close();
  }
}

/** The feeds named (all when none is), in the order named; an unknown id is refused, naming the known ones. */
function chosenFeeds(feeds: readonly FeedDefinition[], ids: readonly string[]): FeedDefinition[] {
  if (ids.length === 0) return [...feeds];
  const unknown = ids.filter((id) => !feeds.some((f) => f.id === id));
  if (unknown.length > 0)
    throw new NewswatchError(
      'NW_NOT_FOUND',
      `no feed ${unknown.map((id) => `"${id}"`).join(', ')}; the feeds are ${feeds.map((f) => f.id).join(', ') || '(none)'}`,
    );
  return [...new Set(ids)].map((id) => feeds.find((f) => f.id === id)!);
}

async function pollOnce(poll: () => ReturnType<typeof pollFeed>): Promise<string> {
  try {
    const outcome = await poll();
    switch (outcome.status) {
      case 'polled':
        return `${outcome.newItems} new of ${outcome.items} items`;
      case 'not-modified':
        return 'not modified';
      case 'backing-off':
        return 'skipped: backing off';
      case 'disabled':
        return 'skipped: paused';
      case 'unknown-feed':
        return 'skipped: unknown feed';
    }
  } catch {
    // The failure is recorded on the feed; its row shows the error.
    return 'failed';
  }
}

export function feedRow(
  feed: FeedDefinition,
  state: FeedState,
  now: Date,
  config: Pick<Config, 'feedFailingAfterMs'>,
  polled?: string,
): FeedRow {
  const backoffUntil =
    state.nextPollAt && Date.parse(state.nextPollAt) > now.getTime() ? state.nextPollAt : undefined;
  return {
    id: feed.id,
    name: feed.name,
    type: feed.type,
    url: feed.url,
    state: feedStatus(feed, state, now, config.feedFailingAfterMs),
    reason: feedStatusReason(feed, state, now, config.feedFailingAfterMs),
    lastSuccessAt: state.lastSuccessAt,
    lastErrorAt: state.lastErrorAt,
    lastError: state.lastError,
    errorStreak: state.errorStreak,
    failingSince: state.failingSince,
    itemsSeen: state.itemsSeen,
    nextPollAt: feed.enabled
      ? nextTick(feed.schedule, new Date(backoffUntil ?? now))?.toISOString()
      : undefined,
    ...(polled ? { polled } : {}),
  };
}

/** The first minute at or after `from` that the feed's cron schedule fires, within a week. */
export function nextTick(schedule: string, from: Date): Date | undefined {
  const task = createTask(schedule, () => undefined);
  try {
    const start = Math.ceil(from.getTime() / 60_000) * 60_000;
    for (let t = start; t < start + 7 * 86_400_000; t += 60_000) {
      if (task.match(new Date(t))) return new Date(t);
    }
    return undefined;
  } finally {
    void task.destroy();
  }
}

const COLUMNS: [string, (r: FeedRow, now: Date) => string][] = [
  ['FEED', (r) => r.id],
  ['TYPE', (r) => r.type],
  ['STATE', (r) => r.state],
  ['LAST SUCCESS', (r, now) => when(r.lastSuccessAt, now)],
  ['ERRORS', (r) => String(r.errorStreak)],
  ['ITEMS', (r) => String(r.itemsSeen)],
  ['NEXT POLL', (r, now) => when(r.nextPollAt, now)],
  ['LAST ERROR', (r, now) => (r.lastError ? `${when(r.lastErrorAt, now)}: ${r.lastError}` : '-')],
];

/**
 * The table `feeds check` prints: one row per feed, then each feed's name and URL under it, with why
 * a broken, silent or script-built feed is so (the last error has its column).
 */
export function formatFeedTable(rows: FeedRow[], now: Date): string {
  const columns: typeof COLUMNS = rows.some((r) => r.polled)
    ? [...COLUMNS.slice(0, 3), ['POLLED NOW', (r) => r.polled ?? '-'], ...COLUMNS.slice(3)]
    : COLUMNS;
  const cells = rows.map((r) => columns.map(([, cell]) => cell(r, now)));
  const widths = columns.map(([title], i) => Math.max(title.length, ...cells.map((c) => c[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => (i === values.length - 1 ? v : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const names = rows.map(
    (r) =>
      `  ${r.id}: ${r.name} <${r.url}>` +
      (r.reason && r.reason !== r.lastError ? `\n    ${r.state}: ${r.reason}` : ''),
  );
  return [line(columns.map(([title]) => title)), ...cells.map(line), '', ...names].join('\n');
}

function when(iso: string | undefined, now: Date): string {
  if (!iso) return '-';
  const ms = Date.parse(iso) - now.getTime();
  const stamp = iso.replace(/\.\d{3}Z$/, 'Z');
  return ms >= 0 ? `${stamp} (in ${describeSpan(ms)})` : `${stamp} (${describeSpan(-ms)} ago)`;
}
