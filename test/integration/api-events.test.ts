// /api/events and /api/expectations on a real event base in Redis, through the app's HTTP stack
// (inject): search by entity, type and dates, the Kuwait–NATO timeline with its history, and the
// operator's cancel and reopen.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord, ExpectationRecord, SourceRef } from '../../src/domain/types';
import { createLogger } from '../../src/log';
import { deleteKeys } from '../../src/store/redis';
import { createContext, type Context } from '../../workers/context';
import { testConfig } from '../support/config';
import { operatorApp } from '../support/operator';

// No events.yml: the base holds only what each test puts in it.
const config = testConfig('api-events', {
  OPERATOR_TOKEN: 'events-test-token-0123456789',
  EVENTS_FILE: 'test/no-events.yml',
});
const authorization = `Bearer ${config.operatorToken}`;
let ctx: Context;
let app: FastifyInstance;

const source = (id: string, lang: string, published: string, title = `Article ${id}`): SourceRef => ({
  articleId: id,
  url: `http://127.0.0.1/${id}.html`,
  title,
  published,
  lang,
});

const event = (
  id: string,
  type: string,
  participants: string[],
  day: string,
  extra: Partial<EventRecord> = {},
): EventRecord => ({
  id,
  type,
  family: type,
  participants,
  actors: [],
  date: { value: day, precision: 'day', from: day, to: day },
  historical: false,
  evidence: `${type} of ${participants.join(' and ')} on ${day}`,
  sources: [source(`ar_${id}`, 'en', `${day}T12:00:00Z`)],
  ...extra,
});

const EVENTS: EventRecord[] = [
  event('ev_ici', 'agreement', ['kuwait', 'nato'], '2004-06-28', {
    historical: true,
    date: { value: '2004', precision: 'year', from: '2004-01-01', to: '2004-12-31' },
  }),
  event('ev_meeting', 'meeting', ['nato', 'kuwait'], '2026-01-14'),
  event('ev_dialogue', 'dialogue', ['kuwait', 'nato'], '2026-01-28'),
  event('ev_qatar', 'visit', ['qatar', 'kuwait'], '2026-01-20'),
  event('ev_bahrain', 'meeting', ['bahrain', 'saudi-arabia'], '2026-01-05'),
];

const expectation = (
  id: string,
  state: ExpectationRecord['state'],
  text: string,
  lang: string,
  due: [string, string],
): ExpectationRecord => ({
  id,
  types: ['meeting'],
  participants: ['kuwait', 'nato'],
  due: { from: due[0], to: due[1] },
  horizon: 'near future',
  text,
  state,
  source: source(`ar_src_${id}`, lang, `${due[0]}T07:00:00Z`),
});

const ARABIC = 'ومن المتوقع أن يعقد الجانب الكويتي وحلف الناتو اجتماعات أخرى في المستقبل القريب';

beforeAll(async () => {
  ctx = await createContext(config, createLogger('silent'), { feeds: [], subscribers: [] });
  await ctx.stores.events.insertMany(EVENTS, [
    expectation('xp_open_ar', 'open', ARABIC, 'ar', ['2026-01-14', '2026-04-14']),
    expectation('xp_open_en', 'open', 'Further talks are expected next month', 'en', [
      '2026-02-01',
      '2026-02-28',
    ]),
    expectation('xp_to_close', 'open', 'A summit is expected in March', 'en', ['2026-03-01', '2026-03-31']),
  ]);
  app = await operatorApp(config, ctx);
});

afterAll(async () => {
  await app?.close();
  if (ctx) {
    await deleteKeys(ctx.redis, config.prefix);
    await ctx.close();
  }
});

const get = async (url: string) => {
  const res = await app.inject({ method: 'GET', url, headers: { authorization } });
  return { status: res.statusCode, body: res.json() };
};
const post = async (url: string, payload?: unknown) => {
  const res = await app.inject({
    method: 'POST',
    url,
    headers: { authorization },
    ...(payload ? { payload } : {}),
  });
  return { status: res.statusCode, body: res.json() };
};
const ids = (list: { id: string }[]) => list.map((x) => x.id);

