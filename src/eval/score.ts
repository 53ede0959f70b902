// Scores replay decisions against a gold file, counting as ../shared/realnews/score.py does:
// same-event pairs are direct same_event matches plus pairs of articles that share a current
// event id; fulfilments are fulfils matches from the later article to the one that expected it.
// Pure: replay lines and labels in, figures out.
import type { Gold } from './gold';

export interface ScoredLine {
  file: string;
  events: { id: string; historical: boolean }[];
  matches: { kind: string; target: { file: string } }[];
}

export type Pair = [string, string];

export interface SameEventScore {
  goldPairs: number;
  /** gold pairs with an article missing from the replay */
  leftOut: number;
  predicted: number;
  direct: number;
  viaSharedEvent: number;
  truePositives: Pair[];
  falsePositives: Pair[];
  missed: Pair[];
  precision: number;
  recall: number;
  f1: number;
}

export interface FulfilsScore {
  predicted: number;
  right: Pair[];
  /** predicted and labelled arguable: counted neither way */
  arguable: Pair[];
  wrong: Pair[];
  goldLinks: number;
  missed: Pair[];
  precision: number;
  recall: number;
  /** false fulfilments per 100 replayed articles */
  falsePer100: number;
}

export interface MainEventScore {
  /** articles labelled as reporting an event */
  events: number;
  /** of those, how many the replay read a current event from */
  covered: number;
  coverage: number;
  uncovered: string[];
  /** articles labelled non-event (opinion, features) */
  nonEvents: number;
  /** of those, how many the replay read no current event from */
  quiet: number;
}

export interface Score {
  articles: number;
  unknownFiles: string[];
  sameEvent: SameEventScore;
  fulfils: FulfilsScore;
  mainEvent: MainEventScore;
}

/** The article id a replay file stands for: its name without the folder and `.json`. */
export function articleIdOf(file: string): string {
  const base = file.slice(file.lastIndexOf('/') + 1);
  return base.endsWith('.json') ? base.slice(0, -5) : base;
}

const pairKey = (a: string, b: string) => (a < b ? `${a}\t${b}` : `${b}\t${a}`);
const unpair = (k: string): Pair => k.split('\t') as Pair;
const ratio = (n: number, d: number) => (d === 0 ? 0 : n / d);
const f1 = (p: number, r: number) => (p + r === 0 ? 0 : (2 * p * r) / (p + r));

export function scoreReplay(gold: Gold, lines: readonly ScoredLine[]): Score {
  const present = new Set(lines.map((l) => articleIdOf(l.file)));
  const uncertain = new Set(gold.uncertain_pairs.map(([a, b]) => pairKey(a!, b!)));
  return {
    articles: lines.length,
    unknownFiles: [...present].filter((id) => !(id in gold.articles)).sort(),
    sameEvent: scoreSameEvent(gold, lines, present, uncertain),
    fulfils: scoreFulfils(gold, lines, present),
    mainEvent: scoreMainEvent(gold, lines),
  };
}

function scoreSameEvent(
  gold: Gold,
  lines: readonly ScoredLine[],
  present: Set<string>,
  uncertain: Set<string>,
): SameEventScore {
  const all = new Set<string>();
  for (const c of gold.clusters)
    for (let i = 0; i < c.length; i++) for (let j = i + 1; j < c.length; j++) all.add(pairKey(c[i]!, c[j]!));
  const inReplay = [...all].filter((k) => unpair(k).every((a) => present.has(a)));
  const goldPairs = new Set(inReplay.filter((k) => !uncertain.has(k)));

  const direct = new Set<string>();
  const owners = new Map<string, Set<string>>();
  for (const l of lines) {
    const src = articleIdOf(l.file);
    for (const e of l.events) {
      if (e.historical) continue;
      const set = owners.get(e.id) ?? new Set<string>();
      set.add(src);
      owners.set(e.id, set);
    }
    for (const m of l.matches) {
      if (m.kind !== 'same_event') continue;
      const tgt = articleIdOf(m.target.file);
      if (tgt !== src) direct.add(pairKey(src, tgt));
    }
  }
  const shared = new Set<string>();
  for (const files of owners.values()) {
    const f = [...files].sort();
    for (let i = 0; i < f.length; i++)
      for (let j = i + 1; j < f.length; j++) shared.add(pairKey(f[i]!, f[j]!));
  }
  const predicted = [...new Set([...direct, ...shared])].filter((k) => !uncertain.has(k));
  const tp = predicted.filter((k) => goldPairs.has(k));
  const fp = predicted.filter((k) => !goldPairs.has(k));
  const fn = [...goldPairs].filter((k) => !predicted.includes(k));
  const precision = ratio(tp.length, predicted.length);
  const recall = ratio(tp.length, goldPairs.size);
  return {
    goldPairs: goldPairs.size,
    leftOut: all.size - inReplay.length,
    predicted: predicted.length,
    direct: [...direct].filter((k) => !uncertain.has(k)).length,
    viaSharedEvent: [...shared].filter((k) => !uncertain.has(k)).length,
    truePositives: tp.sort().map(unpair),
    falsePositives: fp.sort().map(unpair),
    missed: fn.sort().map(unpair),
    precision,
    recall,
    f1: f1(precision, recall),
  };
}

function scoreFulfils(gold: Gold, lines: readonly ScoredLine[], present: Set<string>): FulfilsScore {
  // (fulfilling article, article that stated the expectation)
  const key = (later: string, earlier: string) => `${later}\t${earlier}`;
  const goldLinks = new Set<string>();
  const arguable = new Set<string>();
  for (const x of gold.expectations) {
    for (const f of x.fulfilled_by) goldLinks.add(key(f, x.id));
    for (const f of x.arguable_fulfilled_by) arguable.add(key(f, x.id));
  }
  const linksPresent = [...goldLinks].filter((k) => unpair(k).every((a) => present.has(a)));
  const predicted = new Set<string>();
  for (const l of lines) {
    for (const m of l.matches)
      if (m.kind === 'fulfils') predicted.add(key(articleIdOf(l.file), articleIdOf(m.target.file)));
  }
  const right = [...predicted].filter((k) => goldLinks.has(k));
  const arg = [...predicted].filter((k) => !goldLinks.has(k) && arguable.has(k));
  const wrong = [...predicted].filter((k) => !goldLinks.has(k) && !arguable.has(k));
  const missed = linksPresent.filter((k) => !predicted.has(k));
  const split = (k: string) => k.split('\t') as Pair;
  return {
    predicted: predicted.size,
    right: right.sort().map(split),
    arguable: arg.sort().map(split),
    wrong: wrong.sort().map(split),
    goldLinks: linksPresent.length,
    missed: missed.sort().map(split),
    precision: ratio(right.length, right.length + wrong.length),
    recall: ratio(right.length, linksPresent.length),
    falsePer100: ratio(100 * wrong.length, lines.length),
  };
}

function scoreMainEvent(gold: Gold, lines: readonly ScoredLine[]): MainEventScore {
  let events = 0;
  let covered = 0;
  let nonEvents = 0;
  let quiet = 0;
  const uncovered: string[] = [];
  for (const l of lines) {
    const label = gold.articles[articleIdOf(l.file)];
    const reads = l.events.some((e) => !e.historical);
    if (label?.kind === 'event') {
      events++;
      if (reads) covered++;
      else uncovered.push(articleIdOf(l.file));
    } else if (label?.kind === 'non-event') {
      nonEvents++;
      if (!reads) quiet++;
    }
  }
  return { events, covered, coverage: ratio(covered, events), uncovered, nonEvents, quiet };
}
