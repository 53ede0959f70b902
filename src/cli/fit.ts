// `newswatch fit`: fits the matching model on labelled sets and writes data/match-model.json.
// Every article is read as analysis reads it; each pair analysis would weigh (a report and an
// earlier one sharing a party or a person; an expectation and a later report) becomes an
// example, labelled by the gold file. Only dev data goes in: the test split is never fitted on.
import { writeFile } from 'node:fs/promises';
import type { Analyzer } from '../domain/analyzer';
import { extractArticle } from '../domain/extract';
import {
  DEFAULT_MODEL,
  fulfilmentFeatures,
  probability,
  sameEventFeatures,
  type Comparable,
  type MatchModel,
} from '../domain/match';
import { signatureOf, type Signature } from '../domain/signature';
import { indexKeys, type ExtractedExpectation } from '../domain/types';
import { daysBetween } from '../domain/dates';
import { articleIdOf } from '../eval/score';
import { chooseThreshold, fitLogistic, type Example, type Operating } from '../eval/fit';
import type { Config } from '../config/env';
import { scoreReplay } from '../eval/score';
import type { Corpus } from './corpus';
import { replay, type ReplayLine } from './replay';

export interface Examples {
  sameEvent: Example[];
  fulfils: Example[];
}

/** How far apart in days two reports are looked at as a pair. */
const PAIR_DAYS = 7;

export function collectExamples(an: Analyzer, corpus: Corpus): Examples {
  const gold = corpus.gold!;
  const key = (a: string, b: string) => (a < b ? `${a}\t${b}` : `${b}\t${a}`);
  const same = new Set<string>();
  for (const c of gold.clusters) for (const a of c) for (const b of c) if (a < b) same.add(key(a, b));
  const uncertain = new Set(gold.uncertain_pairs.map(([a, b]) => key(a!, b!)));
  const fulfils = new Set<string>();
  const arguable = new Set<string>();
  for (const x of gold.expectations) {
    for (const f of x.fulfilled_by) fulfils.add(`${f}\t${x.id}`);
    for (const f of x.arguable_fulfilled_by) arguable.add(`${f}\t${x.id}`);
  }

  const items = [...corpus.items].sort(
    (a, b) => a.article.published.localeCompare(b.article.published) || a.file.localeCompare(b.file),
  );
  const df = new Map<string, number>();
  let docs = 0;
  /** `after`: the order of the article it comes from */
  const mains: { id: string; e: Comparable; keys: string[]; after: number }[] = [];
  const awaited: {
    id: string;
    x: ExtractedExpectation & { signature: Signature };
    keys: string[];
    order: number;
    /** a report gold calls its fulfilment came: later reports only count as more of the same */
    closed?: boolean;
  }[] = [];
  const out: Examples = { sameEvent: [], fulfils: [] };
  for (const [order, { file, article }] of items.entries()) {
    const id = articleIdOf(file);
    const ex = extractArticle(an, article);
    const terms = [
      ...new Set([...Object.keys(ex.terms), ...ex.expectations.flatMap((x) => Object.keys(x.terms ?? {}))]),
    ];
    const stats = { docs, df: new Map(terms.filter((t) => df.has(t)).map((t) => [t, df.get(t)!])) };
    const main = ex.events.find((e) => !e.historical);
    if (main) {
      const e: Comparable = {
        ...main,
        signature: signatureOf(ex.terms, article.lang, stats),
        numbers: ex.numbers,
      };
      const keys = indexKeys(main);
      for (const m of mains) {
        if (Math.abs(daysBetween(m.e.date.from, e.date.from)) > PAIR_DAYS) continue;
        if (!m.keys.some((k) => keys.includes(k))) continue;
        const k = key(id, m.id);
        if (uncertain.has(k)) continue;
        const f = sameEventFeatures(e, m.e, 2, an);
        if ('ruledOut' in f) continue;
        out.sameEvent.push({ features: f.features, label: same.has(k), note: `${id} | ${m.id}` });
      }
      // Gold says which article fulfilled which; of that article's expectations the one the
      // report answers best is the positive, its others are left out rather than called wrong.
      const byArticle = new Map<string, Example[]>();
      for (const a of awaited) {
        if (a.id === id || !a.keys.some((k) => keys.includes(k))) continue;
        const pair = `${id}\t${a.id}`;
        if (arguable.has(pair)) continue;
        const earlier = mains.some(
          (m) =>
            m.after > a.order &&
            m.e.date.to < e.date.from &&
            a.x.participants.every((p) => m.e.participants.includes(p)) &&
            (m.e.types ?? [m.e.type]).some((t) => a.x.types.some((w) => an.answers(t, w))),
        );
        const f = fulfilmentFeatures(a.x, e, an, !earlier);
        if ('ruledOut' in f) continue;
        const example = { features: f.features, label: fulfils.has(pair), note: `${id} => ${a.id}` };
        // Analysis closes an expectation once fulfilled: what comes after is never weighed.
        if (!example.label && a.closed) continue;
        if (!example.label) out.fulfils.push(example);
        else byArticle.set(a.id, [...(byArticle.get(a.id) ?? []), example]);
      }
      for (const a of awaited) if (byArticle.has(a.id)) a.closed = true;
      for (const xs of byArticle.values()) {
        const strength = (x: Example) =>
          (x.features.partyShare ?? 0) + (x.features.cosine ?? 0) + (x.features.sharedPeople ?? 0);
        out.fulfils.push([...xs].sort((a, b) => strength(b) - strength(a))[0]!);
      }
      mains.push({ id, e, keys, after: order });
    }
    for (const x of ex.expectations)
      awaited.push({
        id,
        x: { ...x, signature: signatureOf(x.terms ?? {}, article.lang, stats) },
        keys: indexKeys(x),
        order,
      });
    for (const t of Object.keys(ex.terms)) df.set(t, (df.get(t) ?? 0) + 1);
    docs++;
  }
  return out;
}

