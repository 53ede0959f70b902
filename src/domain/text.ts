// Text handling shared by every extractor: Arabic/Latin normalisation, tokens with offsets,
// sentence splitting and Arabic proclitic stripping. Pure functions, no I/O.

const ARABIC_DIACRITICS = /[\u0610-\u061A\u064B-\u065F\u0670\u06D6-\u06ED]/g;
const TATWEEL = /\u0640/g;
const ARABIC_INDIC_DIGITS = /[\u0660-\u0669\u06F0-\u06F9]/g;

function arabicDigitToAscii(d: string): string {
  const cp = d.codePointAt(0)!;
  return String(cp >= 0x06f0 ? cp - 0x06f0 : cp - 0x0660);
}

/**
 * Folds the spellings that news text mixes freely: diacritics and tatweel dropped, alef and
 * hamza seats unified, alef maqsura to yaa, taa marbuta to haa, Arabic-Indic digits to ASCII,
 * Latin lower-cased. The length of the string may change; use {@link tokenize} for offsets.
 */
export function normalize(text: string): string {
  return text
    .normalize('NFC')
    .replace(ARABIC_DIACRITICS, '')
    .replace(TATWEEL, '')
    .replace(ARABIC_INDIC_DIGITS, arabicDigitToAscii)
    .replace(/[أإآٱ]/g, 'ا')
    .replace(/ى/g, 'ي')
    .replace(/ة/g, 'ه')
    .replace(/ؤ/g, 'و')
    .replace(/ئ/g, 'ي')
    .replace(/[\u2018\u2019]/g, "'")
    .toLowerCase();
}

export interface Token {
  /** normalised form */
  text: string;
  /** offset of the token in the normalised string */
  start: number;
  end: number;
}

const TOKEN_RE = /[\p{L}\p{M}]+(?:'[\p{L}]+)?|\p{N}+/gu;

/** Word and number tokens of an already normalised string. */
export function tokenize(normalized: string): Token[] {
  const tokens: Token[] = [];
  for (const m of normalized.matchAll(TOKEN_RE)) {
    let text = m[0];
    // English possessive: "Kuwait's" is a mention of Kuwait.
    if (text.endsWith("'s")) text = text.slice(0, -2);
    tokens.push({ text, start: m.index, end: m.index + m[0].length });
  }
  return tokens;
}

export function isArabic(token: string): boolean {
  return /[\u0600-\u06FF]/.test(token);
}

/**
 * The forms an Arabic word may stand for once its proclitics are removed: conjunctions
 * (و، ف), prepositions (ب، ل، ك) and the article (ال), in that order. "وبالكويت" yields
 * وبالكويت, بالكويت, الكويت, كويت. "للحلف" (ل + ال with the alef dropped) yields الحلف.
 */
export function procliticVariants(token: string): readonly string[] {
  if (!isArabic(token)) return [token];
  let known = variantsSeen.get(token);
  if (!known) {
    // Words repeat across sentences and articles; the cache is dropped whole when it grows large.
    if (variantsSeen.size >= 50_000) variantsSeen.clear();
    known = arabicVariants(token);
    variantsSeen.set(token, known);
  }
  return known;
}

const variantsSeen = new Map<string, readonly string[]>();

function arabicVariants(token: string): string[] {
  const out = new Set<string>([token]);
  let stems = [token];
  for (const prefixes of [
    ['و', 'ف'],
    ['ب', 'ل', 'ك'],
  ]) {
    const next: string[] = [];
    for (const s of stems) {
      for (const p of prefixes) {
        if (s.startsWith(p) && s.length - p.length >= 2) next.push(s.slice(p.length));
      }
    }
    for (const n of next) out.add(n);
    stems = [...stems, ...next];
  }
  for (const s of [...out]) {
    if (s.startsWith('لل') && s.length > 3) out.add('ال' + s.slice(2));
  }
  for (const s of [...out]) {
    if (s.startsWith('ال') && s.length > 3) out.add(s.slice(2));
  }
  return [...out];
}

/** The form a gazetteer key is stored under: without a leading article. */
export function stripArticle(word: string): string {
  return isArabic(word) && word.startsWith('ال') && word.length > 3 ? word.slice(2) : word;
}

export interface Sentence {
  text: string;
  /** index among the article's sentences; the title is sentence 0 when present */
  index: number;
}

/**
 * Splits on line breaks and on sentence-final punctuation in both scripts (. ! ? ؟ ۔) when
 * followed by white space, so "2026/01/31" and "3.5" stay whole.
 */
export function splitSentences(text: string): string[] {
  return text
    .split(/\n+|(?<=[.!?؟۔])\s+/u)
    .map((s) => s.replace(/^[\s\-–•*]+/u, '').trim())
    .filter((s) => /[\p{L}]/u.test(s));
}

/**
 * Removes unfilled template placeholders that real feeds publish by mistake, such as
 * "[أدخل التاريخ هنا ...]" or "[insert date]": square-bracketed text holding an instruction
 * word. Without this the placeholder's words would be read as content.
 */
export function stripPlaceholders(text: string, markers: readonly string[]): string {
  return text.replace(/\[[^\]\n]{1,200}\]|\{\{[^}\n]{1,200}\}\}/g, (m) => {
    const n = normalize(m);
    return markers.some((k) => n.includes(k)) ? ' ' : m;
  });
}

// A wire dateline: "JEDDAH, July 16 - ", "WASHINGTON/MANAMA, Sept 11 — ", «مسقط - ».
const DATELINE =
  /^\s*(?:[A-Z][A-Z.'/ ]{1,40}(?:,[^\n,–—-]{1,30}){0,2}|[\u0600-\u06FF]+(?: [\u0600-\u06FF]+){0,2}) [-–—] /u;

/**
 * Removes the dateline that opens a wire story. It names where and when the story was
 * filed, not where and when its event happened: read as the event's date, "JEDDAH, July 16"
 * would put Friday's meeting on Saturday.
 */
export function stripDateline(text: string): string {
  return text.replace(DATELINE, '');
}
