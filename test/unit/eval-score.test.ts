import { describe, expect, it } from 'vitest';
import { scoreMatches, type LabelledPair } from '../../src/eval/score';

const labels: LabelledPair[] = [
  { kind: 'fulfils', earlier: 'a.json', later: 'b.json' },
  { kind: 'fulfils', earlier: 'c.json', later: 'd.json' },
  { kind: 'same_event', earlier: 'b.json', later: 'e.json' },
];

describe('scoreMatches', () => {
  it('counts a labelled pair found, a pair found without a label, and a labelled pair missed', () => {
    const lines = [
      { file: 'b.json', matches: [{ kind: 'fulfils', target: { file: 'a.json' } }] },
      {
        file: 'e.json',
        matches: [
          { kind: 'same_event', target: { file: 'b.json' } },
          { kind: 'related', target: { file: 'a.json' } },
        ],
      },
      { file: 'f.json', matches: [{ kind: 'fulfils', target: { file: 'c.json' } }] },
    ];
    const [fulfils, same] = scoreMatches(lines, labels);
    expect(fulfils).toMatchObject({
      truePositives: 1,
      falsePositives: 1,
      falseNegatives: 1,
      precision: 0.5,
      recall: 0.5,
    });
    expect(fulfils!.unexpected).toEqual(['fulfils c.json -> f.json']);
    expect(fulfils!.missed).toEqual(['fulfils c.json -> d.json']);
    expect(same).toMatchObject({ truePositives: 1, falsePositives: 0, falseNegatives: 0, f1: 1 });
  });

  it('scores a kind never predicted as zero recall, not a division by zero', () => {
    const [fulfils] = scoreMatches([], labels);
    expect(fulfils).toMatchObject({ precision: 0, recall: 0, f1: 0 });
  });
});
