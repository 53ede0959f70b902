// What two reports of one occurrence share in words: the light-stemmed terms of a headline and
// lead, weighted by how rare each is among the articles the service has read (TF-IDF), and
// compared by cosine. Within one language only; across languages matching compares entities,
// types, numbers and dates instead. Pure: document frequencies come in as data.
import { ara, eng } from 'stopword';
import { lightStem, normalize, tokenize } from './text';

const STOP = new Set([...ara, ...eng].flatMap((w) => tokenize(normalize(w)).map((t) => lightStem(t.text))));

/** Term counts of a text, stemmed, without stop words and one-letter tokens. */
export function termCounts(text: string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of tokenize(normalize(text))) {
    if (t.text.length < 2 && !/^\d+$/.test(t.text)) continue;
    const stem = lightStem(t.text);
    if (stem.length < 2 || STOP.has(stem) || STOP.has(t.text)) continue;
    counts[stem] = (counts[stem] ?? 0) + 1;
  }
  return counts;
}

/** How many read documents hold each term, and how many were read. */
export interface TermStats {
  docs: number;
  df: ReadonlyMap<string, number>;
}

/** A weighted term vector of unit length, at most `keep` terms (the heaviest). */
export interface Signature {
  lang: string;
  terms: Record<string, number>;
}

/**
 * Smoothed inverse document frequency: a term in every article weighs little, a name seen
 * once weighs most; `prior` documents are assumed seen before the first, so the first
 * articles of a fresh base are not all weighed alike.
 */
export function idf(term: string, stats: TermStats, prior = 20): number {
  const df = stats.df.get(term) ?? 0;
  return Math.log((stats.docs + prior + 1) / (df + 1));
}

export function signatureOf(
  counts: Readonly<Record<string, number>>,
  lang: string,
  stats: TermStats,
  keep = 25,
): Signature {
  const weighted = Object.entries(counts).map(([t, n]) => [t, (1 + Math.log(n)) * idf(t, stats)] as const);
  weighted.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  const top = weighted.slice(0, keep);
  const norm = Math.sqrt(top.reduce((s, [, w]) => s + w * w, 0)) || 1;
  return { lang, terms: Object.fromEntries(top.map(([t, w]) => [t, Math.round((w / norm) * 1e4) / 1e4])) };
}

/** Cosine of two signatures; 0 across languages, where words cannot be compared. */
export function cosine(a: Signature | undefined, b: Signature | undefined): number {
  if (!a || !b || a.lang !== b.lang) return 0;
  let dot = 0;
  for (const [t, w] of Object.entries(a.terms)) dot += w * (b.terms[t] ?? 0);
  return Math.round(dot * 1000) / 1000;
}

/** The terms two signatures share, heaviest first: the words a reason can quote. */
export function sharedTerms(a: Signature | undefined, b: Signature | undefined, n = 5): string[] {
  if (!a || !b || a.lang !== b.lang) return [];
  return Object.keys(a.terms)
    .filter((t) => t in b.terms)
    .sort((x, y) => a.terms[y]! * b.terms[y]! - a.terms[x]! * b.terms[x]!)
    .slice(0, n);
}

/** Number tokens of a text ("14 soldiers", «300 عسكري»): evidence across languages too. */
export function numbersIn(text: string): string[] {
  return [
    ...new Set(
      tokenize(normalize(text))
        .filter((t) => /^\d{1,6}$/.test(t.text))
        .map((t) => t.text),
    ),
  ];
}
