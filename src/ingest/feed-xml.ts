// Feed XML repaired for rss-parser. rss-parser hands the text to xml2js on a strict sax parser and then walks
// the result by fixed element names ('rdf:RDF', 'dc:date', 'link'...), so feeds that are fine for a browser
// or a feed reader fail or crash in it. The document is first read leniently, as feed readers read it:
// htmlparser2 in XML mode (parseXml, src/ingest/parse-html.ts) takes a bare '&', entities it does not know,
// unquoted or valueless attributes, '--' in comments, text before the root and HTML written straight into
// a description; it expands no entity but XML's five and character references (a DOCTYPE is blanked, its
// entities stay as written) and nests no element deeper than MAX_FEED_DEPTH. The tree is then set in the
// shape rss-parser reads (each step below answers one failure, most met in ../shared/fixtures/feeds) and
// written back as well-formed XML. What stays broken: an end tag that closes a feed element still open (an
// <item> that never ends), which leaves no telling where one item stops. Measured against the regex rewrite
// this replaced, on every shared feed fixture: bench/FEED-PARSERS.md.
import type { AnyNode, Element } from 'domhandler';
import { DomHandler, DomUtils } from 'htmlparser2';
import { parseDate } from './article-dates';
import { walkDom } from './dom-walk';
import { parseXml } from './parse-html';

export type FeedKind = 'atom' | 'rdf' | 'rss';

export interface FeedXml {
  /** The document as rss-parser should see it: its root element, written as well-formed XML. */
  xml: string;
  /** What the root element makes the document; undefined when it is no feed's root. */
  kind: FeedKind | undefined;
  /** Whether the root holds a <channel>: without one rss-parser fails on RSS and RDF with a TypeError. */
  hasChannel: boolean;
  /** Whether the root holds any element: an empty <feed/> reaches rss-parser as a string. */
  rootHasElements: boolean;
  /** Why the document is no feed to read, in words to follow "a broken <root> document". */
  broken?: string;
}

/**
 * How deep elements may nest. A feed is a handful of levels deep, its XHTML content a few dozen;
 * deeper tags are left out as they stream past, their text kept (htmlparser2's open-element stack
 * makes each tag cost as much as the depth it opens at: 100,000 nested ones took minutes).
 */
export const MAX_FEED_DEPTH = 256;

/** XML declaration, comments, processing instructions and the DOCTYPE with its internal subset. */
const PROLOG = /^(\s*(<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>))*/i;

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

/** Names sax accepts; htmlparser2 takes anything up to a space, '/' or '>' as one. */
const XML_NAME = /^[A-Za-z_\u00c0-\uffff][\w.:\u00b7-\uffff-]*$/;

interface Frame {
  /** xml:base in scope, absolute; undefined when no element above sets one. */
  base: string | undefined;
  hasElements: boolean;
  role: 'entry' | 'date' | 'link' | 'text' | undefined;
}

