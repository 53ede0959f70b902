// What an alert email says: a subject that tells what happened, a plain-text part and an HTML
// part with the same content, Arabic passages set right-to-left, source links, and the
// unsubscribe link. Pure: the links and the names of entities and feeds come in as arguments.
// Readers see words, not kept values: "in the near future", not `near_future`; "Kuwait City", not
// `kuwait-city`; "28 Jan 2026, 09:00 UTC", not an ISO stamp (src/domain/wording.ts).
import type { DigestPeriod } from './alert-payload';
import type { Alert, SourceRef } from './types';
import {
  dueWords,
  entityName,
  eventDateWords,
  formatDay,
  joinNames,
  roleWords,
  sourceFacts,
  sourceRoles,
  typesWords,
  typeWords,
  type ReaderLang,
  type ReaderNames,
  type SourceRole,
} from './wording';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

export interface EmailLinks {
  unsubscribeUrl: string;
}

const ARABIC = /\p{Script=Arabic}/gu;
const LATIN = /\p{Script=Latin}/gu;

/** A passage is Arabic when its language says so, or (no language) when Arabic letters outnumber Latin ones. */
export function isArabic(text: string, lang?: string): boolean {
  if (lang !== undefined) return lang === 'ar';
  return (text.match(ARABIC)?.length ?? 0) > (text.match(LATIN)?.length ?? 0);
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export { formatDay };

/**
 * The language an alert's email is written in: Arabic when every article it cites is Arabic (the
 * reader follows Arabic news), English otherwise, and for feed alerts, which cite none. The
 * article's own words (quotes, titles) stay as written either way; the reasons stay as the alert
 * carries them (English, as in the webhook).
 */
export function emailLang(alert: Alert): ReaderLang {
  return alert.sources.length > 0 && alert.sources.every((s) => s.lang === 'ar') ? 'ar' : 'en';
}

/** What an alert's parties, place and feeds are called in the email's language. */
function wording(alert: Alert, names: ReaderNames, lang: ReaderLang) {
  const entity = (id: string, fallback?: string) =>
    names.entity?.(id, lang) ?? fallback ?? entityName(id, undefined, lang);
  return {
    lang,
    who: alert.parties.map((p) => entity(p.id, lang === 'en' ? p.name : undefined)),
    place: (place: string) => entity(place),
    names,
  };
}

type Words = ReturnType<typeof wording>;

const SUBJECTS: Record<ReaderLang, Record<string, string>> = {
  en: {
    'expectation.fulfilled': 'Expected follow-up happened',
    'event.new': 'New',
    'event.same_event': 'More coverage',
    'expectation.opened': 'Follow-up expected',
    'expectation.overdue': 'Expected follow-up overdue',
  },
  ar: {
    'expectation.fulfilled': 'تحقق المتوقع',
    'event.new': 'جديد',
    'event.same_event': 'تغطية إضافية',
    'expectation.opened': 'متوقع',
    'expectation.overdue': 'فات موعد المتوقع',
  },
};

function subjectIn(alert: Alert, w: Words): string {
  const { lang } = w;
  const head = SUBJECTS[lang][alert.kind];
  const e = alert.event;
  const x = alert.expectation;
  // English puts the parties first ("Kuwait–NATO dialogue"), Arabic the noun («حوار الكويت – الناتو»).
  const what = (type: string) =>
    lang === 'ar' ? `${type} ${joinNames(w.who)}` : `${w.who.join('–')} ${type}`;
  const comma = lang === 'ar' ? '،' : ',';
  switch (alert.kind) {
    case 'expectation.fulfilled':
    case 'event.new':
    case 'event.same_event':
      if (e) return `${head}: ${what(typeWords(e.type, lang))}${comma} ${eventDateWords(e.date, lang)}`;
      break;
    case 'expectation.opened':
      if (x)
        return `${head}: ${what(typesWords(x.types, lang))} ${lang === 'ar' ? 'بحلول' : 'by'} ${formatDay(x.due.to, lang)}`;
      break;
    case 'expectation.overdue':
      if (x)
        return `${head}: ${what(typesWords(x.types, lang))}${comma} ${lang === 'ar' ? 'وكان موعده' : 'due by'} ${formatDay(x.due.to, lang)}`;
      break;
    case 'article.match':
      if (alert.watch && alert.sources[0]) return `${alert.watch.name}: ${alert.sources[0].title}`;
      break;
  }
  return alert.title;
}

/**
 * The subject says what happened, e.g. "Expected follow-up happened: Kuwait–NATO dialogue, 28 Jan
 * 2026" (an Arabic alert: «تحقق المتوقع: حوار الكويت – الناتو، 28 يناير 2026»).
 */
export function subjectOf(alert: Alert, names: ReaderNames = {}): string {
  return subjectIn(alert, wording(alert, names, emailLang(alert)));
}

/** One block of content, rendered both ways; `lang` marks an Arabic passage for RTL. */
type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'para'; text: string; lang?: string | undefined }
  | { kind: 'quote'; text: string; lang?: string | undefined }
  | { kind: 'list'; items: { text: string; lang?: string | undefined }[] }
  /** the alert's reasons: English lines that may quote an article («"الناتو: ..."») */
  | { kind: 'reasons'; items: string[] }
  | {
      kind: 'sources';
      lang: ReaderLang;
      lines: { role: SourceRole; label: string; source: SourceRef; facts: string }[];
    };

