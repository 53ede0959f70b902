import { describe, expect, it } from 'vitest';
import { normalize } from '../../src/domain/text';
import { analyzerPromise } from '../support/analyzer';

const ref = '2026-01-31';

describe('date reading, in both languages and both month series', () => {
  it.each([
    ['28 يناير 2026', '2026-01-28', 'day'],
    ['في 2026/01/31', '2026-01-31', 'day'],
    ['31/01/2026', '2026-01-31', 'day'],
    ['28 كانون الثاني 2026', '2026-01-28', 'day'],
    ['في ديسمبر 2004', '2004-12', 'month'],
    ['في كانون الأول 2025', '2025-12', 'month'],
    ['وفي حزيران 2005', '2005-06', 'month'],
    ['عام 2012', '2012', 'year'],
    ['٢٣ يناير ٢٠١٧', '2017-01-23', 'day'],
    ['on January 28, 2026', '2026-01-28', 'day'],
    ['on 28 January 2026', '2026-01-28', 'day'],
    ['in December 2004', '2004-12', 'month'],
    ['2026-01-28', '2026-01-28', 'day'],
    ['أمس', '2026-01-30', 'day'],
    ['yesterday', '2026-01-30', 'day'],
    ['on 28 January', '2026-01-28', 'day'],
    ['في 28 ديسمبر', '2025-12-28', 'day'],
    ['set for Feb. 9', '2026-02-09', 'day'],
  ])('%s → %s (%s)', async (text, value, precision) => {
    const an = await analyzerPromise;
    const [d] = an.dates.find(normalize(text), ref);
    expect(d).toMatchObject({ value, precision });
  });

  // 2026-01-31 is a Saturday.
  it.each([
    ['on Wednesday', {}, '2026-01-28'],
    ['on Saturday', {}, '2026-01-31'],
    ['يوم الأربعاء', {}, '2026-01-28'],
    ['اليوم السبت', {}, '2026-01-31'],
    ['will meet on Wednesday', { futureFrom: 0 }, '2026-02-04'],
    ['ستعقد الجولة يوم الأحد', { futureFrom: 0 }, '2026-02-01'],
    ['الاثنين المقبل', {}, '2026-02-02'],
    ['next Monday', {}, '2026-02-02'],
    ['set for Sunday', {}, '2026-02-01'],
    ['الخميس الماضي', { futureFrom: 0 }, '2026-01-29'],
  ])('weekday %s %j → %s', async (text, options, value) => {
    const an = await analyzerPromise;
    const [d] = an.dates.find(normalize(text), ref, options);
    expect(d).toMatchObject({ value, precision: 'day' });
  });

  it('reads الاثنين and الأحد as days only beside a word that makes them one', async () => {
    const an = await analyzerPromise;
    expect(an.dates.find(normalize('اتفق الاثنان على أن الاثنين من الأعضاء'), ref)).toEqual([]);
    expect(an.dates.find(normalize('الأحد من بين المرشحين'), ref)).toEqual([]);
    expect(an.dates.find(normalize('مساء الأحد'), ref).map((d) => d.value)).toEqual(['2026-01-25']);
  });

  it.each([
    ['في الخامس من يناير 2021', '2021-01-05', '2021-01-05'],
    ['في الحادي والعشرين من مارس', '2026-03-21', '2026-03-21'],
    ['on May 13-14', '2026-05-13', '2026-05-14'],
    ['on June 24 and 25', '2026-06-24', '2026-06-25'],
    ['13-14 May 2015', '2015-05-13', '2015-05-14'],
    ['يومي 24 و25 يونيو', '2026-06-24', '2026-06-25'],
  ])('%s → %s to %s', async (text, from, to) => {
    const an = await analyzerPromise;
    const [d] = an.dates.find(normalize(text), ref);
    expect(d).toMatchObject({ precision: 'day', from, to });
  });

  it('reads every year of a list', async () => {
    const an = await analyzerPromise;
    expect(an.dates.find(normalize('اجتماعات أعوام 2015 و2018 و2019'), ref).map((d) => d.value)).toEqual([
      '2015',
      '2018',
      '2019',
    ]);
  });

  it.each([['20 عاماً'], ['2,000 troops'], ['31/02/2026'], ['1500 جندي']])(
    'finds no date in %s',
    async (text) => {
      const an = await analyzerPromise;
      expect(an.dates.find(normalize(text), ref)).toEqual([]);
    },
  );

  it('gives a month its first and last day', async () => {
    const an = await analyzerPromise;
    expect(an.dates.find(normalize('فبراير 2016'), ref)[0]).toMatchObject({
      from: '2016-02-01',
      to: '2016-02-29',
    });
  });
});

describe('a month named alone, and the part of it', () => {
  // The reference is 2026-01-31.
  it.each([
    ['مطلع فبراير المقبل', '2026-02-01', '2026-02-10'],
    ['in early February', '2026-02-01', '2026-02-10'],
    ['منتصف مارس', '2026-03-11', '2026-03-20'],
    ['by mid-March', '2026-03-11', '2026-03-20'],
    ['أواخر أبريل', '2026-04-21', '2026-04-30'],
    ['the end of February', '2026-02-21', '2026-02-28'],
    ['في شهر فبراير', '2026-02-01', '2026-02-28'],
    ['in March', '2026-03-01', '2026-03-31'],
    ['late May', '2026-05-21', '2026-05-31'],
    ['في تموز', '2026-07-01', '2026-07-31'],
    ['last December', '2025-12-01', '2025-12-31'],
  ])('%s → %s to %s', async (text, from, to) => {
    const an = await analyzerPromise;
    const [d] = an.dates.find(normalize(text), ref);
    expect(d).toMatchObject({ precision: 'month', from, to });
  });

  it.each([
    // a word, not a month: no preposition or part of a month before it
    ['the talks may resume'],
    ['and we march on'],
    ['قال الاب'],
    ['Mar'],
  ])('%s → no date', async (text) => {
    const an = await analyzerPromise;
    expect(an.dates.find(normalize(text), ref)).toEqual([]);
  });
});

describe('Hijri months, as the Saudi press dates', () => {
  // 2015-08-11 is 26 Shawwal 1436; Ramadan 1436 ran from 18 June to 16 July 2015 (Umm al-Qura).
  it.each([
    ['في رمضان الماضي', '2015-06-18', '2015-07-16'],
    ['شهر رمضان', '2015-06-18', '2015-07-16'],
    ['في ذي الحجة المقبل', '2015-09-14', '2015-10-13'],
  ])('%s → %s to %s', async (text, from, to) => {
    const an = await analyzerPromise;
    const [d] = an.dates.find(normalize(text), '2015-08-11');
    expect(d).toMatchObject({ precision: 'month', from, to });
  });

  it.each([['صفر'], ['رجب طيب أردوغان'], ['نتيجة صفر مقابل هدف']])('%s → no date', async (text) => {
    const an = await analyzerPromise;
    expect(an.dates.find(normalize(text), '2015-08-11')).toEqual([]);
  });
});
