// What readers see instead of the values the service keeps: dates in one format ("28 Jan 2026",
// "28 Jan 2026, 10:00 UTC"), an expectation's horizon as words ("next month", "by 28 Feb 2026"
// rather than `next_month`), event types, alert kinds and entity names, in English and Arabic.
// Pure. Machine-readable places (webhook JSON, <time datetime>, the API) keep the ISO values.
import type { AlertKind } from './alert-kinds';
import type { EntityDef } from './gazetteer';
import type { EventDate } from './types';

export type ReaderLang = 'en' | 'ar';

/** The language a reader of text in `lang` is addressed in: Arabic for Arabic, else English. */
export const readerLang = (lang: string | undefined): ReaderLang => (lang === 'ar' ? 'ar' : 'en');

const MONTHS: Record<ReaderLang, string[]> = {
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
  // The month names of Gulf newspapers (KUNA, Al-Qabas): the same as the text is read with.
  ar: [
    'يناير',
    'فبراير',
    'مارس',
    'أبريل',
    'مايو',
    'يونيو',
    'يوليو',
    'أغسطس',
    'سبتمبر',
    'أكتوبر',
    'نوفمبر',
    'ديسمبر',
  ],
};

const DAY_RE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const TIME_RE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/;

/** 2026-01-28 → "28 Jan 2026" (ar: "28 يناير 2026"); 2026-01 → "Jan 2026"; 2026 → "2026". */
export function formatDay(value: string, lang: ReaderLang = 'en'): string {
  const m = DAY_RE.exec(value);
  if (!m) return value;
  const [, y, mm, dd] = m;
  const month = mm ? MONTHS[lang][Number(mm) - 1] : undefined;
  if (dd && month) return `${Number(dd)} ${month} ${y}`;
  if (month) return `${month} ${y}`;
  return y!;
}

/**
 * An ISO time as a reader reads it, in UTC: "28 Jan 2026, 10:00 UTC" (ar: "28 يناير 2026، 10:00
 * UTC"). A value with an offset is turned to UTC first; a plain day is a day.
 */
export function formatTime(iso: string, lang: ReaderLang = 'en'): string {
  if (DAY_RE.test(iso)) return formatDay(iso, lang);
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const utc = TIME_RE.exec(new Date(ms).toISOString())!;
  const [, y, mm, dd, hh, min] = utc;
  return `${formatDay(`${y}-${mm}-${dd}`, lang)}${lang === 'ar' ? '،' : ','} ${hh}:${min} UTC`;
}

/** When an event happened, after a verb: "on 28 Jan 2026", "in Jan 2026", "reported on 28 Jan 2026". */
export function onDate(date: EventDate, lang: ReaderLang = 'en'): string {
  if (date.precision === 'reported')
    return lang === 'ar'
      ? `بحسب خبر نُشر في ${formatDay(date.to, 'ar')}`
      : `reported on ${formatDay(date.to)}`;
  if (lang === 'ar') return `في ${formatDay(date.value, 'ar')}`;
  return `${date.precision === 'day' ? 'on' : 'in'} ${formatDay(date.value)}`;
}

/** An event's date on its own: "28 Jan 2026", "Jan 2026", "reported 28 Jan 2026". */
export function eventDateWords(date: EventDate, lang: ReaderLang = 'en'): string {
  if (date.precision === 'reported')
    return lang === 'ar' ? `بحسب خبر ${formatDay(date.to, 'ar')}` : `reported ${formatDay(date.to)}`;
  return formatDay(date.value, lang);
}

/** The lexicon's horizon ids (data/lexicon.yml `horizons`) and the two of our own, as words. */
const HORIZONS: Record<string, Record<ReaderLang, string>> = {
  within_days: { en: 'within days', ar: 'خلال أيام' },
  next_week: { en: 'next week', ar: 'الأسبوع المقبل' },
  this_month: { en: 'this month', ar: 'هذا الشهر' },
  next_month: { en: 'next month', ar: 'الشهر المقبل' },
  next_year: { en: 'next year', ar: 'العام المقبل' },
  later_this_year: { en: 'later this year', ar: 'في وقت لاحق من هذا العام' },
  coming_weeks: { en: 'in the coming weeks', ar: 'في الأسابيع المقبلة' },
  coming_months: { en: 'in the coming months', ar: 'في الأشهر المقبلة' },
  near_future: { en: 'in the near future', ar: 'في المستقبل القريب' },
  default: { en: 'with no time stated', ar: 'دون موعد محدد' },
  declared: { en: 'as the events file declares', ar: 'كما يحدده ملف الأحداث' },
};

/** "3 days", "14 days"; in Arabic with the number's agreement: يوم واحد، يومين، 3 أيام، 14 يومًا. */
function days(n: number, lang: ReaderLang): string {
  if (lang === 'en') return `${n} day${n === 1 ? '' : 's'}`;
  if (n === 1) return 'يوم واحد';
  if (n === 2) return 'يومين';
  if (n >= 3 && n <= 10) return `${n} أيام`;
  return `${n} يومًا`;
}