export function normaliseFeedXml(body: string, documentUrl: string): FeedXml {
  // The prolog is blanked rather than cut, so that offsets still give lines: a DOCTYPE's internal
  // subset is no markup to parse. A '<' that starts no tag ("a <3 b") is text the feed forgot to escape.
  const text = body
    .replace(PROLOG, (prolog) => prolog.replace(/[^\n]/g, ' '))
    .replace(/<(?![A-Za-z_\u00c0-\uffff/!?])/g, '&lt;');
  const { document, leftOpen } = parseXml(text, MAX_FEED_DEPTH);
  const root = document.children.find(DomUtils.isTag);
  const none = { xml: '', kind: undefined, hasChannel: false, rootHasElements: false };
  if (!root) return { ...none, broken: 'it holds no element' };
  const kind = feedKind(localName(root.name));
  if (!kind) return { ...none, broken: `<${root.name}> is the root of no RSS, RDF or Atom document` };

  const frames = new Map<Element, Frame>();
  let hasChannel = false;
  const open = (element: Element, parent: Frame | undefined, depth: number): Frame => {
    const written = element.name;
    const attribs = Object.entries(element.attribs).filter(([name]) => XML_NAME.test(name));
    element.attribs = Object.fromEntries(attribs.map(([n, v]) => [renameAttribute(element, n), clean(v)]));
    element.name = depth === 0 ? rootName(kind, written) : rename(element, kind);
    // An empty or fragment-only xml:base names no other place than the document itself.
    const xmlBase = element.attribs['xml:base']?.trim();
    const base =
      xmlBase && !xmlBase.startsWith('#') ? absolute(xmlBase, parent?.base ?? documentUrl) : parent?.base;
    if (depth === 1 && element.name === 'channel') hasChannel = true;
    const frame: Frame = {
      base,
      hasElements: element.children.some(DomUtils.isTag),
      role: roleOf(element.name, kind, base !== undefined),
    };
    if (element.name === 'link' && kind === 'atom') {
      const { href, rel } = element.attribs;
      if (href !== undefined) {
        if (base) element.attribs.href = absolute(href, base);
        frame.role = undefined;
      }
      // rss-parser takes the first rel="alternate" link, else the first link of any rel: an entry's
      // rel="self" or "edit" (its AtomPub document) would become the article. Only the alternate link,
      // which is also a link without rel, names the page; the others step aside as atom:link.
      if (rel === undefined) element.attribs.rel = 'alternate';
      else if (!/(^|\/)alternate$/.test(rel.trim())) element.name = 'atom:link';
    }
    return frame;
  };

  const close = (element: Element, frame: Frame): void => {
    switch (frame.role) {
      case 'entry':
        // xml2js turns an element without children into a string, and rss-parser then reads
        // String.prototype.link as the entry's links and throws. Such an entry carries nothing.
        if (!frame.hasElements) DomUtils.removeElement(element);
        break;
      case 'date':
        if (!frame.hasElements) setText(element, readableDate(textOf(element)));
        break;
      case 'link': {
        if (frame.hasElements) break;
        const href = textOf(element).trim();
        if (kind === 'rss' || kind === 'rdf') setText(element, absolute(href, frame.base));
        // A link written as text: rss-parser reads only href, and a link without attributes crashes it.
        else if (!href) DomUtils.removeElement(element);
        else {
          element.attribs = { rel: 'alternate', href: absolute(href, frame.base) };
          element.name = 'link';
          setText(element, undefined);
        }
        break;
      }
      case 'text':
        // Unescaped XHTML in a title or description reaches rss-parser as an object whose text and
        // children xml2js has already separated, words out of order; as CDATA it stays one string of HTML.
        if (frame.hasElements) setText(element, markupOf(element).replace(/]]>/g, ']]&gt;'), 'cdata');
        break;
    }
  };

  const structural = new Set<Element>([root]);
  frames.set(root, open(root, undefined, 0));
  walkDom(
    root,
    (node, depth) => {
      const parent = node.parent as Element;
      const parentFrame = frames.get(parent);
      if (node.type === 'comment' || node.type === 'directive') DomUtils.removeElement(node);
      else if (DomUtils.isText(node)) node.data = clean(node.data);
      else if (DomUtils.isTag(node) && parentFrame && parentFrame.role !== 'text') {
        structural.add(node);
        frames.set(node, open(node, parentFrame, depth));
      }
      // Markup inside a title or description is kept as written, for close() to make CDATA of it.
      return true;
    },
    (node) => {
      const frame = DomUtils.isTag(node) ? frames.get(node) : undefined;
      if (!frame) return;
      close(node as Element, frame);
      // A tag sax would refuse the name of (`<a,b>`) gives way to what it holds.
      if (!XML_NAME.test((node as Element).name)) unwrap(node as Element);
    },
  );
  // HTML left open in a title or description is closed by its end tag, as an HTML reader would.
  const broken = leftOpen.find(({ element }) => structural.has(element));
  const rootHasElements = root.children.some(DomUtils.isTag);
  if (broken) {
    const line = text.slice(0, broken.at).split('\n').length;
    const why = `</${broken.closedBy}> on line ${line} closes <${broken.element.name}>, which was never closed`;
    return { xml: '', kind, hasChannel, rootHasElements, broken: why };
  }
  return { xml: DomUtils.getOuterHTML(root, { xmlMode: true }), kind, hasChannel, rootHasElements };
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

function rename(element: Element, kind: FeedKind): string {
  const written = element.name;
  const colon = written.indexOf(':');
  const uri = namespaceOf(element, colon < 0 ? '' : written.slice(0, colon));
  if (!uri) return written;
  if (VOCABULARY[kind].has(uri)) return written.slice(colon + 1);
  const canonical = CANONICAL_PREFIX.get(uri);
  return canonical ? `${canonical}:${written.slice(colon + 1)}` : written;
}

