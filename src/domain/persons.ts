// People no gazetteer holds, read from the titles news puts before names («وزير الخارجية
// السعودي عادل الجبير», "Foreign Minister Adel al-Jubeir"): each is kept by its last name
// (جبير, jubeir), which is how two reports of one meeting name the same man. Pure.
import type { Analyzer } from './analyzer';
import type { EntityMention } from './gazetteer';
import { isArabic, stripArticle, tokenize, type Token } from './text';

/** Words of an office that run on after a title («وزير الخارجية», "Minister of State for"). */
/**
 * Words of an office that run on after a title («وزير الخارجية», «وزير خارجية جمهورية مصر»,
 * "Minister of State for"), kept without the article: a name never starts with one.
 */
const OFFICE = new Set([
  'حقوق',
  'انسان',
  'اغاثه',
  'مركز',
  'جمعيه',
  'نقابه',
  'غرفه',
  'بلديه',
  'محافظه',
  'اماره',
  'استاذ',
  'دكتور',
  'مهندس',
  'سعاده',
  'معالي',
  'سمو',
  'شيخ',
  'امير',
  'سيد',
  'سيده',
  'خارجيه',
  'دفاع',
  'داخليه',
  'عام',
  'عامه',
  'دوله',
  'شوون',
  'للشوون',
  'لشوون',
  'سياسيه',
  'وزراء',
  'مجلس',
  'اعلام',
  'شوري',
  'امن',
  'وطني',
  'حرس',
  'اركان',
  'هييه',
  'جمهوريه',
  'حكومه',
  'مملكه',
  'امم',
  'متحده',
  'خاص',
  'خاصه',
  'سابق',
  'سابقه',
  'اول',
  'باسم',
  'وزاره',
  'رئاسه',
  'ملكي',
  'ولي',
  'عهد',
  'حرمين',
  'شريفين',
  'خادم',
  'سمو',
  'معالي',
  'فخامه',
  'عاهل',
  'متحدث',
  'مسوول',
  'مصدر',
  'نايب',
  'مساعد',
  'وكيل',
  'قاده',
  'قوات',
  'جيش',
  'شرطه',
  'مكتب',
  'لجنه',
  'امانه',
  'منظمه',
  'اتحاد',
  'حزب',
  'حركه',
  'سفاره',
  'قنصليه',
  'اداره',
  'شركه',
  'هيئه',
  'جامعه',
  'محكمه',
  'نيابه',
  'ادعاء',
  'جهاز',
  'قياده',
  'عمليات',
  'ركن',
  'بحريه',
  'جويه',
  'بريه',
  'اقتصاد',
  'ماليه',
  'نفط',
  'طاقه',
  'تجاره',
  'صحه',
  'تعليم',
  'عدل',
  'اوقاف',
  'خليجي',
  'عربي',
  'عربيه',
  'اسلامي',
  'دولي',
  'دوليه',
  'اقليمي',
  'تعاون',
  'مشترك',
  'مشتركه',
  'اعلي',
  'عليا',
  'وزاري',
  'وزاريه',
  'تنفيذي',
  'رييس',
  'رييسه',
  'وزير',
  'وزيره',
  'foreign',
  'defence',
  'defense',
  'interior',
  'state',
  'affairs',
  'general',
  'of',
  'the',
  'for',
  'prime',
  'minister',
  'secretary',
  'deputy',
  'crown',
  'former',
  'special',
  'national',
  'security',
  'adviser',
  'advisor',
  'us',
  'u.s',
  'ministry',
  'spokesman',
  'spokeswoman',
  'official',
  'chief',
  'staff',
  'army',
  'navy',
  'council',
  'committee',
  'assistant',
  'senior',
  'acting',
  'energy',
  'finance',
  'oil',
  'trade',
  'economy',
  'health',
  'justice',
  'information',
]);

/**
 * Last names of the people named after a title in one sentence. `mentions` are the
 * gazetteer's: a person it knows is an actor already, and a country adjective after the
 * title («السعودي») is skipped, not read as a name.
 */
export function personKeys(
  an: Analyzer,
  tokens: readonly Token[],
  raw: string,
  mentions: readonly EntityMention[],
  /** offsets in the normalised text of punctuation that ends a name */
  breaks: readonly number[],
  /** token indexes of verbs and event words, which no name runs into («الجبير سيزور») */
  stopAt: ReadonlySet<number>,
): string[] {
  const keys: string[] = [];
  // Case is lost in normalised text: an English sentence is tokenised again as written.
  const written = /[\u0600-\u06FF]/.test(raw)
    ? undefined
    : tokenize(raw.normalize('NFC').replace(/[\u2018\u2019]/g, "'"));
  const capitalised = (i: number) => written?.[i] !== undefined && /^\p{Lu}/u.test(written[i]!.text);
  const mentionAt = (t: Token) => mentions.find((m) => t.start >= m.start && t.start < m.end);
  for (const hit of an.personTitles.find(tokens)) {
    let i = tokens.findIndex((t) => t.start >= hit.end);
    if (i < 0) continue;
    // the rest of the office and the country adjective
    const office = (t: Token) => OFFICE.has(stripArticle(t.text)) || mentionAt(t)?.form === 'adjective';
    while (i < tokens.length && office(tokens[i]!)) i++;
    // A name opens with a given name, which takes no article: «عادل الجبير», not «الخارجية».
    if (i < tokens.length && isArabic(tokens[i]!.text) && tokens[i]!.text.startsWith('ال')) continue;
    const name: Token[] = [];
    while (i < tokens.length && name.length < 4) {
      const t = tokens[i]!;
      if (name.length && breaks.some((b) => b > name.at(-1)!.end && b <= t.start)) break;
      if (stopAt.has(i) || an.nameStops.has(t.text) || /^\d+$/.test(t.text) || mentionAt(t) || office(t))
        break;
      if (!isArabic(t.text) && !capitalised(i)) break;
      name.push(t);
      i++;
    }
    // A gazetteer person is an actor already; one word after a title is often no name at all.
    if (name.length < 2) continue;
    const last = stripArticle(name.at(-1)!.text).replace(/^al-?/, '');
    if (last.length >= 3 && !keys.includes(last)) keys.push(last);
  }
  return keys;
}
