// Text handling shared by every extractor: Arabic/Latin normalisation, tokens with offsets,
// sentence splitting, Arabic clitics and light stemming. Pure functions, no I/O.
import { stemmer as englishStem } from 'stemmer';

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
  for (let i = 0; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c >= 0x0600 && c <= 0x06ff) return true;
  }
  return false;
}

/** One reading of an Arabic word with its proclitics taken off. */
export interface CliticForm {
  form: string;
  /** the form without its article, as lexicon keys are stored */
  bare: string;
  /** the form has an Arabic letter */
  arabic: boolean;
  /**
   * A preposition (ب ل ك), the article (ال، لل) or the future prefix (س) was taken off: the
   * rest is surely a word of its own. Taking off only a conjunction (و ف) proves nothing
   * (وزارة is "ministry", not و + زار "and visited").
   */
  strong: boolean;
  /** the future prefix س was taken off a verb (سيلتقي → يلتقي): the event is ahead */
  future: boolean;
}

/**
 * The forms an Arabic word may stand for once its proclitics are removed: conjunctions
 * (و، ف), then prepositions (ب، ل، ك) or the future prefix of a verb (س before ي ت ن ا), then
 * the article (ال; لل is ل + ال with the alef dropped). "وبالكويت" yields وبالكويت, بالكويت,
 * الكويت, كويت; "سيلتقي" yields يلتقي, marked future.
 */
export function cliticForms(token: string): readonly CliticForm[] {
  let known = formsSeen.get(token);
  if (!known) {
    // Words repeat across sentences and articles; the cache is dropped whole when it grows large.
    if (formsSeen.size >= 50_000) formsSeen.clear();
    known = isArabic(token)
      ? arabicForms(token)
      : [{ form: token, bare: token, arabic: false, strong: false, future: false }];
    formsSeen.set(token, known);
  }
  return known;
}

/** The forms of {@link cliticForms}, as strings. */
export function procliticVariants(token: string): readonly string[] {
  return cliticForms(token).map((f) => f.form);
}

const formsSeen = new Map<string, readonly CliticForm[]>();

function arabicForms(token: string): CliticForm[] {
  const out = new Map<string, CliticForm>();
  const add = (form: string, strong: boolean, future: boolean) => {
    const had = out.get(form);
    if (!had || (strong && !had.strong))
      out.set(form, {
        form,
        bare: stripArticle(form),
        arabic: isArabic(form),
        strong,
        future: future || (had?.future ?? false),
      });
  };
  add(token, false, false);
  const afterConjunction = /^[وف]/.test(token) && token.length >= 3 ? [token, token.slice(1)] : [token];
  for (const a of afterConjunction) {
    add(a, false, false);
    const afterPreposition: { form: string; future: boolean }[] = [{ form: a, future: false }];
    if (/^[بلك]/.test(a) && a.length >= 3) afterPreposition.push({ form: a.slice(1), future: false });
    if (/^س[يتنا]/.test(a) && a.length >= 4) afterPreposition.push({ form: a.slice(1), future: true });
    for (const b of afterPreposition) {
      if (b.form !== a) add(b.form, true, b.future);
      if (b.form.startsWith('لل') && b.form.length > 3) {
        add('ال' + b.form.slice(2), true, false);
        add(b.form.slice(2), true, false);
      }
      if (b.form.startsWith('ال') && b.form.length > 3) add(b.form.slice(2), true, false);
    }
  }
  return [...out.values()];
}

// Words whose first letter is a root letter that looks like a proclitic: a stemmer must not
// take it off (وزير is "minister", not و + زير).
const RADICAL_FIRST: readonly string[] = [
  ...new Set(
    [
      'وزير',
      'وزيره',
      'وزراء',
      'وزاره',
      'وزارات',
      'وزاري',
      'وزاريه',
      'وفد',
      'وفود',
      'وطن',
      'وطني',
      'وطنيه',
      'وكاله',
      'وكالات',
      'وضع',
      'وقت',
      'ولايه',
      'وحده',
      'واشنطن',
      'وثيقه',
      'وسط',
      'وجه',
      'وجود',
      'وفاه',
      'وقف',
      'وصول',
      'وعد',
      'فريق',
      'فرنسا',
      'فلسطين',
      'فلسطيني',
      'فلسطينيه',
      'فترة',
      'فتره',
      'فرصه',
      'بلاد',
      'بلد',
      'بيان',
      'بريطانيا',
      'بروكسل',
      'بغداد',
      'بيروت',
      'لبنان',
      'ليبيا',
      'كويت',
      'وقع',
      'وصل',
      'وافق',
      'وجد',
      'ولد',
    ].map((w) => (w.endsWith('ه') && w.length >= 5 ? w.slice(0, -1) : w)),
  ),
];

const PRONOUNS = ['هما', 'كما', 'تهم', 'تها', 'هم', 'هن', 'كم', 'نا', 'ها', 'ه'];
const ARABIC_SUFFIXES = [
  'هما',
  'كما',
  'تهم',
  'تها',
  'هم',
  'هن',
  'كم',
  'نا',
  'ها',
  'ات',
  'ان',
  'ون',
  'ين',
  'يه',
  'ه',
  'ي',
];

/**
 * A light stemmer for the words text similarity compares (after Larkey, Ballesteros and
 * Connell's light10): the article and prepositions before, pronoun and plural endings after,
 * so الاجتماعات, واجتماعها and اجتماع are one term, as are القمة, للقمة and لقمتهم.
 * English words go through Porter's stemmer. Input is normalised text.
 */
export function lightStem(token: string): string {
  let known = stemsSeen.get(token);
  if (known === undefined) {
    if (stemsSeen.size >= 50_000) stemsSeen.clear();
    known = stem(token);
    stemsSeen.set(token, known);
  }
  return known;
}

const stemsSeen = new Map<string, string>();

function stem(token: string): string {
  if (!isArabic(token)) return englishStem(token);
  const radical = (x: string) => RADICAL_FIRST.some((r) => x.startsWith(r));
  let w = token;
  for (const p of ['وبال', 'وكال', 'فبال', 'ولل', 'فلل', 'وال', 'فال', 'بال', 'كال', 'لل', 'ال']) {
    if (w.startsWith(p) && w.length - p.length >= 2) {
      w = w.slice(p.length);
      break;
    }
  }
  if (w === token && w.length >= 4 && /^[وف]/.test(w) && !radical(w)) w = w.slice(1);
  // A bare preposition comes off only with a pronoun after: باجتماعهما, بزيارته; لافروف and
  // بوتين keep their first letter.
  const pronoun = PRONOUNS.find(
    (s) => w.endsWith(s) && w.length - s.length >= 3 && (s !== 'ه' || w.length >= 6),
  );
  if (/^[بلك]/.test(w) && w.length >= 5 && pronoun && !radical(w)) w = w.slice(1);
  for (let pass = 0; pass < 2; pass++) {
    const s = ARABIC_SUFFIXES.find((x) => w.endsWith(x) && w.length - x.length >= 3);
    if (!s) break;
    w = w.slice(0, -s.length);
    // A taa marbuta turns into ت before a pronoun: زيارته is زياره + ه, قمتهم is قمه + هم.
    if (PRONOUNS.includes(s) && w.endsWith('ت')) w = `${w.slice(0, -1)}ه`;
  }
  // The taa marbuta itself goes, down to a two-letter stem: قمه and قمتهم are both قم.
  if (w.endsWith('ه') && w.length >= 3) w = w.slice(0, -1);
  return w;
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
