// The words readers see for the values the service keeps: dates, horizons, types, kinds, names,
// in English and Arabic; and every horizon and type of the lexicon has words of its own.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ALERT_KINDS } from '../../src/domain/alert-kinds';
import type { EntityDef } from '../../src/domain/gazetteer';
import type { EventDate } from '../../src/domain/types';
import {
  dueWords,
  entityName,
  eventDateWords,
  formatDay,
  formatTime,
  horizonWords,
  kindWords,
  onDate,
  sourceFacts,
  sourceRoles,
  typesWords,
  typeWords,
  type ReaderLang,
} from '../../src/domain/wording';

const lexicon = readFile(new URL('../../data/lexicon.yml', import.meta.url), 'utf8').then(
  (t) => parse(t) as { horizons: { id: string }[]; eventTypes: Record<string, unknown> },
);

describe('formatDay and formatTime', () => {
  it.each<[string, ReaderLang, string]>([
    ['2026-01-28', 'en', '28 Jan 2026'],
    ['2026-01-28', 'ar', '28 يناير 2026'],
    ['2026-12', 'en', 'Dec 2026'],
    ['2026-12', 'ar', 'ديسمبر 2026'],
    ['2026', 'ar', '2026'],
    ['not a day', 'en', 'not a day'],
  ])('formatDay(%s, %s) → %s', (day, lang, words) => expect(formatDay(day, lang)).toBe(words));

  it.each<[string, ReaderLang, string]>([
    ['2026-01-28T10:00:00Z', 'en', '28 Jan 2026, 10:00 UTC'],
    ['2026-01-28T10:00:00.000Z', 'ar', '28 يناير 2026، 10:00 UTC'],
    // an offset is turned to UTC: 01:00 in Kuwait is the evening before in UTC
    ['2026-01-28T01:00:00+03:00', 'en', '27 Jan 2026, 22:00 UTC'],
    ['2026-01-28', 'en', '28 Jan 2026'],
    ['garbage', 'en', 'garbage'],
  ])('formatTime(%s, %s) → %s', (iso, lang, words) => expect(formatTime(iso, lang)).toBe(words));
});

describe('event dates', () => {
  const day: EventDate = { value: '2026-01-28', precision: 'day', from: '2026-01-28', to: '2026-01-28' };
  const month: EventDate = { value: '2026-01', precision: 'month', from: '2026-01-01', to: '2026-01-31' };
  const reported: EventDate = {
    value: '2026-01-28',
    precision: 'reported',
    from: '2026-01-25',
    to: '2026-01-28',
  };
  it.each<[EventDate, ReaderLang, string, string]>([
    [day, 'en', '28 Jan 2026', 'on 28 Jan 2026'],
    [day, 'ar', '28 يناير 2026', 'في 28 يناير 2026'],
    [month, 'en', 'Jan 2026', 'in Jan 2026'],
    [month, 'ar', 'يناير 2026', 'في يناير 2026'],
    [reported, 'en', 'reported 28 Jan 2026', 'reported on 28 Jan 2026'],
    [reported, 'ar', 'بحسب خبر 28 يناير 2026', 'بحسب خبر نُشر في 28 يناير 2026'],
  ])('%o in %s: "%s", "%s"', (date, lang, alone, after) => {
    expect(eventDateWords(date, lang)).toBe(alone);
    expect(onDate(date, lang)).toBe(after);
  });
});

describe('horizons', () => {
  it.each<[string, string, string]>([
    ['near_future', 'in the near future', 'في المستقبل القريب'],
    ['next_month', 'next month', 'الشهر المقبل'],
    ['next_week', 'next week', 'الأسبوع المقبل'],
    ['within_days', 'within days', 'خلال أيام'],
    ['coming_months', 'in the coming months', 'في الأشهر المقبلة'],
    ['by 2026-01-28', 'by 28 Jan 2026', 'بحلول 28 يناير 2026'],
    ['by 2026-03', 'by Mar 2026', 'بحلول مارس 2026'],
    ['within_14_days', 'within 14 days', 'خلال 14 يومًا'],
    ['within_7_days', 'within 7 days', 'خلال 7 أيام'],
    ['within_2_days', 'within 2 days', 'خلال يومين'],
    ['within_1_days', 'within 1 day', 'خلال يوم واحد'],
    ['default', 'with no time stated', 'دون موعد محدد'],
    ['declared', 'as the events file declares', 'كما يحدده ملف الأحداث'],
    ['some_new_one', 'some new one', 'some new one'],
  ])('%s → "%s", «%s»', (horizon, en, ar) => {
    expect(horizonWords(horizon, 'en')).toBe(en);
    expect(horizonWords(horizon, 'ar')).toBe(ar);
  });

  it('has words for every horizon of the lexicon, in both languages', async () => {
    for (const { id } of (await lexicon).horizons)
      for (const lang of ['en', 'ar'] as const) expect(horizonWords(id, lang), id).not.toContain('_');
  });

  it.each<[string, string, ReaderLang, string]>([
    ['next_month', '2026-03-03', 'en', 'next month (watched until 3 Mar 2026)'],
    ['near_future', '2026-04-14', 'ar', 'في المستقبل القريب (يُنتظر حتى 14 أبريل 2026)'],
    ['by 2026-02-28', '2026-02-28', 'en', 'by 28 Feb 2026'],
    ['by 2026-02-28', '2026-02-28', 'ar', 'بحلول 28 فبراير 2026'],
  ])('due %s to %s (%s) → %s', (horizon, to, lang, words) => {
    expect(dueWords({ horizon, due: { to } }, lang)).toBe(words);
  });
});

