// Hostile pages and hostile text on its way to people: 10,000 nested elements, invalid UTF-8,
// and <script> / javascript: in the titles and links that articles and feeds supply. Each test
// says what the input tried and checks what a user would notice: the article is still read (no
// stack overflow, no crash), and what reaches an email or an operator page is text, never markup
// and never a javascript: link. test/unit/email-content.test.ts checks one hostile alert email
// and test/e2e/dashboard.test.ts a <script> title in a real browser; this file runs every
// spelling of a hostile link through both renderers.
import { load } from 'cheerio';
import { describe, expect, it } from 'vitest';
import { renderAlertEmail, renderDigestEmail } from '../../src/domain/email-content';
import type { Alert, EventRecord, SourceRef } from '../../src/domain/types';
import { alertsPage } from '../../src/http/pages/alerts';
import { timelinePage } from '../../src/http/pages/timeline';
import { decodeBody } from '../../src/ingest/decode';
import { readArticle } from '../../src/ingest/read-article';

const STORY =
  'Kuwait and NATO held the first round of their political and security dialogue at the Alliance headquarters in Brussels. ' +
  'The two sides reviewed cooperation under the Istanbul Cooperation Initiative and agreed to meet again before the end of the year.';

describe('a page nested 10,000 deep', () => {
  it('is read, text and title, without a stack overflow', () => {
    const depth = 10_000;
    const html = `<!doctype html><html lang="en"><head><title>Deep page</title></head><body>${'<div>'.repeat(depth)}<p>${STORY}</p>${'</div>'.repeat(depth)}</body></html>`;
    const doc = readArticle(html, 'https://news.example/deep');
    expect(doc.title).toBe('Deep page');
    expect(doc.text).toContain('Istanbul Cooperation Initiative');
  });

  it('keeps every word when the nesting holds several paragraphs and links', () => {
    const depth = 10_000;
    const inner = `<p>${STORY}</p><p>Read <a href="/more">more on the dialogue</a> in our archive of Gulf security reporting today.</p>`;
    const html = `<html><head><title>Deep page</title></head><body><article>${'<section><div>'.repeat(depth / 2)}${inner}${'</div></section>'.repeat(depth / 2)}</article></body></html>`;
    const doc = readArticle(html, 'https://news.example/deep2');
    expect(doc.text).toContain('agreed to meet again');
  });
});

describe('invalid UTF-8 in a page', () => {
  it('becomes replacement characters; the title and text around them are read', () => {
    const bytes = Buffer.concat([
      Buffer.from('<html lang="en"><head><meta charset="utf-8"><title>Kuwait '),
      Buffer.from([0xc3, 0x28, 0xff]),
      Buffer.from(` NATO</title></head><body><article><p>${STORY} `),
      Buffer.from([0xe2, 0x82]), // a three-byte sequence cut short
      Buffer.from('</p></article></body></html>'),
    ]);
    const doc = readArticle(decodeBody(bytes, 'text/html; charset=utf-8'), 'https://news.example/bad-bytes');
    expect(doc.title).toMatch(/^Kuwait \uFFFD.* NATO$/);
    expect(doc.text).toContain('Istanbul Cooperation Initiative');
    expect(doc.text).toContain('\uFFFD');
  });
});

// What a feed or a page can put where newswatch shows a title or makes a link.
const HOSTILE_TITLE = `<script>alert(1)</script><img src=x onerror=alert(2)>"'& NATO`;
const HOSTILE_URLS = [
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  '  javascript:alert(1)',
  'java\tscript:alert(1)',
  'data:text/html,<script>alert(1)</script>',
  'vbscript:msgbox(1)',
];
// Real http(s) links that try to break out of the attribute.
const BREAKOUT_URLS = [
  'https://news.example/"><script>alert(3)</script>',
  "https://news.example/' onmouseover='alert(4)",
];

const source = (url: string, i: number): SourceRef => ({
  articleId: `a${i}`,
  url,
  title: HOSTILE_TITLE,
  published: '2026-01-28T09:00:00Z',
  lang: 'en',
});
const sources = [...HOSTILE_URLS, ...BREAKOUT_URLS].map(source);

const event: EventRecord = {
  id: 'ev_hostile',
  type: 'meeting',
  family: 'consult',
  participants: ['kuwait', 'nato'],
  actors: [],
  place: 'brussels',
  date: { value: '2026-01-28', precision: 'day', from: '2026-01-28', to: '2026-01-28' },
  historical: false,
  evidence: HOSTILE_TITLE,
  sources,
};

const alert: Alert = {
  id: 'al_hostile',
  kind: 'event.new',
  createdAt: '2026-01-28T10:00:00Z',
  title: HOSTILE_TITLE,
  parties: [
    { id: 'kuwait', name: 'Kuwait' },
    { id: 'nato', name: 'NATO' },
  ],
  event,
  sources,
  reasons: [HOSTILE_TITLE],
};

/** What a browser or mail client would run or follow in this HTML. */
function dangers(html: string) {
  const $ = load(html);
  const hrefs = $('[href]')
    .map((_, el) => $(el).attr('href'))
    .get();
  const handlers = $('*')
    .toArray()
    .flatMap((el) => Object.keys($(el).attr() ?? {}).filter((name) => name.startsWith('on')));
  return {
    scripts: $('script, img, iframe, object, embed').length,
    handlers,
    nonHttpLinks: hrefs.filter((h) => !/^(https?:\/\/|\/|#|mailto:)/.test(h)),
    breakoutLinks: hrefs.filter((h) => h.startsWith('https://news.example/')),
    text: $.root().text(),
  };
}

describe('<script> and javascript: from feeds and pages, as people see them', () => {
  const rendered: [string, () => string][] = [
    ['the alert email', () => renderAlertEmail(alert, { unsubscribeUrl: 'https://nw.example/u?t=1' }).html],
    [
      'the digest email',
      () =>
        renderDigestEmail({ id: 'dg', to: '2026-01-29T07:00:00Z' }, [alert], {
          unsubscribeUrl: 'https://nw.example/u',
        }).html,
    ],
    ['the alerts page', () => alertsPage([{ ...alert, deliveries: [] }], []).value],
    ['the timeline page', () => timelinePage('kuwait,nato', [event], (id) => id).value],
  ];

  it.each(rendered)(
    '%s shows the hostile title as text and links no javascript:, data: or vbscript: URL',
    (_where, render) => {
      const html = render();
      const found = dangers(html);
      expect(found.scripts).toBe(0);
      expect(found.handlers).toEqual([]);
      expect(found.nonHttpLinks).toEqual([]);
      // The title reads as the feed wrote it: escaped, not dropped.
      expect(found.text).toContain(`<script>alert(1)</script>`);
      // Quotes in a real link stay inside its href.
      for (const href of found.breakoutLinks) expect(BREAKOUT_URLS).toContain(href);
    },
  );
});
