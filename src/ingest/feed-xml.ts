// Feed XML rewritten into the shape rss-parser reads. rss-parser hands the text to xml2js on a strict sax
// parser and then walks the result by fixed element names ('rdf:RDF', 'dc:date', 'link'...), so feeds that
// are fine for a browser or a namespace-aware reader fail or crash in it. Each rewrite below answers one
// such failure (most met in ../shared/fixtures/feeds); everything else passes through as written.
import { load } from 'cheerio/slim';
import { parseDate } from './article-dates';

export type FeedKind = 'atom' | 'rdf' | 'rss';

export interface FeedXml {
  /** The document as rss-parser should see it. */
  xml: string;
  /** What the root element makes the document; undefined when it is no feed's root. */
  kind: FeedKind | undefined;
  /** Whether the root holds a <channel>: without one rss-parser fails on RSS and RDF with a TypeError. */
  hasChannel: boolean;
  /** Whether the root holds any element: an empty <feed/> reaches rss-parser as a string. */
  rootHasElements: boolean;
}

const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  atom03: 'http://purl.org/atom/ns#',
  rss10: 'http://purl.org/rss/1.0/',
  rss090: 'http://my.netscape.com/rdf/simple/0.9/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
  xml: 'http://www.w3.org/XML/1998/namespace',
};

/**
 * rss-parser looks elements up by prefix as most feeds write them (`dc:date`, `content:encoded`,
 * `rdf:about`); a feed may bind any prefix to those namespaces (`a10:updated`, `dcterms`...).
 */
const CANONICAL_PREFIX = new Map([
  [NS.atom, 'atom'],
  [NS.atom03, 'atom'],
  [NS.rdf, 'rdf'],
  ['http://purl.org/dc/elements/1.1/', 'dc'],
  ['http://purl.org/dc/terms/', 'dcterms'],
  ['http://purl.org/rss/1.0/modules/content/', 'content'],
]);

/** The namespaces whose elements rss-parser expects without a prefix, by the kind of feed. */
const VOCABULARY: Record<FeedKind, Set<string>> = {
  atom: new Set([NS.atom, NS.atom03]),
  rdf: new Set([NS.rss10, NS.rss090]),
  rss: new Set(),
};

/** Elements holding text or HTML: element children inside them are markup, not feed structure. */
const TEXT_CONSTRUCTS: Record<FeedKind, Set<string>> = {
  atom: new Set(['title', 'subtitle', 'summary', 'content', 'rights']),
  rdf: new Set(['title', 'description', 'content:encoded']),
  rss: new Set(['title', 'description', 'content:encoded']),
};

