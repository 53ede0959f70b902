// Watches: which articles meet a watch's keywords and entities, in Arabic (normalised, with its
// proclitics) and English (whole words, phrases in quotes), and the one alert each raises.
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/domain/extract';
import {
  articleWords,
  matchWatch,
  parseKeyword,
  watchAlerts,
  watchInputSchema,
  type Watch,
} from '../../src/domain/watch';
import type { ArticleInput } from '../../src/domain/types';
import { subscriberWants, type Subscriber } from '../../src/domain/alerts';
import { analyzerPromise } from '../support/analyzer';

const meets = (keyword: string, title: string, text = '', lang = 'ar') =>
  matchWatch({ keywords: [keyword] }, { lang, entities: [], words: articleWords(title, text) }) !== undefined;

describe('Arabic keywords', () => {
  it.each([
    ['الكويت', 'وصل الوفد إلى الكويت أمس', true],
    ['الكويت', 'مباحثات بين الناتو والكويت', true], // و + ال
    ['الكويت', 'عقد الاجتماع بالكويت', true], // ب + ال
    ['الكويت', 'رسالة للكويت من الحلف', true], // لل = ل + ال
    ['الكويت', 'وبالكويت انعقدت القمة', true], // و + ب + ال
    ['الكويت', 'دولة كويت الخير', true], // without the article
    ['كويت', 'وصل الوفد إلى الكويت', true], // the keyword without it meets the word with it
    ['الكويت', 'قال الوزير الكويتي إن', false], // an adjective is another word
    ['الكويت', 'أعلنت الكويتية للطيران', false],
    ['الكويتي*', 'أعلنت الكويتية للطيران', true], // ... unless asked for by prefix
    ['الكويت', 'زار الوفد قطر والبحرين', false],
    ['عمان', 'أعلنت السلطنة العمانية', false], // عمان is no part of العمانية
    ['عمان', 'وصل إلى مسقط في عمان', true],
    ['سلام', 'منظمة التعاون الإسلامي', false], // سلام inside الإسلامي
    ['قمة', 'انعقاد القمّة الخليجية', true], // shadda and taa marbuta folded
    ['أمن الخليج', 'مؤتمر حول امن الخليج', true], // hamza seats folded; both words
    ['مجلس الأمن', 'ناقش مجلس التعاون قضايا الأمن', true], // unquoted: both words, anywhere
    ['"مجلس الأمن"', 'ناقش مجلس التعاون قضايا الأمن', false], // quoted: the phrase
    ['"مجلس الأمن"', 'اجتمع مجلسُ الأمنِ الدولي', true], // diacritics dropped
    ['«مجلس الأمن»', 'وفي مجلس الأمن الدولي', true],
    ['الكويت', 'الكـــويت تستضيف الحوار', true], // tatweel
  ])('%s in «%s»: %s', (keyword, title, expected) => {
    expect(meets(keyword, title)).toBe(expected);
  });

  it('looks in the text as in the title', () => {
    expect(meets('الناتو', 'عنوان آخر', 'وقال مسؤول في الناتو إن المباحثات ستستمر.')).toBe(true);
  });
});

describe('English keywords', () => {
  it.each([
    ['Kuwait', 'NATO and Kuwait hold talks', true],
    ['kuwait', 'NATO and KUWAIT hold talks', true], // case-insensitive
    ['Kuwait', "Kuwait's deputy minister met NATO", true], // possessive
    ['Kuwait', 'Kuwaiti delegation arrives', false], // a word of its own
    ['Oman', 'Romania joins the exercise', false], // not inside another word
    ['Oman', 'Omani and Emirati officials', false],
    ['Oman', 'Talks in Muscat, Oman, on Monday', true],
    ['NATO', 'NATOs of the future', false],
    ['NATO', "NATO's deputy secretary general", true],
    ['Kuw*', 'Kuwaiti delegation arrives', true],
    ['security dialogue', 'Dialogue on Gulf security opens', true], // both words, any order
    ['"security dialogue"', 'Dialogue on Gulf security opens', false],
    ['"security dialogue"', 'The political and security dialogue opened', true],
    ['"Gulf security"', 'Talks in the Gulf. Security was tight', false], // no phrase across sentences
    ['Kuwait-NATO', 'the Kuwait NATO dialogue', true], // a hyphenated piece is a phrase
    ['Kuwait-NATO', 'NATO met Kuwait', false],
    ['US', 'Officials from the US attended', true], // an acronym in capitals ...
    ['US', 'He told us about it', false], // ... is not the pronoun
  ])('%s in "%s": %s', (keyword, title, expected) => {
    expect(meets(keyword, title, '', 'en')).toBe(expected);
  });
});

describe('reading keywords', () => {
  it('refuses what cannot be looked for, saying why', () => {
    expect(parseKeyword('"unclosed phrase')).toEqual({ error: expect.stringContaining('not closed') });
    expect(parseKeyword('!!!')).toEqual({ error: 'has no word to look for' });
    expect(parseKeyword('Ku*')).toEqual({ error: expect.stringContaining('too short a prefix') });
  });

  it('validates a watch naming the field at fault', () => {
    const bad = watchInputSchema.safeParse({ subscriberId: 'desk', name: ' ', keywords: ['ok', '"open'] });
    expect(bad.success).toBe(false);
    const fields = bad.error!.issues.map((i) => i.path.join('.'));
    expect(fields).toEqual(expect.arrayContaining(['name', 'keywords.1']));
    const empty = watchInputSchema.safeParse({ subscriberId: 'desk', name: 'Nothing' });
    expect(empty.error!.issues).toMatchObject([
      { path: ['keywords'], message: 'a watch needs keywords, entities or both' },
    ]);
  });
});