const LABELS: Record<ReaderLang, Record<'expected' | 'happened' | 'event' | 'why' | 'sources', string>> = {
  en: { expected: 'Expected', happened: 'Happened', event: 'Event', why: 'Why', sources: 'Sources' },
  ar: { expected: 'المتوقع', happened: 'ما حدث', event: 'الحدث', why: 'الأسباب', sources: 'المصادر' },
};

function alertBlocks(alert: Alert, w: Words): Block[] {
  const { lang } = w;
  const label = LABELS[lang];
  const of = lang === 'ar' ? '' : ' of';
  const blocks: Block[] = [];
  const e = alert.event;
  const x = alert.expectation;
  const who = joinNames(w.who);
  if (x) {
    blocks.push({
      kind: 'para',
      text: `${label.expected}: ${typesWords(x.types, lang)}${of} ${who} ${dueWords(x, lang)}.`,
      lang,
    });
    blocks.push({ kind: 'quote', text: x.text, lang: x.source.lang });
  }
  if (e) {
    const place = e.place ? ` ${lang === 'ar' ? 'في' : 'in'} ${w.place(e.place)}` : '';
    const head = alert.kind === 'expectation.fulfilled' ? label.happened : label.event;
    blocks.push({
      kind: 'para',
      text: `${head}: ${typeWords(e.type, lang)}${of} ${who}${place}${lang === 'ar' ? '،' : ','} ${eventDateWords(e.date, lang)}.`,
      lang,
    });
    blocks.push({ kind: 'quote', text: e.evidence, lang: e.sources[0]?.lang });
  }
  if (alert.feed)
    blocks.push({ kind: 'para', text: `Feed: ${alert.feed.name} (${alert.feed.id}), ${alert.feed.url}` });
  if (alert.watch) {
    // A watch's alert is the article: where the watch met it, then why.
    blocks.push({ kind: 'para', text: `Watch: ${alert.watch.name}` });
    const article = alert.sources[0];
    if (alert.matched?.excerpt)
      blocks.push({ kind: 'quote', text: alert.matched.excerpt, lang: article?.lang });
  }
  if (alert.reasons.length > 0) {
    blocks.push({ kind: 'heading', text: label.why });
    blocks.push({ kind: 'reasons', items: alert.reasons });
  }
  if (alert.sources.length > 0) {
    blocks.push({ kind: 'heading', text: label.sources });
    blocks.push({
      kind: 'sources',
      lang,
      lines: sourceRoles(alert).map(({ role, source }) => ({
        role,
        label: roleWords(role, lang),
        source,
        facts: sourceFacts(source, w.names, lang),
      })),
    });
  }
  return blocks;
}

