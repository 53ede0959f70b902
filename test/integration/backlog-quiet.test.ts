// A new feed's backlog on real parts: the seed site on a fixture server, the poll, scrape, analyze,
// alert and deliver workers on the real Redis, and a webhook receiver that verifies signatures.
// What the feed lists at its first poll is stored and matched but delivers nothing; what it
// publishes after delivers; a feed with `alertBacklog: true` delivers its backlog too.
// ALERT_RECENCY is widened to take in the January 2026 seed pair: the window has its own table
// (test/unit/alert-quiet.test.ts); this test is about the backlog.
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/domain/types';
import type { FeedDefinition } from '../../src/feeds/schema';
import { createLogger } from '../../src/log';
import { generateWebhookSecret } from '../../src/notify/webhook';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { waitForIdle } from '../../src/demo/idle';
import { startSeedSite, type SeedSite } from '../../src/demo/seed-scenario';
import { startWebhookReceiver, type WebhookReceiver } from '../../src/demo/webhook-receiver';
import { startService, type Service } from '../../workers/service';
import { enqueuePoll } from '../../workers/scheduler';
import { testConfig } from '../support/config';

interface Run {
  site: SeedSite;
  receiver: WebhookReceiver;
  service: Service;
  poll(): Promise<void>;
  delivered(): Alert[];
}

const runs: { run: Run; prefix: string; redisUrl: string }[] = [];

async function start(label: string, feed: Partial<FeedDefinition>): Promise<Run> {
  const config = testConfig(label, { ALERT_RECENCY: '3650d' });
  const site = await startSeedSite();
  const secret = generateWebhookSecret();
  const receiver = await startWebhookReceiver({ secret });
  const { alertBacklog: _seedOptIn, ...seedFeed } = site.feed;
  const service = await startService(
    config,
    createLogger('silent'),
    ['poll', 'scrape', 'analyze', 'alert', 'deliver'],
    {
      feeds: [{ ...seedFeed, ...feed }],
      subscribers: [
        { id: 'analyst', name: 'Analyst', webhook: { url: receiver.url, secrets: [secret] }, filters: {} },
      ],
    },
  );
  let slot = 0;
  const run: Run = {
    site,
    receiver,
    service,
    async poll() {
      slot += 1;
      await enqueuePoll(service.ctx, site.feed.id, slot);
      await waitForIdle(Object.values(service.ctx.queues), 30_000);
    },
    delivered: () =>
      receiver.received.filter((r) => r.verified).map((r) => (r.payload as { data: Alert }).data),
  };
  runs.push({ run, prefix: config.prefix, redisUrl: config.redisUrl });
  return run;
}

afterEach(async () => {
  for (const { run, prefix, redisUrl } of runs.splice(0)) {
    await run.service.stop();
    const redis = connectRedis(redisUrl);
    await deleteKeys(redis, prefix);
    redis.disconnect();
    await Promise.all([run.site.fixtures.close(), run.receiver.close()]);
  }
});

const kuwaitNato = (run: Run) =>
  run.service.ctx.stores.events.eventsNear(['kuwait', 'nato'], { from: '2026-01-01', to: '2026-02-28' }, 0);

describe('a new feed’s backlog', () => {
  it('stores the backlog’s events but delivers no alert; an article published later delivers its alert', async () => {
    const run = await start('backlog-quiet', {});
    await run.poll();
    expect(run.site.fixtures.hits.get('/news/nato-kuwait-partner.html')).toBe(1);
    const stored = await kuwaitNato(run);
    expect(stored.some((e) => !e.historical && e.date.value === '2026-01-14')).toBe(true);
    expect(run.delivered()).toEqual([]);

    run.site.publishSecond();
    await run.poll();
    // The later article's news is the dialogue it reports, which fulfils the expectation the
    // backlog opened quietly (an event that fulfils one is told as the fulfilment, not as event.new).
    const delivered = run.delivered();
    expect(delivered.map((a) => a.kind)).toEqual(['expectation.fulfilled']);
    expect(delivered[0]!.event!.date.value).toBe('2026-01-28');
  }, 60_000);

  it('delivers the backlog’s alerts for a feed with alertBacklog: true', async () => {
    const run = await start('backlog-optin', { alertBacklog: true });
    await run.poll();
    const kinds = run.delivered().map((a) => a.kind);
    expect(kinds).toContain('expectation.opened');
    expect(kinds).toContain('event.new');
  }, 60_000);
});
