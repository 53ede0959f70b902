// Feed XML (RSS 0.9x/2.0, RSS 1.0/RDF, Atom 0.3/1.0) read into the fields of its items. Read leniently, as
// feed readers and browsers read it: htmlparser2 in XML mode (parseXml, src/ingest/parse-html.ts) takes a
// bare '&', entities it does not know, unquoted attributes and HTML written straight into a description,
// expands no entity but XML's five and character references (a DOCTYPE's entities stay as written), and
// nests no element deeper than MAX_FEED_DEPTH. Elements are found by namespace, under whatever prefix a
// feed binds. What stays broken: an end tag that closes a feed element still open (an <item> that never
// ends), which leaves no telling where one item stops. Measured against the regex rewrite for rss-parser
// this replaced, on every shared feed fixture: bench/FEED-PARSERS.md.
import { isTag, type Element } from 'domhandler';
import { parseDate } from './article-dates';
import { walkDom } from './dom-walk';
import { parseXml } from './parse-html';

export type FeedKind = 'atom' | 'rdf' | 'rss';

/**
 * How deep elements may nest. A feed is a handful of levels deep, its XHTML content a few dozen;
 * deeper tags are left out as they stream past, their text kept (htmlparser2's open-element stack
 * makes each tag cost as much as the depth it opens at: 100,000 nested ones took minutes).
 */
export const MAX_FEED_DEPTH = 256;

/** An item's fields as the feed writes them; dates already ISO 8601. */
export interface FeedXmlItem {
  id?: string | undefined;
  url?: string | undefined;
  title?: string | undefined;
  date?: string | undefined;
  updated?: string | undefined;
  summary?: string | undefined;
}

export type FeedXml =
  /** `site` is the link the channel (or Atom feed) gives, as written. */
  | { site: string | undefined; items: FeedXmlItem[] }
  /** No feed: `reason` says what is wrong, in words to follow "a broken <root> document". */
  | { reason: string; noChannel?: true };

const NS = {
  atom: 'http://www.w3.org/2005/Atom',
  atom03: 'http://purl.org/atom/ns#',
  rss10: 'http://purl.org/rss/1.0/',
  rss090: 'http://my.netscape.com/rdf/simple/0.9/',
  rdf: 'http://www.w3.org/1999/02/22-rdf-syntax-ns#',
};

/** Elements are named by the prefix most feeds write for their namespace (`dc:date`), whatever the feed binds. */
const CANONICAL_PREFIX = new Map([
  [NS.atom, 'atom'],
  [NS.atom03, 'atom'],
  [NS.rdf, 'rdf'],
  ['http://purl.org/dc/elements/1.1/', 'dc'],
  ['http://purl.org/dc/terms/', 'dcterms'],
  ['http://purl.org/rss/1.0/modules/content/', 'content'],
]);

/** The namespaces whose elements go by their local name, by the kind of feed. */
const VOCABULARY: Record<FeedKind, Set<string>> = {
  atom: new Set([NS.atom, NS.atom03]),
  rdf: new Set([NS.rss10, NS.rss090]),
  rss: new Set(),
};

/**
 * Elements holding text or HTML (RSS title, description, content:encoded; Atom title, subtitle,
 * summary, content, rights), by local name: element children inside them are markup, not feed structure.
 */
const TEXT_CONSTRUCTS = new Set([
  'title',
  'description',
  'encoded',
  'subtitle',
  'summary',
  'content',
  'rights',
]);

/** Dates read when the feed's own (pubDate, Atom published/updated) is missing or unreadable. */
const OTHER_DATES = [
  'dc:date',
  'atom:published',
  'atom:updated',
  'atom:issued',
  'atom:modified',
  'dcterms:issued',
  'dcterms:created',
  'dcterms:modified',
  'issued',
  'modified',
  'created',
];
const UPDATED_DATES = ['updated', 'atom:updated', 'dcterms:modified', 'modified'];

/** XML declaration, comments, processing instructions and the DOCTYPE with its internal subset. */
export const PROLOG = /^(\s*(<\?[\s\S]*?\?>|<!--[\s\S]*?-->|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>))*/i;