// ---- plain text --------------------------------------------------------------------------------

/** Unicode isolates keep an Arabic line right-to-left in a plain-text reader without upsetting Latin lines. */
const RLI = '\u2067';
const PDI = '\u2069';
const FSI = '\u2068';
/** a passage a reason quotes: "الناتو: الكويت شريك رئيسي" */
const QUOTED = /"[^"]*"/g;
const bidiText = (text: string, lang?: string) => (isArabic(text, lang) ? `${RLI}${text}${PDI}` : text);

function blockText(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `${b.text}\n${'-'.repeat(b.text.length)}`;
    case 'para':
      return bidiText(b.text, b.lang);
    case 'quote':
      return `  “${bidiText(b.text, b.lang)}”`;
    case 'list':
      return b.items.map((i) => `- ${bidiText(i.text, i.lang)}`).join('\n');
    case 'reasons':
      // A reason reads left to right; what it quotes keeps its own direction, isolated.
      return b.items
        .map((r) => `- ${r.replace(QUOTED, (q) => (isArabic(q) ? `${FSI}${q}${PDI}` : q))}`)
        .join('\n');
    case 'sources':
      // One line per source, its role first, so two Arabic titles never run into each other.
      return b.lines
        .map((l) => {
          const line = `${l.label}: ${bidiText(l.source.title, l.source.lang)} (${l.facts})`;
          return `- ${b.lang === 'ar' ? `${RLI}${line}${PDI}` : line}\n  ${l.source.url}`;
        })
        .join('\n');
  }
}

// ---- HTML --------------------------------------------------------------------------------------

/** dir/lang attributes: Arabic passages right-to-left; text of unknown direction left to the reader. */
function dirAttrs(text: string, lang?: string): string {
  if (isArabic(text, lang)) return ' dir="rtl" lang="ar"';
  return lang ? ` dir="ltr" lang="${escapeHtml(lang)}"` : ' dir="auto"';
}

const isHttpUrl = (url: string) => /^https?:\/\//i.test(url);

function blockHtml(b: Block): string {
  switch (b.kind) {
    case 'heading':
      return `<h3>${escapeHtml(b.text)}</h3>`;
    case 'para':
      return `<p${dirAttrs(b.text, b.lang)}>${escapeHtml(b.text)}</p>`;
    case 'quote':
      return `<blockquote${dirAttrs(b.text, b.lang)}>${escapeHtml(b.text)}</blockquote>`;
    case 'list':
      return `<ul>${b.items.map((i) => `<li${dirAttrs(i.text, i.lang)}>${escapeHtml(i.text)}</li>`).join('')}</ul>`;
    case 'reasons':
      return `<ul dir="ltr" lang="en">${b.items
        .map((r) => {
          let out = '';
          let last = 0;
          for (const m of r.matchAll(QUOTED)) {
            out += `${escapeHtml(r.slice(last, m.index))}<bdi>${escapeHtml(m[0])}</bdi>`;
            last = m.index + m[0].length;
          }
          return `<li>${out}${escapeHtml(r.slice(last))}</li>`;
        })
        .join('')}</ul>`;
    case 'sources':
      // One item per source, its role first; the title isolated in its own direction.
      return `<ul${b.lang === 'ar' ? ' dir="rtl" lang="ar"' : ''}>${b.lines
        .map(({ role, label, source: s, facts }) => {
          const title = `<span${dirAttrs(s.title, s.lang)}>${escapeHtml(s.title)}</span>`;
          const link = isHttpUrl(s.url) ? `<a href="${escapeHtml(s.url)}">${title}</a>` : title;
          return `<li data-role="${role}"><strong>${escapeHtml(label)}:</strong> ${link} <small>(${escapeHtml(facts)})</small></li>`;
        })
        .join('')}</ul>`;
  }
}

