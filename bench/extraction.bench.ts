// Scores readArticle's main text on the aeb-dev pages with the Zyte article-extraction benchmark's
// metric, so changes to the text rules are judged on real pages, not on our own fixtures.
// Run alone: npm run bench -- extraction   (add --pages to list the worst pages)
import { readFileSync } from 'node:fs';
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

const ROUNDS = 5;

export default async function extractionBench(): Promise<BenchReport> {
  const pages = loadPages();
  let texts: string[] = [];
  const seconds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    texts = pages.map((p) => {
      try {
        return readArticle(p.html, p.url).text;
      } catch {
        return ''; // A page refused as empty scores as an empty prediction.
      }
    });
    seconds.push((performance.now() - started) / 1000);
  }
  const counts = pages.map((p, i) => shingleCounts(p.articleBody, texts[i]!));
  const { precision, recall, f1 } = extractionScore(counts);
  const pagesPerSecond = pages.length / median(seconds);
  const lines = [
    `${pages.length} pages of aeb-dev, median of ${ROUNDS} rounds.`,
    '',
    '| extractor | precision | recall | F1 | pages/s |',
    '| --- | ---: | ---: | ---: | ---: |',
    `| newswatch readArticle | ${precision.toFixed(3)} | ${recall.toFixed(3)} | ${f1.toFixed(3)} | ${pagesPerSecond.toFixed(1)} |`,
  ];
  if (process.argv.includes('--pages')) {
    const rows = pages.map((p, i) => ({ ...counts[i]!, url: p.url, id: p.id.slice(0, 8) }));
    rows.sort((a, b) => a.tp - b.tp);
    lines.push('', 'Worst pages:', '');
    for (const r of rows.slice(0, 25))
      lines.push(`- ${r.id} tp ${r.tp.toFixed(2)} fp ${r.fp.toFixed(2)} fn ${r.fn.toFixed(2)} ${r.url}`);
  }
  return {
    title: 'Article reading (aeb-dev)',
    lines,
    data: { pages: pages.length, precision, recall, f1, pagesPerSecond },
  };
}
