// The feeds one process knows: feeds.yml's merged with those managed in Redis, kept current by
// the store's change announcements and, should one be missed (pub/sub does not queue), by a
// periodic look at the change counter.
import type { FeedStore } from '../store/feeds';
import type { FeedDefinition } from './schema';
import { mergeFeeds, type ManagedFeed } from './runtime';

/** How often the change counter is read besides the announcements. */
export const RECONCILE_MS = 10_000;

export class FeedRegistry {
  private feeds: ManagedFeed[];
  private seenVersion = -1;
  private readonly listeners = new Set<(feeds: readonly ManagedFeed[]) => void>();
  private refreshing: Promise<void> | undefined;
  private again = false;

  constructor(
    private readonly declared: readonly FeedDefinition[],
    private readonly store: FeedStore,
    private readonly onError: (err: Error) => void = () => undefined,
  ) {
    this.feeds = mergeFeeds(declared, []);
  }

  /** Every feed, removed ones included (their history stays visible). */
  all(): readonly ManagedFeed[] {
    return this.feeds;
  }

  /** The feeds that are polled or paused: not removed. */
  active(): ManagedFeed[] {
    return this.feeds.filter((f) => !f.removedAt);
  }

  get(id: string): ManagedFeed | undefined {
    return this.feeds.find((f) => f.id === id);
  }

  /** Called with the feeds after each change (the scheduler re-plans its ticks). */
  onChange(listener: (feeds: readonly ManagedFeed[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Reloads from Redis; overlapping calls share one reload, and a call made during it gets another. */
  async refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      do {
        this.again = false;
        const version = await this.store.version();
        this.feeds = mergeFeeds(this.declared, await this.store.all());
        this.seenVersion = version;
        for (const listener of this.listeners) listener(this.feeds);
      } while (this.again);
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /** Keeps the list current until the returned function is called. */
  async watch(reconcileMs = RECONCILE_MS): Promise<() => Promise<void>> {
    const reload = () => void this.refresh().catch((err: Error) => this.onError(err));
    const unsubscribe = await this.store.subscribe(reload, this.onError);
    const timer = setInterval(() => {
      this.store
        .version()
        .then((v) => v !== this.seenVersion && reload())
        .catch((err: Error) => this.onError(err));
    }, reconcileMs);
    timer.unref();
    // A change made between the first load and the subscription would otherwise wait for the timer.
    reload();
    return async () => {
      clearInterval(timer);
      await unsubscribe();
    };
  }
}
