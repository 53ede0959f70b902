// Extraction as tables of cases in both languages: main event, historical background,
// expectations with their windows, and the input that must yield nothing.
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../src/domain/extract';
import type { ArticleInput } from '../../src/domain/types';
import { analyzerPromise } from '../support/analyzer';

const article = (
  title: string,
  text: string,
  published = '2026-03-10T08:00:00Z',
  lang = 'en',
): ArticleInput => ({
  id: 'a',
  url: 'http://127.0.0.1/a',
  title,
  published,
  lang,
  text,
});

describe('main event', () => {
  it.each([
    {
      name: 'English meeting with a date in words',
      a: article(
        'NATO Deputy Secretary General meets Kuwaiti minister',
        'The meeting took place in Brussels on 9 March 2026.',
      ),
      want: { type: 'meeting', participants: ['nato', 'kuwait'], place: 'brussels', date: '2026-03-09' },
    },
    {
      name: 'Arabic visit dated yesterday, with clitics on every name',
      a: article(
        'وزير الخارجية القطري يزور بروكسل',
        'زار وزير الخارجية القطري مقر حلف الناتو في بروكسل أمس وبحث مع المسؤولين التعاون.',
        '2026-03-10T08:00:00Z',
        'ar',
      ),
      want: { type: 'visit', participants: ['qatar', 'nato'], place: 'brussels', date: '2026-03-09' },
    },
    {
      name: 'no date in the text: the report date, with its precision',
      a: article(
        'Saudi Arabia and the UAE sign defence agreement',
        'Officials said the agreement covers training.',
      ),
      want: {
        type: 'agreement',
        participants: ['saudi-arabia', 'uae'],
        date: '2026-03-10',
        precision: 'reported',
      },
    },
    {
      name: 'a person stands for the party they serve',
      a: article(
        'Mark Rutte holds talks with Bahrain',
        'Rutte met the Bahraini foreign minister in The Hague.',
      ),
      want: { type: 'meeting', participants: ['nato', 'bahrain'], place: 'the-hague' },
    },
  ])('$name', async ({ a, want }) => {
    const an = await analyzerPromise;
    const main = extractArticle(an, a).events.find((e) => !e.historical);
    expect(main).toBeDefined();
    expect(main!.type).toBe(want.type);
    expect([...main!.participants].sort()).toEqual([...want.participants].sort());
    if (want.place) expect(main!.place).toBe(want.place);
    if (want.date) expect(main!.date.value).toBe(want.date);
    if (want.precision) expect(main!.date.precision).toBe(want.precision);
  });

  it.each([
    [
      'no event word',
      article('Kuwait and NATO: a long partnership', 'Kuwait is an important partner of NATO.'),
    ],
    ['no party', article('Ministers meet', 'The meeting was held yesterday in a hotel.')],
  ])('none when there is %s', async (_, a) => {
    const an = await analyzerPromise;
    expect(extractArticle(an, a).events.filter((e) => !e.historical)).toEqual([]);
  });
});

describe('historical events', () => {
  it('turns dated background into historical events and keeps recent dates as the news', async () => {
    const an = await analyzerPromise;
    const a = article(
      'Kuwait and NATO hold first dialogue round',
      'The first round of the Kuwait-NATO dialogue was held on 5 March 2026. Kuwait joined the Istanbul Cooperation Initiative in December 2004, and the NATO-ICI Regional Centre opened in Kuwait in January 2017.',
    );
    const events = extractArticle(an, a).events;
    expect(events.filter((e) => !e.historical).map((e) => e.date.value)).toEqual(['2026-03-05']);
    const historical = events.filter((e) => e.historical).map((e) => [e.type, e.date.value]);
    expect(historical).toEqual([
      ['accession', '2004-12'],
      ['opening', '2017-01'],
    ]);
  });

  it('gives a background sentence that names no party the article topic parties', async () => {
    const an = await analyzerPromise;
    const a = article(
      'الكويت والناتو يعقدان جولة حوار',
      'عقدت الكويت وحلف الناتو جولة حوار أمس. وكانت قد احتفلت في سبتمبر 2024 بمرور عشرين عاماً على إطلاق المبادرة.',
      '2026-03-10T08:00:00Z',
      'ar',
    );
    const [h] = extractArticle(an, a).events.filter((e) => e.historical);
    expect(h).toMatchObject({ date: { value: '2024-09' } });
    expect([...h!.participants].sort()).toEqual(['kuwait', 'nato']);
  });
});

