import { describe, expect, it } from 'vitest';
import { channelsOf, sameEventAlert, subscriberWants, type Subscriber } from '../../src/domain/alerts';
import type { Alert, EventRecord, SourceRef } from '../../src/domain/types';

const source = (feedId: string, lang: string): SourceRef => ({
  articleId: `a-${feedId}`,
  url: `https://example.org/${feedId}`,
  title: 't',
  published: '2026-01-31T08:00:00Z',
  lang,
  feedId,
});

const event: EventRecord = {
  id: 'ev_1',
  type: 'dialogue',
  family: 'consult',
  participants: ['kuwait', 'nato'],
  actors: [],
  date: { value: '2026-01-28', precision: 'day', from: '2026-01-28', to: '2026-01-28' },
  historical: false,
  evidence: 'e',
  sources: [source('kuna-ar', 'ar')],
};

const alert: Alert = {
  id: 'al_1',
  kind: 'expectation.fulfilled',
  createdAt: '2026-01-31T08:00:00Z',
  title: 't',
  parties: [
    { id: 'kuwait', name: 'Kuwait' },
    { id: 'nato', name: 'NATO' },
  ],
  event,
  sources: [source('kuna-ar', 'ar'), source('nato-en', 'en')],
  score: 0.85,
  reasons: [],
};

const REGIONS: Record<string, string[]> = { 'kuna-ar': ['gulf', 'kuwait'], 'nato-en': ['nato'] };
const facts = { regionsOf: (feedId: string) => REGIONS[feedId] ?? [] };
const sub = (filters: Subscriber['filters']): Subscriber => ({ id: 's', name: 's', filters });

describe('subscriberWants', () => {
  it.each([
    ['no filters', {}, true],
    ['the kind followed', { kinds: ['expectation.fulfilled'] }, true],
    ['another kind only', { kinds: ['event.new'] }, false],
    ['one of the parties followed (a list means any)', { entities: ['nato', 'iran'] }, true],
    ['no party followed', { entities: ['iran'] }, false],
    ['all of the parties followed', { entities: { all: ['kuwait', 'nato'] } }, true],
    ['all of parties, one absent', { entities: { all: ['kuwait', 'iran'] } }, false],
    ['all and any together', { entities: { all: ['kuwait'], any: ['nato', 'iran'] } }, true],
    ['kind and entity both match', { kinds: ['expectation.fulfilled'], entities: ['kuwait'] }, true],
    ['entity matches, kind does not', { kinds: ['expectation.opened'], entities: ['kuwait'] }, false],
    ['the event type followed', { eventTypes: ['dialogue', 'summit'] }, true],
    ['another event type', { eventTypes: ['exercise'] }, false],
    ['the CAMEO root the event type sits beneath', { eventTypes: ['consult'] }, true],
    ['another root', { eventTypes: ['fight'] }, false],
    ['a feed of one source', { feeds: ['nato-en'] }, true],
    ['a feed of no source', { feeds: ['reuters-en'] }, false],
    ['a region of a source feed', { regions: ['gulf'] }, true],
    ['a region of no source feed', { regions: ['levant'] }, false],
    ['a language of one source', { languages: ['en'] }, true],
    ['a language of no source', { languages: ['fr'] }, false],
    ['a score at the minimum', { minScore: 0.85 }, true],
    ['a score under the minimum', { minScore: 0.9 }, false],
  ] as [string, Subscriber['filters'], boolean][])('%s → %s', (_, filters, wanted) => {
    expect(subscriberWants(sub(filters), alert, facts)).toBe(wanted);
  });

  it.each([
    ['no kinds named', {}, false],
    ['kinds naming it', { kinds: ['event.same_event'] }, true],
    ['kinds naming others', { kinds: ['event.new'] }, false],
  ] as [string, Subscriber['filters'], boolean][])(
    'sends new coverage of a known event (same_event) only when asked: %s → %s',
    (_, filters, wanted) => {
      const coverage = sameEventAlert(
        event,
        source('nato-en', 'en'),
        { score: 0.9, reasons: ['r'] },
        (id) => id,
        (s) => s,
        new Date(),
      );
      expect(subscriberWants(sub(filters), coverage, facts)).toBe(wanted);
    },
  );

  it('passes an alert that carries no score whatever the minimum', () => {
    expect(subscriberWants(sub({ minScore: 0.99 }), { ...alert, score: undefined }, facts)).toBe(true);
  });
});

describe('sameEventAlert', () => {
  it('gives one id per event and article, puts the new article first and says where it was reported', () => {
    const fresh = source('nato-en', 'en');
    const make = (s: SourceRef) =>
      sameEventAlert(
        event,
        s,
        { score: 0.9, reasons: ['same parties'] },
        (id) => id.toUpperCase(),
        (s) => s.length.toString(16),
        new Date('2026-02-01T00:00:00Z'),
      );
    const a = make(fresh);
    expect(a.kind).toBe('event.same_event');
    expect(a.id).toBe(make(fresh).id);
    expect(a.id).not.toBe(make({ ...fresh, articleId: 'another-article-id' }).id);
    expect(a.sources.map((s) => s.feedId)).toEqual(['nato-en', 'kuna-ar']);
    expect(a.title).toBe('New coverage of dialogue: KUWAIT – NATO, 28 Jan 2026');
    expect(a.reasons).toEqual(['same parties', 'reported again in "t"']);
  });
});

describe('channelsOf', () => {
  it.each([
    [{ email: ['a@example.org'] }, ['email']],
    [{ webhook: { url: 'https://h', secrets: ['s'] } }, ['webhook']],
    [{ email: ['a@example.org'], webhook: { url: 'https://h', secrets: ['s'] } }, ['webhook', 'email']],
    [{ email: [] }, []],
  ] as [Partial<Subscriber>, string[]][])('%j → %j', (channels, expected) => {
    expect(channelsOf({ id: 's', name: 's', filters: {}, ...channels })).toEqual(expected);
  });
});
