// Date and language rules shared by article pages and feeds: the single rules as truth tables.
import { describe, expect, it } from 'vitest';
import { arabicShare, chooseLang, firstDateInText, parseDate } from '../../src/ingest/article-dates';

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
