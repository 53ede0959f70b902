// Dates written as strings, in metadata, running text and URLs: ISO 8601 and RFC 822 stamps,
// numeric dates, month names in Arabic, English and the page's own language (from the runtime's
// CLDR data, so no table per language here), and CJK year-month-day. Each result keeps the day as
// its writer wrote it: a page in Kuwait stamped 01:00+03:00 was published that day, not the day before.

/** A point in time read from a page, with the calendar day its writer meant. */
export interface Stamp {
  /** The instant, ISO 8601 in UTC. */
  iso: string;
  /** YYYY-MM-DD as written, in the writer's own zone. */
  day: string;
  /**
   * How the value placed itself: `local`, a stated offset other than zero (its day is the page's
   * own); `utc`, Z, GMT, +00:00 or an epoch (often a local time converted, so the local day may
   * differ by one); `none`, no zone at all (read as UTC, the day as written).
   */
  zone: 'local' | 'utc' | 'none';
}

/** A date found in text: its day and where it starts. */
export interface TextDate {
  day: string;
  index: number;
}

// ---- stamps -------------------------------------------------------------------------------------

const ISO_STAMP =
  /^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:(?:T|\s+|,\s*)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?\s*(?:(Z|UTC|GMT)|([+-])(\d{2}):?(\d{2})?)?(?![\d:])/i;
const EPOCH = /^\d{10}(?:\d{3})?$/;
const RFC_ZONE = /\b(?:GMT|UTC|Z|[ECMP][SD]T)\b|[+-]\d{4}\b/;
const UTC_ZONE = /\b(?:GMT|UTC|Z)\b|[+-]0000\b/;

/** A date or date-time from metadata or text, or undefined if it holds none. */
export function parseStamp(value: string, lang?: string): Stamp | undefined {
  const text = value.trim();
  if (EPOCH.test(text)) {
    const ms = Number(text.length === 10 ? `${text}000` : text);
    return inRange(new Date(ms).getUTCFullYear()) ? utcStamp(ms) : undefined;
  }
  const iso = ISO_STAMP.exec(text);
  if (iso) {
    const [, y, mo, d, h = '0', mi = '0', s = '0', utc, sign, oh, om = '0'] = iso;
    const offset = sign ? (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) : 0;
    const ms = utcMillis(+y!, +mo!, +d!, +h, +mi, +s);
    if (ms === undefined || Math.abs(offset) > 14 * 60) return undefined;
    return {
      iso: new Date(ms - offset * 60_000).toISOString(),
      day: dayString(+y!, +mo!, +d!),
      zone: utc || (sign && offset === 0) ? 'utc' : sign ? 'local' : 'none',
    };
  }
  // RFC 822 and its kin only when they carry a zone, so the machine's own zone never leaks in.
  if (RFC_ZONE.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms) && inRange(new Date(ms).getUTCFullYear())) {
      const written = findTextDate(text, lang);
      const zone = UTC_ZONE.test(text) ? 'utc' : 'local';
      return { iso: new Date(ms).toISOString(), day: written?.day ?? utcDay(ms), zone };
    }
  }
  const found = findTextDate(text, lang);
  return found ? dayStamp(found.day) : undefined;
}

/** A day with no time: midnight UTC, the day as written. */
export function dayStamp(day: string): Stamp {
  return { iso: `${day}T00:00:00.000Z`, day, zone: 'none' };
}

/** A date from metadata or text as an ISO string in UTC (a time without an offset read as UTC). */
export function parseDate(value: string): string | undefined {
  return parseStamp(value)?.iso;
}

// ---- dates in running text ----------------------------------------------------------------------