describe('authentication', () => {
  it('refuses the event and expectation routes without the token', async () => {
    for (const [method, url] of [
      ['GET', '/api/events'],
      ['GET', '/api/events/timeline?entities=kuwait,nato'],
      ['GET', '/api/events/ev_meeting'],
      ['GET', '/api/expectations'],
      ['GET', '/api/expectations/xp_open_ar'],
      ['POST', '/api/expectations/xp_open_ar/cancel'],
      ['POST', '/api/expectations/xp_open_ar/reopen'],
    ] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(401);
    }
    expect((await get('/api/expectations/xp_open_ar')).body.expectation.state).toBe('open');
  });
});

describe('GET /api/events', () => {
  it('lists every event newest first, with the parties named', async () => {
    const { status, body } = await get('/api/events');
    expect(status).toBe(200);
    expect(ids(body.events)).toEqual(['ev_dialogue', 'ev_qatar', 'ev_meeting', 'ev_bahrain', 'ev_ici']);
    expect(body.events[0].parties).toEqual([
      { id: 'kuwait', name: 'Kuwait' },
      { id: 'nato', name: 'NATO' },
    ]);
  });

  it('searches by entity, type, date range and historical flag', async () => {
    expect(ids((await get('/api/events?entity=qatar')).body.events)).toEqual(['ev_qatar']);
    expect(ids((await get('/api/events?entity=qatar,bahrain')).body.events)).toEqual([
      'ev_qatar',
      'ev_bahrain',
    ]);
    expect(ids((await get('/api/events?entity=kuwait&type=meeting')).body.events)).toEqual(['ev_meeting']);
    expect(ids((await get('/api/events?from=2026-01-10&to=2026-01-25')).body.events)).toEqual([
      'ev_qatar',
      'ev_meeting',
    ]);
    expect(ids((await get('/api/events?historical=true')).body.events)).toEqual(['ev_ici']);
    expect(ids((await get('/api/events?limit=2')).body.events)).toEqual(['ev_dialogue', 'ev_qatar']);
  });

  it.each([
    ['/api/events?entity=atlantis', 'query.entity', '"atlantis" is not a known entity'],
    ['/api/events?entity=Kuwait', 'query.entity', 'comma-separated list of entity ids'],
    ['/api/events?from=2026-13-01', 'query.from', 'is not a day of the calendar'],
    ['/api/events?to=yesterday', 'query.to', 'is not a day like 2026-01-28'],
    ['/api/events?from=2026-02-01&to=2026-01-01', 'query.to', 'is before from'],
    ['/api/events?limit=0', 'query.limit', 'is at least 1'],
    ['/api/events?limit=ten', 'query.limit', 'is not a number'],
    ['/api/events?colour=red', 'query.colour', 'is not a field of this request'],
  ])('answers 400 naming the field for %s', async (url, field, message) => {
    const { status, body } = await get(url);
    expect(status).toBe(400);
    expect(body.field).toBe(field);
    expect(body.message).toContain(message);
  });

  it('answers one event by id, and 404 for one it does not hold', async () => {
    expect((await get('/api/events/ev_meeting')).body.event.sources[0].articleId).toBe('ar_ev_meeting');
    expect((await get('/api/events/ev_nope')).status).toBe(404);
  });
});

