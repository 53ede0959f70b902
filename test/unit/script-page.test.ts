// Pages that need JavaScript: a script shell (an empty app root, mostly script, a <noscript> asking
// for JavaScript) with next to no text is said to need it; an article, however heavy its scripts, is not.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readArticle } from '../../src/ingest/read-article';
import { needsJavaScript, scriptBuiltReason, type ScriptMeasure } from '../../src/ingest/script-page';

const STORY =
  '<p>Kuwait and NATO held talks in Brussels on regional security, maritime cooperation and the training of ' +
  'officers, the foreign ministry said on Tuesday.</p><p>The two sides agreed to meet again in the spring, ' +
  'after a round of consultations with the other members of the Istanbul Cooperation Initiative.</p>';
const page = (head: string, body: string) =>
  `<!doctype html><html><head><title>Kuwait and NATO talk security</title>${head}</head><body>${body}</body></html>`;
const bundle = '<script src="/static/js/main.3f9a.js" defer></script>';
const inline = (n: number) => `<script>window.__STATE__=${JSON.stringify('x'.repeat(n))}</script>`;

/** What the scrape stage does: read the page, then ask whether it is a script shell. */
function judge(html: string): string | undefined {
  let text = '';
  let title = 'Kuwait and NATO talk security';
  try {
    const doc = readArticle(html, 'https://news.example/a');
    text = doc.text;
    title = doc.title;
  } catch {
    // no text at all
  }
  return needsJavaScript(html, text, title);
}

describe('needsJavaScript', () => {
  it.each<{ name: string; html: string; reason?: RegExp }>([
    {
      name: 'create-react-app shell: empty #root, a bundle',
      html: page(
        bundle,
        '<noscript>You need to enable JavaScript to run this app.</noscript><div id="root"></div>',
      ),
      reason: /^needs JavaScript: no text, an empty #root, a <noscript> asking for JavaScript, 1 script$/,
    },
    {
      name: 'Next.js shell: empty #__next',
      html: page('', `<div id="__next"></div>${bundle}${bundle}`),
      reason: /an empty #__next, 2 scripts$/,
    },
    {
      name: 'Angular shell: empty <app-root>',
      html: page(bundle, '<app-root></app-root>'),
      reason: /an empty <app-root>/,
    },
    {
      name: 'mostly inline script, a headline only',
      html: page('', `<h1>Kuwait and NATO talk security</h1>${inline(5000)}`),
      reason: /^needs JavaScript: no text, 9\d% of the page is script, 1 script$/,
    },
    {
      name: 'a <noscript> asking for JavaScript (Arabic)',
      html: page(bundle, '<div class="loading">…</div><noscript>يرجى تفعيل جافا سكريبت</noscript>'),
      reason: /a <noscript> asking for JavaScript/,
    },
    {
      name: 'an article with a heavy inline script',
      html: page(inline(20000), `<article>${STORY}</article>`),
    },
    {
      name: 'an article rendered into #root (server-side)',
      html: page(bundle, `<div id="root"><article>${STORY}</article></div>`),
    },
    { name: 'an empty #app but no script: nothing to run', html: page('', '<div id="app"></div>') },
    {
      name: 'a short brief without scripts',
      html: page('', '<article><p>Kuwait and NATO met in Brussels.</p></article>'),
    },
    {
      name: 'JSON-LD is data, not script',
      html: page(
        `<script type="application/ld+json">${JSON.stringify({ x: 'y'.repeat(5000) })}</script>`,
        '<div>Short.</div>',
      ),
    },
  ])('$name', ({ html, reason }) => {
    const said = judge(html);
    if (!reason) return expect(said).toBeUndefined();
    expect(said).toMatch(reason);
  });

  it('says nothing of the pages the reader is tested on', () => {
    const dir = new URL('../fixtures/pages/', import.meta.url);
    const pages = readdirSync(dir).filter((f) => f.endsWith('.html'));
    expect(pages.length).toBeGreaterThan(0);
    for (const f of pages) expect(judge(readFileSync(new URL(f, dir), 'utf8')), f).toBeUndefined();
  });
});

describe('scriptBuiltReason', () => {
  const m = (extra: Partial<ScriptMeasure>): ScriptMeasure => ({
    textChars: 0,
    htmlChars: 10_000,
    scriptChars: 0,
    scripts: 1,
    noscriptAsksForJs: false,
    ...extra,
  });
  it.each<{ name: string; measure: ScriptMeasure; needs: boolean }>([
    { name: 'half the page is script', measure: m({ scriptChars: 5000 }), needs: true },
    { name: 'just under half', measure: m({ scriptChars: 4999 }), needs: false },
    {
      name: 'half script but 200 characters of text',
      measure: m({ scriptChars: 9000, textChars: 200 }),
      needs: false,
    },
    {
      name: '199 characters and an empty root',
      measure: m({ textChars: 199, emptyAppRoot: '#app' }),
      needs: true,
    },
    {
      name: 'an empty root without a script',
      measure: m({ scripts: 0, emptyAppRoot: '#app' }),
      needs: false,
    },
    { name: 'noscript asks, a script runs', measure: m({ noscriptAsksForJs: true }), needs: true },
    { name: 'no sign at all', measure: m({}), needs: false },
  ])('$name → $needs', ({ measure, needs }) => {
    expect(scriptBuiltReason(measure) !== undefined).toBe(needs);
  });
});