describe('entities and the other criteria', () => {
  const words = articleWords('NATO and Kuwait hold talks', 'The two sides met in Brussels.');
  const article = { lang: 'en', entities: ['nato', 'kuwait', 'brussels'], words };

  it('meets any of its entities, or all of them when asked', () => {
    expect(matchWatch({ entities: ['kuwait', 'oman'] }, article)).toMatchObject({ entities: ['kuwait'] });
    expect(matchWatch({ entities: ['kuwait', 'oman'], entityMatch: 'all' }, article)).toBeUndefined();
    expect(matchWatch({ entities: ['kuwait', 'nato'], entityMatch: 'all' }, article)).toMatchObject({
      entities: ['kuwait', 'nato'],
    });
  });

  it('needs every criterion it gives: entities and a keyword, and the language', () => {
    expect(matchWatch({ entities: ['kuwait'], keywords: ['talks'] }, article)).toMatchObject({
      entities: ['kuwait'],
      keywords: ['talks'],
    });
    expect(matchWatch({ entities: ['kuwait'], keywords: ['summit'] }, article)).toBeUndefined();
    expect(matchWatch({ entities: ['oman'], keywords: ['talks'] }, article)).toBeUndefined();
    expect(matchWatch({ keywords: ['talks'], language: 'ar' }, article)).toBeUndefined();
    expect(matchWatch({ keywords: ['summit', 'Brussels'] }, article)).toMatchObject({
      keywords: ['Brussels'],
      excerpt: 'The two sides met in Brussels.',
    });
  });

  it("meets the entities analysis finds in an Arabic article, by any of the gazetteer's names", async () => {
    const analyzer = await analyzerPromise;
    const input: ArticleInput = {
      id: 'ar_1',
      url: 'https://news.example.org/ar/1',
      title: 'نائب وزير الخارجية يستقبل مسؤولا في حلف شمال الأطلسي',
      text: 'استقبل نائب وزير الخارجية الكويتي اليوم نائب الأمين العام لحلف شمال الأطلسي.',
      published: '2026-12-01T08:00:00Z',
      lang: 'ar',
    };
    const { entities } = extractArticle(analyzer, input);
    const watches: Watch[] = [
      {
        id: 'wt_a',
        subscriberId: 'desk',
        name: 'NATO',
        entities: ['nato'],
        createdAt: '2026-11-30T00:00:00Z',
      },
      {
        id: 'wt_b',
        subscriberId: 'desk',
        name: 'Oman',
        entities: ['oman'],
        createdAt: '2026-11-30T00:00:00Z',
      },
    ];
    const out = watchAlerts(watches, input, entities, {
      nameOf: analyzer.nameOf,
      hash: (s) => s,
      now: new Date('2026-12-01T09:00:00Z'),
      arrival: { recencyMs: 3 * 86_400_000 },
    });
    expect(out.alerts.map((a) => a.watch?.name)).toEqual(['NATO']);
    expect(out.alerts[0]).toMatchObject({
      kind: 'article.match',
      id: 'al_article.match|wt_a|ar_1',
      parties: [{ id: 'nato', name: 'NATO' }],
      sources: [{ articleId: 'ar_1', title: input.title, lang: 'ar' }],
      matched: { entities: ['nato'], keywords: [] },
    });
  });
});

describe('article.match alerts', () => {
  const input: ArticleInput = {
    id: 'en_1',
    url: 'https://news.example.org/en/1',
    title: 'Kuwait hosts Gulf talks',
    text: 'Officials met in Kuwait City.',
    published: '2026-12-01T08:00:00Z',
    lang: 'en',
  };
  const watch: Watch = {
    id: 'wt_k',
    subscriberId: 'gulf-desk',
    name: 'Kuwait',
    keywords: ['Kuwait'],
    createdAt: '2026-11-30T00:00:00Z',
  };
  const run = (arrival: Parameters<typeof watchAlerts>[3]['arrival'], now = '2026-12-01T09:00:00Z') =>
    watchAlerts([watch], input, [], { nameOf: (id) => id, hash: (s) => s, now: new Date(now), arrival });

  it('is raised for a new article, quiet for a backlog or one older than the recency window', () => {
    expect(run({ recencyMs: 3 * 86_400_000 }).alerts).toHaveLength(1);
    expect(run({ recencyMs: 3 * 86_400_000, backlog: true }).quieted).toHaveLength(1);
    expect(run({ recencyMs: 3 * 86_400_000 }, '2026-12-09T00:00:00Z').quieted).toHaveLength(1);
    expect(run({ recencyMs: 3 * 86_400_000, backlog: true, alertBacklog: true }).alerts).toHaveLength(1);
  });

  it("reaches the watch's subscriber only, whatever the filters of the others say", () => {
    const [alert] = run({ recencyMs: 0 }).alerts;
    const sub = (id: string, kinds?: Subscriber['filters']['kinds']): Subscriber => ({
      id,
      name: id,
      email: [`${id}@example.org`],
      filters: kinds ? { kinds } : {},
    });
    expect(subscriberWants(sub('gulf-desk'), alert!)).toBe(true);
    // The watch is the opt-in: the subscriber's own kinds need not name article.match.
    expect(subscriberWants(sub('gulf-desk', ['expectation.fulfilled']), alert!)).toBe(true);
    expect(subscriberWants(sub('other-desk'), alert!)).toBe(false);
    expect(subscriberWants(sub('other-desk', ['article.match']), alert!)).toBe(false);
  });
});