export interface FitReport {
  model: MatchModel;
  sameEvent: Operating & { examples: number };
  fulfils: Operating & { examples: number };
}

/**
 * Fits both decisions. Thresholds keep pair precision at `minPrecision` on the examples (a
 * fulfilment alert an analyst cannot trust is worse than one missed).
 */
export function fitModel(
  examples: Examples,
  sources: string[],
  minPrecision = { sameEvent: 0.9, fulfils: 0.75 },
): FitReport {
  const fit = (kind: 'sameEvent' | 'fulfils', min: number) => {
    const names = Object.keys(DEFAULT_MODEL[kind].weights);
    // Every feature is evidence for the link but the two that are evidence against it.
    const signs = Object.fromEntries(
      names.map((n) => [n, n === 'placeDiffers' || n === 'spoken' ? -1 : 1] as const),
    );
    // Fulfilments are few (tens of links): their fit is pulled towards the hand-set weights.
    const pulled = kind === 'fulfils' ? { l2: 0.05, prior: DEFAULT_MODEL[kind] } : { l2: 0.001 };
    const linear = fitLogistic(examples[kind], names, { signs, epochs: 20_000, ...pulled });
    const at = chooseThreshold(
      examples[kind],
      (e) => probability({ ...linear, threshold: 0 }, e.features),
      min,
    );
    return { linear: { ...linear, threshold: at.threshold }, at: { ...at, examples: examples[kind].length } };
  };
  const s = fit('sameEvent', minPrecision.sameEvent);
  const f = fit('fulfils', minPrecision.fulfils);
  return {
    model: {
      sameEvent: s.linear,
      fulfils: f.linear,
      fitted: {
        on: sources,
        sameEvent: s.at,
        fulfils: f.at,
      },
    },
    sameEvent: s.at,
    fulfils: f.at,
  };
}

/** Runtime figures of one threshold pair, summed over the sets: what an analyst would see. */
export interface Tried {
  sameEvent: number;
  fulfils: number;
  se: { right: number; wrong: number; missed: number };
  fu: { right: number; wrong: number; missed: number };
  /** links of the sets that must hold (the seed pair) lost or made wrongly */
  broken: number;
}

