// The analyze stage on the real Redis, article after article, as an analyst sees it: an
// announced round that is called off is cancelled, not fulfilled; an article that states one
// expectation in its headline and again in its lead is answered once; a later report of the
// event that answered it answers nothing again.
import { afterAll, describe, expect, it } from 'vitest';
import type { ArticleInput } from '../../src/domain/types';
import { DEFAULT_THRESHOLDS } from '../../src/domain/match';
import { analyzeArticle, type AnalyzeDeps } from '../../src/pipeline/analyze';
import { RedisEventBase } from '../../src/store/event-base';
import { connectRedis, deleteKeys } from '../../src/store/redis';
import { runPrefix } from '../../src/demo/seed-scenario';
import { analyzerPromise } from '../support/analyzer';

const article = (id: string, published: string, title: string, text: string, lang = 'en'): ArticleInput => ({
  id,
  url: `http://127.0.0.1/${id}`,
  title,
  published,
  lang,
  text,
});

describe('analyze, article after article', () => {
  const redis = connectRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const prefixes: string[] = [];
  const deps = async (): Promise<AnalyzeDeps> => {
    const prefix = runPrefix('analyze');
    prefixes.push(prefix);
    return {
      analyzer: await analyzerPromise,
      base: new RedisEventBase(redis, prefix),
      thresholds: DEFAULT_THRESHOLDS,
      now: () => new Date('2026-01-01T00:00:00Z'),
    };
  };

  afterAll(async () => {
    for (const p of prefixes) await deleteKeys(redis, p);
    redis.disconnect();
  });

  it('cancels an announced round that is called off, and raises no fulfilment for it', async () => {
    const d = await deps();
    const announced = await analyzeArticle(
      d,
      article(
        'announce',
        '2025-06-12T15:30:00Z',
        'Iran and U.S. to hold sixth round of talks in Muscat',
        'DUBAI, June 12 - Iran and the United States will hold a sixth round of talks in Muscat on Sunday, officials said.',
      ),
    );
    expect(announced.expectations).toHaveLength(1);
    const id = announced.expectations[0]!.id;

    const cancelled = await analyzeArticle(
      d,
      article(
        'cancel',
        '2025-06-14T12:20:00Z',
        'إلغاء جولة المحادثات الإيرانية الأمريكية في مسقط',
        'مسقط - أعلنت سلطنة عمان اليوم السبت إلغاء الجولة السادسة من المحادثات بين إيران والولايات المتحدة التي كانت مقررة غداً الأحد.',
        'ar',
      ),
    );
    expect(cancelled.matches).toEqual([]);
    expect(cancelled.alerts.map((a) => a.kind)).not.toContain('expectation.fulfilled');
    const x = await d.base.getExpectation(id);
    expect(x!.state).toBe('cancelled');
    expect(x!.cancelledBy!.source.url).toBe('http://127.0.0.1/cancel');
  });

  it('answers an expectation stated in the headline and again in the lead once, and not again for a second report', async () => {
    const d = await deps();
    const expect1 = await analyzeArticle(
      d,
      article(
        'expect',
        '2024-10-10T09:00:00Z',
        'Brussels to host first EU-GCC summit on Wednesday',
        'BRUSSELS, Oct 10 - The European Union will host the first summit with the Gulf Cooperation Council on October 16. The summit is expected to discuss the war in Gaza.',
      ),
    );
    expect(expect1.expectations.length).toBeGreaterThanOrEqual(1);

    const first = await analyzeArticle(
      d,
      article(
        'report-en',
        '2024-10-16T18:00:00Z',
        'EU and GCC leaders hold first summit in Brussels',
        'BRUSSELS, Oct 16 - European Union and Gulf Cooperation Council leaders held their first summit in Brussels on Wednesday.',
      ),
    );
    expect(first.matches.filter((m) => m.kind === 'fulfils')).toHaveLength(1);
    expect(first.alerts.filter((a) => a.kind === 'expectation.fulfilled')).toHaveLength(1);

    const second = await analyzeArticle(
      d,
      article(
        'report-ar',
        '2024-10-17T07:00:00Z',
        'القمة الخليجية الأوروبية الأولى في بروكسل',
        'بروكسل - عقدت أمس الأربعاء في بروكسل القمة الأولى بين الاتحاد الأوروبي ومجلس التعاون لدول الخليج العربية.',
        'ar',
      ),
    );
    // Another report of the fulfilling event fulfils the expectation too (a match, for the
    // record and for eval), but the analyst was told once: no second alert.
    expect(second.matches.map((m) => m.kind)).toEqual(['same_event', 'fulfils']);
    expect(second.matches[1]!.reasons[0]).toBe('another report of the event that fulfilled it');
    expect(second.alerts.filter((a) => a.kind === 'expectation.fulfilled')).toEqual([]);
    // New coverage of the event is an event.same_event alert (opt-in for subscribers), listing both reports.
    const coverage = second.alerts.filter((a) => a.kind === 'event.same_event');
    expect(coverage).toHaveLength(1);
    expect(coverage[0]!.sources.map((s) => s.url)).toEqual([
      'http://127.0.0.1/report-ar',
      'http://127.0.0.1/report-en',
    ]);
    for (const x of expect1.expectations)
      expect((await d.base.getExpectation(x.id))!.state).toBe('fulfilled');
  });

  it('keeps a second article stating the same expectation as a restatement: one alert, a match for each', async () => {
    const d = await deps();
    const first = await analyzeArticle(
      d,
      article(
        'first-says',
        '2026-03-01T08:00:00Z',
        'Jubeir to visit Moscow on Tuesday',
        'Saudi Foreign Minister Adel al-Jubeir will visit Moscow on Tuesday for talks with Russian Foreign Minister Sergei Lavrov.',
      ),
    );
    expect(first.alerts.map((a) => a.kind)).toContain('expectation.opened');
    const again = await analyzeArticle(
      d,
      article(
        'second-says',
        '2026-03-01T10:00:00Z',
        'الجبير يزور موسكو الثلاثاء',
        'وزير الخارجية السعودي عادل الجبير سيزور موسكو الثلاثاء لإجراء محادثات مع وزير الخارجية الروسي سيرغي لافروف.',
        'ar',
      ),
    );
    // The same expectation again: kept, but no second "opened" alert.
    expect(again.expectations).toHaveLength(1);
    expect(again.expectations[0]!.restates).toBe(first.expectations[0]!.id);
    expect(again.alerts.map((a) => a.kind)).not.toContain('expectation.opened');

    const held = await analyzeArticle(
      d,
      article(
        'talks-held',
        '2026-03-03T16:00:00Z',
        'Jubeir and Lavrov hold talks in Moscow',
        'Saudi Foreign Minister Adel al-Jubeir held talks with Russian Foreign Minister Sergei Lavrov in Moscow on Tuesday.',
      ),
    );
    expect(held.alerts.filter((a) => a.kind === 'expectation.fulfilled')).toHaveLength(1);
    const fulfilled = held.matches.filter((m) => m.kind === 'fulfils').map((m) => m.targetId);
    expect(fulfilled.sort()).toEqual([first.expectations[0]!.id, again.expectations[0]!.id].sort());
    expect((await d.base.getExpectation(again.expectations[0]!.id))!.state).toBe('fulfilled');
  });
});
