// The scorer counts as ../shared/realnews/score.py does: same-event pairs from direct matches
// and from a shared current event id, uncertain pairs left out on both sides, arguable
// fulfilments counted neither way, and main-event coverage over the articles labelled news.
import { describe, expect, it } from 'vitest';
import { parseGold } from '../../src/eval/gold';
import { scoreReplay, type ScoredLine } from '../../src/eval/score';

const gold = parseGold(
  {
    articles: {
      a: { kind: 'event' },
      b: { kind: 'event' },
      c: { kind: 'event' },
      d: { kind: 'event' },
      e: { kind: 'non-event' },
      f: { kind: 'event' },
    },
    clusters: [['a', 'b', 'c']],
    uncertain_pairs: [['a', 'f', 'borderline']],
    expectations: [
      { id: 'a', fulfilled_by: ['d'] },
      { id: 'b', fulfilled_by: [], arguable_fulfilled_by: ['f'] },
    ],
  },
  'gold.json',
);

const line = (file: string, over: Partial<ScoredLine> = {}): ScoredLine => ({
  file: `${file}.json`,
  events: [],
  matches: [],
  ...over,
});
const ev = (id: string, historical = false) => ({ id, historical });
const match = (kind: string, file: string) => ({ kind, target: { file: `${file}.json` } });

describe('scoreReplay', () => {
  it('counts pairs through a shared current event, not through a shared historical one', () => {
    const s = scoreReplay(gold, [
      line('a', { events: [ev('e1'), ev('h1', true)] }),
      line('b', { events: [ev('e1')] }),
      line('c', { events: [ev('e2'), ev('h1', true)] }),
      line('d'),
      line('e'),
      line('f'),
    ]);
    expect(s.sameEvent.truePositives).toEqual([['a', 'b']]);
    expect(s.sameEvent.missed).toEqual([
      ['a', 'c'],
      ['b', 'c'],
    ]);
    expect(s.sameEvent).toMatchObject({ goldPairs: 3, predicted: 1, precision: 1 });
    expect(s.sameEvent.recall).toBeCloseTo(1 / 3);
  });

  it('adds direct same_event matches, and leaves uncertain pairs out on both sides', () => {
    const s = scoreReplay(gold, [
      line('a', { events: [ev('e1')] }),
      line('b'),
      line('c', { matches: [match('same_event', 'a')] }),
      line('d', { matches: [match('same_event', 'e')] }),
      line('e'),
      line('f', { matches: [match('same_event', 'a')] }),
    ]);
    expect(s.sameEvent.truePositives).toEqual([['a', 'c']]);
    expect(s.sameEvent.falsePositives).toEqual([['d', 'e']]);
    expect(s.sameEvent.predicted).toBe(2);
  });

  it('scores fulfilments from the later article to the one that expected it; arguable ones count neither way', () => {
    const s = scoreReplay(gold, [
      line('a'),
      line('b'),
      line('c', { matches: [match('fulfils', 'b')] }),
      line('d', { matches: [match('fulfils', 'a')] }),
      line('e'),
      line('f', { matches: [match('fulfils', 'b')] }),
    ]);
    expect(s.fulfils.right).toEqual([['d', 'a']]);
    expect(s.fulfils.wrong).toEqual([['c', 'b']]);
    expect(s.fulfils.arguable).toEqual([['f', 'b']]);
    expect(s.fulfils).toMatchObject({ goldLinks: 1, precision: 0.5, recall: 1 });
    expect(s.fulfils.falsePer100).toBeCloseTo(100 / 6);
  });

  it('measures main-event coverage over news articles, and quiet over the others', () => {
    const s = scoreReplay(gold, [
      line('a', { events: [ev('e1')] }),
      line('b', { events: [ev('h', true)] }),
      line('e', { events: [ev('e9')] }),
    ]);
    expect(s.mainEvent).toMatchObject({
      events: 2,
      covered: 1,
      coverage: 0.5,
      uncovered: ['b'],
      nonEvents: 1,
      quiet: 0,
    });
  });

  it('leaves out gold pairs with an article missing from the replay, and says so', () => {
    const s = scoreReplay(gold, [line('a'), line('zz')]);
    expect(s.sameEvent).toMatchObject({ goldPairs: 0, leftOut: 3, precision: 0, recall: 0 });
    expect(s.unknownFiles).toEqual(['zz']);
  });

  it('names the file and the field of a bad gold file', () => {
    expect(() => parseGold({ articles: {}, clusters: [['only-one']] }, 'x/gold.json')).toThrow(
      /^x\/gold\.json: clusters\.0: /,
    );
  });
});