/**
 * Pair-level precision overstates what replay shows (one wrong link joins two clusters), so the
 * thresholds are chosen by replaying the dev sets themselves: for same_event the lowest that
 * keeps precision at `min.sameEvent`, then for fulfils likewise with that one in force.
 */
export async function chooseThresholds(
  config: Config,
  analyzer: Analyzer,
  model: MatchModel,
  corpora: Corpus[],
  min = { sameEvent: 0.9, fulfils: 0.9 },
  /** sets every link of which must hold at the thresholds chosen (the defining scenario) */
  must: Corpus[] = [],
): Promise<{ model: MatchModel; tried: Tried[] }> {
  const tried: Tried[] = [];
  // The model's own thresholds decide, not MATCH_SAME_EVENT or MATCH_FULFILS.
  const replayConfig = {
    ...config,
    thresholds: { ...config.thresholds, sameEvent: undefined, fulfils: undefined },
  };
  const scoreWith = async (m: MatchModel, c: Corpus) => {
    const lines: ReplayLine[] = [];
    await replay(replayConfig, c.items, (l) => lines.push(l), { ...analyzer, model: m });
    return scoreReplay(c.gold!, lines);
  };
  const run = async (sameEvent: number, fulfils: number): Promise<Tried> => {
    const m: MatchModel = {
      ...model,
      sameEvent: { ...model.sameEvent, threshold: sameEvent },
      fulfils: { ...model.fulfils, threshold: fulfils },
    };
    const t: Tried = {
      sameEvent,
      fulfils,
      se: { right: 0, wrong: 0, missed: 0 },
      fu: { right: 0, wrong: 0, missed: 0 },
      broken: 0,
    };
    for (const c of corpora) {
      const s = await scoreWith(m, c);
      t.se.right += s.sameEvent.truePositives.length;
      t.se.wrong += s.sameEvent.falsePositives.length;
      t.se.missed += s.sameEvent.missed.length;
      t.fu.right += s.fulfils.right.length;
      t.fu.wrong += s.fulfils.wrong.length;
      t.fu.missed += s.fulfils.missed.length;
    }
    for (const c of must) {
      const s = await scoreWith(m, c);
      t.broken += s.sameEvent.falsePositives.length + s.sameEvent.missed.length;
      t.broken += s.fulfils.wrong.length + s.fulfils.missed.length;
    }
    tried.push(t);
    return t;
  };
  const precision = (x: { right: number; wrong: number }) =>
    x.right + x.wrong ? x.right / (x.right + x.wrong) : 1;
  // Where no threshold reaches the precision wanted: the most precise, then the best F0.5
  // (precision weighing twice what recall does).
  const f05 = (x: { right: number; wrong: number; missed: number }) => {
    const p = precision(x);
    const r = x.right + x.missed ? x.right / (x.right + x.missed) : 0;
    return p + r ? (1.25 * p * r) / (0.25 * p + r) : 0;
  };
  const steps = [0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95];
  const pick = async (kind: 'se' | 'fu', runAt: (t: number) => Promise<Tried>, wanted: number) => {
    const rows: [number, Tried][] = [];
    for (const t of steps) {
      const row = await runAt(t);
      if (row.broken > 0) continue;
      if (precision(row[kind]) >= wanted) return t;
      rows.push([t, row]);
    }
    if (rows.length === 0) throw new Error('no threshold keeps every link of the sets that must hold');
    // the most precise of those kept, then the one with the better F0.5
    const better = (a: [number, Tried], b: [number, Tried]) =>
      precision(a[1][kind]) - precision(b[1][kind]) || f05(a[1][kind]) - f05(b[1][kind]);
    return rows.reduce((best, r) => (better(r, best) > 0 ? r : best))[0];
  };
  const se = await pick('se', (t) => run(t, model.fulfils.threshold), min.sameEvent);
  const fu = await pick('fu', (t) => run(se, t), min.fulfils);
  return {
    model: {
      ...model,
      sameEvent: { ...model.sameEvent, threshold: se },
      fulfils: { ...model.fulfils, threshold: fu },
    },
    tried,
  };
}

export async function writeModel(path: string, report: FitReport): Promise<void> {
  await writeFile(path, `${JSON.stringify(report.model, null, 2)}\n`);
}
