// `newswatch eval PATH`: replays a labelled set and prints what an analyst would ask of the
// matcher: same-event pairs found and wrongly made, fulfilments right and false, and how many
// news articles had their main event read. Counts as ../shared/realnews/score.py does.
import type { Config } from '../config/env';
import type { Gold } from '../eval/gold';
import { scoreReplay, type Pair, type Score } from '../eval/score';
import { NewswatchError } from '../errors';
import { loadCorpus, type CorpusOptions } from './corpus';
import { replay, type ReplayLine } from './replay';

export interface Evaluation {
  score: Score;
  gold: Gold;
  lines: ReplayLine[];
}

export async function evaluate(
  config: Config,
  path: string,
  options: CorpusOptions = {},
): Promise<Evaluation> {
  const corpus = await loadCorpus(path, options);
  if (!corpus.gold)
    throw new NewswatchError(
      'NW_CONFIG_INVALID',
      `${path}: no gold.json (or labels.json) beside the articles`,
    );
  const lines: ReplayLine[] = [];
  await replay(config, corpus.items, (l) => lines.push(l));
  return { score: scoreReplay(corpus.gold, lines), gold: corpus.gold, lines };
}

const f3 = (x: number) => x.toFixed(3);

export function formatScore({ score: s, gold }: Evaluation, verbose: boolean): string {
  const gist = (id: string) => gold.articles[id]?.gist ?? '?';
  const pairs = (title: string, list: Pair[], sep: string) =>
    list.length === 0
      ? []
      : [
          `  ${title}:`,
          ...list.flatMap(([a, b]) => [`    ${a} ${sep} ${b}`, `       ${gist(a)}  ${sep}  ${gist(b)}`]),
        ];
  const se = s.sameEvent;
  const fu = s.fulfils;
  const me = s.mainEvent;
  const out = [
    `${s.articles} articles${s.unknownFiles.length ? ` (${s.unknownFiles.length} not in the gold file)` : ''}`,
    `same_event  precision ${f3(se.precision)}  recall ${f3(se.recall)}  F1 ${f3(se.f1)}  ` +
      `(gold pairs ${se.goldPairs}, predicted ${se.predicted}: ${se.truePositives.length} right, ${se.falsePositives.length} wrong, ${se.missed.length} missed)`,
    `fulfils     precision ${f3(fu.precision)}  recall ${f3(fu.recall)}  ` +
      `(gold links ${fu.goldLinks}: ${fu.right.length} found, ${fu.missed.length} missed; ${fu.wrong.length} false, ${fu.arguable.length} arguable) ` +
      `false per 100 articles ${fu.falsePer100.toFixed(2)}`,
    `main event  coverage ${f3(me.coverage)} (${me.covered} of ${me.events} news articles read)` +
      (me.nonEvents ? `; ${me.quiet} of ${me.nonEvents} non-event articles read as no event` : ''),
  ];
  if (verbose) {
    out.push(
      ...pairs('same_event wrong', se.falsePositives, '|'),
      ...pairs('same_event missed', se.missed, '|'),
      ...pairs('fulfils false', fu.wrong, '=>'),
      ...pairs('fulfils arguable', fu.arguable, '=>'),
      ...pairs('fulfils missed', fu.missed, '=>'),
    );
    if (me.uncovered.length)
      out.push('  main event not read:', ...me.uncovered.map((id) => `    ${id}  ${gist(id)}`));
  }
  return out.join('\n');
}
