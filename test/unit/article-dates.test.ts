// Date and language rules shared by article pages and feeds: the single rules as truth tables.
import { describe, expect, it } from 'vitest';
import { arabicShare, chooseLang, firstDateInText, parseDate } from '../../src/ingest/article-dates';
import { findTextDate, parseStamp, urlDay } from '../../src/ingest/date-text';

describe('dates in text and metadata', () => {
  it.each([
    ['في 2026/01/31', '2026-01-31T00:00:00.000Z'],
    ['وعقدت الجولة في 28 يناير 2026 بمقر الحلف', '2026-01-28T00:00:00.000Z'],
    ['الكويت - ٢٨ كانون الثاني ٢٠٢٦ (كونا)', '2026-01-28T00:00:00.000Z'],
    ['الأحد 1 أغسطس 2021', '2021-08-01T00:00:00.000Z'],
    ['Published January 31, 2026 at 10:00', '2026-01-31T00:00:00.000Z'],
    ['Updated 3rd Feb. 2026', '2026-02-03T00:00:00.000Z'],
    ['31/01/2026 بتوقيت الكويت', '2026-01-31T00:00:00.000Z'],
    ['08/02/2026, day first as Gulf sites write it', '2026-02-08T00:00:00.000Z'],
    ['no date here, only the year 2004', undefined],
    ['31 فبراير 2026 is not a day', undefined],
  ])('%s', (text, expected) => {
    expect(firstDateInText(text)).toBe(expected);
  });

  it.each([
    ['2026-01-28T10:30:00+03:00', '2026-01-28T07:30:00.000Z'],
    ['2026-01-28T10:30:00', '2026-01-28T10:30:00.000Z'],
    ['2026-01-28', '2026-01-28T00:00:00.000Z'],
    ['Wed, 28 Jan 2026 10:30:00 GMT', '2026-01-28T10:30:00.000Z'],
    ['not a date', undefined],
  ])('parseDate(%s)', (value, expected) => {
    expect(parseDate(value)).toBe(expected);
  });
});

describe('stamps keep the day their writer meant', () => {
  it.each([
    // A stated offset: the day as written, whatever the day in UTC.
    ['2020-12-01T02:00:00+03:00', '2020-11-30T23:00:00.000Z', '2020-12-01', 'local'],
    ['2020-05-04T04:25:13+0700', '2020-05-03T21:25:13.000Z', '2020-05-04', 'local'],
    ['2020-08-15T20:53:24-04:00', '2020-08-16T00:53:24.000Z', '2020-08-15', 'local'],
    // UTC, however spelled: possibly a local time converted.
    ['2020-02-18T02:18:11Z', '2020-02-18T02:18:11.000Z', '2020-02-18', 'utc'],
    ['2020-09-28T23:12:35+00:00', '2020-09-28T23:12:35.000Z', '2020-09-28', 'utc'],
    ['1583280000', '2020-03-04T00:00:00.000Z', '2020-03-04', 'utc'],
    // No zone at all: the day as written, the time read as UTC.
    ['2020-12-01 02:00:00', '2020-12-01T02:00:00.000Z', '2020-12-01', 'none'],
    ['2020-9-24', '2020-09-24T00:00:00.000Z', '2020-09-24', 'none'],
    ['24/09/2020', '2020-09-24T00:00:00.000Z', '2020-09-24', 'none'],
    // RFC 822 keeps its written day too.
    ['Wed, 28 Jan 2026 01:30:00 +0300', '2026-01-27T22:30:00.000Z', '2026-01-28', 'local'],
    ['Wed, 28 Jan 2026 10:30:00 GMT', '2026-01-28T10:30:00.000Z', '2026-01-28', 'utc'],
  ])('parseStamp(%s)', (value, iso, day, zone) => {
    expect(parseStamp(value)).toEqual({ iso, day, zone });
  });

  it.each(['2020-13-01T00:00:00Z', '2020-01-01T10:00:00+15:00', 'tomorrow', '1441-09-01'])(
    'parseStamp(%s) is no date',
    (value) => {
      expect(parseStamp(value)).toBeUndefined();
    },
  );
});

describe('dates in the page language', () => {
  it.each([
    ['17 de Febrero 2020', 'es', '2020-02-17'],
    ['Senin, 4 Mei 2020 04:25 WIB', 'id', '2020-05-04'],
    ['2020. augusztus 18. 19:35', 'hu', '2020-08-18'],
    ['15. März 2020', 'de', '2020-03-15'],
    ['le 3 févr. 2020', 'fr', '2020-02-03'],
    ['2020年07月03日 17:16', 'ja', '2020-07-03'],
    ['2020년 7월 3일', 'ko', '2020-07-03'],
    ['تم نشره الجمعة 24 نيسان / أبريل 2020 09:22 مساءً', 'ar', '2020-04-24'],
    ['نشر في ٢٨ كانون الثاني ٢٠٢٦', undefined, '2026-01-28'],
    // Numeric dates: day first, except on pages that declare US English.
    ['03/04/2020', 'en-GB', '2020-04-03'],
    ['03/04/2020', 'en-US', '2020-03-04'],
    ['13/04/2020', 'en-US', '2020-04-13'],
  ])('%s (%s)', (text, lang, day) => {
    expect(findTextDate(text, lang)?.day).toBe(day);
  });

  it('reads no month name of another language', () => {
    expect(findTextDate('4 Mei 2020', 'en')).toBeUndefined();
  });
});

describe('dates in URLs', () => {
  it.each([
    ['https://laopinion.com/2020/02/17/tenemos-silvia-pinal/', '2020-02-17'],
    ['https://www.tribunnews.com/pendidikan/2020/05/04/jawaban-soal', '2020-05-04'],
    ['https://www.quantamagazine.org/tuft-cells-set-off-immune-responses-20191115/', '2019-11-15'],
    ['https://www.beirutobserver.com/2020/11/2338761/', undefined],
    ['https://www.edilportale.com/news/2020/09/informatica/x_78527_10.html', undefined],
    ['https://example.com/2020/13/45/x', undefined],
    ['not a url', undefined],
  ])('%s', (url, day) => {
    expect(urlDay(url)).toBe(day);
  });

  it('resolves a relative address against the page', () => {
    expect(urlDay(' /uploads/2020/10/13/news/153257.jpg ', 'https://www.news.az/news/x')).toBe('2020-10-13');
  });
});

describe('language by script', () => {
  it.each([
    ['عقدت الكويت وحلف شمال الأطلسي جولة حوار', 1],
    ['Kuwait and NATO', 0],
    ['12 345 !', undefined],
  ])('arabicShare(%s)', (text, expected) => {
    expect(arabicShare(text)).toBe(expected);
  });

  it.each([
    [undefined, 'عقدت الكويت جولة حوار', 'ar'],
    [undefined, 'Kuwait and NATO', 'en'],
    ['en', 'عقدت الكويت جولة حوار', 'ar'],
    ['ar', 'Kuwait and NATO held talks', 'en'],
    ['fr', 'Le Koweït et l’OTAN', 'fr'],
  ])('chooseLang(%s, %s)', (declared, text, expected) => {
    expect(chooseLang(declared, text)).toBe(expected);
  });
});