export function readFeedXml(body: string, documentUrl: string): FeedXml {
  // The prolog is blanked rather than cut, so that offsets still give lines: a DOCTYPE's internal
  // subset is no markup to parse. A '<' that starts no tag ("a <3 b") is text the feed forgot to escape.
  const text = body
    .replace(PROLOG, (prolog) => prolog.replace(/[^\n]/g, ' '))
    .replace(/<(?![A-Za-z_\u00c0-\uffff/!?])/g, '&lt;');
  const { document, leftOpen } = parseXml(text, MAX_FEED_DEPTH);
  const root = document.children.find(isElement);
  if (!root) return { reason: 'it holds no element' };
  const kind = feedKind(localName(root.name));
  if (!kind) return { reason: `<${root.name}> is the root of no RSS, RDF or Atom document` };
  // HTML left open in a title or description is closed by its end tag, as an HTML reader would.
  const known = new Map<Element, boolean>();
  const broken = leftOpen.find(({ element }) => !insideText(element, known));
  if (broken) {
    const line = text.slice(0, broken.at).split('\n').length;
    return {
      reason: `</${broken.closedBy}> on line ${line} closes <${broken.element.name}>, which was never closed`,
    };
  }
  const feed = new Reader(kind, documentUrl);
  if (kind === 'atom') {
    const entries = elements(root).filter((e) => feed.name(e) === 'entry');
    return { site: feed.atomLink(root), items: entries.map((e) => feed.atomEntry(e)) };
  }
  const channel = elements(root).find((e) => feed.name(e) === 'channel');
  if (!channel) return { reason: 'it has no <channel> element', noChannel: true };
  // RSS 1.0 and 0.90 keep their items beside the channel, RSS 0.91-2.0 inside it.
  const items = elements(kind === 'rdf' ? root : channel).filter((e) => feed.name(e) === 'item');
  return { site: feed.rssLink(feed.fields(channel)), items: items.map((e) => feed.rssItem(e)) };
}

class Reader {
  constructor(
    readonly kind: FeedKind,
    readonly documentUrl: string,
  ) {}

  /** The element's name with the prefix its namespace goes by here (`dc:date`), else as written. */
  name(element: Element): string {
    return canonicalName(element, this.kind);
  }

  /** The first child of each name, as feed readers take a field written twice. */
  fields(parent: Element): Map<string, Element> {
    const fields = new Map<string, Element>();
    for (const child of elements(parent)) {
      const name = this.name(child);
      if (!fields.has(name)) fields.set(name, child);
    }
    return fields;
  }

  rssItem(item: Element): FeedXmlItem {
    const f = this.fields(item);
    const pubDate = textOf(f.get('pubDate')) || textOf(f.get('dc:date'));
    return {
      id: firstText([textOf(f.get('guid')), rdfAbout(item) ?? '']),
      url: this.rssLink(f),
      title: markupOf(f.get('title') ?? f.get('dc:title')),
      date:
        v8Date(pubDate) ??
        firstDate([textOf(f.get('pubDate')), ...OTHER_DATES.map((name) => textOf(f.get(name)))]),
      updated: firstDate(UPDATED_DATES.map((name) => textOf(f.get(name)))),
      summary: firstText([
        textOf(f.get('summary')),
        markupOf(f.get('description')),
        textOf(f.get('dc:description')),
      ]),
    };
  }

  atomEntry(entry: Element): FeedXmlItem {
    const f = this.fields(entry);
    return {
      id: textOf(f.get('id')),
      url: this.atomLink(entry),
      title: markupOf(f.get('title')),
      date:
        atomDate(textOf(f.get('published'))) ??
        atomDate(textOf(f.get('updated'))) ??
        firstDate(OTHER_DATES.map((name) => textOf(f.get(name)))),
      updated: firstDate(UPDATED_DATES.map((name) => textOf(f.get(name)))),
      summary: firstText([
        markupOf(f.get('summary')),
        markupOf(f.get('content')),
        textOf(f.get('dc:description')),
      ]),
    };
  }

  /** An RSS <link>'s text (or href, as some write it), resolved against xml:base when one is in scope. */
  rssLink(fields: Map<string, Element>): string | undefined {
    const link = fields.get('link');
    if (!link) return undefined;
    const href = textOf(link).trim() || link.attribs.href?.trim();
    const base = baseOf(link, this.documentUrl);
    return href && base ? absolute(href, base) : href;
  }

  /**
   * The Atom link naming the page: the first whose rel is alternate or missing (an entry's rel="self"
   * or "edit" is its AtomPub document), or one written as text. Resolved against xml:base.
   */
  atomLink(parent: Element): string | undefined {
    for (const link of elements(parent)) {
      if (this.name(link) !== 'link') continue;
      const { href, rel } = link.attribs;
      const base = baseOf(link, this.documentUrl);
      if (href === undefined) {
        const written = elements(link).length === 0 ? textOf(link).trim() : '';
        if (written) return absolute(written, base);
      } else if (rel === undefined || /(^|\/)alternate$/.test(rel.trim())) {
        return base ? absolute(href, base) : href;
      }
    }
    return undefined;
  }
}

function canonicalName(element: Element, kind: FeedKind): string {
  const written = element.name;
  const colon = written.indexOf(':');
  const uri = namespaceOf(element, colon < 0 ? '' : written.slice(0, colon));
  if (!uri) return written;
  if (VOCABULARY[kind].has(uri)) return written.slice(colon + 1);
  const canonical = CANONICAL_PREFIX.get(uri);
  return canonical ? `${canonical}:${written.slice(colon + 1)}` : written;
}

/** The namespace `prefix` ('' for the default) is bound to at `element`; undefined when none or undeclared. */
function namespaceOf(element: Element, prefix: string): string | undefined {
  const attribute = prefix ? `xmlns:${prefix}` : 'xmlns';
  for (let node: Element | null = element; node; node = parentElement(node)) {
    const uri = node.attribs[attribute];
    if (uri !== undefined) return uri || undefined;
  }
  return undefined;
}

