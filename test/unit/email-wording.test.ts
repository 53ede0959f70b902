// What a subscriber reads in an alert email, for every kind of alert as the service raises it
// (the real alert rules, match reasons and feed-health rules): words, never the values kept
// behind them (`near_future`, `next_month`, `kuwait-city`, ISO stamps), and a fulfilment's two
// articles each on its own line with its role; an alert citing only Arabic articles in Arabic.
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import { ALERT_KINDS } from '../../src/domain/alert-kinds';
import {
  fulfilledAlert,
  newEventAlert,
  openedAlert,
  overdueAlert,
  sameEventAlert,
} from '../../src/domain/alerts';
import { emailLang, renderAlertEmail, renderDigestEmail } from '../../src/domain/email-content';
import { feedBrokenAlert, feedFailingAlert, feedSilentAlert } from '../../src/domain/feed-alerts';
import { scoreFulfilment, scoreSameEvent, DEFAULT_THRESHOLDS } from '../../src/domain/match';
import type { Alert, EventRecord, ExpectationRecord, SourceRef } from '../../src/domain/types';
import type { ReaderNames } from '../../src/domain/wording';
import { watchAlert } from '../../src/domain/watch';
import { hashKey } from '../../src/store/articles';
import { analyzerPromise } from '../support/analyzer';

const NOW = new Date('2026-01-31T08:00:00Z');
const HOUR = 3_600_000;
const at = (msAgo: number) => new Date(NOW.getTime() - msAgo).toISOString();
const links = { unsubscribeUrl: 'https://nw.example.org/unsubscribe?token=desk.abc' };

const source = (id: string, lang: string, title: string, published: string, feedId: string): SourceRef => ({
  articleId: id,
  url: `https://news.example.org/${id}`,
  title,
  published,
  lang,
  feedId,
});
const EXPECTING = source('a-partner', 'ar', 'الناتو: الكويت شريك رئيسي', '2026-01-14T07:00:00Z', 'kuna-ar');
const REPORTING = source(
  'a-dialogue',
  'ar',
  'الكويت والناتو يعقدان جولة حوار',
  '2026-01-28T09:30:00Z',
  'kuna-ar',
);
const ENGLISH = source('a-en', 'en', 'Kuwait and NATO hold dialogue', '2026-01-28T11:00:00Z', 'nato-en');

const expectation = (horizon: string, to: string, src: SourceRef = EXPECTING): ExpectationRecord => ({
  id: `x-${horizon}`,
  types: ['meeting'],
  participants: ['kuwait', 'nato'],
  due: { from: '2026-01-14', to },
  horizon,
  text: 'ومن المتوقع أن يعقد الجانبان اجتماعات أخرى في المستقبل القريب',
  state: 'open',
  source: src,
});

const event = (sources: SourceRef[]): EventRecord => ({
  id: 'ev-dialogue',
  type: 'dialogue',
  types: ['dialogue'],
  family: 'consult',
  participants: ['kuwait', 'nato'],
  actors: [],
  place: 'kuwait-city',
  date: { value: '2026-01-28', precision: 'day', from: '2026-01-28', to: '2026-01-28' },
  historical: false,
  evidence: 'عقدت الكويت وحلف الناتو جولة حوار في مدينة الكويت',
  sources,
});

/** What the service passes the email channel: the gazetteer's names and feeds.yml's. */
async function readerNames(): Promise<ReaderNames> {
  const an = await analyzerPromise;
  const feeds: Record<string, string> = { 'kuna-ar': 'KUNA (Arabic)', 'nato-en': 'NATO News' };
  return {
    entity: (id, lang) => an.gazetteer.get(id)?.names[lang]?.[0],
    feed: (id) => feeds[id],
  };
}