function renameAttribute(element: Element, name: string): string {
  const colon = name.indexOf(':');
  if (colon < 0 || name.startsWith('xmlns')) return name;
  const uri = namespaceOf(element, name.slice(0, colon));
  const canonical = uri === NS.xml ? 'xml' : uri ? CANONICAL_PREFIX.get(uri) : undefined;
  return canonical ? `${canonical}:${name.slice(colon + 1)}` : name;
}

/** The namespace `ns` (an XML prefix; '' for the default) is bound to at `element`; undefined when none or undeclared. */
function namespaceOf(element: Element, ns: string): string | undefined {
  if (ns === 'xml') return NS.xml;
  const attribute = ns ? `xmlns:${ns}` : 'xmlns';
  for (let node: Element | null = element; node; node = parentElement(node)) {
    const uri = node.attribs[attribute];
    if (uri !== undefined) return uri || undefined;
  }
  return undefined;
}

function roleOf(emitted: string, kind: FeedKind, hasBase: boolean): Frame['role'] {
  if (emitted === (kind === 'atom' ? 'entry' : 'item')) return 'entry';
  if (TEXT_CONSTRUCTS[kind].has(emitted)) return 'text';
  if (kind === 'atom' && (emitted === 'published' || emitted === 'updated')) return 'date';
  // An Atom link is rewritten when it has no href (decided in open); an RSS link only under xml:base.
  if (emitted === 'link' && (kind === 'atom' || hasBase)) return 'link';
  return undefined;
}

/** The element's own text and CDATA, as the XML parser reads it. */
function textOf(element: Element): string {
  let text = '';
  for (const child of element.children) {
    if (child.type === 'text') text += child.data;
    else if (child.type === 'cdata')
      text += child.children.map((c) => (c.type === 'text' ? c.data : '')).join('');
  }
  return clean(text);
}

/** Replaces what `element` holds by `text`, as text or as CDATA; by nothing when it is undefined. */
function setText(element: Element, text: string | undefined, as: 'text' | 'cdata' = 'text'): void {
  element.children = [];
  if (text === undefined || text === '') return;
  // Nodes are made as the parser makes them: domhandler lends its types only (production-imports.test.ts).
  const handler = new DomHandler();
  if (as === 'cdata') handler.oncdatastart();
  handler.ontext(text);
  if (as === 'cdata') handler.oncdataend();
  DomUtils.appendChild(element, handler.root.children[0]!);
}

function unwrap(element: Element): void {
  const siblings = element.parent?.children;
  if (!siblings) return;
  for (const child of element.children) child.parent = element.parent;
  siblings.splice(siblings.indexOf(element), 1, ...element.children);
}

/**
 * A title or description's children written out as HTML (XHTML, or HTML the feed did not escape),
 * the text of CDATA as it is. Text the parser decoded is escaped again where it must have been
 * escaped: a '<', and a '&' starting what XML would have decoded; `&ndash;` is left as the feed
 * wrote it, for HTML to read. Comments are left out.
 */
function markupOf(element: Element): string {
  const out: string[] = [];
  walkDom(
    element,
    (node: AnyNode) => {
      if (node.type === 'text') out.push(node.data.replace(DECODED, '&amp;').replace(/</g, '&lt;'));
      else if (node.type === 'cdata') out.push(textOf(node as unknown as Element));
      else if (DomUtils.isTag(node)) {
        const attributes = Object.entries(node.attribs).map(
          ([k, v]) => ` ${k}="${v.replace(/&/g, '&amp;').replace(/"/g, '&quot;')}"`,
        );
        out.push(`<${node.name}${attributes.join('')}>`);
        return true;
      }
      return false;
    },
    (node) => void (DomUtils.isTag(node) && out.push(`</${node.name}>`)),
  );
  return clean(out.join(''));
}

const DECODED = /&(?=(?:amp|lt|gt|quot|apos|#\d+|#[xX][\da-fA-F]+);)/g;

/** Characters XML forbids (a `&#x1F;` the parser decoded, a stray control byte) are dropped. */
// eslint-disable-next-line no-control-regex -- control characters are what is dropped
const clean = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

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

const localName = (name: string): string => name.slice(name.indexOf(':') + 1);
const parentElement = (node: Element): Element | null =>
  node.parent && DomUtils.isTag(node.parent) ? node.parent : null;