const AR_MONTHS: Record<string, number> = {
  يناير: 1,
  فبراير: 2,
  مارس: 3,
  ابريل: 4,
  مايو: 5,
  يونيو: 6,
  يونيه: 6,
  يوليو: 7,
  يوليه: 7,
  اغسطس: 8,
  سبتمبر: 9,
  اكتوبر: 10,
  نوفمبر: 11,
  ديسمبر: 12,
  'كانون الثاني': 1,
  شباط: 2,
  اذار: 3,
  نيسان: 4,
  ايار: 5,
  حزيران: 6,
  تموز: 7,
  اب: 8,
  ايلول: 9,
  'تشرين الاول': 10,
  'تشرين الثاني': 11,
  'كانون الاول': 12,
};
const EN_MONTHS: Record<string, number> = {
  jan: 1,
  january: 1,
  feb: 2,
  february: 2,
  mar: 3,
  march: 3,
  apr: 4,
  april: 4,
  may: 5,
  jun: 6,
  june: 6,
  jul: 7,
  july: 7,
  aug: 8,
  august: 8,
  sep: 9,
  sept: 9,
  september: 9,
  oct: 10,
  october: 10,
  nov: 11,
  november: 11,
  dec: 12,
  december: 12,
};

const BEFORE = '(?<![\\p{L}\\p{N}])';
const AFTER = '(?![\\p{L}\\p{N}])';

interface Pattern {
  re: RegExp;
  /** Year, month, day from a match; a month name is looked up in `months`. */
  ymd: (m: RegExpExecArray, months: Map<string, number>) => [number, number, number];
}

interface Grammar {
  months: Map<string, number>;
  patterns: Pattern[];
}

const grammars = new Map<string, Grammar>();

/** The patterns for one page language: numeric forms, plus month names of English, Arabic and that language. */
function grammar(lang = ''): Grammar {
  const primary = lang.toLowerCase().split(/[-_]/)[0] ?? '';
  const monthFirst = /^en[-_]us$/i.test(lang);
  const key = `${primary}${monthFirst ? '-us' : ''}`;
  const cached = grammars.get(key);
  if (cached) return cached;

  const months = new Map<string, number>();
  for (const [name, n] of Object.entries({ ...EN_MONTHS, ...AR_MONTHS })) months.set(name, n);
  if (primary && primary !== 'en' && primary !== 'ar')
    for (const [name, n] of cldrMonths(primary)) months.set(name, n);
  const names = [...months.keys()]
    .sort((a, b) => b.length - a.length)
    .map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('|');
  const M = `(${names})\\.?`;
  // «24 نيسان / أبريل 2020»: Levantine pages give both names of a month.
  const MONTH = `${M}(?:\\s*[/(-]\\s*(?:${names})\\)?)?`;
  const month = (m: RegExpExecArray, i: number, ms: Map<string, number>) => ms.get(m[i]!.toLowerCase()) ?? 0;
  const order = (a: number, b: number, y: number): [number, number, number] => {
    // Most of the world writes the day first; a month over 12 settles it either way.
    if (monthFirst) return a > 12 && b <= 12 ? [y, b, a] : [y, a, b];
    return b > 12 && a <= 12 ? [y, a, b] : [y, b, a];
  };

  const patterns: Pattern[] = [
    { re: /(?<!\d)(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?!\d)/u, ymd: (m) => [+m[1]!, +m[2]!, +m[3]!] },
    { re: /(?<!\d)(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})(?!\d)/u, ymd: (m) => order(+m[1]!, +m[2]!, +m[3]!) },
    {
      re: /(?<!\d)(\d{4})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]/u,
      ymd: (m) => [+m[1]!, +m[2]!, +m[3]!],
    },
    {
      re: new RegExp(
        `(?<!\\d)(\\d{1,2})(?:st|nd|rd|th|er|º|\\.)?\\s*(?:de\\s+|of\\s+|من\\s+)?${MONTH}\\s*(?:de\\s+|del\\s+)?[,،]?\\s*(\\d{4})(?!\\d)`,
        'iu',
      ),
      ymd: (m, ms) => [+m[3]!, month(m, 2, ms), +m[1]!],
    },
    {
      re: new RegExp(`${BEFORE}${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?[,،]?\\s+(\\d{4})${AFTER}`, 'iu'),
      ymd: (m, ms) => [+m[3]!, month(m, 1, ms), +m[2]!],
    },
    // «2020. augusztus 18.»: year first with a month name (Hungarian, Lithuanian, East Asian Latin forms).
    {
      re: new RegExp(`(?<!\\d)(\\d{4})\\.?\\s+${MONTH}\\s+(\\d{1,2})(?!\\d)`, 'iu'),
      ymd: (m, ms) => [+m[1]!, month(m, 2, ms), +m[3]!],
    },
  ];
  const g = { months, patterns };
  grammars.set(key, g);
  return g;
}