/** One alert of every kind, made by the rules that make them in the service. */
async function everyKind(): Promise<Alert[]> {
  const an = await analyzerPromise;
  const nameOf = an.nameOf;
  const nearFuture = expectation('near_future', '2026-04-14');
  const nextMonth = expectation('next_month', '2026-03-03');
  const reported = event([REPORTING]);
  const match = scoreFulfilment(nextMonth, reported, an, nameOf, an.model!.fulfils)!;
  const same = scoreSameEvent(
    event([ENGLISH]),
    reported,
    DEFAULT_THRESHOLDS,
    nameOf,
    an,
    an.model!.sameEvent,
  )!;
  const feed = { id: 'kuna-ar', name: 'KUNA (Arabic)', url: 'https://www.kuna.net.kw/rss', enabled: true };
  const listing = { ...feed, id: 'mofa-kw', name: 'MOFA Kuwait', type: 'html' };
  const arrivals = Array.from({ length: 8 }, (_, i) => at(7 * HOUR + i * HOUR));
  const alerts = [
    newEventAlert(event([ENGLISH]), nameOf, hashKey, NOW),
    sameEventAlert(reported, ENGLISH, same, nameOf, hashKey, NOW),
    openedAlert(nearFuture, nameOf, hashKey, NOW),
    fulfilledAlert(nextMonth, reported, match, nameOf, hashKey, NOW),
    overdueAlert(nextMonth, nameOf, hashKey, NOW),
    feedFailingAlert(
      feed,
      {
        errorStreak: 3,
        failingSince: at(7 * HOUR),
        lastError: 'https://www.kuna.net.kw/rss: HTTP 503',
        lastSuccessAt: at(8 * HOUR),
        nextPollAt: at(-HOUR),
      },
      NOW,
      HOUR,
      hashKey,
    ),
    feedSilentAlert(feed, { errorStreak: 0, lastSuccessAt: at(60_000), arrivals }, NOW, hashKey),
    feedBrokenAlert(
      listing,
      {
        errorStreak: 0,
        lastSuccessAt: at(60_000),
        listedAt: at(2 * HOUR),
        emptyPolls: 2,
        emptySince: at(HOUR),
      },
      NOW,
      hashKey,
    ),
    watchAlert(
      { id: 'wt_gulf', name: 'Kuwait desk', subscriberId: 'desk' },
      {
        id: 'a-watch',
        url: 'https://example.org/news/1',
        title: 'Talks in Kuwait City',
        published: '2026-01-28T11:00:00Z',
        lang: 'en',
        text: 'Officials met in Kuwait City on Wednesday.',
        feedId: 'nato-en',
      },
      { entities: ['kuwait'], keywords: ['Kuwait'], excerpt: 'Officials met in Kuwait City on Wednesday.' },
      nameOf,
      hashKey,
      NOW,
    ),
  ];
  return alerts.map((a, i) => {
    if (!a) throw new Error(`alert ${i} was not raised`);
    return a;
  });
}

const ISO_DAY = /\d{4}-\d{2}-\d{2}/;
const KEPT_VALUES = ['near_future', 'next_month', 'kuwait-city', 'within_', 'by 2026-'];