/**
 * How soon the article said it would happen: "in the near future", "next month", "within 14
 * days", "by 28 Jan 2026" (from `by 2026-01-28`). An id this table does not know is shown
 * with its underscores as spaces rather than as it is kept.
 */
export function horizonWords(horizon: string, lang: ReaderLang = 'en'): string {
  const by = /^by (.+)$/.exec(horizon);
  if (by) return `${lang === 'ar' ? 'بحلول' : 'by'} ${formatDay(by[1]!, lang)}`;
  const within = /^within_(\d+)_days$/.exec(horizon);
  if (within) return `${lang === 'ar' ? 'خلال' : 'within'} ${days(Number(within[1]), lang)}`;
  return HORIZONS[horizon]?.[lang] ?? horizon.replaceAll('_', ' ');
}

/**
 * An expectation's due as one phrase: its horizon and the last day it is waited for, e.g.
 * "next month (watched until 3 Mar 2026)", "by 28 Jan 2026" (a stated date says it all).
 */
export function dueWords(x: { horizon: string; due: { to: string } }, lang: ReaderLang = 'en'): string {
  const words = horizonWords(x.horizon, lang);
  if (x.horizon.startsWith('by ')) return words;
  const until = formatDay(x.due.to, lang);
  return lang === 'ar' ? `${words} (يُنتظر حتى ${until})` : `${words} (watched until ${until})`;
}

/** A window of days, both ends written out: "15 Jan 2026 – 3 Mar 2026". */
export function windowWords(due: { from: string; to: string }, lang: ReaderLang = 'en'): string {
  return `${formatDay(due.from, lang)} – ${formatDay(due.to, lang)}`;
}

/** The lexicon's event types (data/lexicon.yml `eventTypes`) as a desk names them. */
const TYPES: Record<string, Record<ReaderLang, string>> = {
  statement: { en: 'statement', ar: 'بيان' },
  interview: { en: 'interview', ar: 'مقابلة' },
  'press-conference': { en: 'press conference', ar: 'مؤتمر صحفي' },
  appeal: { en: 'appeal', ar: 'مناشدة' },
  pledge: { en: 'pledge', ar: 'تعهد' },
  meeting: { en: 'meeting', ar: 'اجتماع' },
  'preparatory-meeting': { en: 'preparatory meeting', ar: 'اجتماع تحضيري' },
  dialogue: { en: 'dialogue', ar: 'حوار' },
  visit: { en: 'visit', ar: 'زيارة' },
  call: { en: 'call', ar: 'اتصال' },
  summit: { en: 'summit', ar: 'قمة' },
  conference: { en: 'conference', ar: 'مؤتمر' },
  session: { en: 'session', ar: 'جلسة' },
  agreement: { en: 'agreement', ar: 'اتفاق' },
  accession: { en: 'accession', ar: 'انضمام' },
  exercise: { en: 'exercise', ar: 'مناورات' },
  aid: { en: 'aid', ar: 'مساعدات' },
  release: { en: 'release', ar: 'إفراج' },
  ceasefire: { en: 'ceasefire', ar: 'وقف إطلاق النار' },
  withdrawal: { en: 'withdrawal', ar: 'انسحاب' },
  investigation: { en: 'investigation', ar: 'تحقيق' },
  demand: { en: 'demand', ar: 'مطالبة' },
  condemnation: { en: 'condemnation', ar: 'إدانة' },
  rejection: { en: 'rejection', ar: 'رفض' },
  threat: { en: 'threat', ar: 'تهديد' },
  protest: { en: 'protest', ar: 'احتجاج' },
  deployment: { en: 'deployment', ar: 'نشر قوات' },
  recall: { en: 'recall of ambassadors', ar: 'استدعاء السفراء' },
  sanctions: { en: 'sanctions', ar: 'عقوبات' },
  arrest: { en: 'arrest', ar: 'اعتقال' },
  seizure: { en: 'seizure', ar: 'مصادرة' },
  'court-ruling': { en: 'court ruling', ar: 'حكم قضائي' },
  raid: { en: 'raid', ar: 'مداهمة' },
  attack: { en: 'attack', ar: 'هجوم' },
  killing: { en: 'killing', ar: 'قتل' },
  kidnapping: { en: 'kidnapping', ar: 'اختطاف' },
  strike: { en: 'strike', ar: 'ضربة' },
  clash: { en: 'clash', ar: 'اشتباك' },
  interception: { en: 'interception', ar: 'اعتراض' },
  election: { en: 'election', ar: 'انتخابات' },
  appointment: { en: 'appointment', ar: 'تعيين' },
  resignation: { en: 'resignation', ar: 'استقالة' },
  decree: { en: 'decree', ar: 'مرسوم' },
  match: { en: 'match', ar: 'مباراة' },
  launch: { en: 'launch', ar: 'إطلاق' },
  opening: { en: 'opening', ar: 'افتتاح' },
  celebration: { en: 'celebration', ar: 'احتفال' },
};

