// Scores replay decisions against labelled pairs: precision, recall and F1 per match kind.
// Pure: replay lines and labels in, figures out.

export interface LabelledPair {
  kind: 'fulfils' | 'same_event';
  earlier: string;
  later: string;
}

export interface PredictedLine {
  file: string;
  matches: { kind: string; target: { file: string } }[];
}

export interface KindScore {
  kind: string;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
  /** predicted pairs with no label, and labelled pairs not predicted: where to look */
  unexpected: string[];
  missed: string[];
}

const key = (kind: string, earlier: string, later: string) => `${kind} ${earlier} -> ${later}`;

export function scoreMatches(lines: readonly PredictedLine[], labels: readonly LabelledPair[]): KindScore[] {
  const predicted = new Set<string>();
  for (const l of lines) {
    for (const m of l.matches) {
      if (m.kind === 'fulfils' || m.kind === 'same_event') predicted.add(key(m.kind, m.target.file, l.file));
    }
  }
  return (['fulfils', 'same_event'] as const).map((kind) => {
    const truth = new Set(labels.filter((p) => p.kind === kind).map((p) => key(kind, p.earlier, p.later)));
    const mine = [...predicted].filter((p) => p.startsWith(`${kind} `));
    const tp = mine.filter((p) => truth.has(p)).length;
    const fp = mine.length - tp;
    const fn = truth.size - tp;
    const precision = mine.length === 0 ? (truth.size === 0 ? 1 : 0) : tp / mine.length;
    const recall = truth.size === 0 ? 1 : tp / truth.size;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return {
      kind,
      truePositives: tp,
      falsePositives: fp,
      falseNegatives: fn,
      precision,
      recall,
      f1,
      unexpected: mine.filter((p) => !truth.has(p)),
      missed: [...truth].filter((p) => !predicted.has(p)),
    };
  });
}
