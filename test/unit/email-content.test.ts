// What an alert email says: subjects per alert kind, Arabic set right-to-left, nothing of an
// article's text able to inject markup.
import * as cheerio from 'cheerio';
import { describe, expect, it } from 'vitest';
import {
  formatDay,
  isArabic,
  renderAlertEmail,
  renderDigestEmail,
  subjectOf,
} from '../../src/domain/email-content';
import type { Alert, EventRecord, ExpectationRecord } from '../../src/domain/types';

const src = (lang: string, title: string) => ({
  articleId: `a-${lang}`,
  url: `https://example.org/${lang}`,
  title,
  published: '2026-01-15T09:00:00Z',
  lang,
  feedId: `feed-${lang}`,
});

const event: EventRecord = {
  id: 'ev',
  type: 'dialogue',
  family: 'meeting',
  participants: ['kuwait', 'nato'],
  actors: [],
  place: 'Brussels',
  date: { value: '2026-01-28', precision: 'day', from: '2026-01-28', to: '2026-01-28' },
  historical: false,
  evidence: 'Kuwait and NATO held their dialogue.',
  sources: [src('en', 'Kuwait and NATO hold dialogue')],
};

const expectation: ExpectationRecord = {
  id: 'x',
  types: ['meeting'],
  participants: ['kuwait', 'nato'],
  due: { from: '2026-01-15', to: '2026-03-15' },
  horizon: 'soon',
  text: 'ومن المتوقع أن يلتقي الجانبان قريبا',
  state: 'open',
  source: src('ar', 'لقاء كويتي أطلسي'),
};

const parties = [
  { id: 'kuwait', name: 'Kuwait' },
  { id: 'nato', name: 'NATO' },
];
const alert = (kind: Alert['kind'], more: Partial<Alert>): Alert => ({
  id: `al_${kind}`,
  kind,
  createdAt: '2026-01-31T08:00:00Z',
  title: `title of ${kind}`,
  parties,
  sources: [],
  reasons: [],
  ...more,
});

describe('subjectOf', () => {
  it.each([
    [
      alert('expectation.fulfilled', { event, expectation }),
      'Expected follow-up happened: Kuwait–NATO dialogue, 28 Jan 2026',
    ],
    [alert('event.new', { event }), 'New: Kuwait–NATO dialogue, 28 Jan 2026'],
    [alert('event.same_event', { event }), 'More coverage: Kuwait–NATO dialogue, 28 Jan 2026'],
    [alert('expectation.opened', { expectation }), 'Follow-up expected: Kuwait–NATO meeting by 15 Mar 2026'],
    [
      alert('expectation.overdue', { expectation }),
      'Expected follow-up overdue: Kuwait–NATO meeting, due by 15 Mar 2026',
    ],
    [
      alert('event.new', {
        event: { ...event, date: { ...event.date, value: '2026-01', precision: 'month' } },
      }),
      'New: Kuwait–NATO dialogue, Jan 2026',
    ],
    [alert('event.new', {}), 'title of event.new'],
  ])('%#: %s', (a, subject) => {
    expect(subjectOf(a)).toBe(subject);
  });
});

describe('isArabic', () => {
  it.each([
    ['الكويت والناتو', undefined, true],
    ['Kuwait and NATO', undefined, false],
    ['NATO: "الناتو يرحب بالحوار"', undefined, true],
    ['Kuwait', 'ar', true],
    ['الكويت', 'en', false],
  ])('%s (lang %s) → %s', (text, lang, rtl) => {
    expect(isArabic(text, lang)).toBe(rtl);
  });
});

describe('formatDay', () => {
  it.each([
    ['2026-01-28', '28 Jan 2026'],
    ['2026-12', 'Dec 2026'],
    ['2026', '2026'],
  ])('%s → %s', (day, text) => expect(formatDay(day)).toBe(text));
});

describe('renderAlertEmail', () => {
  const links = { unsubscribeUrl: 'https://nw.example.org/unsubscribe?token=desk.abc' };

  it('sets Arabic passages right-to-left and English ones left-to-right, in the HTML and the text', () => {
    const a = alert('expectation.fulfilled', {
      event,
      expectation,
      sources: [expectation.source, event.sources[0]!],
    });
    const mail = renderAlertEmail(a, links);
    const $ = cheerio.load(mail.html);
    expect($('blockquote[dir="rtl"][lang="ar"]').text()).toBe(expectation.text);
    expect($('blockquote[dir="ltr"][lang="en"]').text()).toBe(event.evidence);
    expect($('a span[dir="rtl"]').text()).toBe('لقاء كويتي أطلسي');
    expect(mail.text).toContain(`\u2067${expectation.text}\u2069`);
    expect(mail.text).toContain('Kuwait and NATO held their dialogue.');
    expect(mail.text).not.toContain('\u2067Kuwait');
  });

  it('escapes what articles wrote, and links only http(s) sources', () => {
    const hostile = src('en', '<script>alert(1)</script> & "quotes"');
    const a = alert('event.new', {
      event,
      sources: [hostile, { ...hostile, url: 'javascript:alert(1)', title: 'js' }],
    });
    const { html } = renderAlertEmail(a, links);
    const $ = cheerio.load(html);
    expect($('script')).toHaveLength(0);
    expect(html).toContain('&#60;script&#62;alert(1)&#60;/script&#62; &#38; &#34;quotes&#34;');
    expect(
      $('a')
        .map((_, el) => $(el).attr('href'))
        .get(),
    ).toEqual(['https://example.org/en', links.unsubscribeUrl]);
  });
});

describe('renderDigestEmail', () => {
  it('lists every alert of the period in one message under its own subject', () => {
    const alerts = [alert('event.new', { event }), alert('expectation.opened', { expectation })];
    const mail = renderDigestEmail({ id: 'dg', to: '2026-02-01T07:00:00Z' }, alerts, {
      unsubscribeUrl: 'https://u',
    });
    expect(mail.subject).toBe('newswatch digest: 2 alerts to 1 Feb 2026');
    for (const a of alerts) {
      expect(mail.text).toContain(subjectOf(a));
      expect(cheerio.load(mail.html)('h2').text()).toContain(subjectOf(a));
    }
  });
});