describe('types, kinds and names', () => {
  it('has an Arabic word for every event type of the lexicon', async () => {
    for (const type of Object.keys((await lexicon).eventTypes)) {
      expect(typeWords(type, 'ar'), type).toMatch(/^[\u0600-\u06FF ]+$/);
      expect(typeWords(type, 'en'), type).toMatch(/^[a-z ]+$/);
    }
  });

  it.each<[string[], ReaderLang, string]>([
    [['meeting'], 'en', 'meeting'],
    [['meeting', 'summit'], 'en', 'meeting or summit'],
    [['meeting', 'visit', 'summit'], 'ar', 'اجتماع، زيارة أو قمة'],
    [['recall'], 'en', 'recall of ambassadors'],
  ])('typesWords(%o, %s) → %s', (types, lang, words) => expect(typesWords(types, lang)).toBe(words));

  it('has a label for every alert kind', () => {
    for (const kind of ALERT_KINDS) {
      expect(kindWords(kind), kind).not.toContain('.');
      expect(kindWords(kind, 'ar'), kind).toMatch(/[\u0600-\u06FF]/);
    }
    expect(kindWords('expectation.fulfilled')).toBe('Expectation fulfilled');
    expect(kindWords('article.some_thing')).toBe('Article some thing');
  });

  const kuwaitCity: EntityDef = {
    id: 'kuwait-city',
    kind: 'place' as const,
    names: { en: ['Kuwait City'], ar: ['مدينة الكويت'] },
  };
  it.each<[string, EntityDef | undefined, ReaderLang, string]>([
    ['kuwait-city', kuwaitCity, 'en', 'Kuwait City'],
    ['kuwait-city', kuwaitCity, 'ar', 'مدينة الكويت'],
    ['kuwait-city', { ...kuwaitCity, names: { en: ['Kuwait City'] } }, 'ar', 'Kuwait City'],
    ['kuwait-city', undefined, 'en', 'Kuwait City'],
    ['Brussels', undefined, 'en', 'Brussels'],
    ['بروكسل', undefined, 'ar', 'بروكسل'],
  ])('entityName(%s) in %s → %s', (id, def, lang, name) => expect(entityName(id, def, lang)).toBe(name));
});

describe('sources with their roles', () => {
  const s = (articleId: string) => ({ articleId, feedId: 'kuna-ar', published: '2026-01-28T09:30:00Z' });
  it.each<[string, boolean, string[]]>([
    ['expectation.fulfilled', true, ['expected', 'reported', 'also']],
    ['event.new', false, ['reported', 'also', 'also']],
    ['event.same_event', false, ['again', 'earlier', 'earlier']],
    ['expectation.opened', true, ['expected', 'reported', 'also']],
  ])('%s (expectation: %s) → %o', (kind, withExpectation, roles) => {
    const alert = {
      kind,
      sources: [s('a'), s('b'), s('c')],
      expectation: withExpectation ? { source: s('a') } : undefined,
    };
    expect(sourceRoles(alert).map((r) => r.role)).toEqual(roles);
  });

  it('gives the feed by its name and the time as readers read it', () => {
    expect(sourceFacts(s('a'), { feed: () => 'KUNA' })).toBe('KUNA, 28 Jan 2026, 09:30 UTC');
    expect(sourceFacts(s('a'), {}, 'ar')).toBe('kuna-ar، 28 يناير 2026، 09:30 UTC');
  });
});
