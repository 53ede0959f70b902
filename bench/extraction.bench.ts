// Scores readArticle's main text on the aeb-dev pages with the Zyte article-extraction benchmark's
// metric, beside Mozilla's Readability (on linkedom and on jsdom) on the same pages in the same run,
// so changes to the text rules are judged on real pages and against the reference extractor.
// Run alone: npm run bench -- extraction   (add --pages to list newswatch's worst pages)
import { readFileSync } from 'node:fs';
import { Readability } from '@mozilla/readability';
import { JSDOM, VirtualConsole } from 'jsdom';
import { parseHTML } from 'linkedom';
import { readArticle } from '../src/ingest/read-article';
import { median, type BenchReport } from './harness';

/** One page's shingle counts, normalised to sum 1 so long pages weigh no more than short ones. */
export interface PageCounts {
  tp: number;
  fp: number;
  fn: number;
}

export interface ExtractionScore {
  precision: number;
  recall: number;
  f1: number;
}

// Python's `\w+` with re.UNICODE, as the benchmark tokenises; case is kept, as there.
const TOKEN = /[\p{L}\p{N}_]+/gu;
const SHINGLE = 4;

/** Shingles of 4 tokens as a multiset; a text shorter than 4 tokens is one shingle, as upstream. */
function shingles(text: string): Map<string, number> {
  const tokens = text.match(TOKEN) ?? [];
  const out = new Map<string, number>();
  for (let i = 0; i < Math.max(1, tokens.length - SHINGLE + 1); i++) {
    const key = tokens.slice(i, i + SHINGLE).join(' ');
    if (key) out.set(key, (out.get(key) ?? 0) + 1);
  }
  return out;
}

/** Multiset true/false positives and false negatives of the predicted text's shingles. */
export function shingleCounts(truth: string, predicted: string): PageCounts {
  const want = shingles(truth);
  const got = shingles(predicted);
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (const key of new Set([...want.keys(), ...got.keys()])) {
    const w = want.get(key) ?? 0;
    const g = got.get(key) ?? 0;
    tp += Math.min(w, g);
    fp += Math.max(0, g - w);
    fn += Math.max(0, w - g);
  }
  const sum = tp + fp + fn;
  return sum > 0 ? { tp: tp / sum, fp: fp / sum, fn: fn / sum } : { tp, fp, fn };
}

/**
 * Precision and recall are means over pages, F1 their harmonic mean. As in the benchmark's
 * evaluate.py: a page with nothing predicted is left out of precision (it has no
 * positives), a page with an empty truth is left out of recall, so a page where both are empty
 * counts for neither; identical texts score 1 for both.
 */
