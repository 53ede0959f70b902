// Wiring of the operator surface: the feed admin (shared by the API, the pages and the CLI) and
// everything the HTTP app's API, pages and /metrics read, built from the service's context.
import { feedRow } from '../src/cli/feeds';
import { compileEntityNames } from '../src/domain/entity-names';
import { FeedAdmin } from '../src/feeds/admin';
import { probeFeed } from '../src/feeds/probe';
import type { ManagedFeed } from '../src/feeds/runtime';
import type { FeedView, OperatorDeps } from '../src/http/operator';
import { redrivePage } from '../src/pipeline/owed-pages';
import { redriveDeadLetter } from '../src/pipeline/redrive';
import { requeueDelivery, requeueScrape } from '../src/queue/requeue';
import type { FeedState } from '../src/store/feed-state';
import type { Context } from './context';
import { entityChoices, watchAdmin } from './watches';

export function feedAdmin(ctx: Context): FeedAdmin {
  return new FeedAdmin({
    store: ctx.feedStore,
    registry: ctx.feedRegistry,
    // Through the polite fetcher: a probe takes its turn at the host like any poll.
    probe: (url, selectors) => probeFeed((u, opts) => ctx.fetch(u, opts), url, selectors, ctx.now()),
    now: ctx.now,
  });
}

/** A feed's health as `newswatch feeds check` computes it; a removed feed has no next poll. */
export function feedView(ctx: Context, feed: ManagedFeed, state: FeedState, now: Date): FeedView {
  const row = feedRow(feed, state, now, ctx.config);
  return {
    ...feed,
    health: {
      state: feed.removedAt ? 'removed' : row.state,
      reason: feed.removedAt ? undefined : row.reason,
      lastSuccessAt: row.lastSuccessAt,
      lastErrorAt: row.lastErrorAt,
      lastError: row.lastError,
      errorStreak: row.errorStreak,
      failingSince: row.failingSince,
      itemsSeen: row.itemsSeen,
      nextPollAt: feed.removedAt ? undefined : row.nextPollAt,
    },
  };
}

export function operatorDeps(ctx: Context): OperatorDeps {
  const { deadLetters, subscribers } = ctx.delivery.stores;
  return {
    feeds: feedAdmin(ctx),
    async health(feeds) {
      const now = ctx.now();
      const states = await Promise.all(feeds.map((f) => ctx.stores.feeds.get(f.id)));
      return feeds.map((f, i) => feedView(ctx, f, states[i]!, now));
    },
    events: ctx.stores.events,
    entities: {
      has: (id) => ctx.analyzer.gazetteer.get(id) !== undefined,
      nameOf: (id) => ctx.analyzer.nameOf(id),
      names: compileEntityNames(ctx.analyzer.gazetteer),
    },
    alerts: ctx.stores.alerts,
    deadLetters,
    redrive: (id) =>
      redriveDeadLetter(
        {
          deadLetters,
          requeue: requeueDelivery(ctx.queues.deliver),
          enableChannel: (subscriberId, channel) => subscribers.enable(subscriberId, channel),
        },
        id,
      ),
    givenUpPages: ctx.stores.givenUp,
    redrivePage: (id) =>
      redrivePage({ givenUp: ctx.stores.givenUp, requeue: requeueScrape(ctx.queues.scrape) }, id),
    subscribers: { declared: () => ctx.subscribers, store: subscribers },
    metrics: ctx.metrics,
    watches: { admin: watchAdmin(ctx), entities: () => entityChoices(ctx) },
    feedFailingAfterMs: ctx.config.feedFailingAfterMs,
    now: ctx.now,
  };
}
