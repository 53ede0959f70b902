// The defining scenario end to end on real parts: a fixture HTTP server publishes the two
// seed articles in order, the whole pipeline runs on the real Redis, and a real webhook
// receiver verifies every signature.
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Alert } from '../../src/domain/types';
import { createLogger } from '../../src/log';
import { connectRedis } from '../../src/store/redis';
import { startSeedScenario, type SeedScenario } from '../../src/demo/seed-scenario';
import { testConfig } from '../support/config';

describe('seed scenario: an expected follow-up is reported', () => {
  const config = testConfig('e2e-seed');
  let scenario: SeedScenario;
  let afterFirst: Alert[];
  let afterSecond: Alert[];

  beforeAll(async () => {
    scenario = await startSeedScenario(config, createLogger('silent'));
    await scenario.poll();
    afterFirst = scenario.delivered();
    await scenario.publishSecond();
    await scenario.poll();
    afterSecond = scenario.delivered();
  }, 60_000);

  let closed = false;
  afterAll(async () => {
    if (!closed) await scenario?.close();
  });

  it('opens an expectation from the first article and does not call it fulfilled yet', () => {
    const opened = afterFirst.filter((a) => a.kind === 'expectation.opened');
    expect(opened).toHaveLength(1);
    expect(opened[0]!.expectation!.participants.sort()).toEqual(['kuwait', 'nato']);
    expect(opened[0]!.expectation!.due.from).toBe('2026-01-14');
    expect(afterFirst.some((a) => a.kind === 'expectation.fulfilled')).toBe(false);
  });

  it('raises exactly one expectation.fulfilled alert naming both articles, the parties, the date and the reasons', () => {
    const fulfilled = afterSecond.filter((a) => a.kind === 'expectation.fulfilled');
    expect(fulfilled).toHaveLength(1);
    const alert = fulfilled[0]!;
    expect(alert.parties.map((p) => p.id).sort()).toEqual(['kuwait', 'nato']);
    expect(alert.event!.date.value).toBe('2026-01-28');
    expect(alert.event!.type).toBe('dialogue');
    expect(alert.sources.map((s) => new URL(s.url).pathname)).toEqual([
      '/news/nato-kuwait-partner.html',
      '/news/kuwait-nato-dialogue.html',
    ]);
    expect(alert.reasons.join('\n')).toMatch(/Kuwait, NATO all take part/);
    expect(alert.reasons.join('\n')).toMatch(/28 Jan 2026 falls inside the window 14 Jan 2026/);
    expect(alert.expectation!.state).toBe('fulfilled');
  });

  it('raises no new-event alert for the background the second article recounts', () => {
    const newEvents = afterSecond.filter((a) => a.kind === 'event.new');
    expect(newEvents.every((a) => !a.event!.historical)).toBe(true);
    expect(newEvents.map((a) => a.event!.date.value)).toEqual(['2026-01-14']);
  });

  it('records the recounted background as historical Kuwait–NATO events', async () => {
    const events = await scenario.service.ctx.stores.events.eventsNear(
      ['kuwait'],
      { from: '2004-01-01', to: '2025-12-31' },
      0,
    );
    const years = new Set(
      events
        .filter((e) => e.historical && e.participants.includes('nato'))
        .map((e) => e.date.from.slice(0, 4)),
    );
    for (const y of ['2004', '2005', '2006', '2012', '2016', '2017', '2024', '2025'])
      expect(years).toContain(y);
  });

  it('delivers nothing more when the unchanged feed is polled again', async () => {
    const before = scenario.receiver.received.length;
    const feedHits = scenario.fixtures.hits.get('/feed.xml') ?? 0;
    await scenario.poll();
    expect(scenario.fixtures.hits.get('/feed.xml')).toBe(feedHits + 1);
    expect(scenario.receiver.received.length).toBe(before);
  });

  it('signs every webhook so that it verifies with the subscriber secret, and fails with another', () => {
    expect(scenario.receiver.received.length).toBeGreaterThan(0);
    expect(scenario.receiver.received.every((r) => r.verified)).toBe(true);
    // Re-sign one delivered message: the subscriber's secret verifies it, any other does not.
    const secret = scenario.service.ctx.subscribers[0]!.webhook!.secrets[0]!;
    const sample = scenario.receiver.received[0]!;
    const body = JSON.stringify(sample.payload);
    const headers = {
      'webhook-id': sample.id,
      'webhook-timestamp': String(Math.floor(sample.timestamp.getTime() / 1000)),
      'webhook-signature': new Webhook(secret).sign(sample.id, sample.timestamp, body),
    };
    expect(new Webhook(secret).verify(body, headers)).toEqual(sample.payload);
    const other = new Webhook('whsec_' + Buffer.from('another secret, 24 bytes').toString('base64'));
    expect(() => other.verify(body, headers)).toThrow();
  });

  it('leaves no key under its prefix once closed', async () => {
    const probe = connectRedis(config.redisUrl);
    expect((await probe.keys(`${config.prefix}*`)).length).toBeGreaterThan(0);
    await scenario.close();
    closed = true;
    expect(await probe.keys(`${config.prefix}*`)).toEqual([]);
    probe.disconnect();
  });
});