export function typeWords(type: string, lang: ReaderLang = 'en'): string {
  return TYPES[type]?.[lang] ?? type.replace(/[_-]/g, ' ');
}

/** Several expected types: "meeting or summit" (ar: "اجتماع أو قمة"). */
export function typesWords(types: readonly string[], lang: ReaderLang = 'en'): string {
  const words = types.map((t) => typeWords(t, lang));
  if (words.length <= 1) return words[0] ?? '';
  const or = lang === 'ar' ? ' أو ' : ' or ';
  return `${words.slice(0, -1).join(lang === 'ar' ? '، ' : ', ')}${or}${words.at(-1)!}`;
}

/** Parties as one name: "Kuwait – NATO". */
export const joinNames = (names: readonly string[]): string => names.join(' – ');

const KINDS: Partial<Record<AlertKind, Record<ReaderLang, string>>> = {
  'event.new': { en: 'New event', ar: 'حدث جديد' },
  'event.same_event': { en: 'More coverage', ar: 'تغطية إضافية' },
  'expectation.opened': { en: 'Expectation opened', ar: 'توقع جديد' },
  'expectation.fulfilled': { en: 'Expectation fulfilled', ar: 'تحقق المتوقع' },
  'expectation.overdue': { en: 'Expectation overdue', ar: 'توقع فات موعده' },
  'feed.failing': { en: 'Feed failing', ar: 'تعذر قراءة المصدر' },
  'feed.silent': { en: 'Feed silent', ar: 'المصدر صامت' },
  'feed.broken': { en: 'Feed broken', ar: 'المصدر معطل' },
  'article.match': { en: 'Watch matched', ar: 'خبر يطابق المتابعة' },
};

/** An alert kind as a label: "Expectation fulfilled" for `expectation.fulfilled`. */
export function kindWords(kind: string, lang: ReaderLang = 'en'): string {
  const known = KINDS[kind as AlertKind]?.[lang];
  if (known) return known;
  const words = kind.replace(/[._]/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * An entity's name for a reader: the gazetteer's first name in the reader's language, else in
 * the other; an id the gazetteer does not hold is shown as words ("kuwait-city" → "Kuwait City"),
 * and free text (a place as the article wrote it) as it is.
 */
export function entityName(id: string, def: EntityDef | undefined, lang: ReaderLang = 'en'): string {
  const other: ReaderLang = lang === 'ar' ? 'en' : 'ar';
  const name = def?.names[lang]?.[0] ?? def?.names[other]?.[0];
  if (name) return name;
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) return id;
  return id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join(' ');
}

/** What a reader's page or message can name beyond the alert: entities in either language, feeds. */
export interface ReaderNames {
  /** an entity's name in `lang`; undefined when the gazetteer does not hold it */
  entity?(id: string, lang: ReaderLang): string | undefined;
  /** a feed's name (feeds.yml `name`); undefined when unknown */
  feed?(id: string): string | undefined;
}

/** What a source was to an alert: the article that expected, the one that reported, and so on. */
export type SourceRole = 'expected' | 'reported' | 'again' | 'earlier' | 'also';

const ROLES: Record<SourceRole, Record<ReaderLang, string>> = {
  expected: { en: 'Expected in', ar: 'التوقع ورد في' },
  reported: { en: 'Reported in', ar: 'الخبر ورد في' },
  again: { en: 'Reported again in', ar: 'ورد مجددًا في' },
  earlier: { en: 'Earlier in', ar: 'ورد سابقًا في' },
  also: { en: 'Also reported in', ar: 'ورد أيضًا في' },
};

export const roleWords = (role: SourceRole, lang: ReaderLang = 'en'): string => ROLES[role][lang];

/**
 * Each source of an alert with its role: a fulfilment's expecting article ("Expected in") and
 * the report that fulfilled it ("Reported in"), a new coverage's new report ("Reported again
 * in") before the earlier ones, an expectation's own article.
 */
export function sourceRoles<S extends { articleId: string }>(alert: {
  kind: string;
  sources: readonly S[];
  expectation?: { source: { articleId: string } } | undefined;
}): { role: SourceRole; source: S }[] {
  const expectedId = alert.expectation?.source.articleId;
  let reported = 0;
  return alert.sources.map((source, i) => {
    if (source.articleId === expectedId) return { role: 'expected', source };
    if (alert.kind === 'event.same_event') return { role: i === 0 ? 'again' : 'earlier', source };
    return { role: reported++ === 0 ? 'reported' : 'also', source };
  });
}

/** A source's feed and time for its line: "KUNA (Arabic), 28 Jan 2026, 09:00 UTC". */
export function sourceFacts(
  s: { feedId?: string | undefined; published: string },
  names: ReaderNames = {},
  lang: ReaderLang = 'en',
): string {
  const feed = s.feedId ? (names.feed?.(s.feedId) ?? s.feedId) : undefined;
  return [feed, s.published ? formatTime(s.published, lang) : undefined]
    .filter(Boolean)
    .join(lang === 'ar' ? '، ' : ', ');
}
