// Everything readArticle wants from a page's head and markup (meta tags, JSON-LD, canonical link,
// headlines, dates, bylines), gathered in one walk over the parsed page. A CSS query per fact walked
// the whole page some thirty times, which was most of the cost of reading an article.
import type { AnyNode, Element } from 'domhandler';
import { nodeText } from './dom-walk';

export interface PageFacts {
  /** <meta> values by lower-cased name, property, itemprop or http-equiv, in page order. */
  meta: Map<string, string[]>;
  /** JSON-LD objects in page order, with `@graph` members and `mainEntity` flattened in. */
  ld: Record<string, unknown>[];
  canonical?: string;
  /** The first <title>. */
  title: string;
  /** The first <h1> outside navigation, and outside a page header unless that sits in the story. */
  h1?: Element;
  htmlLang?: string;
  /** The first [itemprop=author] or [rel=author] element. */
  author?: Element;
  /** Elements other than <meta> with itemprop datePublished, dateCreated or dateModified. */
  dateProps: Element[];
  /** <time> elements, each with whether it sits in an <article>. */
  times: { el: Element; inArticle: boolean }[];
  /** Elements whose class or id calls them a date, time or byline (the first 20). */
  dateHints: Element[];
}

const MAX_DATE_HINTS = 20;
// Words of class names and ids that mark bylines and date lines («entry-date», «articleDate»), and not
// «updated» (the modification) or WordPress's «status-publish» (on whole posts).
const DATE_HINT_WORDS = new Set(
  'date dates datetime dateline time thetime timestamp byline published pubdate posted'.split(' '),
);
const isDateHint = (names: string | undefined): boolean =>
  !!names && names.split(/[\s_-]+|(?<=[a-z])(?=[A-Z])/).some((w) => DATE_HINT_WORDS.has(w.toLowerCase()));
const DATE_PROPS = new Set(['datePublished', 'dateCreated', 'dateModified']);

interface Context {
  nav: boolean;
  header: boolean;
  story: boolean;
}

export function readPageFacts(root: AnyNode): PageFacts {
  const facts: PageFacts = { meta: new Map(), ld: [], title: '', dateProps: [], times: [], dateHints: [] };
  let titleSeen = false;

  /** Reads one element; returns the context of its children, or undefined to skip them. */
  const visit = (el: Element, ctx: Context): Context | undefined => {
    const a = el.attribs;
    switch (el.name) {
      case 'meta':
        readMeta(a, facts.meta);
        break;
      case 'link':
        if (facts.canonical === undefined && a.href && /(?:^|\s)canonical(?:\s|$)/i.test(a.rel ?? ''))
          facts.canonical = a.href;
        break;
      case 'script':
        if (a.type?.trim().toLowerCase() === 'application/ld+json') readJsonLd(textOf(el), facts.ld);
        return undefined;
      case 'title':
        if (!titleSeen) facts.title = textOf(el);
        titleSeen = true;
        return undefined;
      case 'html':
        facts.htmlLang ??= a.lang ?? a['xml:lang'];
        break;
      case 'h1':
        if (!facts.h1 && !ctx.nav && (!ctx.header || ctx.story)) facts.h1 = el;
        break;
      case 'time':
        facts.times.push({ el, inArticle: ctx.story });
        break;
    }
    if (a.itemprop && el.name !== 'meta' && a.itemprop.split(/\s+/).some((p) => DATE_PROPS.has(p)))
      facts.dateProps.push(el);
    if (!facts.author && (a.itemprop === 'author' || a.rel === 'author')) facts.author = el;
    if (facts.dateHints.length < MAX_DATE_HINTS && (isDateHint(a.class) || isDateHint(a.id)))
      facts.dateHints.push(el);

    return {
      nav: ctx.nav || el.name === 'nav' || a.role === 'banner',
      header: ctx.header || el.name === 'header',
      story: ctx.story || el.name === 'article' || el.name === 'main',
    };
  };

  // In document order with a stack of its own: a page may be 20,000 deep or 130,000 wide.
  const work: [Element, Context][] = [];
  const pushChildren = (node: AnyNode, ctx: Context) => {
    const children = (node as Element).children ?? [];
    for (let i = children.length - 1; i >= 0; i--) {
      const child = children[i]!;
      if (child.type === 'tag' || child.type === 'script') work.push([child as Element, ctx]);
    }
  };
  pushChildren(root, { nav: false, header: false, story: false });
  while (work.length > 0) {
    const [el, ctx] = work.pop()!;
    const inner = visit(el, ctx);
    if (inner) pushChildren(el, inner);
  }
  return facts;
}

function readMeta(a: Record<string, string>, meta: Map<string, string[]>): void {
  const value = a.content ?? a.value;
  if (value === undefined) return;
  // itemprop takes a list: «datePublished dateCreated».
  const keys = [a.name, a.property, a['http-equiv'], ...(a.itemprop?.split(/\s+/) ?? [])];
  for (const key of keys) {
    if (!key) continue;
    const k = key.trim().toLowerCase();
    const list = meta.get(k);
    if (list) list.push(value);
    else meta.set(k, [value]);
  }
}

function readJsonLd(raw: string, out: Record<string, unknown>[]): void {
  const text = raw.replace(/^\s*<!--|-->\s*$/g, '');
  try {
    flatten(JSON.parse(text), out);
  } catch {
    // Hand-written blocks often hold two objects side by side or a stray closing brace:
    // read each balanced top-level value on its own, and skip what still fails.
    for (const part of topLevelValues(text)) {
      try {
        flatten(JSON.parse(part), out);
      } catch {
        // the page's other signals still work
      }
    }
  }
}

/** Balanced {...} and [...] spans at the top level of a text, strings respected. */
function topLevelValues(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = -1;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = depth > 0;
    else if (c === '{' || c === '[') {
      if (depth++ === 0) start = i;
    } else if ((c === '}' || c === ']') && depth > 0 && --depth === 0) parts.push(text.slice(start, i + 1));
  }
  return parts;
}

/** JSON-LD nodes in document order; JSON nested 100,000 deep parses, so this keeps a stack of its own. */
function flatten(value: unknown, out: Record<string, unknown>[]): void {
  const work: unknown[] = [value];
  while (work.length > 0) {
    const next = work.pop();
    if (Array.isArray(next)) {
      for (let i = next.length - 1; i >= 0; i--) work.push(next[i]);
      continue;
    }
    if (!next || typeof next !== 'object') continue;
    const node = next as Record<string, unknown>;
    out.push(node);
    // Pushed in reverse: @graph's members are read before mainEntity's, as written.
    if (node.mainEntity && typeof node.mainEntity === 'object') work.push(node.mainEntity);
    if (node['@graph']) work.push(node['@graph']);
  }
}

/** The text under a node, scripts included (JSON-LD lives in one). */
export function textOf(node: AnyNode): string {
  return nodeText(node, 'all');
}

/** The first value of the first key that has one. */
export function metaValue(facts: PageFacts, ...keys: string[]): string | undefined {
  for (const key of keys) {
    const v = facts.meta.get(key)?.find((s) => s.trim() !== '');
    if (v !== undefined) return v;
  }
  return undefined;
}
