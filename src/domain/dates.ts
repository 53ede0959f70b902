// Dates read from news text, in Arabic and English: full dates in words or numbers, months,
// years, and days relative to the article's own date. Pure: the reference date is an argument.
import { normalize } from './text';

export type Precision = 'day' | 'month' | 'year';

/** Calendar day as YYYY-MM-DD; all date arithmetic here is on UTC calendar days. */
export type Day = string;

export interface DateSpan {
  /** what the text said, at its precision: 2026-01-28, 2025-12, 2012 */
  value: string;
  precision: Precision;
  /** first and last calendar day the text can mean */
  from: Day;
  to: Day;
}

export interface DateMention extends DateSpan {
  /**
   * Read from a word relative to the article's day («أمس», "on Tuesday"): as exact as the
   * article's own date, which feeds sometimes give days late.
   */
  relative?: boolean;
  /** offsets in the normalised text */
  start: number;
  end: number;
}

export interface DateLexicon {
  /** twelve entries, January first; each a list of names in any language */
  months: readonly (readonly string[])[];
  relativeDays: readonly { offset: number; words: readonly string[] }[];
  /** seven entries, Monday first */
  weekdays?: readonly (readonly string[])[];
  /** weekday names that are also common words: read only beside a context word */
  ambiguousWeekdays?: readonly string[];
  weekdayContext?: readonly string[];
  weekdayFuture?: readonly string[];
  weekdayPast?: readonly string[];
  /** the twelve Hijri months, Muharram first; each a list of names */
  hijriMonths?: readonly (readonly string[])[];
  /** day-of-month ordinals in words, the first day first */
  ordinalDays?: readonly (readonly string[])[];
}

export interface FindOptions {
  /**
   * Offset in the text from which the sentence looks ahead (an expectation cue): a bare
   * weekday after it is the next such day, before it the last one.
   */
  futureFrom?: number;
}

export interface DateReader {
  find(normalized: string, reference: Day, options?: FindOptions): DateMention[];
}

const pad = (n: number) => String(n).padStart(2, '0');