describe('GET /api/events/timeline', () => {
  it('gives the Kuwait–NATO events oldest first, the historical one included, and no event of only one of them', async () => {
    const { status, body } = await get('/api/events/timeline?entities=kuwait,nato');
    expect(status).toBe(200);
    expect(ids(body.events)).toEqual(['ev_ici', 'ev_meeting', 'ev_dialogue']);
    expect(body.events[0].historical).toBe(true);
    expect(body.entities.map((e: { name: string }) => e.name)).toEqual(['Kuwait', 'NATO']);
  });

  it('answers 400 without entities, or with one it does not know', async () => {
    expect((await get('/api/events/timeline')).body.field).toBe('query.entities');
    const unknown = await get('/api/events/timeline?entities=kuwait,narnia');
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      field: 'query.entities',
      message: 'query.entities: "narnia" is not a known entity name or id',
    });
    const misspelt = await get(`/api/events/timeline?entities=${encodeURIComponent('Kuwiat, NATO')}`);
    expect(misspelt.status).toBe(400);
    expect(misspelt.body.message).toBe(
      'query.entities: "Kuwiat" is not a known entity name or id; did you mean Kuwait (الكويت)?',
    );
  });

  it.each([['Kuwait, NATO'], ['الكويت، الناتو'], ['كويت,ناتو'], ['Kuwait and NATO'], ['KUWAIT,nato']])(
    'takes names as well as ids: %s',
    async (typed) => {
      const { status, body } = await get(`/api/events/timeline?entities=${encodeURIComponent(typed)}`);
      expect(status).toBe(200);
      expect(body.entities.map((e: { id: string }) => e.id)).toEqual(['kuwait', 'nato']);
      expect(ids(body.events)).toEqual(['ev_ici', 'ev_meeting', 'ev_dialogue']);
    },
  );
});

describe('expectations', () => {
  it('lists open ones soonest due first, with the sentence that opened each', async () => {
    const { body } = await get('/api/expectations?state=open');
    expect(ids(body.expectations)).toEqual(['xp_open_en', 'xp_to_close', 'xp_open_ar']);
    expect(body.expectations[2].text).toBe(ARABIC);
  });

  it('cancels an open expectation, which then lists as cancelled and not open', async () => {
    const res = await post('/api/expectations/xp_to_close/cancel', { reason: 'the summit was called off' });
    expect(res.status).toBe(200);
    expect(res.body.expectation).toMatchObject({
      state: 'cancelled',
      cancelledBy: { text: 'the summit was called off' },
    });
    expect(ids((await get('/api/expectations?state=open')).body.expectations)).not.toContain('xp_to_close');
    expect(ids((await get('/api/expectations?state=cancelled')).body.expectations)).toEqual(['xp_to_close']);
  });

  it('refuses to cancel what is not open, and to reopen what is open', async () => {
    const again = await post('/api/expectations/xp_to_close/cancel');
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('is cancelled, not open');
    const open = await post('/api/expectations/xp_open_en/reopen');
    expect(open.status).toBe(409);
    expect((await post('/api/expectations/xp_nope/cancel')).status).toBe(404);
  });

  it('reopens a cancelled expectation so that matching sees it again', async () => {
    const res = await post('/api/expectations/xp_to_close/reopen');
    expect(res.status).toBe(200);
    expect(res.body.expectation.state).toBe('open');
    expect(res.body.expectation.cancelledBy).toBeUndefined();
    const candidates = await ctx.stores.events.openExpectationsFor(['kuwait'], {
      from: '2026-03-10',
      to: '2026-03-10',
    });
    expect(ids(candidates)).toContain('xp_to_close');
  });

  it('reopens a fulfilled one too', async () => {
    await ctx.stores.events.fulfil('xp_open_en', {
      eventId: 'ev_dialogue',
      source: source('ar_ev_dialogue', 'en', '2026-01-31T08:00:00Z'),
      score: 0.9,
      reasons: ['test'],
    });
    expect(ids((await get('/api/expectations?state=fulfilled')).body.expectations)).toEqual(['xp_open_en']);
    expect((await post('/api/expectations/xp_open_en/reopen')).body.expectation.state).toBe('open');
  });

  it('answers 400 for a state it does not have, and for an unknown field in a cancel', async () => {
    const state = await get('/api/expectations?state=pending');
    expect(state.status).toBe(400);
    expect(state.body).toMatchObject({ field: 'query.state' });
    expect(state.body.message).toContain('is one of open, fulfilled, overdue, cancelled');
    const field = await post('/api/expectations/xp_open_ar/cancel', { why: 'x' });
    expect(field.status).toBe(400);
    expect(field.body.field).toBe('why');
  });
});