describe('alert emails say words, not the values kept behind them', () => {
  it('covers every alert kind', async () => {
    expect(new Set((await everyKind()).map((a) => a.kind))).toEqual(new Set(ALERT_KINDS));
  });

  it.each(ALERT_KINDS)(
    '%s: no horizon id, place id or ISO date in the subject, text or HTML',
    async (kind) => {
      const alert = (await everyKind()).find((a) => a.kind === kind)!;
      const mail = renderAlertEmail(alert, links, await readerNames());
      const html = cheerio.load(mail.html).root().text();
      for (const shown of [mail.subject, mail.text, html]) {
        for (const kept of KEPT_VALUES) expect(shown).not.toContain(kept);
        expect(shown).not.toMatch(ISO_DAY);
      }
    },
  );

  it('writes the horizon as the article meant it and the place by its name', async () => {
    const [, , opened, fulfilled] = await everyKind();
    const names = await readerNames();
    // The article is Arabic: its reader reads Arabic.
    expect(renderAlertEmail(opened!, links, names).text).toContain(
      'المتوقع: اجتماع الكويت – الناتو في المستقبل القريب (يُنتظر حتى 14 أبريل 2026).',
    );
    const mail = renderAlertEmail(fulfilled!, links, names);
    expect(mail.text).toContain('المتوقع: اجتماع الكويت – الناتو الشهر المقبل (يُنتظر حتى 3 مارس 2026).');
    expect(mail.text).toContain('ما حدث: حوار الكويت – الناتو في مدينة الكويت، 28 يناير 2026.');
    expect(mail.subject).toBe('تحقق المتوقع: حوار الكويت – الناتو، 28 يناير 2026');
    // An English article's reader reads English.
    const [newEvent] = await everyKind();
    const english = renderAlertEmail(newEvent!, links, names);
    expect(english.subject).toBe('New: Kuwait–NATO dialogue, 28 Jan 2026');
    expect(english.text).toContain('Event: dialogue of Kuwait – NATO in Kuwait City, 28 Jan 2026.');
  });

  it('names the fulfilment’s two articles with their roles, feed and time, each on its own line', async () => {
    const fulfilled = (await everyKind()).find((a) => a.kind === 'expectation.fulfilled')!;
    const mail = renderAlertEmail(fulfilled, links, await readerNames());
    const lines = mail.text.split('\n');
    const expected = lines.find((l) => l.includes('التوقع ورد في'))!;
    const reported = lines.find((l) => l.includes('الخبر ورد في'))!;
    // The reasons name them too, one a line, left to right with the quoted title isolated.
    expect(lines).toContain('- expected in \u2068"الناتو: الكويت شريك رئيسي"\u2069');
    expect(lines).toContain('- reported in \u2068"الكويت والناتو يعقدان جولة حوار"\u2069');
    expect(expected).toBe(
      '- \u2067التوقع ورد في: \u2067الناتو: الكويت شريك رئيسي\u2069 (KUNA (Arabic)، 14 يناير 2026، 07:00 UTC)\u2069',
    );
    expect(reported).toBe(
      '- \u2067الخبر ورد في: \u2067الكويت والناتو يعقدان جولة حوار\u2069 (KUNA (Arabic)، 28 يناير 2026، 09:30 UTC)\u2069',
    );
    expect(lines.indexOf(reported)).toBeGreaterThan(lines.indexOf(expected));

    const $ = cheerio.load(mail.html);
    expect($('html').attr('dir')).toBe('rtl');
    const items = $('li[data-role]');
    expect(items.map((_, li) => $(li).attr('data-role')).get()).toEqual(['expected', 'reported']);
    expect($(items[0]).find('strong').text()).toBe('التوقع ورد في:');
    expect($(items[1]).find('strong').text()).toBe('الخبر ورد في:');
    // Each title sits right-to-left in its own link, not run together with the other.
    expect($(items[0]).find('a span[dir="rtl"]').text()).toBe(EXPECTING.title);
    expect($(items[1]).find('a span[dir="rtl"]').text()).toBe(REPORTING.title);
  });

  it('labels the lines "Expected in" and "Reported in" in an English email', async () => {
    const an = await analyzerPromise;
    const x = expectation('next_month', '2026-03-03', {
      ...EXPECTING,
      lang: 'en',
      title: 'NATO calls Kuwait a key partner',
    });
    const reported = event([ENGLISH]);
    const match = scoreFulfilment(x, reported, an, an.nameOf, an.model!.fulfils)!;
    const alert = fulfilledAlert(x, reported, match, an.nameOf, hashKey, NOW);
    const mail = renderAlertEmail(alert, links, await readerNames());
    expect(emailLang(alert)).toBe('en');
    expect(mail.text).toContain(
      '- Expected in: NATO calls Kuwait a key partner (KUNA (Arabic), 14 Jan 2026, 07:00 UTC)\n  https://news.example.org/a-partner',
    );
    expect(mail.text).toContain(
      '- Reported in: Kuwait and NATO hold dialogue (NATO News, 28 Jan 2026, 11:00 UTC)\n  https://news.example.org/a-en',
    );
    expect(mail.text).toContain('Expected: meeting of Kuwait – NATO next month (watched until 3 Mar 2026).');
    const $ = cheerio.load(mail.html);
    expect($('li[data-role="expected"] strong').text()).toBe('Expected in:');
    expect($('li[data-role="reported"] strong').text()).toBe('Reported in:');
  });

  it('writes a digest of Arabic alerts in Arabic, and a mixed one in English', async () => {
    const [newEvent, , opened, fulfilled] = await everyKind();
    const names = await readerNames();
    const period = { id: 'dg', to: '2026-02-01T07:00:00Z' };
    expect(renderDigestEmail(period, [opened!, fulfilled!], links, names).subject).toBe(
      'ملخص newswatch: تنبيهان حتى 1 فبراير 2026',
    );
    const mixed = renderDigestEmail(period, [newEvent!, fulfilled!], links, names);
    expect(mixed.subject).toBe('newswatch digest: 2 alerts to 1 Feb 2026');
    expect(mixed.text).toContain('تحقق المتوقع: حوار الكويت – الناتو، 28 يناير 2026');
    expect(mixed.text).not.toMatch(ISO_DAY);
  });
});
