// Scores the publication day readArticle finds on the mediacloud-dev pages (htmldate's Media Cloud
// 2020 set: news pages from many countries, a few in Arabic script) against their ground truth.
// Run alone: npm run bench -- dates   (add --pages to list every page dated wrong)
import { readFileSync } from 'node:fs';
import { arabicShare } from '../src/ingest/article-dates';
import { readArticle } from '../src/ingest/read-article';
import { median, type BenchReport } from './harness';

const PAGES = new URL('../../shared/fixtures/dates/mediacloud-dev/', import.meta.url);

export interface DatePage {
  id: string;
  url: string;
  /** YYYY-MM-DD, or null for the page the set gives no date (it should get none). */
  date: string | null;
  html: string;
  /** Its <title> is written in Arabic script. */
  arabic: boolean;
}

export interface DateResult {
  page: DatePage;
  /** The day readArticle gave, if any. */
  day?: string;
  /** Why readArticle refused the page, if it did. */
  error?: string;
  right: boolean;
}

export function loadDatePages(): DatePage[] {
  // The set was written by pandas: a page without a date has a bare NaN, which JSON lacks.
  const raw = readFileSync(new URL('ground-truth.json', PAGES), 'utf8').replace(/:\s*NaN\b/g, ': null');
  const truth = JSON.parse(raw) as Record<string, { url: string; date: string | null }>;
  return Object.entries(truth).map(([id, { url, date }]) => {
    const html = readFileSync(new URL(`html/${id}.html`, PAGES), 'utf8');
    const title = /<title[^>]*>([^<]*)/i.exec(html)?.[1] ?? '';
    return { id, url, date, html, arabic: (arabicShare(title) ?? 0) > 0.5 };
  });
}

/** Reads each page as `newswatch extract` would; a page with no date in truth is right when none is found. */
export function dateResults(pages: DatePage[]): DateResult[] {
  return pages.map((page) => {
    try {
      const day = readArticle(page.html, page.url).publishedDay;
      return { page, ...(day ? { day } : {}), right: (day ?? null) === page.date };
    } catch (err) {
      return { page, error: (err as Error).message, right: page.date === null };
    }
  });
}

export const accuracy = (results: DateResult[]): number =>
  results.length ? results.filter((r) => r.right).length / results.length : Number.NaN;

const ROUNDS = 3;

export default async function datesBench(): Promise<BenchReport> {
  const pages = loadDatePages();
  let results: DateResult[] = [];
  const seconds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    results = dateResults(pages);
    seconds.push((performance.now() - started) / 1000);
  }
  const arabic = results.filter((r) => r.page.arabic);
  const right = results.filter((r) => r.right).length;
  const lines = [
    `${pages.length} pages of mediacloud-dev; the published day as the page dates itself (in its own time zone) against the set's day.`,
    '',
    '| pages | right | accuracy | pages/s |',
    '| --- | ---: | ---: | ---: |',
    `| all | ${right} / ${results.length} | ${accuracy(results).toFixed(3)} | ${(pages.length / median(seconds)).toFixed(1)} |`,
    `| Arabic script | ${arabic.filter((r) => r.right).length} / ${arabic.length} | ${accuracy(arabic).toFixed(3)} | |`,
  ];
  if (process.argv.includes('--pages')) {
    lines.push('', 'Dated wrong:', '');
    for (const r of results.filter((x) => !x.right))
      lines.push(`- ${r.page.id} want ${r.page.date} got ${r.day ?? r.error ?? 'none'} ${r.page.url}`);
  }
  return {
    title: 'Publication dates (mediacloud-dev)',
    lines,
    data: {
      pages: pages.length,
      right,
      accuracy: accuracy(results),
      arabicPages: arabic.length,
      arabicAccuracy: accuracy(arabic),
    },
  };
}