const TOKEN =
  /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE(?:[^>[]|\[[\s\S]*?\])*>|<(\/?)([A-Za-z_\u00c0-\uffff][\w.:\u00b7-\uffff-]*)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|(<\/?[A-Za-z][^<>]*>)|([^<]+)|</gy;
const ATTRIBUTE = /([^\s=/>]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

interface Attribute {
  name: string;
  value: string;
}

interface Frame {
  /** The name as written, to match the end tag, and as emitted. */
  written: string;
  emitted: string;
  scope: Map<string, string> | undefined;
  /** xml:base in scope, absolute; undefined when no element above sets one. */
  base: string | undefined;
  /** Index in the output of this element's start tag. */
  start: number;
  hasElements: boolean;
  /** Inside a text construct: children are left exactly as written. */
  markup: boolean;
  role: 'entry' | 'date' | 'link' | 'text' | undefined;
  /** Decoded text content, kept for the roles that rewrite it. */
  text: string;
}

/**
 * How deep elements may nest. A feed is a handful of levels deep, its XHTML content a few dozen;
 * 100,000 nested elements took minutes to rewrite (each looks its namespaces up through every
 * element above it) and would reach the XML parser and rss-parser's reader just as deep.
 */
export const MAX_FEED_DEPTH = 256;

export function normaliseFeedXml(body: string, documentUrl: string): FeedXml {
  const out: string[] = [];
  const stack: Frame[] = [];
  let kind: FeedKind | undefined;
  let hasChannel = false;
  let rootHasElements = false;

  const resolve = (prefix: string): string | undefined => {
    if (prefix === 'xml') return NS.xml;
    for (let i = stack.length - 1; i >= 0; i--) {
      const uri = stack[i]!.scope?.get(prefix);
      if (uri !== undefined) return uri || undefined;
    }
    return undefined;
  };

  const open = (written: string, attrs: Attribute[], selfClosing: boolean): void => {
    const parent = stack.at(-1);
    const frame: Frame = {
      written,
      emitted: written,
      scope: declarations(attrs),
      base: parent?.base,
      start: out.length,
      hasElements: false,
      markup: parent !== undefined && (parent.markup || parent.role === 'text'),
      role: undefined,
      text: '',
    };
    if (parent) parent.hasElements = true;
    // Pushed before renaming: namespace declarations on an element apply to its own name.
    stack.push(frame);
    if (!parent) kind = feedKind(localName(written));
    if (stack.length === 2) rootHasElements = true;

    if (!frame.markup && kind) {
      frame.emitted = stack.length === 1 ? rootName(kind, written) : rename(written, kind, resolve);
      attrs = attrs.map((a) => ({ ...a, name: renameAttribute(a.name, resolve) }));
      // An empty or fragment-only xml:base names no other place than the document itself.
      const xmlBase = decodeXml(attrs.find((a) => a.name === 'xml:base')?.value ?? '').trim();
      if (xmlBase && !xmlBase.startsWith('#')) frame.base = absolute(xmlBase, parent?.base ?? documentUrl);
      if (stack.length === 2 && frame.emitted === 'channel') hasChannel = true;
      frame.role = roleOf(frame.emitted, kind, frame.base !== undefined);
      if (frame.emitted === 'link' && kind === 'atom') {
        const href = attrs.find((a) => a.name === 'href');
        const rel = attrs.find((a) => a.name === 'rel');
        if (href) {
          if (frame.base) href.value = escapeXml(absolute(decodeXml(href.value), frame.base));
          frame.role = undefined;
        }
        // rss-parser takes the first rel="alternate" link, else the first link of any rel: an entry's
        // rel="self" or "edit" (its AtomPub document) would become the article. Only the alternate link,
        // which is also a link without rel, names the page; the others step aside as atom:link.
        if (!rel) attrs.push({ name: 'rel', value: 'alternate' });
        else if (!/(^|\/)alternate$/.test(decodeXml(rel.value).trim())) frame.emitted = 'atom:link';
      }
    }
    out.push(`<${frame.emitted}${attrs.map((a) => ` ${a.name}="${fixAttribute(a.value)}"`).join('')}>`);
    if (selfClosing) close();
  };

  const close = (): void => {
    const frame = stack.pop()!;
    out.push(`</${frame.emitted}>`);
    switch (frame.role) {
      case 'entry':
        // xml2js turns an element without children into a string, and rss-parser then reads
        // String.prototype.link as the entry's links and throws. Such an entry carries nothing.
        if (!frame.hasElements) out.length = frame.start;
        break;
      case 'date':
        if (!frame.hasElements) replaceText(frame, readableDate(frame.text));
        break;
      case 'link':
        if (frame.hasElements) break;
        if (kind === 'atom') {
          // A link written as text: rss-parser reads only href, and a link without attributes crashes it.
          out.length = frame.start;
          const href = frame.text.trim();
          if (href) out.push(`<link rel="alternate" href="${escapeXml(absolute(href, frame.base))}"/>`);
        } else {
          replaceText(frame, absolute(frame.text.trim(), frame.base));
        }
        break;
      case 'text':
        // Unescaped XHTML in a title or description reaches rss-parser as an object whose text and
        // children xml2js has already separated, words out of order; as CDATA it stays one string of HTML.
        if (frame.hasElements) {
          const html = out
            .slice(frame.start + 1, -1)
            .map((part) => (part.startsWith('<![CDATA[') ? part.slice(9, -3) : part))
            .join('');
          out.splice(frame.start + 1, out.length - frame.start - 2, cdata(html));
        }
        break;
    }
  };

  const replaceText = (frame: Frame, text: string): void => {
    out.splice(frame.start + 1, out.length - frame.start - 2, escapeXml(text));
  };

  // Tags nested deeper than MAX_FEED_DEPTH are left out, their text kept: names of the elements
  // open below the cap, so that their end tags are left out too.
  const skipped: string[] = [];

  TOKEN.lastIndex = 0;
  for (let match = TOKEN.exec(body); match; match = TOKEN.exec(body)) {
    const [token, cdataText, slash, name, attrText, selfClosing, looseTag, text] = match;
    const top = stack.at(-1);
    const inMarkup = top !== undefined && (top.markup || top.role === 'text');
    if (name !== undefined && (skipped.length > 0 || (!slash && stack.length >= MAX_FEED_DEPTH))) {
      if (!slash) {
        if (selfClosing !== '/') skipped.push(name);
        continue;
      }
      if (skipped.at(-1) === name) {
        skipped.pop();
        continue;
      }
      // An end tag of an element open above the cap closes whatever was left open below it
      // (HTML's <br> and <p> in a description); any other stray end tag down there is dropped.
      if (!stack.some((frame) => frame.written === name)) continue;
      skipped.length = 0;
    }
    if (name !== undefined) {
      if (!slash) open(name, parseAttributes(attrText ?? ''), selfClosing === '/');
      else if (top?.written === name) close();
      else {
        // HTML written straight into a description leaves <br> and <p> open; its end tag closes them,
        // as an HTML reader would. Any other end tag that closes nothing open stays for sax to report.
        const at = stack.findLastIndex((frame) => frame.written === name);
        if (at >= 0 && stack.slice(at + 1).every((frame) => frame.markup)) {
          while (stack.length > at) close();
        } else if (!inMarkup) {
          out.push(token);
        }
      }
    } else if (looseTag !== undefined) {
      // HTML tags that are not XML (`<a href=x>`, `<input disabled>`) inside a title or description
      // end up inside the CDATA the text construct becomes; anywhere else sax reports them.
      if (inMarkup) top.hasElements = true;
      out.push(token);
    } else if (text !== undefined) {
      const fixed = fixText(text);
      if (top?.role === 'date' || top?.role === 'link') top.text += decodeXml(fixed);
      out.push(fixed);
    } else if (cdataText !== undefined) {
      if (top?.role === 'date' || top?.role === 'link') top.text += cdataText;
      out.push(token);
    } else if (token === '<') {
      // A '<' that starts no markup ("a < b") is text the feed forgot to escape.
      out.push(/^<[A-Za-z_/!?\u00c0-\uffff]/.test(body.slice(match.index, match.index + 2)) ? token : '&lt;');
    } else {
      out.push(token);
    }
  }
  return { xml: out.join(''), kind, hasChannel, rootHasElements };
}

function feedKind(local: string): FeedKind | undefined {
  if (local === 'feed') return 'atom';
  if (local.toLowerCase() === 'rdf') return 'rdf';
  if (local === 'rss') return 'rss';
  return undefined;
}

/** rss-parser recognises the document by its root key: 'feed', 'rss' or exactly 'rdf:RDF'. */
function rootName(kind: FeedKind, written: string): string {
  return kind === 'rdf' ? 'rdf:RDF' : kind === 'atom' ? 'feed' : written;
}

function rename(written: string, kind: FeedKind, resolve: (prefix: string) => string | undefined): string {
  const colon = written.indexOf(':');
  const prefix = colon < 0 ? '' : written.slice(0, colon);
  const local = written.slice(colon + 1);
  const uri = resolve(prefix);
  if (!uri) return written;
  if (VOCABULARY[kind].has(uri)) return local;
  const canonical = CANONICAL_PREFIX.get(uri);
  return canonical ? `${canonical}:${local}` : written;
}

function renameAttribute(name: string, resolve: (prefix: string) => string | undefined): string {
  const colon = name.indexOf(':');
  if (colon < 0 || name.startsWith('xmlns')) return name;
  const uri = resolve(name.slice(0, colon));
  const canonical = uri === NS.xml ? 'xml' : uri ? CANONICAL_PREFIX.get(uri) : undefined;
  return canonical ? `${canonical}:${name.slice(colon + 1)}` : name;
}

function roleOf(emitted: string, kind: FeedKind, hasBase: boolean): Frame['role'] {
  if (emitted === (kind === 'atom' ? 'entry' : 'item')) return 'entry';
  if (TEXT_CONSTRUCTS[kind].has(emitted)) return 'text';
  if (kind === 'atom' && (emitted === 'published' || emitted === 'updated')) return 'date';
  // An Atom link is rewritten when it has no href (decided in open); an RSS link only under xml:base.
  if (emitted === 'link' && (kind === 'atom' || hasBase)) return 'link';
  return undefined;
}

function declarations(attrs: Attribute[]): Map<string, string> | undefined {
  let scope: Map<string, string> | undefined;
  for (const { name, value } of attrs) {
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      scope ??= new Map();
      scope.set(name === 'xmlns' ? '' : name.slice(6), decodeXml(value));
    }
  }
  return scope;
}

function parseAttributes(text: string): Attribute[] {
  return [...text.matchAll(ATTRIBUTE)].map((m) => ({ name: m[1]!, value: m[2] ?? m[3] ?? '' }));
}

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);