function rdfAbout(element: Element): string | undefined {
  for (const [name, value] of Object.entries(element.attribs)) {
    const colon = name.indexOf(':');
    if (name.slice(colon + 1) === 'about' && namespaceOf(element, name.slice(0, colon)) === NS.rdf)
      return value;
  }
  return undefined;
}

/** xml:base in scope at `element`, absolute; undefined when no element above sets one. */
function baseOf(element: Element, documentUrl: string): string | undefined {
  const written: string[] = [];
  for (let node: Element | null = element; node; node = parentElement(node)) {
    const base = node.attribs['xml:base']?.trim();
    // An empty or fragment-only xml:base names no other place than the document itself.
    if (base && !base.startsWith('#')) written.push(base);
  }
  let base: string | undefined;
  for (const relative of written.reverse()) base = absolute(relative, base ?? documentUrl);
  return base;
}

/**
 * Whether an element lies in a title, a description or another text construct, by local name.
 * `known` holds, for elements met on earlier walks, whether they are or lie in one: a walk stops there.
 */
function insideText(element: Element, known: Map<Element, boolean>): boolean {
  const path: Element[] = [];
  let inside = false;
  for (let node = parentElement(element); node; node = parentElement(node)) {
    const answer = known.get(node);
    if (answer !== undefined) {
      inside = answer;
      break;
    }
    path.push(node);
    if (TEXT_CONSTRUCTS.has(localName(node.name))) {
      inside = true;
      break;
    }
  }
  for (const node of path) known.set(node, inside);
  return inside;
}

/** The element's own text and CDATA, not its children's. */
function textOf(element: Element | undefined): string {
  if (!element) return '';
  let text = '';
  for (const child of element.children) {
    if (child.type === 'text') text += child.data;
    else if (child.type === 'cdata')
      text += child.children.map((c) => (c.type === 'text' ? c.data : '')).join('');
  }
  return clean(text);
}

/**
 * A title or description as HTML: its text when it holds no element (HTML escaped into it, or in
 * CDATA), else its children written out as HTML (XHTML, or HTML the feed did not escape), the text of
 * CDATA as it is. Text the parser decoded is escaped again where it must have been escaped: a '<', and
 * a '&' starting what XML would have decoded; `&ndash;` is left as the feed wrote it, for HTML to read.
 */
function markupOf(element: Element | undefined): string {
  if (!element || elements(element).length === 0) return textOf(element);
  const out: string[] = [];
  walkDom(
    element,
    (node) => {
      if (node.type === 'text') out.push(node.data.replace(DECODED, '&amp;').replace(/</g, '&lt;'));
      else if (node.type === 'cdata') out.push(textOf(node as unknown as Element));
      else if (isElement(node)) {
        const attributes = Object.entries(node.attribs).map(
          ([k, v]) => ` ${k}="${v.replace(/"/g, '&quot;')}"`,
        );
        out.push(`<${node.name}${attributes.join('')}>`);
        return true;
      }
      return false;
    },
    (node) => void (isElement(node) && out.push(`</${node.name}>`)),
  );
  return clean(out.join(''));
}

const DECODED = /&(?=(?:amp|lt|gt|quot|apos|#\d+|#[xX][\da-fA-F]+);)/g;

/** Characters XML forbids (a `&#x1F;` the parser decoded, a stray control byte) are dropped. */
// eslint-disable-next-line no-control-regex -- control characters are what is dropped
const clean = (text: string) => text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');

const firstText = (texts: string[]): string | undefined => texts.find((t) => t.trim() !== '');

/** A date as JavaScript reads it (RFC 822, ISO 8601), which is how feed readers read pubDate. */
function v8Date(text: string): string | undefined {
  const time = Date.parse(text.trim());
  return text.trim() && !Number.isNaN(time) ? new Date(time).toISOString() : undefined;
}

/** Atom's dates, padded or written in the site's language («الأحد، 31 يناير 2026») too. */
const atomDate = (text: string): string | undefined => v8Date(text) ?? (parseDate(text.trim()) || undefined);

/** The first of the dates that the article date reader, else JavaScript, can read. */
function firstDate(texts: string[]): string | undefined {
  for (const text of texts) {
    const date = text.trim() && (parseDate(text.trim()) ?? v8Date(text));
    if (date) return new Date(date).toISOString();
  }
  return undefined;
}

function feedKind(local: string): FeedKind | undefined {
  if (local === 'feed') return 'atom';
  if (local.toLowerCase() === 'rdf') return 'rdf';
  if (local === 'rss') return 'rss';
  return undefined;
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
// A <script> or <style> in a description is an element too (domhandler types them apart).
const isElement = isTag;
const elements = (parent: Element): Element[] => parent.children.filter(isElement);
const parentElement = (node: Element): Element | null =>
  node.parent && isElement(node.parent) ? node.parent : null;