export function extractionScore(pages: PageCounts[]): ExtractionScore {
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  const ratio = (hit: number, miss: number, other: number) =>
    miss === 0 && other === 0 ? 1 : hit === 0 && miss === 0 ? 0 : hit / (hit + miss);
  const precision = mean(pages.filter((p) => p.tp + p.fp > 0).map((p) => ratio(p.tp, p.fp, p.fn)));
  const recall = mean(pages.filter((p) => p.tp + p.fn > 0).map((p) => ratio(p.tp, p.fn, p.fp)));
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

const PAGES = new URL('../../shared/fixtures/extraction/aeb-dev/', import.meta.url);

export interface Page {
  id: string;
  url: string;
  articleBody: string;
  html: string;
}

/** The aeb-dev pages with their human-checked main text. */
export function loadPages(): Page[] {
  const truth = JSON.parse(readFileSync(new URL('ground-truth.json', PAGES), 'utf8')) as Record<
    string,
    { url: string; articleBody: string }
  >;
  return Object.entries(truth).map(([id, { url, articleBody }]) => ({
    id,
    url,
    articleBody,
    html: readFileSync(new URL(`html/${id}.html`, PAGES), 'utf8'),
  }));
}

/** One way of reading a page's main text, as the benchmark scores it. */
interface Extractor {
  name: string;
  read: (html: string, url: string) => string;
  /** Timed rounds: Readability on jsdom takes some 20 s a round on these pages. */
  rounds: number;
  /** An untimed first pass, so the JIT's warm-up is not timed; a slow extractor's rounds dwarf it. */
  warmUp: boolean;
}

const silent = new VirtualConsole(); // jsdom would print every CSS and script error of 92 real pages

const EXTRACTORS: Extractor[] = [
  {
    name: 'newswatch readArticle',
    read: (html, url) => readArticle(html, url).text,
    rounds: 5,
    warmUp: true,
  },
  {
    name: '@mozilla/readability on linkedom',
    read: (html) => {
      const { document } = parseHTML(html);
      return new Readability(document as unknown as Document).parse()?.textContent ?? '';
    },
    rounds: 5,
    warmUp: true,
  },
  {
    name: '@mozilla/readability on jsdom',
    read: (html, url) => {
      const { document } = new JSDOM(html, { url, virtualConsole: silent }).window;
      return new Readability(document).parse()?.textContent ?? '';
    },
    rounds: 2,
    warmUp: false,
  },
];

interface Run {
  extractor: Extractor;
  texts: string[];
  seconds: number[];
}

function readAll(pages: Page[], extractor: Extractor): { texts: string[]; seconds: number } {
  const started = performance.now();
  const texts = pages.map((p) => {
    try {
      return extractor.read(p.html, p.url);
    } catch {
      return ''; // A page refused as empty scores as an empty prediction.
    }
  });
  return { texts, seconds: (performance.now() - started) / 1000 };
}

export default async function extractionBench(): Promise<BenchReport> {
  const pages = loadPages();
  const runs: Run[] = EXTRACTORS.map((extractor) => ({ extractor, texts: [], seconds: [] }));
  // Untimed warm-up, then rounds interleaved so that load from other work on this shared
  // machine falls on every extractor alike.
  for (const run of runs) if (run.extractor.warmUp) run.texts = readAll(pages, run.extractor).texts;
  const most = Math.max(...EXTRACTORS.map((e) => e.rounds));
  for (let round = 0; round < most; round++) {
    for (const run of runs) {
      if (round >= run.extractor.rounds) continue;
      const { texts, seconds } = readAll(pages, run.extractor);
      run.texts = texts;
      run.seconds.push(seconds);
    }
  }

  const rows = runs.map((run) => {
    const counts = pages.map((p, i) => shingleCounts(p.articleBody, run.texts[i]!));
    return {
      name: run.extractor.name,
      counts,
      ...extractionScore(counts),
      pagesPerSecond: pages.length / median(run.seconds),
      rounds: run.seconds,
    };
  });
  const [ours, linkedom] = rows;
  // Each round of newswatch against the round of Readability-on-linkedom run beside it.
  const ratios = ours!.rounds.map((s, i) => linkedom!.rounds[i]! / s);
  const speedup = median(ratios);

  const lines = [
    `${pages.length} pages of aeb-dev, the same pages for each extractor, in one run; pages/s is the median of ${EXTRACTORS.map((e) => e.rounds).join(' / ')} timed rounds (after a warm-up pass for the first two).`,
    '',
    '| extractor | precision | recall | F1 | pages/s |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${r.name} | ${r.precision.toFixed(3)} | ${r.recall.toFixed(3)} | ${r.f1.toFixed(3)} | ${r.pagesPerSecond.toFixed(1)} |`,
    ),
    '',
    `newswatch reads **${speedup.toFixed(1)}×** the pages per second of Readability on linkedom (median of per-round ratios; the bar is 3×).`,
  ];
  if (process.argv.includes('--pages')) {
    const worst = pages.map((p, i) => ({ ...ours!.counts[i]!, url: p.url, id: p.id.slice(0, 8) }));
    worst.sort((a, b) => a.tp - b.tp);
    lines.push('', 'Worst pages for newswatch:', '');
    for (const r of worst.slice(0, 25))
      lines.push(`- ${r.id} tp ${r.tp.toFixed(2)} fp ${r.fp.toFixed(2)} fn ${r.fn.toFixed(2)} ${r.url}`);
  }
  return {
    title: 'Article reading (aeb-dev)',
    lines,
    data: {
      pages: pages.length,
      extractors: Object.fromEntries(
        rows.map((r) => [
          r.name,
          { precision: r.precision, recall: r.recall, f1: r.f1, pagesPerSecond: r.pagesPerSecond },
        ]),
      ),
      speedupOverReadabilityLinkedom: speedup,
    },
  };
}
