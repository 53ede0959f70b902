// Pages whose story is built by JavaScript in the browser: what newswatch fetches is a shell (an
// empty <div id="root">, script bundles, "please enable JavaScript"), and reading it gives its
// title or nothing. Such a page is said to need JavaScript rather than analysed from its title.
// Pure: the HTML and the text read from it are arguments. Rendering such pages is not done here.
import type { Element } from 'domhandler';
import { nodeText, walkDom } from './dom-walk';
import { parseHtml } from './parse-html';

/** A page reading to fewer characters than this (its title not counted) may be a script shell. */
export const SCRIPT_PAGE_MAX_TEXT = 200;
/** ... and is one when inline scripts make up at least this share of its HTML ... */
export const SCRIPT_SHARE = 0.5;
/** ... or when one of these roots of the common frameworks is empty and the page loads a script. */
const APP_ROOT_IDS = new Set(['root', 'app', '__next', '__nuxt', '___gatsby', 'svelte', 'q-app', 'main-app']);
const APP_ROOT_TAGS = new Set(['app-root']);

export interface ScriptMeasure {
  /** readable characters: the page's text with its title taken out */
  textChars: number;
  htmlChars: number;
  /** characters inside inline <script> elements */
  scriptChars: number;
  /** <script> elements, inline or loaded from a src */
  scripts: number;
  /** the framework root found empty, as "#root" or "<app-root>" */
  emptyAppRoot?: string | undefined;
  /** a <noscript> asking for JavaScript ("You need to enable JavaScript to run this app.") */
  noscriptAsksForJs: boolean;
}

/**
 * Why the page needs JavaScript, or undefined. Only a page with (almost) no readable text is
 * judged: a real article with a heavy player script is an article. Then any of: inline script is
 * at least half the page, an app root is empty, or a <noscript> asks for JavaScript; the last two
 * only on a page that has a script at all.
 */
export function scriptBuiltReason(m: ScriptMeasure): string | undefined {
  if (m.textChars >= SCRIPT_PAGE_MAX_TEXT) return undefined;
  const signs: string[] = [];
  if (m.htmlChars > 0 && m.scriptChars / m.htmlChars >= SCRIPT_SHARE)
    signs.push(`${Math.round((100 * m.scriptChars) / m.htmlChars)}% of the page is script`);
  if (m.scripts > 0 && m.emptyAppRoot) signs.push(`an empty ${m.emptyAppRoot}`);
  if (m.scripts > 0 && m.noscriptAsksForJs) signs.push('a <noscript> asking for JavaScript');
  if (signs.length === 0) return undefined;
  const text = m.textChars === 0 ? 'no text' : `${m.textChars} characters of text`;
  return `needs JavaScript: ${text}, ${signs.join(', ')}, ${m.scripts} script${m.scripts === 1 ? '' : 's'}`;
}

/** The page's script measures; `text` is what the reader got from it, `title` what it was titled. */
export function measureScriptPage(html: string, text: string, title = ''): ScriptMeasure {
  const $ = parseHtml(html);
  let scriptChars = 0;
  let scripts = 0;
  let emptyAppRoot: string | undefined;
  let noscriptAsksForJs = false;
  walkDom($.root()[0]!, (node) => {
    if (node.type === 'script') {
      const el = node as Element;
      const type = (el.attribs.type ?? '').toLowerCase();
      // JSON-LD and other data blocks are no program.
      if (type && !/javascript|module|^text\/babel$/.test(type)) return false;
      scripts += 1;
      scriptChars += nodeText(el, 'all').length;
      return false;
    }
    if (node.type !== 'tag') return false;
    const el = node as Element;
    if (el.name === 'noscript') {
      if (/javascript|\bJS\b|جافا ?سكريبت/i.test(nodeText(el, 'all'))) noscriptAsksForJs = true;
      return false;
    }
    const root = APP_ROOT_TAGS.has(el.name)
      ? `<${el.name}>`
      : el.attribs.id && APP_ROOT_IDS.has(el.attribs.id)
        ? `#${el.attribs.id}`
        : undefined;
    if (root && !emptyAppRoot && nodeText(el, 'tags').trim() === '') emptyAppRoot = root;
    return true;
  });
  return {
    textChars: readableChars(text, title),
    htmlChars: html.length,
    scriptChars,
    scripts,
    emptyAppRoot,
    noscriptAsksForJs,
  };
}

/** Why the page needs JavaScript, or undefined; a page with enough text is not parsed again. */
export function needsJavaScript(html: string, text: string, title = ''): string | undefined {
  if (readableChars(text, title) >= SCRIPT_PAGE_MAX_TEXT) return undefined;
  return scriptBuiltReason(measureScriptPage(html, text, title));
}

/** Characters of text, leaving out lines that only repeat the title (a shell's one line of "text"). */
function readableChars(text: string, title: string): number {
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  const t = norm(title);
  return text
    .split('\n')
    .map(norm)
    .filter((line) => line !== '' && line !== t)
    .reduce((n, line) => n + line.length, 0);
}
