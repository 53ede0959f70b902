// What an alert email says: a subject that tells what happened, a plain-text part and an HTML
// part with the same content, Arabic passages set right-to-left, source links, and the
// unsubscribe link. Pure: the links come in as arguments.
import type { DigestPeriod } from './alert-payload';
import type { Alert, EventDate, SourceRef } from './types';

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

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 2026-01-28 → "28 Jan 2026"; 2026-01 → "Jan 2026"; 2026 → "2026". */
export function formatDay(value: string): string {
  const [y, m, d] = value.split('-');
  const month = m ? MONTHS[Number(m) - 1] : undefined;
  if (d && month) return `${Number(d)} ${month} ${y}`;
  if (month) return `${month} ${y}`;
  return value;
}

function formatEventDate(date: EventDate): string {
  return date.precision === 'reported' ? `reported ${formatDay(date.to)}` : formatDay(date.value);
}

const joinNames = (alert: Alert) => alert.parties.map((p) => p.name).join('–');

/** The subject says what happened, e.g. "Expected follow-up happened: Kuwait–NATO dialogue, 28 Jan 2026". */
export function subjectOf(alert: Alert): string {
  const who = joinNames(alert);
  const e = alert.event;
  const x = alert.expectation;
  switch (alert.kind) {
    case 'expectation.fulfilled':
      if (e) return `Expected follow-up happened: ${who} ${e.type}, ${formatEventDate(e.date)}`;
      break;
    case 'event.new':
      if (e) return `New: ${who} ${e.type}, ${formatEventDate(e.date)}`;
      break;
    case 'event.same_event':
      if (e) return `More coverage: ${who} ${e.type}, ${formatEventDate(e.date)}`;
      break;
    case 'expectation.opened':
      if (x) return `Follow-up expected: ${who} ${x.types.join('/')} by ${formatDay(x.due.to)}`;
      break;
    case 'expectation.overdue':
      if (x) return `Expected follow-up overdue: ${who} ${x.types.join('/')}, due by ${formatDay(x.due.to)}`;
      break;
    case 'article.match':
      if (alert.watch && alert.sources[0]) return `${alert.watch.name}: ${alert.sources[0].title}`;
      break;
  }
  return alert.title;
}

/** One block of content, rendered both ways; `lang` marks an Arabic passage for RTL. */
type Block =
  | { kind: 'heading'; text: string }
  | { kind: 'para'; text: string; lang?: string | undefined }
  | { kind: 'quote'; text: string; lang?: string | undefined }
  | { kind: 'list'; items: { text: string; lang?: string | undefined }[] }
  | { kind: 'sources'; sources: SourceRef[] };

function alertBlocks(alert: Alert): Block[] {
  const blocks: Block[] = [];
  const e = alert.event;
  const x = alert.expectation;
  if (x) {
    blocks.push({
      kind: 'para',
      text: `Expected: ${x.types.join('/')} of ${joinNames(alert)}, between ${formatDay(x.due.from)} and ${formatDay(x.due.to)} (${x.horizon}).`,
    });
    blocks.push({ kind: 'quote', text: x.text, lang: x.source.lang });
  }
  if (e) {
    const place = e.place ? ` in ${e.place}` : '';
    blocks.push({
      kind: 'para',
      text: `${alert.kind === 'expectation.fulfilled' ? 'Happened' : 'Event'}: ${e.type} of ${joinNames(alert)}${place}, ${formatEventDate(e.date)}.`,
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
    blocks.push({ kind: 'heading', text: 'Why' });
    blocks.push({ kind: 'list', items: alert.reasons.map((r) => ({ text: r })) });
  }
  if (alert.sources.length > 0) {
    blocks.push({ kind: 'heading', text: 'Sources' });
    blocks.push({ kind: 'sources', sources: alert.sources });
  }
  return blocks;
}

function sourceLine(s: SourceRef): string {
  return [s.feedId, s.lang, formatDay(s.published.slice(0, 10))].filter(Boolean).join(', ');
}

// ---- plain text --------------------------------------------------------------------------------

/** Unicode isolates keep an Arabic line right-to-left in a plain-text reader without upsetting Latin lines. */
const RLI = '\u2067';
const PDI = '\u2069';
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
    case 'sources':
      return b.sources
        .map((s) => `- ${bidiText(s.title, s.lang)}\n  ${s.url}\n  (${sourceLine(s)})`)
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
    case 'sources':
      return `<ul>${b.sources
        .map((s) => {
          const title = `<span${dirAttrs(s.title, s.lang)}>${escapeHtml(s.title)}</span>`;
          const link = isHttpUrl(s.url) ? `<a href="${escapeHtml(s.url)}">${title}</a>` : title;
          return `<li>${link} <small>(${escapeHtml(sourceLine(s))})</small></li>`;
        })
        .join('')}</ul>`;
  }
}

function page(subject: string, bodyHtml: string, bodyText: string, links: EmailLinks): RenderedEmail {
  const footerText = `You receive this because you subscribed to newswatch alerts.\nUnsubscribe: ${links.unsubscribeUrl}`;
  const html = [
    '<!doctype html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeHtml(subject)}</title></head>`,
    '<body style="font-family: sans-serif; line-height: 1.5">',
    bodyHtml,
    '<hr>',
    `<p style="font-size: small">You receive this because you subscribed to newswatch alerts. <a href="${escapeHtml(links.unsubscribeUrl)}">Unsubscribe</a></p>`,
    '</body>',
    '</html>',
  ].join('\n');
  return { subject, text: `${bodyText}\n\n-- \n${footerText}\n`, html };
}

export function renderAlertEmail(alert: Alert, links: EmailLinks): RenderedEmail {
  const subject = subjectOf(alert);
  const blocks = alertBlocks(alert);
  const text = [subject, '='.repeat(Math.min(subject.length, 72)), '', ...blocks.map(blockText)].join('\n\n');
  const html = [`<h2>${escapeHtml(subject)}</h2>`, ...blocks.map(blockHtml)].join('\n');
  return page(subject, html, text, links);
}

/** One message for a period: every alert in raising order, each under its own subject line. */
export function renderDigestEmail(
  period: DigestPeriod,
  alerts: readonly Alert[],
  links: EmailLinks,
): RenderedEmail {
  const n = alerts.length;
  const subject = `newswatch digest: ${n} alert${n === 1 ? '' : 's'} to ${formatDay(period.to.slice(0, 10))}`;
  const sections = alerts.map((a) => ({ title: subjectOf(a), blocks: alertBlocks(a) }));
  const text = [
    subject,
    '='.repeat(Math.min(subject.length, 72)),
    ...sections.map((s, i) => [`${i + 1}. ${s.title}`, ...s.blocks.map(blockText)].join('\n\n')),
  ].join('\n\n');
  const html = [
    `<h2>${escapeHtml(subject)}</h2>`,
    ...sections.map((s) => [`<h2>${escapeHtml(s.title)}</h2>`, ...s.blocks.map(blockHtml)].join('\n')),
  ].join('\n<hr>\n');
  return page(subject, html, text, links);
}