export function dayOf(date: Date): Day {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

export function addDays(day: Day, n: number): Day {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return dayOf(d);
}

export function daysBetween(a: Day, b: Day): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function daySpan(year: number, month: number, day: number): DateSpan | undefined {
  if (month < 1 || month > 12 || day < 1 || day > lastDayOfMonth(year, month)) return undefined;
  const v = `${year}-${pad(month)}-${pad(day)}`;
  return { value: v, precision: 'day', from: v, to: v };
}

export function monthSpan(year: number, month: number): DateSpan {
  return {
    value: `${year}-${pad(month)}`,
    precision: 'month',
    from: `${year}-${pad(month)}-01`,
    to: `${year}-${pad(month)}-${pad(lastDayOfMonth(year, month))}`,
  };
}

/** Days `first` to `last` of one month, as one span at day precision. */
export function dayRange(year: number, month: number, first: number, last: number): DateSpan | undefined {
  const a = daySpan(year, month, first);
  const b = daySpan(year, month, last);
  if (!a || !b || last < first) return a;
  return { value: a.value, precision: 'day', from: a.from, to: b.to };
}

export function yearSpan(year: number): DateSpan {
  return { value: String(year), precision: 'year', from: `${year}-01-01`, to: `${year}-12-31` };
}

const L = '(?<![\\p{L}\\p{N}])';
const R = '(?![\\p{L}\\p{N}])';

export function compileDateReader(lex: DateLexicon): DateReader {
  const monthOf = new Map<string, number>();
  lex.months.forEach((names, i) => names.forEach((n) => monthOf.set(normalize(n), i + 1)));
  const monthAlt = [...monthOf.keys()]
    .sort((a, b) => b.length - a.length)
    .map((m) => m.replace(/\s+/g, '\\s+'))
    .join('|');
  // A month may carry a one-letter proclitic (وفي يناير, بيناير).
  const MONTH = `(?:[وفبل])?(${monthAlt})`;
  // The joint of a day range: 13-14, 24 and 25, 24 و25, 5 to 7.
  const RANGE = '\\s*(?:-|–|and|to|و|الي|حتي)\\s*';
  // Every pattern but the ordinal one needs a digit: a sentence without one skips them.
  const patterns: {
    re: RegExp;
    read: (m: RegExpMatchArray, ref: Day) => DateSpan | undefined;
    digits?: false;
  }[] = [
    {
      re: new RegExp(`${L}(\\d{4})[-/.](\\d{1,2})[-/.](\\d{1,2})${R}`, 'gu'),
      read: (m) => daySpan(+m[1]!, +m[2]!, +m[3]!),
    },
    {
      re: new RegExp(`${L}(\\d{1,2})[-/.](\\d{1,2})[-/.](\\d{4})${R}`, 'gu'),
      read: (m) => daySpan(+m[3]!, +m[2]!, +m[1]!),
    },
    {
      // 28 June 2004, 13-14 May, 24 و25 يونيو
      re: new RegExp(
        `${L}(?:(\\d{1,2})${RANGE})?(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:من\\s+|of\\s+)?${MONTH}${R}(?:\\s*,?\\s*(?:عام\\s+)?(\\d{4})${R})?`,
        'gu',
      ),
      read: (m, ref) => {
        const month = monthOf.get(m[3]!.replace(/\s+/g, ' '))!;
        const year = m[4] ? +m[4] : nearestYear(ref, month);
        return m[1] ? dayRange(year, month, +m[1], +m[2]!) : daySpan(year, month, +m[2]!);
      },
    },
    {
      // June 28, May 13-14, June 24 and 25, Nov. 9
      re: new RegExp(
        `${L}${MONTH}\\.?\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:${RANGE}(\\d{1,2})(?:st|nd|rd|th)?)?${R}(?:\\s*,?\\s*(\\d{4})${R})?`,
        'gu',
      ),
      read: (m, ref) => {
        const month = monthOf.get(m[1]!.replace(/\s+/g, ' '))!;
        const day = +m[2]!;
        if (day > 31) return undefined;
        const year = m[4] ? +m[4] : nearestYear(ref, month);
        return m[3] ? dayRange(year, month, day, +m[3]) : daySpan(year, month, day);
      },
    },
    {
      re: new RegExp(`${L}${MONTH}\\s*,?\\s+(?:من\\s+|of\\s+)?(?:عام\\s+|العام\\s+)?(\\d{4})${R}`, 'gu'),
      read: (m) => monthSpan(+m[2]!, monthOf.get(m[1]!.replace(/\s+/g, ' '))!),
    },
    {
      re: /(?<![\p{L}\p{N}/.-])(?:[وفبل])?((?:19|20)\d{2})(?![\p{N}/.-]\d)(?![\p{N}%])/gu,
      read: (m) => yearSpan(+m[1]!),
    },
  ];
  // A month named alone, after a word that says it is a time («مطلع فبراير المقبل», "in early
  // February", «في تموز», "mid-March"): the month, or the part of it the word names (early: days
  // 1–10, mid: 11–20, late: 21 to the end), in the occurrence nearest the article. A preposition
  // or a part-of-month word is needed: "may" and «اب» are words too; abbreviations never count.
  const fullMonthAlt = [...monthOf.keys()]
    .filter((m) => m.length >= 4 || m === 'may' || /[\u0600-\u06FF]/.test(m))
    .sort((a, b) => b.length - a.length)
    .map((m) => m.replace(/\s+/g, '\\s+'))
    .join('|');
  const PART = new Map<string, 'early' | 'mid' | 'late'>([
    ...[
      'early',
      'the beginning of',
      'beginning of',
      'the start of',
      'start of',
      'مطلع',
      'اوايل',
      'اوائل',
      'بدايه',
    ].map((w) => [w, 'early'] as const),
    ...['mid', 'the middle of', 'middle of', 'منتصف', 'اواسط'].map((w) => [w, 'mid'] as const),
    ...['late', 'the end of', 'end of', 'اواخر', 'نهايه'].map((w) => [w, 'late'] as const),
  ]);
  const partAlt = [...PART.keys()]
    .sort((a, b) => b.length - a.length)
    .map((w) => w.replace(/\s+/g, '\\s+'))
    .join('|');
  const PREP = '(?:in|during|until|by|before|after|since|next|this|last|في|خلال|حتي|قبل|بعد|منذ|شهر)';
  patterns.push({
    digits: false,
    re: new RegExp(
      `${L}(?:(?:[وفبل])?(${partAlt})[\\s-]+(?:(?:of|شهر)\\s+)?|${PREP}\\s+(?:(?:شهر|the month of)\\s+)?)(?:[وفبل])?(${fullMonthAlt})${R}`,
      'gu',
    ),
    read: (m, ref) => {
      const month = monthOf.get(m[2]!.replace(/\s+/g, ' '))!;
      const whole = monthSpan(nearestYear(ref, month), month);
      const part = m[1] ? PART.get(m[1].replace(/\s+/g, ' ')) : undefined;
      if (!part) return whole;
      const first = part === 'early' ? 1 : part === 'mid' ? 11 : 21;
      const last = part === 'early' ? 10 : part === 'mid' ? 20 : Number(whole.to.slice(8));
      return { ...whole, from: `${whole.value}-${pad(first)}`, to: `${whole.value}-${pad(last)}` };
    },
  });
  // A Hijri month, as the Saudi press dates («رمضان الماضي», «في شوال», «ذي القعدة المقبل»): the
  // days of that month of the Umm al-Qura calendar, the last one before the article, the next
  // one after it, or the nearest.
  const hijri = (lex.hijriMonths ?? [])
    .flatMap((names, i) => names.map((n) => ({ word: normalize(n), month: i + 1 })))
    .sort((a, b) => b.word.length - a.word.length);
  if (hijri.length) {
    const alt = hijri.map((h) => h.word.replace(/\s+/g, '\\s+')).join('|');
    patterns.push({
      digits: false,
      // A month name is often a word too (صفر is zero, رجب and شعبان are names): it needs «شهر»
      // or a preposition before it, or «الماضي» / «المقبل» after it.
      re: new RegExp(
        `${L}(?:((?:[وفبل])?(?:شهر|في|خلال|منذ|قبل|بعد|حتي))\\s+)?(?:[وفبل])?(${alt})${R}(?:\\s+(الماضي|المنصرم|السابق|المقبل|القادم|الجاري))?`,
        'gu',
      ),
      read: (m, ref) => {
        if (m[1] === undefined && m[3] === undefined) return undefined;
        const month = hijri.find((h) => h.word === m[2]!.replace(/\s+/g, ' '))!.month;
        const rel = m[3];
        const which =
          rel === undefined || rel === 'الجاري' ? 'nearest' : /المقبل|القادم/.test(rel) ? 'next' : 'last';
        return hijriMonthSpan(ref, month, which);
      },
    });
  }
  const ordinals = (lex.ordinalDays ?? [])
    .flatMap((names, i) => names.map((n) => ({ word: normalize(n), day: i + 1 })))
    .sort((a, b) => b.word.length - a.word.length);
  if (ordinals.length) {
    // في الخامس من يناير (2021): the ordinal names the day of the month.
    const ordinalAlt = ordinals.map((o) => o.word.replace(/\s+/g, '\\s+')).join('|');
    patterns.splice(2, 0, {
      digits: false,
      re: new RegExp(
        `${L}(?:[وفبل])?(${ordinalAlt})\\s+(?:من\\s+)?(?:شهر\\s+)?${MONTH}${R}(?:\\s*,?\\s*(?:عام\\s+)?(\\d{4})${R})?`,
        'gu',
      ),
      read: (m, ref) => {
        const day = ordinals.find((o) => o.word === m[1]!.replace(/\s+/g, ' '))!.day;
        const month = monthOf.get(m[2]!.replace(/\s+/g, ' '))!;
        return daySpan(m[3] ? +m[3] : nearestYear(ref, month), month, day);
      },
    });
  }
  const weekdays = compileWeekdays(lex);
  const relative = lex.relativeDays
    .flatMap((r) => r.words.map((w) => ({ word: normalize(w), offset: r.offset })))
    .sort((a, b) => b.word.length - a.word.length);
  const relativeRe = relative.length
    ? new RegExp(`${L}(?:[وف])?(${relative.map((r) => r.word.replace(/\s+/g, '\\s+')).join('|')})${R}`, 'gu')
    : undefined;

  return {
    find(text, reference, options = {}) {
      const found: DateMention[] = [];
      const taken: [number, number][] = [];
      const free = (s: number, e: number) => taken.every(([a, b]) => e <= a || s >= b);
      const hasDigit = /\d/.test(text);
      for (const p of patterns) {
        if (!hasDigit && p.digits !== false) continue;
        for (const m of text.matchAll(p.re)) {
          const start = m.index;
          const end = start + m[0].length;
          if (!free(start, end)) continue;
          const span = p.read(m, reference);
          if (!span) continue;
          taken.push([start, end]);
          found.push({ ...span, start, end });
        }
      }
      if (relativeRe) {
        for (const m of text.matchAll(relativeRe)) {
          if (!free(m.index, m.index + m[0].length)) continue;
          const word = m[1]!.replace(/\s+/g, ' ');
          const offset = relative.find((r) => r.word === word)!.offset;
          const v = addDays(reference, offset);
          found.push({
            value: v,
            precision: 'day',
            from: v,
            to: v,
            relative: true,
            start: m.index,
            end: m.index + m[0].length,
          });
        }
      }
      for (const w of weekdays.find(text, reference, options.futureFrom ?? Number.POSITIVE_INFINITY)) {
        if (free(w.start, w.end)) found.push(w);
      }
      return found.sort((a, b) => a.start - b.start);
    },
  };
}

/**
 * Weekday names. News dates an event by its weekday when it is within a few days of the
 * report: the last such day on or before the article's date, or the next one after it when
 * the sentence looks ahead (past `futureFrom`) or a word beside it says so ("next Saturday",
 * «الأحد المقبل», "set for Sunday").
 */
function compileWeekdays(lex: DateLexicon) {
  const names = (lex.weekdays ?? []).flatMap((ws, i) =>
    ws.map((w) => ({ word: normalize(w), weekday: (i + 1) % 7 })),
  );
  if (names.length === 0) return { find: () => [] as DateMention[] };
  const set = (xs: readonly string[] | undefined) => new Set((xs ?? []).map(normalize));
  const ambiguous = set(lex.ambiguousWeekdays);
  const context = set(lex.weekdayContext);
  const future = set(lex.weekdayFuture);
  const past = set(lex.weekdayPast);
  // «اليوم الأحد», "today, Sunday": the day of the article itself when it is that weekday.
  const today = set(lex.relativeDays.filter((r) => r.offset === 0).flatMap((r) => r.words));
  const alt = names
    .map((n) => n.word)
    .sort((a, b) => b.length - a.length)
    .join('|');
  // An Arabic weekday may carry و or ف and, in "يوم الجمعة", stands after يوم.
  const re = new RegExp(`${L}(?:[وف])?(${alt})${R}`, 'gu');
  const word = /[\p{L}\p{N}]+/gu;
  return {
    find(text: string, reference: Day, futureFrom: number): DateMention[] {
      const out: DateMention[] = [];
      for (const m of text.matchAll(re)) {
        const start = m.index;
        const end = start + m[0].length;
        const before = [...text.slice(Math.max(0, start - 24), start).matchAll(word)].map((x) => x[0]);
        const after = [...text.slice(end, end + 24).matchAll(word)].map((x) => x[0]);
        const prev = before.at(-1);
        const next = after[0];
        const beside = [prev, next].filter((x): x is string => x !== undefined);
        if (ambiguous.has(m[1]!) && !beside.some((x) => context.has(x) || future.has(x) || past.has(x)))
          continue;
        const weekday = names.find((n) => n.word === m[1])!.weekday;
        const ahead =
          beside.some((x) => future.has(x)) || (start >= futureFrom && !beside.some((x) => past.has(x)));
        const v = weekdayFrom(reference, weekday, ahead, prev !== undefined && today.has(prev));
        out.push({ value: v, precision: 'day', from: v, to: v, relative: true, start, end });
      }
      return out;
    },
  };
}

/**
 * The given weekday (0 = Sunday) on or before `reference`, or the first one after it; `isToday`
 * (the text says "today") lets the day ahead be the reference day itself.
 */
function weekdayFrom(reference: Day, weekday: number, ahead: boolean, isToday = false): Day {
  const today = new Date(`${reference}T00:00:00Z`).getUTCDay();
  if (ahead) return addDays(reference, (weekday - today + 7) % 7 || (isToday ? 0 : 7));
  return addDays(reference, -((today - weekday + 7) % 7));
}

const UMM_AL_QURA = new Intl.DateTimeFormat('en-u-ca-islamic-umalqura', {
  month: 'numeric',
  timeZone: 'UTC',
});
const hijriSpans = new Map<string, DateSpan | undefined>();

/**
 * The Gregorian days of Hijri month `month` (1 = Muharram): the last occurrence ending on or
 * before `reference`, the next one starting after it, or the one nearest it.
 */
export function hijriMonthSpan(
  reference: Day,
  month: number,
  which: 'last' | 'next' | 'nearest',
): DateSpan | undefined {
  const key = `${reference}|${month}|${which}`;
  if (hijriSpans.has(key)) return hijriSpans.get(key);
  if (hijriSpans.size > 10_000) hijriSpans.clear();
  // Every day within about a Hijri year either side, grouped into runs of the month.
  const runs: { from: Day; to: Day }[] = [];
  for (let k = -380; k <= 380; k++) {
    const day = addDays(reference, k);
    if (Number(UMM_AL_QURA.format(new Date(`${day}T00:00:00Z`))) !== month) continue;
    const last = runs.at(-1);
    if (last && addDays(last.to, 1) === day) last.to = day;
    else runs.push({ from: day, to: day });
  }
  const distance = (r: { from: Day; to: Day }) =>
    r.to < reference ? daysBetween(r.to, reference) : r.from > reference ? daysBetween(reference, r.from) : 0;
  const pick =
    which === 'last'
      ? runs.filter((r) => r.to <= reference).at(-1)
      : which === 'next'
        ? runs.find((r) => r.from > reference)
        : [...runs].sort((a, b) => distance(a) - distance(b))[0];
  const span = pick && {
    value: pick.from.slice(0, 7),
    precision: 'month' as const,
    from: pick.from,
    to: pick.to,
  };
  hijriSpans.set(key, span);
  return span;
}

/** A day and month without a year mean the occurrence nearest the article's date. */
function nearestYear(reference: Day, month: number): number {
  const year = +reference.slice(0, 4);
  const refMonth = +reference.slice(5, 7);
  if (month - refMonth > 6) return year - 1;
  if (refMonth - month > 6) return year + 1;
  return year;
}

/** Whether two spans share at least one day. */
export function overlaps(a: { from: Day; to: Day }, b: { from: Day; to: Day }): boolean {
  return a.from <= b.to && b.from <= a.to;
}
