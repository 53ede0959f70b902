// Source health beyond "the fetch worked": a feed that has stopped publishing (`silent`: nothing
// new for several of its usual gaps) and a source that reads but yields nothing (`broken`: a
// listing whose selectors no longer match, a feed that lists no items, pages that give no text or
// need JavaScript). Pure rules on what the feed-state store keeps; the clock comes in. The words
// operators read and the alerts are built from these verdicts in feed-alerts.ts.

/** What the store keeps about a feed's output, as ISO strings and counts. */
export interface SourceHealth {
  /** when polls found new items (first-seen times), newest first, at most MAX_ARRIVALS */
  arrivals?: readonly string[] | undefined;
  /** the last successful poll whose document listed at least one item */
  listedAt?: string | undefined;
  /** new items found over the feed's life (listed before `listedAt` was kept) */
  itemsSeen?: number | undefined;
  /** successful (200) polls in a row whose document listed no item, and the first of them */
  emptyPolls?: number | undefined;
  emptySince?: string | undefined;
  /** the feed's scraped pages in a row that gave no readable text, and the first of them */
  textlessPages?: number | undefined;
  textlessSince?: string | undefined;
  /** how many of the last pages in a row were built by script (needed JavaScript) */
  scriptPages?: number | undefined;
  /** the last page without text, and why (e.g. "needs JavaScript: an empty #root and 3 scripts") */
  lastTextlessPage?: string | undefined;
  lastTextlessReason?: string | undefined;
}

/** The cadence is learnt from the last 50 gaps between new items (51 arrivals). */
export const MAX_GAPS = 50;
export const MAX_ARRIVALS = MAX_GAPS + 1;
/** No verdict on silence before this many gaps were seen: a new feed has no habit yet. */
export const MIN_GAPS = 5;
/** Silent after this many median gaps without anything new ... */
export const SILENT_FACTOR = 4;
/** ... and never before this long: a feed that publishes every 5 minutes may pause for lunch. */
export const SILENT_FLOOR_MS = 6 * 3_600_000;
/** A successful poll that lists nothing may be a hiccup (a page served mid-deploy); two in a row are not. */
export const EMPTY_POLLS_BROKEN = 2;
/** Pages in a row without readable text before the feed is called broken (one odd page is no breakage). */
export const TEXTLESS_PAGES_BROKEN = 3;

export interface Cadence {
  /** gaps the median was taken over */
  gaps: number;
  medianGapMs: number;
  /** max(SILENT_FACTOR × median, SILENT_FLOOR_MS) */
  silentAfterMs: number;
  /** the newest arrival: the start of any silence */
  lastArrival: string;
}

/** The feed's habit, or undefined while fewer than MIN_GAPS gaps are known. */
export function cadenceOf(arrivals: readonly string[] | undefined): Cadence | undefined {
  const times = (arrivals ?? [])
    .map((a) => Date.parse(a))
    .filter((t) => !Number.isNaN(t))
    .sort((a, b) => b - a)
    .slice(0, MAX_ARRIVALS);
  const gaps: number[] = [];
  // Two polls at one instant (a manual `feeds check --now` beside the scheduler's) are one arrival.
  for (let i = 1; i < times.length; i++) if (times[i - 1]! > times[i]!) gaps.push(times[i - 1]! - times[i]!);
  if (gaps.length < MIN_GAPS) return undefined;
  const medianGapMs = median(gaps);
  return {
    gaps: gaps.length,
    medianGapMs,
    silentAfterMs: Math.max(SILENT_FACTOR * medianGapMs, SILENT_FLOOR_MS),
    lastArrival: new Date(times[0]!).toISOString(),
  };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}

export interface Silence extends Cadence {
  silentForMs: number;
}

/** The feed's silence, when nothing new has come for `silentAfterMs` since its last new item. */
export function silenceOf(health: SourceHealth, now: Date): Silence | undefined {
  const cadence = cadenceOf(health.arrivals);
  if (!cadence) return undefined;
  const silentForMs = now.getTime() - Date.parse(cadence.lastArrival);
  return silentForMs >= cadence.silentAfterMs ? { ...cadence, silentForMs } : undefined;
}

export type Breakage =
  | {
      /** the feed document itself: it listed items before and now lists none */
      source: 'listing';
      since: string;
      polls: number;
    }
  | {
      /** the feed's pages: the last ones gave no readable text */
      source: 'pages';
      since: string;
      pages: number;
      /** every one of those pages was built by script */
      needsJavaScript: boolean;
      lastPage?: string | undefined;
      lastReason?: string | undefined;
    };

/**
 * Why the source is broken, or undefined. The listing is judged first: while it lists nothing,
 * no page is read, so the pages' record is old news. Each breakage has its spell: `source` and
 * `since` name it, and it ends when the listing lists items again or a page gives text.
 */
export function breakageOf(health: SourceHealth): Breakage | undefined {
  const listedBefore = health.listedAt !== undefined || (health.itemsSeen ?? 0) > 0;
  const emptyPolls = health.emptyPolls ?? 0;
  if (listedBefore && emptyPolls >= EMPTY_POLLS_BROKEN && health.emptySince)
    return { source: 'listing', since: health.emptySince, polls: emptyPolls };
  const pages = health.textlessPages ?? 0;
  if (pages >= TEXTLESS_PAGES_BROKEN && health.textlessSince)
    return {
      source: 'pages',
      since: health.textlessSince,
      pages,
      needsJavaScript: (health.scriptPages ?? 0) >= TEXTLESS_PAGES_BROKEN,
      lastPage: health.lastTextlessPage,
      lastReason: health.lastTextlessReason,
    };
  return undefined;
}

/** The key of a breakage's spell, unique per feed: what its alert's id and the "already raised" mark name. */
export function breakageSpell(b: Breakage): string {
  return `${b.source}|${b.since}`;
}
