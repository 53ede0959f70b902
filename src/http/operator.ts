// What the operator surface (JSON API, pages, /metrics) needs from the running service, as narrow
// interfaces: workers/http.ts builds them from the service's context, tests from real stores.
import type { Subscriber } from '../domain/alerts';
import type { EntityNames } from '../domain/entity-names';
import type { FeedStatus } from '../domain/feed-alerts';
import type { FeedAdmin } from '../feeds/admin';
import type { ManagedFeed } from '../feeds/runtime';
import type { MetricsRecorder } from '../metrics';
import type { AlertStore } from '../store/alerts';
import type { DeadLetter, DeadLetterStore } from '../store/dead-letters';
import type { RedisEventBase } from '../store/event-base';
import type { GivenUpPage, GivenUpPageStore } from '../store/given-up-pages';
import type { WatchAdmin } from '../watches/admin';
import type { SubscriberAdminDeps } from '../subscribers/admin';

/** A feed's polling health, as `newswatch feeds check` reports it. */
export interface FeedHealth {
  state: FeedStatus | 'removed';
  /** why it is in that state (`broken`, `needs JavaScript`, `silent`, failing), as `feeds check` says it */
  reason?: string | undefined;
  lastSuccessAt?: string | undefined;
  lastErrorAt?: string | undefined;
  lastError?: string | undefined;
  errorStreak: number;
  failingSince?: string | undefined;
  itemsSeen: number;
  nextPollAt?: string | undefined;
}

export type FeedView = ManagedFeed & { health: FeedHealth };

export interface OperatorDeps {
  feeds: FeedAdmin;
  /** each feed with its health, in the order given */
  health(feeds: readonly ManagedFeed[]): Promise<FeedView[]>;
  events: Pick<
    RedisEventBase,
    | 'getEvent'
    | 'listEvents'
    | 'timeline'
    | 'getExpectation'
    | 'listExpectations'
    | 'cancel'
    | 'reopen'
    | 'counts'
  >;
  /** the gazetteer, as far as names and validation need it */
  entities: {
    has(id: string): boolean;
    nameOf(id: string): string;
    /** entities by the names people type, in English or Arabic (the timeline) */
    names: EntityNames;
  };
  alerts: Pick<AlertStore, 'recent' | 'get' | 'deliveryLog' | 'attempts'>;
  deadLetters: Pick<DeadLetterStore, 'list' | 'get' | 'count'>;
  /** puts a dead letter's delivery back on the queue; undefined when there is none with that id */
  redrive(id: string): Promise<DeadLetter | undefined>;
  givenUpPages: Pick<GivenUpPageStore, 'list' | 'get' | 'count'>;
  /** puts a given-up page's scrape job back on the queue from attempt one; undefined when there is none */
  redrivePage(id: string): Promise<GivenUpPage | undefined>;
  subscribers: {
    /** subscribers.yml's: read-only at run time */
    declared(): readonly Subscriber[];
    /** run-time subscribers, every subscriber's channel state and pause */
    store: SubscriberAdminDeps['store'];
  };
  metrics: Pick<MetricsRecorder, 'read'>;
  /** subscribers' watches (article.match): the admin, and the gazetteer's entities for the page's picker */
  watches: {
    admin: Pick<WatchAdmin, 'list' | 'get' | 'create' | 'replace' | 'remove'>;
    entities(): readonly { id: string; name: string; kind: string }[];
  };
  feedFailingAfterMs: number;
  now(): Date;
}