/**
 * rss-parser turns an Atom entry's published/updated into ISO with `new Date(text).toISOString()`,
 * which throws on anything V8 cannot read, padding included. Such a date is trimmed, or read by the
 * article date reader (Arabic and other localised forms), or emptied, which rss-parser skips.
 */
function readableDate(text: string): string {
  if (!Number.isNaN(Date.parse(text))) return text;
  const trimmed = text.trim();
  if (!Number.isNaN(Date.parse(trimmed))) return trimmed;
  return (trimmed && parseDate(trimmed)) || '';
}

function absolute(href: string, base: string | undefined): string {
  if (!base) return href;
  try {
    return new URL(href, base).toString();
  } catch {
    return href;
  }
}

/**
 * sax in strict mode stops at a bare '&' (`?a=1&b=2`), at a named entity it does not know, and at a
 * character reference to a control character or written in upper-case hex (`&#x1F;`). Named HTML
 * entities become character references, unknown names and bare ampersands are escaped, and references
 * to characters XML forbids are dropped.
 */
function fixText(text: string): string {
  return text.includes('&') ? text.replace(REFERENCE, fixReference) : text;
}

/** Attributes are written back in double quotes, whatever quotes they came in. */
function fixAttribute(value: string): string {
  return fixText(value).replace(/</g, '&lt;').replace(/"/g, '&quot;');
}

const REFERENCE = /&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|([A-Za-z][A-Za-z0-9]*));|&/g;
const XML_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);
const htmlEntities = new Map<string, string>();