const FOOTER: Record<ReaderLang, { text: string; unsubscribe: string }> = {
  en: { text: 'You receive this because you subscribed to newswatch alerts.', unsubscribe: 'Unsubscribe' },
  ar: { text: 'تصلك هذه الرسالة لأنك مشترك في تنبيهات newswatch.', unsubscribe: 'إلغاء الاشتراك' },
};

function page(
  subject: string,
  bodyHtml: string,
  bodyText: string,
  links: EmailLinks,
  lang: ReaderLang,
): RenderedEmail {
  const f = FOOTER[lang];
  const footerText = `${f.text}\n${f.unsubscribe}: ${links.unsubscribeUrl}`;
  const html = [
    '<!doctype html>',
    lang === 'ar' ? '<html lang="ar" dir="rtl">' : '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5">',
    bodyHtml,
    '<hr>',
    `<p style="font-size: small">${escapeHtml(f.text)} <a href="${escapeHtml(links.unsubscribeUrl)}">${escapeHtml(f.unsubscribe)}</a></p>`,
    '</body>',
    '</html>',
  ].join('\n');
  return { subject, text: `${bodyText}\n\n-- \n${footerText}\n`, html };
}

const heading = (subject: string, lang: ReaderLang) =>
  `<h2${lang === 'ar' ? ' dir="rtl" lang="ar"' : ''}>${escapeHtml(subject)}</h2>`;

/**
 * @param names what entities and feeds are called (the gazetteer, feeds.yml); without them the
 *   alert's own party names and the feed ids are shown
 */
export function renderAlertEmail(alert: Alert, links: EmailLinks, names: ReaderNames = {}): RenderedEmail {
  const lang = emailLang(alert);
  const w = wording(alert, names, lang);
  const subject = subjectIn(alert, w);
  const blocks = alertBlocks(alert, w);
  const text = [
    bidiText(subject, lang),
    '='.repeat(Math.min(subject.length, 72)),
    '',
    ...blocks.map(blockText),
  ].join('\n\n');
  const html = [heading(subject, lang), ...blocks.map(blockHtml)].join('\n');
  return page(subject, html, text, links, lang);
}

/** "3 alerts"; in Arabic with the number's agreement: تنبيه واحد، تنبيهان، 3 تنبيهات، 11 تنبيهًا. */
function alertCount(n: number, lang: ReaderLang): string {
  if (lang === 'en') return `${n} alert${n === 1 ? '' : 's'}`;
  if (n === 1) return 'تنبيه واحد';
  if (n === 2) return 'تنبيهان';
  if (n >= 3 && n <= 10) return `${n} تنبيهات`;
  return `${n} تنبيهًا`;
}

/**
 * One message for a period: every alert in raising order, each under its own subject line and in
 * its own language; the message's frame is Arabic when every alert's is.
 */
export function renderDigestEmail(
  period: DigestPeriod,
  alerts: readonly Alert[],
  links: EmailLinks,
  names: ReaderNames = {},
): RenderedEmail {
  const lang: ReaderLang = alerts.length > 0 && alerts.every((a) => emailLang(a) === 'ar') ? 'ar' : 'en';
  const to = formatDay(period.to.slice(0, 10), lang);
  const subject =
    lang === 'ar'
      ? `ملخص newswatch: ${alertCount(alerts.length, lang)} حتى ${to}`
      : `newswatch digest: ${alertCount(alerts.length, lang)} to ${to}`;
  const sections = alerts.map((a) => {
    const w = wording(a, names, emailLang(a));
    return { title: subjectIn(a, w), lang: w.lang, blocks: alertBlocks(a, w) };
  });
  const text = [
    bidiText(subject, lang),
    '='.repeat(Math.min(subject.length, 72)),
    ...sections.map((s, i) =>
      [`${i + 1}. ${bidiText(s.title, s.lang)}`, ...s.blocks.map(blockText)].join('\n\n'),
    ),
  ].join('\n\n');
  const html = [
    heading(subject, lang),
    ...sections.map((s) => [heading(s.title, s.lang), ...s.blocks.map(blockHtml)].join('\n')),
  ].join('\n<hr>\n');
  return page(subject, html, text, links, lang);
}