describe('expectations', () => {
  it.each([
    {
      name: 'Arabic near future, "both sides" meaning the main parties',
      a: article(
        'الكويت والناتو يعقدان اجتماعاً في بروكسل',
        'التقى الوزير الكويتي مسؤولي الناتو. ومن المتوقع أن يعقد الجانبان اجتماعات أخرى في المستقبل القريب.',
        '2026-03-10T08:00:00Z',
        'ar',
      ),
      want: {
        types: ['meeting'],
        participants: ['kuwait', 'nato'],
        // 90 days and the three days' grace a stated horizon gets
        to: '2026-06-11',
        horizon: 'near_future',
      },
    },
    {
      name: 'English next month',
      a: article(
        'Qatar and Turkey sign accord',
        'The two countries are expected to hold a summit next month.',
      ),
      // the end of next month, and three days' grace
      want: { types: ['summit'], participants: ['qatar', 'turkey'], to: '2026-05-03', horizon: 'next_month' },
    },
    {
      name: 'an explicit date bounds the window',
      a: article('Oman to host GCC summit', 'Oman will hold the GCC summit on 15 December 2026.'),
      want: { types: ['meeting', 'summit'], from: '2026-12-15', to: '2026-12-15', horizon: 'by 2026-12-15' },
    },
  ])('$name', async ({ a, want }) => {
    const an = await analyzerPromise;
    const [x] = extractArticle(an, a).expectations;
    expect(x).toBeDefined();
    expect(x!.types).toEqual(want.types);
    if (want.participants) expect([...x!.participants].sort()).toEqual([...want.participants].sort());
    expect(x!.due).toEqual({ from: 'from' in want ? want.from : '2026-03-10', to: want.to });
    expect(x!.horizon).toBe(want.horizon);
  });

  it.each([
    ['hedged (Arabic)', 'من غير الواضح ما إذا كانت هذه الاجتماعات ستعقد قريبا بين الكويت والناتو.'],
    ['negated (English)', 'Kuwait and NATO are not expected to hold further meetings soon.'],
    ['a cue without an event word', 'Kuwait is expected to remain a partner of NATO.'],
  ])('none when %s', async (_, text) => {
    const an = await analyzerPromise;
    expect(extractArticle(an, article('Kuwait and NATO', text)).expectations).toEqual([]);
  });
});

