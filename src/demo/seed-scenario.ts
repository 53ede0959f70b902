// The product's defining scenario on real parts, shared by `newswatch demo` and the
// end-to-end test: a fixture HTTP server publishing the two seed articles in order, a
// webhook receiver that verifies signatures, and the whole pipeline on Redis under its own
// key prefix, driven poll by poll. The demo is product code and ships in the image, so its
// site (data/demo/) is read beside the code, whatever the working directory.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Config } from '../config/env';
import type { Alert } from '../domain/types';
import type { FeedDefinition } from '../feeds/schema';
import type { Logger } from '../log';
import { generateWebhookSecret } from '../notify/webhook';
import { connectRedis, deleteKeys } from '../store/redis';
import { startService, type Service } from '../../workers/service';
import { enqueuePoll } from '../../workers/scheduler';
import { startFixtureServer, type FixtureServer } from './fixture-server';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';
import { waitForIdle } from './idle';

const SEED_DIR = new URL('../../data/demo/', import.meta.url);
const read = (name: string) => readFile(new URL(name, SEED_DIR), 'utf8');
const withBase = (text: string) => (base: string) => text.replaceAll('{{BASE}}', base);

export interface SeedScenario {
  fixtures: FixtureServer;
  receiver: WebhookReceiver;
  service: Service;
  feed: FeedDefinition;
  /** the one subscriber, its alerts sent to the receiver */
  subscriber: { name: string; webhookUrl: string };
  /** alerts the receiver has accepted with a valid signature, in arrival order */
  delivered(): Alert[];
  /** polls the feed in a new slot and waits until every stage has finished its work */
  poll(): Promise<void>;
  /** the second article appears in the feed, as it did on 2026-01-31 */
  publishSecond(): Promise<void>;
  close(): Promise<void>;
}

/** The seed site: its feed, first with one article, and both article pages. */
export interface SeedSite {
  fixtures: FixtureServer;
  feed: FeedDefinition;
  /** the second article appears in the feed, as it did on 2026-01-31 */
  publishSecond(): void;
}

/**
 * Serves the seed pair on a fixture server. `pageDelayMs` makes the article pages answer late,
 * so fault tests can catch a scrape job in flight.
 */
export async function startSeedSite(opts: { pageDelayMs?: number | undefined } = {}): Promise<SeedSite> {
  const [feed1, feed2, page1, page2] = await Promise.all([
    read('feed-1.xml'),
    read('feed-2.xml'),
    read('article-1.html'),
    read('article-2.html'),
  ]);
  const html = 'text/html; charset=utf-8';
  const rss = 'application/rss+xml; charset=utf-8';
  const fixtures = await startFixtureServer({
    '/feed.xml': { body: withBase(feed1), contentType: rss },
    '/news/nato-kuwait-partner.html': { body: withBase(page1), contentType: html, delayMs: opts.pageDelayMs },
    '/news/kuwait-nato-dialogue.html': {
      body: withBase(page2),
      contentType: html,
      delayMs: opts.pageDelayMs,
    },
  });
  const feed: FeedDefinition = {
    id: 'seed-fixture',
    name: 'Seed fixture feed',
    url: `${fixtures.baseUrl}/feed.xml`,
    type: 'rss',
    language: 'ar',
    region: ['gulf', 'nato'],
    schedule: '*/5 * * * *',
    enabled: true,
    // A replay of January 2026: its first article is the feed's backlog and every article is
    // older than ALERT_RECENCY, yet the scenario is about their alerts.
    alertBacklog: true,
  };
  return {
    fixtures,
    feed,
    publishSecond: () => fixtures.setRoute('/feed.xml', { body: withBase(feed2), contentType: rss }),
  };
}

export async function startSeedScenario(config: Config, log: Logger): Promise<SeedScenario> {
  const { fixtures, feed, publishSecond } = await startSeedSite();
  const secret = generateWebhookSecret();
  const receiver = await startWebhookReceiver({ secret });
  const subscriber = { name: 'Demo analyst', webhookUrl: receiver.url };
  const service = await startService(config, log, ['poll', 'scrape', 'analyze', 'alert', 'deliver'], {
    feeds: [feed],
    subscribers: [
      {
        id: 'demo-analyst',
        name: subscriber.name,
        webhook: { url: receiver.url, secrets: [secret] },
        filters: { entities: ['kuwait', 'nato'] },
      },
    ],
  });
  let slot = 0;
  return {
    fixtures,
    receiver,
    service,
    feed,
    subscriber,
    delivered: () =>
      receiver.received.filter((r) => r.verified).map((r) => (r.payload as { data: Alert }).data),
    async poll() {
      slot += 1;
      await enqueuePoll(service.ctx, feed.id, slot);
      await waitForIdle(Object.values(service.ctx.queues), 30_000);
    },
    async publishSecond() {
      publishSecond();
    },
    async close() {
      await service.stop();
      const redis = connectRedis(config.redisUrl);
      await deleteKeys(redis, config.prefix);
      redis.disconnect();
      await Promise.all([fixtures.close(), receiver.close()]);
    },
  };
}

/** A key prefix of its own for one demo or test run. */
export const runPrefix = (label: string) => `nw-${label}-${randomBytes(4).toString('hex')}:`;