/** Month names of a language from the runtime's CLDR data: long and short, standalone and in a date. */
function cldrMonths(lang: string): Map<string, number> {
  const out = new Map<string, number>();
  let locale: string;
  try {
    locale = Intl.DateTimeFormat.supportedLocalesOf([lang])[0] ?? '';
  } catch {
    return out; // not a language tag
  }
  if (!locale) return out;
  const formats = [
    { month: 'long' },
    { month: 'short' },
    { month: 'long', day: 'numeric' },
    { month: 'short', day: 'numeric' },
  ] as const;
  for (const options of formats) {
    const f = new Intl.DateTimeFormat(`${locale}-u-ca-gregory`, { ...options, timeZone: 'UTC' });
    for (let m = 1; m <= 12; m++) {
      const part = f.formatToParts(Date.UTC(2020, m - 1, 15)).find((p) => p.type === 'month');
      const name = part?.value.toLowerCase().replace(/\.$/, '');
      // Some languages write months as numbers («9月»); the numeric patterns cover those.
      if (name && !/\d/.test(name) && name.length >= 3) out.set(normalise(name), m);
    }
  }
  return out;
}

/** Arabic-Indic digits to ASCII, and hamza/madda forms of alef folded, so one table covers spellings. */
function normalise(text: string): string {
  return text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/[أإآ]/g, 'ا')
    .replace(/\u0640/g, '');
}

/** The earliest calendar date written in running text, in any form above. */
export function findTextDate(text: string, lang?: string): TextDate | undefined {
  const { months, patterns } = grammar(lang);
  const normal = normalise(text);
  let best: TextDate | undefined;
  for (const { re, ymd } of patterns) {
    const m = re.exec(normal);
    if (!m || (best && m.index >= best.index)) continue;
    const [y, mo, d] = ymd(m, months);
    if (utcMillis(y, mo, d) !== undefined) best = { day: dayString(y, mo, d), index: m.index };
  }
  return best;
}

/** The first calendar date written in running text (a byline such as «في 2026/01/31»), as midnight UTC. */
export function firstDateInText(text: string, lang?: string): string | undefined {
  const found = findTextDate(text, lang);
  return found ? dayStamp(found.day).iso : undefined;
}

// ---- dates in URLs ------------------------------------------------------------------------------

const URL_DATES = [
  /(?:^|[/_-])((?:19|20)\d{2})[/_-](\d{1,2})[/_-](\d{1,2})(?=$|[/_.-])/,
  /(?:^|[/_-])((?:19|20)\d{2})(\d{2})(\d{2})(?=$|[/_.-])/,
];

/** The day a URL's path spells out (/2020/03/15/, -20200315/), which newsrooms set on publication. */
export function urlDay(url: string, base?: string): string | undefined {
  let path: string;
  try {
    path = new URL(url.trim(), base).pathname;
  } catch {
    return undefined;
  }
  for (const re of URL_DATES) {
    const m = re.exec(path);
    if (m && utcMillis(+m[1]!, +m[2]!, +m[3]!) !== undefined) return dayString(+m[1]!, +m[2]!, +m[3]!);
  }
  return undefined;
}

// ---- calendar -----------------------------------------------------------------------------------

const inRange = (year: number): boolean => year >= 1990 && year <= 2100;

/** Milliseconds for a valid calendar date and time read as UTC, else undefined (31 February, year 1441). */
function utcMillis(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number | undefined {
  if (!inRange(y) || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return new Date(ms).getUTCDate() === d ? ms : undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');
const dayString = (y: number, mo: number, d: number) => `${y}-${pad(mo)}-${pad(d)}`;
const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const utcStamp = (ms: number): Stamp => ({ iso: new Date(ms).toISOString(), day: utcDay(ms), zone: 'utc' });

/** Days from a to b (YYYY-MM-DD). */
export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(b) - Date.parse(a)) / 86_400_000);
}