describe('sentences that report and look ahead', () => {
  it('reads the event before the cue and the expectation after it', async () => {
    const an = await analyzerPromise;
    const x = extractArticle(
      an,
      article(
        'Iran, U.S. end second round',
        'ROME, April 19 - Iran and the United States held a second round of talks in Rome on Saturday and agreed to meet again in Oman next Saturday.',
        '2025-04-19T17:00:00Z',
      ),
    );
    const main = x.events.find((e) => !e.historical)!;
    expect(main).toMatchObject({
      type: 'dialogue',
      place: 'rome',
      date: { value: '2025-04-19', precision: 'day' },
    });
    expect([...main.participants].sort()).toEqual(['iran', 'united-states']);
    expect(x.expectations).toHaveLength(1);
    expect(x.expectations[0]).toMatchObject({
      types: ['meeting'],
      due: { from: '2025-04-26', to: '2025-04-26' },
    });
  });

  it('reads a headline dated ahead of its article as an expectation; the news is the announcement', async () => {
    const an = await analyzerPromise;
    const x = extractArticle(
      an,
      article(
        'القمة الخليجية تعقد في العلا في الخامس من يناير',
        'أعلن الأمين العام موعد القمة.',
        '2020-12-29T11:00:00Z',
        'ar',
      ),
    );
    // «موعد القمة» names the summit the headline says is ahead, not a summit that was held.
    expect(x.events.filter((e) => !e.historical).map((e) => e.type)).toEqual(['statement']);
    expect(x.expectations[0]).toMatchObject({
      types: ['summit'],
      due: { from: '2021-01-05', to: '2021-01-05' },
    });
    expect(x.expectations[0]!.participants).toContain('gcc');
  });

  it('ignores the dateline: the event is dated by the text, not by where it was filed', async () => {
    const an = await analyzerPromise;
    const x = extractArticle(
      an,
      article(
        'Biden meets Saudi crown prince',
        'JEDDAH, July 16 - President Joe Biden met Saudi Crown Prince Mohammed bin Salman in Jeddah on Friday.',
        '2022-07-16T02:40:00Z',
      ),
    );
    expect(x.events[0]!.date).toMatchObject({ value: '2022-07-15', precision: 'day' });
  });

  it.each([
    [
      'a postponed round',
      'Oman announces postponement',
      'Oman said on Thursday the fourth round of talks between Iran and the United States had been postponed.',
    ],
    [
      'a cancelled round',
      'إلغاء جولة المحادثات',
      'أعلنت سلطنة عمان إلغاء جولة المحادثات بين إيران والولايات المتحدة.',
    ],
  ])('reads %s as a cancellation, not as the round held', async (_, title, text) => {
    const an = await analyzerPromise;
    const x = extractArticle(an, article(title, text));
    // The announcement is news (a statement); the round it calls off is not.
    expect(x.events.filter((e) => !e.historical && e.family !== 'statement')).toEqual([]);
    expect(x.cancellations).toHaveLength(1);
    expect([...x.cancellations[0]!.participants].sort()).toEqual(
      expect.arrayContaining(['iran', 'united-states']),
    );
  });

  it('does not count what talks were about as who took part', async () => {
    const an = await analyzerPromise;
    const x = extractArticle(
      an,
      article(
        'Kuwait and NATO hold talks',
        'Kuwait and NATO held talks in Brussels on Monday that focused on the conflicts in Yemen and Syria.',
      ),
    );
    expect([...x.events[0]!.participants].sort()).toEqual(['kuwait', 'nato']);
  });
});

describe("the article's own day", () => {
  it('dates "yesterday" from the day the source wrote, not the UTC day', async () => {
    const an = await analyzerPromise;
    const a = {
      ...article(
        'الكويت والناتو يعقدان جولة حوار',
        'عقدت الكويت وحلف الناتو أمس جولة حوار في بروكسل.',
        '2026-01-28T22:30:00Z',
        'ar',
      ),
      publishedDay: '2026-01-29',
    };
    expect(extractArticle(an, a).events[0]!.date.value).toBe('2026-01-28');
    expect(extractArticle(an, { ...a, publishedDay: undefined }).events[0]!.date.value).toBe('2026-01-27');
  });
});

describe('messy input', () => {
  it('ignores an unfilled template placeholder where the date should be', async () => {
    const an = await analyzerPromise;
    const a = article('NATO meets Kuwait', 'The meeting was held in Brussels on [insert date here].');
    const [main] = extractArticle(an, a).events;
    expect(main!.date.precision).toBe('reported');
    expect(main!.evidence).not.toContain('insert');
  });

  it('reads a weak alias only where the entity is named outright', async () => {
    const an = await analyzerPromise;
    const weakOnly = extractArticle(
      an,
      article('Kuwait meets the Alliance', 'Kuwaiti officials met the Alliance.'),
    );
    expect(weakOnly.entities).not.toContain('nato');
    const named = extractArticle(
      an,
      article('Kuwait meets NATO', 'Kuwaiti officials met the Alliance envoy.'),
    );
    expect(named.entities).toContain('nato');
  });

  it('does not read "us" as the United States', async () => {
    const an = await analyzerPromise;
    expect(extractArticle(an, article('Let us meet', 'They told us about the meeting.')).entities).toEqual(
      [],
    );
    expect(
      extractArticle(an, article('US meets Qatar', 'The US envoy met Qatari officials.')).entities,
    ).toContain('united-states');
  });
});
