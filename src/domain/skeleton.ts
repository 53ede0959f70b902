// A name's consonant skeleton, the same in Arabic and Latin script: «شيكيرينسكا» and
// "Shekerinska" are both x-k-r-n-s-k, «جبير» and "Jubeir" both j-b-r. Vowels and the weak
// letters (ا و ي, y w) are what transliteration varies; the consonants it keeps, folded into
// classes where the two scripts disagree (ق and k, ص and s; ج, غ, g and j are one). Pure.

const ARABIC: Record<string, string> = {
  ب: 'b',
  ت: 't',
  ط: 't',
  ث: 's',
  ج: 'j',
  ح: 'h',
  ه: 'h',
  خ: 'k',
  د: 'd',
  ض: 'd',
  ذ: 'z',
  ز: 'z',
  ظ: 'z',
  ر: 'r',
  س: 's',
  ص: 's',
  ش: 'x',
  غ: 'j',
  ف: 'f',
  ق: 'k',
  ك: 'k',
  ل: 'l',
  م: 'm',
  ن: 'n',
};

/** Latin letter groups, longest first, and the class each stands for ('' for a vowel). */
const LATIN: [string, string][] = [
  ['sch', 'x'],
  ['sh', 'x'],
  ['ch', 'x'],
  ['kh', 'k'],
  ['gh', 'j'],
  ['th', 's'],
  ['dh', 'z'],
  ['ph', 'f'],
  ['ck', 'k'],
  ['q', 'k'],
  ['c', 'k'],
  ['g', 'j'],
  ['p', 'b'],
  ['v', 'f'],
  ['x', 'ks'],
];

/** The fewest consonants a skeleton needs to tell one name from another. */
export const MIN_SKELETON = 3;

const seen = new Map<string, string>();

export function skeleton(name: string): string {
  const known = seen.get(name);
  if (known !== undefined) return known;
  // Names repeat across every comparison of a run; the memo is dropped whole when it grows large.
  if (seen.size >= 20_000) seen.clear();
  const made = skeletonOf(name);
  seen.set(name, made);
  return made;
}

function skeletonOf(name: string): string {
  let out = '';
  if (/[\u0600-\u06FF]/.test(name)) {
    for (const c of name) out += ARABIC[c] ?? '';
  } else {
    const w = name.toLowerCase().replace(/^(?:al|el)-?/, '');
    for (let i = 0; i < w.length;) {
      const group = LATIN.find(([g]) => w.startsWith(g, i));
      if (group) {
        out += group[1];
        i += group[0].length;
        continue;
      }
      const c = w[i]!;
      if (/[bdfhjklmnrstz]/.test(c)) out += c;
      i++;
    }
  }
  // Doubled consonants are written once in Arabic (shadda) and often twice in Latin; a final h
  // is a taa marbuta or its spelling (سلامه, Salameh, Salama).
  return out.replace(/(.)\1+/g, '$1').replace(/h$/, '');
}

/** Whether two names, in either script, are the same name transliterated. */
export function sameName(a: string, b: string): boolean {
  if (a === b) return true;
  const sa = skeleton(a);
  return sa.length >= MIN_SKELETON && sa === skeleton(b);
}
