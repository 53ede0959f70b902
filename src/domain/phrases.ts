// Compiled phrase matching over tokens: the one mechanism behind entity aliases, event
// triggers, expectation cues, hedges and horizons. Compile once at start, apply per sentence.
import { cliticForms, isArabic, normalize, stripArticle, tokenize, type Token } from './text';

export interface PhraseHit<T> {
  value: T;
  /** offsets in the normalised text the tokens came from */
  start: number;
  end: number;
  /** the tokens the phrase covered */
  length: number;
  /** an Arabic verb matched with the future prefix س (سيلتقي for يلتقي) */
  future: boolean;
}

interface Entry<T> {
  rest: string[];
  value: T;
  /** Arabic single words match as stems: اجتماع matches اجتماعها */
  stem: boolean;
}

export interface PhraseMatcher<T> {
  /** Every phrase occurrence; at one position the longest phrase wins. */
  find(tokens: readonly Token[]): PhraseHit<T>[];
}

/**
 * @param phrases surface phrases (normalised here) with the value each stands for
 * @param stems   whether Arabic one-word phrases match as stems (prefixes) of a word
 */
export function compilePhrases<T>(phrases: Iterable<[string, T]>, stems = false): PhraseMatcher<T> {
  const exact = new Map<string, Entry<T>[]>();
  const stemList: { stem: string; entry: Entry<T> }[] = [];
  for (const [surface, value] of phrases) {
    const words = tokenize(normalize(surface)).map((t) => t.text);
    if (words.length === 0) continue;
    const [first, ...rest] = words as [string, ...string[]];
    const entry: Entry<T> = { rest, value, stem: stems && rest.length === 0 && isArabic(first) };
    if (entry.stem) {
      for (const form of stemForms(stripArticle(first))) stemList.push({ stem: form, entry });
    } else {
      const key = stripArticle(first);
      const list = exact.get(key) ?? [];
      list.push(entry);
      exact.set(key, list);
    }
  }
  for (const list of exact.values()) list.sort((a, b) => b.rest.length - a.rest.length);
  // By stem, the first declared kept: a word is matched by looking up its own prefixes, longest
  // first, so the most specific trigger wins without scanning every stem for every word.
  const stemIndex = new Map<string, Entry<T>>();
  for (const { stem, entry } of stemList) if (!stemIndex.has(stem)) stemIndex.set(stem, entry);
  const longestStem = Math.max(0, ...[...stemIndex.keys()].map((k) => k.length));

  return {
    find(tokens) {
      const hits: PhraseHit<T>[] = [];
      let i = 0;
      while (i < tokens.length) {
        const hit = matchAt(tokens, i);
        if (hit) {
          hits.push(hit);
          i += hit.length;
        } else {
          i += 1;
        }
      }
      return hits;
    },
  };

  function matchAt(tokens: readonly Token[], i: number): PhraseHit<T> | undefined {
    const token = tokens[i]!;
    const forms = cliticForms(token.text);
    let best: { entry: Entry<T>; length: number; future: boolean } | undefined;
    for (const f of forms) {
      for (const entry of exact.get(f.bare) ?? []) {
        if (best && best.length >= entry.rest.length + 1) continue;
        if (entry.rest.every((w, k) => tokens[i + 1 + k]?.text === w)) {
          best = { entry, length: entry.rest.length + 1, future: f.future };
        }
      }
    }
    // Stems are Arabic: a word with no Arabic letter can start with none of them.
    if (!best && stemIndex.size > 0 && forms[0]!.arabic) {
      outer: for (const f of forms) {
        const bare = f.bare;
        for (let n = Math.min(bare.length, longestStem); n > 0; n--) {
          const entry = stemIndex.get(bare.slice(0, n));
          // A short stem needs more than its letters: the whole word, or a preposition, the
          // article or the future prefix before it and a known ending after it (لقمتهم is
          // ل + قمت + هم). Taking off a bare و proves nothing: وزارة is no و + زار + ة.
          if (entry && (n > 3 || bare.length === n || (f.strong && ENDINGS.has(bare.slice(n))))) {
            best = { entry, length: 1, future: f.future };
            break outer;
          }
        }
      }
    }
    if (!best) return undefined;
    const last = tokens[i + best.length - 1]!;
    return {
      value: best.entry.value,
      start: token.start,
      end: last.end,
      length: best.length,
      future: best.future,
    };
  }
}

/** What may follow a short Arabic stem: pronouns, plural and dual endings, taa marbuta. */
const ENDINGS = new Set([
  'ه',
  'ها',
  'هم',
  'هما',
  'هن',
  'كم',
  'كما',
  'نا',
  'ي',
  'ات',
  'ان',
  'ين',
  'ون',
  'وا',
  'تا',
  'ت',
  'يه',
]);

/** A stem ending in taa marbuta (normalised to ه) takes ت before a suffix: زياره → زيارته. */
function stemForms(stem: string): string[] {
  return stem.endsWith('ه') ? [stem, stem.slice(0, -1) + 'ت'] : [stem];
}