function fixReference(ref: string, dec?: string, hex?: string, name?: string): string {
  if (dec !== undefined || hex !== undefined) {
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex!, 16);
    return isXmlChar(code) ? `&#${code};` : '';
  }
  if (name === undefined) return '&amp;';
  if (XML_ENTITIES.has(name)) return ref;
  let replacement = htmlEntities.get(name);
  if (replacement === undefined) {
    const decoded = load(ref, null, false).text();
    replacement =
      decoded === ref
        ? `&amp;${name};`
        : [...decoded].map((c) => (isXmlChar(c.codePointAt(0)!) ? `&#${c.codePointAt(0)};` : '')).join('');
    if (htmlEntities.size < 4096) htmlEntities.set(name, replacement);
  }
  return replacement;
}

function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Text as the XML parser will read it, after fixText: the five XML entities and character references. */
function decodeXml(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(?:#(\d+)|#[xX]([0-9a-fA-F]+)|(amp|lt|gt|quot|apos));/g, (ref, dec, hex, name) => {
    if (name) return { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[name as 'amp'];
    const code = dec !== undefined ? Number.parseInt(dec, 10) : Number.parseInt(hex as string, 16);
    return isXmlChar(code) ? String.fromCodePoint(code) : ref;
  });
}

const escapeXml = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const cdata = (text: string): string => `<![CDATA[${text.replace(/\]\]>/g, ']]]]><![CDATA[>')}]]>`;
