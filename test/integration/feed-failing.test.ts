// A feed that keeps failing raises one `feed.failing` alert per failing spell, delivered by signed
// webhook to the subscribers who asked for that kind, and a success ends the spell. Real parts: a
// fixture server, the poll, alert and deliver workers on the real Redis, a verifying webhook receiver.
// The service's clock is a variable, so "failing for longer than FEED_FAILING_AFTER" takes no waiting.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/domain/types';
import { createLogger } from '../../src/log';
import { generateWebhookSecret } from '../../src/notify/webhook';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { waitForIdle } from '../../src/demo/idle';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/demo/webhook-receiver';
import { startService, type Service } from '../../workers/service';
import { enqueuePoll } from '../../workers/scheduler';
import { testConfig } from '../support/config';

const GOOD_FEED =
  '<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>a</title><link>https://news.example/a</link></item></channel></rss>';

describe('feed.failing', () => {
  const config = testConfig('feed-failing', { FEED_FAILING_AFTER: '20s', HOST_MIN_DELAY_MS: '0' });
  const secret = generateWebhookSecret();
  let fixtures: FixtureServer;
  let operators: WebhookReceiver;
  let analysts: WebhookReceiver;
  let service: Service;
  let clock = Date.now();
  let slot = 0;

  beforeAll(async () => {
    fixtures = await startFixtureServer({
      '/feed.xml': { contentType: 'text/plain', status: 500, body: 'upstream broke' },
    });
    [operators, analysts] = await Promise.all([
      startWebhookReceiver({ secret }),
      startWebhookReceiver({ secret }),
    ]);
    service = await startService(config, createLogger('silent'), ['poll', 'alert', 'deliver'], {
      now: () => new Date(clock),
      feeds: [
        {
          id: 'flaky',
          name: 'Flaky wire',
          url: `${fixtures.baseUrl}/feed.xml`,
          type: 'rss',
          language: 'en',
          region: ['gulf'],
          schedule: '*/5 * * * *',
          enabled: true,
        },
      ],
      subscribers: [
        {
          id: 'ops',
          name: 'Operators',
          webhook: { url: operators.url, secrets: [secret] },
          // an entity filter is about news; it does not hide the health of the feeds
          filters: { kinds: ['feed.failing'], entities: ['kuwait'] },
        },
        {
          id: 'desk',
          name: 'Analysts, every news kind',
          webhook: { url: analysts.url, secrets: [secret] },
          filters: {},
        },
      ],
    });
  }, 30_000);

  afterAll(async () => {
    await service?.stop();
    const redis = connectRedis(config.redisUrl);
    await deleteKeys(redis, config.prefix);
    redis.disconnect();
    await Promise.all([fixtures?.close(), operators?.close(), analysts?.close()]);
  });

  /** Moves the service clock on by `seconds`, polls once and waits for alert delivery to settle. */
  async function pollAfter(seconds: number) {
    clock += seconds * 1000;
    slot += 1;
    await enqueuePoll(service.ctx, 'flaky', slot);
    const { poll, alert, deliver } = service.ctx.queues;
    await waitForIdle([poll, alert, deliver], 20_000);
  }

  const alerts = () =>
    operators.received.filter((r) => r.verified).map((r) => (r.payload as { data: Alert }).data);

  it('raises nothing while the feed has failed for less than FEED_FAILING_AFTER', async () => {
    await pollAfter(0);
    await pollAfter(10);
    expect(alerts()).toEqual([]);
    const state = await service.ctx.stores.feeds.get('flaky');
    expect(state.errorStreak).toBe(1); // the second poll fell inside the backoff and fetched nothing
    expect(state.lastError).toBe(`${fixtures.baseUrl}/feed.xml: HTTP 500`);
    expect(fixtures.hits.get('/feed.xml')).toBe(1);
  });

  it('raises one alert once the spell is longer, to the subscribers who asked for the kind only', async () => {
    await pollAfter(25); // 35 s into the spell, still backing off: raised between attempts
    await pollAfter(5);
    await pollAfter(60); // past the backoff: fetched, failed again
    expect(alerts()).toHaveLength(1);
    const [alert] = alerts();
    expect(alert!.kind).toBe('feed.failing');
    expect(alert!.title).toMatch(
      /^Feed failing: Flaky wire has not been read since \d+ \w+ \d{4}, \d\d:\d\d UTC \(35 s\)$/,
    );
    expect(alert!.reasons[0]).toBe(`last error: ${fixtures.baseUrl}/feed.xml: HTTP 500`);
    expect(analysts.received).toEqual([]);
    expect(fixtures.hits.get('/feed.xml')).toBe(2);
  });

  it('ends the spell on a success, and alerts again, with a new id, when the feed fails anew', async () => {
    fixtures.setRoute('/feed.xml', { contentType: 'application/rss+xml', body: GOOD_FEED });
    // The receiver refuses signatures more than 5 minutes off its clock: the service's stays within.
    await pollAfter(125); // past the 2-minute backoff
    expect((await service.ctx.stores.feeds.get('flaky')).errorStreak).toBe(0);
    fixtures.setRoute('/feed.xml', { contentType: 'text/plain', status: 503, body: 'down again' });
    await pollAfter(5);
    expect(alerts()).toHaveLength(1);
    await pollAfter(25);
    expect(alerts()).toHaveLength(2);
    const [first, second] = alerts();
    expect(second!.id).not.toBe(first!.id);
    expect(second!.reasons[0]).toBe(`last error: ${fixtures.baseUrl}/feed.xml: HTTP 503`);
  });
});
