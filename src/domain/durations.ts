// Horizons stated as a count of days, weeks or months from now: "within two weeks", "in three
// days", «خلال أسبوعين», «بعد ثلاثة أيام», «في غضون شهر». A lead word (within, in, after, خلال,
// بعد, غضون) must stand right before the count, so "a two-day visit" or «زيارة تستغرق يومين»
// (how long, not how soon) is no horizon. Pure.
import type { Horizon } from './lexicon';
import type { Token } from './text';

const LEAD = new Set(['within', 'in', 'after', 'خلال', 'بعد', 'غضون', 'وخلال', 'وبعد']);
/** words between the lead and the count: "in the next two weeks", «خلال الـ» */
const BETWEEN = new Set(['the', 'next', 'coming', 'a', 'ال']);

const NUMBERS = new Map<string, number>([
  ['one', 1],
  ['two', 2],
  ['three', 3],
  ['four', 4],
  ['five', 5],
  ['six', 6],
  ['seven', 7],
  ['eight', 8],
  ['nine', 9],
  ['ten', 10],
  ['couple', 2],
  ['few', 4],
  ['several', 5],
  ['واحد', 1],
  ['ثلاثه', 3],
  ['ثلاث', 3],
  ['اربعه', 4],
  ['اربع', 4],
  ['خمسه', 5],
  ['خمس', 5],
  ['سته', 6],
  ['ست', 6],
  ['سبعه', 7],
  ['سبع', 7],
  ['ثمانيه', 8],
  ['ثماني', 8],
  ['تسعه', 9],
  ['تسع', 9],
  ['عشره', 10],
  ['عشر', 10],
  ['بضعه', 4],
  ['بضع', 4],
]);

/** unit words: days each, and whether the word is a dual («أسبوعين»: two weeks) */
const UNITS = new Map<string, { days: number; dual?: boolean; single?: boolean }>([
  ['day', { days: 1, single: true }],
  ['days', { days: 1 }],
  ['week', { days: 7, single: true }],
  ['weeks', { days: 7 }],
  ['month', { days: 31, single: true }],
  ['months', { days: 31 }],
  ['يوم', { days: 1, single: true }],
  ['ايام', { days: 1 }],
  ['يومين', { days: 1, dual: true }],
  ['اسبوع', { days: 7, single: true }],
  ['اسابيع', { days: 7 }],
  ['اسبوعين', { days: 7, dual: true }],
  ['شهر', { days: 31, single: true }],
  ['اشهر', { days: 31 }],
  ['شهور', { days: 31 }],
  ['شهرين', { days: 31, dual: true }],
]);

/** words after the count that tie it to another event, not to now */
const AFTER_ANOTHER = new Set(['of', 'from', 'after', 'since', 'من', 'علي', 'منذ']);

/** The longest horizon a count may state: further out is a plan, not an expectation. */
const MAX_DAYS = 190;

export function durationHorizon(tokens: readonly Token[]): Horizon | undefined {
  for (let i = 0; i < tokens.length; i++) {
    if (!LEAD.has(tokens[i]!.text)) continue;
    let j = i + 1;
    while (j < tokens.length && BETWEEN.has(tokens[j]!.text) && j - i <= 3) j++;
    const word = tokens[j]?.text;
    if (word === undefined) continue;
    let count: number | undefined;
    let unit = UNITS.get(word);
    if (unit) {
      // «خلال أسبوعين», «بعد شهر», "within a week"
      if (unit.dual) count = 2;
      else if (unit.single && (j > i + 1 ? tokens[j - 1]!.text === 'a' : isArabicUnit(word))) count = 1;
    } else {
      const n = /^\d{1,3}$/.test(word) ? Number(word) : NUMBERS.get(word);
      const next = tokens[j + 1]?.text === 'of' ? tokens[j + 2]?.text : tokens[j + 1]?.text;
      unit = next === undefined ? undefined : UNITS.get(next);
      if (n !== undefined && unit && !unit.dual) count = n;
    }
    if (!unit || count === undefined) continue;
    // «بعد يوم واحد من استقباله», "within a week of the deal": counted from another event
    let k = tokens.findIndex((t, n) => n > j && UNITS.has(t.text));
    if (k < 0 || k > j + 2) k = j;
    if (tokens[k + 1]?.text === 'واحد') k++;
    if (AFTER_ANOTHER.has(tokens[k + 1]?.text ?? '')) continue;
    const days = count * unit.days;
    if (days < 1 || days > MAX_DAYS) continue;
    return { id: `within_${days}_days`, kind: 'days', days };
  }
  return undefined;
}

function isArabicUnit(word: string): boolean {
  return /[\u0600-\u06FF]/.test(word);
}
