// Actions on ids that do not exist, from outside over real HTTP: every :id route of the operator
// pages and of the JSON API. `POST /expectations/nosuch/cancel` answered 303 as if it had worked
// and left a close gate in Redis that silently kept a later expectation with that id from ever
// being fulfilled; a dead letter re-drive of an unknown id also answered 303. What is checked: 404
// naming the id, and the Redis keyspace under the service's prefix byte for byte as it was before
// the request; then that an expectation given the id afterwards is cancelled and fulfilled as
// any other, and that a page's action on a known id still works and on a closed one is refused.
import type { Redis } from 'ioredis';
import { load } from 'cheerio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpectationRecord } from '../../src/domain/types';
import { connectRedis } from '../../src/store/redis';
import { startOperatorService, type OperatorService } from '../support/operator';

let svc: OperatorService;
let redis: Redis;

const expectation = (id: string): ExpectationRecord => ({
  id,
  types: ['meeting'],
  participants: ['kuwait', 'nato'],
  due: { from: '2026-02-01', to: '2026-02-28' },
  horizon: 'near future',
  text: 'Further meetings are expected in the near future',
  state: 'open',
  source: {
    articleId: `ar_${id}`,
    url: `https://news.example/${id}`,
    title: 'Kuwait and NATO',
    published: '2026-01-20T08:00:00Z',
    lang: 'en',
  },
});

beforeAll(async () => {
  svc = await startOperatorService('hostile-unknown-ids', ['http']);
  redis = connectRedis(svc.config.redisUrl);
  // Something in the base, so "unchanged" is checked against data and not only an empty keyspace.
  await svc.service.ctx.stores.events.createExpectation(expectation('xp_known'));
  await svc.service.ctx.delivery.stores.deadLetters.add({
    id: 'al_1_desk_webhook',
    job: { alertId: 'al_1', subscriberId: 'desk', channel: 'webhook' },
    alertIds: ['al_1'],
    reason: 'exhausted',
    error: 'connection refused',
    attempts: 8,
    at: '2026-01-28T10:00:00.000Z',
  });
});

afterAll(async () => {
  redis?.disconnect();
  await svc?.close();
});

/** Every key under the service's prefix with its serialized value. */
async function keyspace(): Promise<Record<string, string>> {
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, 'MATCH', `${svc.config.prefix}*`, 'COUNT', 1000);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== '0');
  const out: Record<string, string> = {};
  for (const key of keys.sort()) out[key] = (await redis.dumpBuffer(key))?.toString('hex') ?? '';
  return out;
}

// method, path, body (JSON for the API); each names an id nothing has
const PAGES: [string, string][] = [
  ['POST', '/feeds/nosuch/pause'],
  ['POST', '/feeds/nosuch/resume'],
  ['POST', '/feeds/nosuch/remove'],
  ['GET', '/feeds/nosuch/remove'],
  ['POST', '/feeds/nosuch/restore'],
  ['POST', '/expectations/nosuch/cancel'],
  ['POST', '/expectations/nosuch/reopen'],
  ['POST', '/dead-letters/nosuch/redrive'],
  ['POST', '/pages/given-up/nosuch/redrive'],
  ['GET', '/subscribers/nosuch'],
  ['POST', '/subscribers/nosuch/pause'],
  ['POST', '/subscribers/nosuch/resume'],
  ['POST', '/subscribers/nosuch/delete'],
  ['POST', '/subscribers/nosuch/edit'],
  ['POST', '/subscribers/nosuch/channels/email/resubscribe'],
];
const API: [string, string, unknown?][] = [
  ['GET', '/api/feeds/nosuch'],
  ['PATCH', '/api/feeds/nosuch', { name: 'Renamed' }],
  ['POST', '/api/feeds/nosuch/pause'],
  ['POST', '/api/feeds/nosuch/resume'],
  ['DELETE', '/api/feeds/nosuch'],
  ['POST', '/api/feeds/nosuch/restore'],
  ['GET', '/api/events/nosuch'],
  ['GET', '/api/expectations/nosuch'],
  ['POST', '/api/expectations/nosuch/cancel', { reason: 'called off' }],
  ['POST', '/api/expectations/nosuch/reopen'],
  ['GET', '/api/alerts/nosuch'],
  ['GET', '/api/alerts/nosuch/deliveries'],
  ['POST', '/api/dead-letters/nosuch/redrive'],
  ['POST', '/api/pages/given-up/nosuch/redrive'],
  ['GET', '/api/subscribers/nosuch'],
  ['DELETE', '/api/subscribers/nosuch'],
  ['PUT', '/api/subscribers/nosuch', { id: 'nosuch', name: 'Nobody', email: ['nobody@example.org'] }],
  ['POST', '/api/subscribers/nosuch/pause'],
  ['POST', '/api/subscribers/nosuch/resume'],
  ['POST', '/api/subscribers/nosuch/channels/email/resubscribe', { consent: 'asked by phone' }],
];

describe('an unknown id', () => {
  it.each(PAGES)(
    '%s %s (a page’s button) answers 404 naming the id and writes nothing',
    async (method, path) => {
      const before = await keyspace();
      const res = await svc.call(method, path);
      expect(res.status).toBe(404);
      expect(res.headers.get('location')).toBeNull();
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(load(res.text)('.error').text()).toContain('"nosuch"');
      expect(await keyspace()).toEqual(before);
    },
  );

  it.each(API)('%s %s answers 404 naming the id and writes nothing', async (method, path, body) => {
    const before = await keyspace();
    const res = await svc.call(method, path, body);
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: 'NW_NOT_FOUND', field: 'id' });
    expect(res.body.message).toContain('"nosuch"');
    expect(await keyspace()).toEqual(before);
  });
});

describe('an id cancelled from the page before its expectation existed', () => {
  it('leaves nothing that blocks the expectation that later gets the id', async () => {
    expect((await svc.call('POST', '/expectations/xp_later/cancel')).status).toBe(404);
    const events = svc.service.ctx.stores.events;
    await events.createExpectation(expectation('xp_later'));
    // The matcher fulfils it as any other (it used to find the gate taken by the cancel).
    expect(
      await events.fulfil('xp_later', {
        eventId: 'ev_dialogue',
        source: expectation('xp_later').source,
        score: 0.9,
        reasons: ['same parties, in the window'],
      }),
    ).toBe(true);
    expect((await events.getExpectation('xp_later'))!.state).toBe('fulfilled');
  });
});

describe('a page’s action on a known id', () => {
  it('cancels an open expectation and goes back; a second cancel is refused with 409, writing nothing', async () => {
    const done = await svc.call('POST', '/expectations/xp_known/cancel');
    expect(done.status).toBe(303);
    expect(done.headers.get('location')).toBe('/expectations?state=cancelled');
    expect((await svc.service.ctx.stores.events.getExpectation('xp_known'))!.state).toBe('cancelled');

    const before = await keyspace();
    const again = await svc.call('POST', '/expectations/xp_known/cancel');
    expect(again.status).toBe(409);
    expect(load(again.text)('.error').text()).toContain('is cancelled, not open');
    expect(await keyspace()).toEqual(before);

    expect((await svc.call('POST', '/expectations/xp_known/reopen')).status).toBe(303);
    expect((await svc.service.ctx.stores.events.getExpectation('xp_known'))!.state).toBe('open');
  });
});
