// OPML, the list of feeds every feed reader imports and exports: read into the inputs
// `feeds add` takes, one per outline with its line, and written from the feeds polled.
// Pure: text in, outlines out. Read with htmlparser2 in XML mode, which expands no entity
// but the five of XML; a DOCTYPE (where entity bombs are declared) is refused outright, and
// elements may nest no deeper than feed XML may (MAX_FEED_DEPTH).
import { Parser } from 'htmlparser2';
import { MAX_FEED_DEPTH } from '../ingest/feed-xml';
import type { NewFeed } from './runtime';
import type { FeedDefinition } from './schema';

/** A reader's whole subscription list is a few hundred KB; anything bigger is no OPML meant for us. */
export const MAX_OPML_BYTES = 1024 * 1024;
/** Each feed is probed before it is added: an import of more is split by the operator. */
export const MAX_OPML_FEEDS = 500;

/** The document as a whole cannot be read; `line` is where, when known. */
export class OpmlError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(line === undefined ? message : `line ${line}: ${message}`);
    this.name = 'OpmlError';
  }
}

/** One feed outline: what `feeds add` would be given, and where it stands in the file. */
export interface OpmlFeed {
  line: number;
  /** the outline's xmlUrl as written, '' when it has none */
  url: string;
  input: { url: string; name?: string; lang?: NewFeed['lang']; tags?: string[] };
}

const localName = (name: string) => name.slice(name.indexOf(':') + 1).toLowerCase();

/** Attributes by lower-case name: files in the wild write xmlUrl, xmlurl and XMLURL. */
function attributesOf(attrs: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(attrs).map(([k, v]) => [k.toLowerCase(), v]));
}

/** A region tag from a category or folder name; '' when nothing of it is a-z or 0-9. */
export function tagOf(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48)
    .replace(/-+$/, '');
}

function languageOf(value: string | undefined): NewFeed['lang'] | undefined {
  const primary = value?.trim().toLowerCase().split(/[-_]/)[0];
  return primary === 'ar' || primary === 'en' ? primary : undefined;
}

export function parseOpml(text: string): OpmlFeed[] {
  if (Buffer.byteLength(text) > MAX_OPML_BYTES)
    throw new OpmlError(`the file is larger than ${MAX_OPML_BYTES} bytes, and no OPML list is that long`);
  const lineStarts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
  const lineAt = (index: number): number => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
  const doctype = /<!(DOCTYPE|ENTITY)\b/i.exec(text);
  if (doctype)
    throw new OpmlError(
      `a <!${doctype[1]!.toUpperCase()}> is refused: OPML needs none, and entities declared there are how XML bombs are built`,
      lineAt(doctype.index),
    );

  const feeds: OpmlFeed[] = [];
  // One entry per open element: the folder name it gives the outlines inside it, if any.
  const stack: { name: string; folder: string | undefined }[] = [];
  let sawBody = false;
  let failure: OpmlError | undefined;
  const parser = new Parser(
    {
      onopentag(rawName, rawAttrs) {
        if (failure) return;
        const line = lineAt(parser.startIndex);
        const name = localName(rawName);
        if (stack.length === 0 && name !== 'opml') {
          failure = new OpmlError(`not OPML: the document's root is <${rawName}>, not <opml>`, line);
          return;
        }
        if (stack.length >= MAX_FEED_DEPTH) {
          failure = new OpmlError(`elements nest deeper than ${MAX_FEED_DEPTH}`, line);
          return;
        }
        if (name === 'body' && stack.length === 1) sawBody = true;
        const attrs = attributesOf(rawAttrs);
        const label = (attrs.get('text') ?? attrs.get('title') ?? '').trim();
        const xmlUrl = attrs.get('xmlurl')?.trim();
        const type = attrs.get('type')?.trim().toLowerCase();
        const isFeed = name === 'outline' && (xmlUrl !== undefined || type === 'rss' || type === 'atom');
        stack.push({ name, folder: name === 'outline' && !isFeed && label ? label : undefined });
        if (!isFeed) return;
        if (feeds.length >= MAX_OPML_FEEDS) {
          failure = new OpmlError(`more than ${MAX_OPML_FEEDS} feeds in one file: import it in parts`, line);
          return;
        }
        const categories = (attrs.get('category') ?? '').split(',').flatMap((c) => c.split('/'));
        const folders = stack.flatMap((e) => (e.folder ? [e.folder] : []));
        const tags = [...new Set([...categories, ...folders].map(tagOf).filter(Boolean))];
        const lang = languageOf(attrs.get('language'));
        feeds.push({
          line,
          url: xmlUrl ?? '',
          input: {
            url: xmlUrl ?? '',
            ...(label ? { name: label } : {}),
            ...(lang ? { lang } : {}),
            ...(tags.length ? { tags } : {}),
          },
        });
      },
      onclosetag() {
        stack.pop();
      },
    },
    { xmlMode: true, decodeEntities: true },
  );
  parser.end(text);
  if (failure) throw failure;
  if (!sawBody) throw new OpmlError('not OPML: there is no <opml><body> holding outlines');
  return feeds;
}

/**
 * feeds.yml's type as OPML 2.0's `version` of an rss outline. A JSON Feed is an outline of type
 * rss too, as readers export it (OPML knows subscriptions of type rss only, and many readers
 * import nothing else), with version JSONFeed, which OPML leaves open; a re-import probes the URL
 * and finds its type again.
 */
const VERSION: Partial<Record<FeedDefinition['type'], string>> = {
  rss: 'RSS2',
  rdf: 'RSS1',
  atom: 'ATOM',
  json: 'JSONFeed',
};

/**
 * The feeds as an OPML 2.0 document. Listing pages (type html) are left out: their selectors
 * have no place in OPML, and no other reader could poll them.
 */
export function writeOpml(feeds: readonly FeedDefinition[], opts: { title: string; now: Date }): string {
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<opml version="2.0">',
    '  <head>',
    `    <title>${escape(opts.title)}</title>`,
    `    <dateCreated>${opts.now.toUTCString()}</dateCreated>`,
    '  </head>',
    '  <body>',
  ];
  for (const feed of feeds) {
    if (feed.type === 'html') continue;
    const attrs: [string, string][] = [
      ['type', 'rss'],
      ['text', feed.name],
      ['title', feed.name],
      ['xmlUrl', feed.url],
      ['version', VERSION[feed.type] ?? 'RSS2'],
      ['language', feed.language],
      ['category', feed.region.join(',')],
    ];
    lines.push(`    <outline ${attrs.map(([k, v]) => `${k}="${escape(v)}"`).join(' ')}/>`);
  }
  lines.push('  </body>', '</opml>', '');
  return lines.join('\n');
}

function escape(text: string): string {
  return (
    text
      // Characters XML 1.0 cannot carry at all, even as references.
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/\n/g, '&#10;')
      .replace(/\r/g, '&#13;')
      .replace(/\t/g, '&#9;')
  );
}
