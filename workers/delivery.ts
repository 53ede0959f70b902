// Wiring for delivery: the channels (webhook always, email when SMTP_URL is set), the stores
// of subscribers, channel state, dead letters and digests, and the per-endpoint rate limit.
// Subscribers are those of subscribers.yml plus those added at run time (the API).
import type { Redis } from 'ioredis';
import type { Config } from '../src/config/env';
import type { ChannelName, FilterFacts, Subscriber } from '../src/domain/alerts';
import type { ReaderNames } from '../src/domain/wording';
import type { Logger } from '../src/log';
import type { Channel } from '../src/notify/channel';
import { emailChannel } from '../src/notify/email';
import type { DeliveryRoutesDeps } from '../src/http/delivery-routes';
import { unsubscribeUrl, verifyUnsubscribeToken } from '../src/notify/unsubscribe-token';
import { redriveDeadLetter } from '../src/pipeline/redrive';
import { requeueDelivery } from '../src/queue/requeue';
import { webhookChannel } from '../src/notify/webhook';
import { DeadLetterStore } from '../src/store/dead-letters';
import { DigestStore } from '../src/store/digests';
import { EndpointRateLimiter } from '../src/store/rate-limits';
import { SubscriberStore } from '../src/store/subscribers';
import type { Context } from './context';

export interface DeliveryServices {
  stores: { subscribers: SubscriberStore; deadLetters: DeadLetterStore; digests: DigestStore };
  rateLimiter: EndpointRateLimiter;
  channel(name: ChannelName): Channel | undefined;
  /** subscribers.yml's, then the run-time ones; an id in the file wins */
  subscribers(): Promise<Subscriber[]>;
  subscriber(id: string): Promise<Subscriber | undefined>;
  facts: FilterFacts;
  close(): void;
}

/**
 * @param redis the stores' connection (auto-pipelined)
 * @param limiterRedis a plain connection for the rate limiter: rate-limiter-flexible's Lua
 *   command fails in an ioredis auto-pipeline ("pipeline[functionName] is not a function")
 */
export function createDeliveryServices(
  config: Config,
  redis: Redis,
  limiterRedis: Redis,
  log: Logger,
  declared: {
    subscribers: () => readonly Subscriber[];
    regionsOf: (feedId: string) => readonly string[];
    /** what emails call entities and feeds */
    names?: ReaderNames;
  },
): DeliveryServices {
  const store = new SubscriberStore(redis, config.prefix);
  const webhook = webhookChannel({
    timeoutMs: config.delivery.webhookTimeoutMs,
    allowPrivate: config.fetchAllowPrivate,
  });
  const email = config.email.smtpUrl
    ? emailChannel({
        smtpUrl: config.email.smtpUrl,
        from: config.email.from,
        unsubscribeUrl: (id) => unsubscribeUrl(config.publicUrl, config.unsubscribe.secret, id),
        names: declared.names,
      })
    : undefined;
  if (!email && declared.subscribers().some((s) => s.email?.length))
    log.warn('subscribers have email channels but SMTP_URL is unset: their emails go to the dead letters');
  if (email && config.unsubscribe.generated)
    log.warn(
      'UNSUBSCRIBE_SECRET is unset: a random one is used, so unsubscribe links stop working on restart',
    );
  const fromFile = (id: string) => declared.subscribers().find((s) => s.id === id);
  return {
    stores: {
      subscribers: store,
      deadLetters: new DeadLetterStore(redis, config.prefix),
      digests: new DigestStore(redis, config.prefix),
    },
    rateLimiter: new EndpointRateLimiter(limiterRedis, config.prefix),
    channel: (name) => (name === 'webhook' ? webhook : email),
    async subscribers() {
      const file = declared.subscribers();
      const ids = new Set(file.map((s) => s.id));
      return [...file, ...(await store.list()).filter((s) => !ids.has(s.id))];
    },
    async subscriber(id) {
      return fromFile(id) ?? (await store.get(id));
    },
    facts: { regionsOf: declared.regionsOf },
    close() {
      email?.close();
    },
  };
}

/** What the HTTP app's delivery routes call (src/http/delivery-routes.ts). */
export function deliveryRoutesDeps(ctx: Context): DeliveryRoutesDeps {
  const { stores } = ctx.delivery;
  return {
    unsubscribe: {
      verify: (token) => verifyUnsubscribeToken(ctx.config.unsubscribe.secret, token),
      record: (subscriberId) => stores.subscribers.unsubscribe(subscriberId, 'email', ctx.now()),
      unsubscribedAt: async (subscriberId) =>
        (await stores.subscribers.channelState(subscriberId, 'email')).unsubscribedAt,
    },
    deadLetters: {
      list: (opts) => stores.deadLetters.list(opts),
      redrive: (id) =>
        redriveDeadLetter(
          {
            deadLetters: stores.deadLetters,
            requeue: requeueDelivery(ctx.queues.deliver),
            enableChannel: (sub, channel) => stores.subscribers.enable(sub, channel),
          },
          id,
        ),
    },
    deliveryLog: async (alertId) =>
      (await ctx.stores.alerts.get(alertId)) ? ctx.stores.alerts.deliveryLog(alertId) : undefined,
  };
}
