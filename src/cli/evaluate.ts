// `newswatch eval DIR`: replays a labelled folder and prints precision, recall and F1 per
// match kind, with the pairs it got wrong, so matching is judged on data and not by eye.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Config } from '../config/env';
import { scoreMatches, type KindScore } from '../eval/score';
import { replay, type ReplayLine } from './replay';

const labelsSchema = z.object({
  pairs: z.array(
    z
      .object({ kind: z.enum(['fulfils', 'same_event']), earlier: z.string(), later: z.string() })
      .passthrough(),
  ),
});

export async function evaluate(config: Config, dir: string): Promise<KindScore[]> {
  const labels = labelsSchema.parse(JSON.parse(await readFile(join(dir, 'labels.json'), 'utf8')));
  const lines: ReplayLine[] = [];
  await replay(config, dir, (l) => lines.push(l));
  return scoreMatches(lines, labels.pairs);
}

export function formatScores(scores: KindScore[]): string {
  const f = (x: number) => x.toFixed(3);
  const rows = scores.map(
    (s) =>
      `${s.kind.padEnd(11)} precision ${f(s.precision)}  recall ${f(s.recall)}  F1 ${f(s.f1)}  (tp ${s.truePositives}, fp ${s.falsePositives}, fn ${s.falseNegatives})`,
  );
  const wrong = scores.flatMap((s) => [
    ...s.unexpected.map((p) => `  unexpected: ${p}`),
    ...s.missed.map((p) => `  missed:     ${p}`),
  ]);
  return [...rows, ...(wrong.length ? ['', ...wrong] : [])].join('\n');
}
