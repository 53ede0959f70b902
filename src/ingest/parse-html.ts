// HTML to a cheerio document, as cheerio's own load does (htmlparser2, the same options), but
// never deeper than MAX_PARSE_DEPTH. htmlparser2 keeps its open elements in an array it shifts
// and unshifts, so each tag costs as much as the depth it opens at: a page of 400,000 nested
// <div>s (2.4 MB, under the fetch cap) took four minutes to parse, and a feed title of 300,000
// escaped <b>s most of one. Tags that would open deeper are left out as they stream past, with
// their end tags; their text stays where it was, in the element at the cap. limitDomDepth then
// flattens the tree further, to the depth the readers are written for, keeping text-only elements.
// Feed XML is read the same way in XML mode (parseXml): no void elements, names as written, and no
// entity expanded but XML's five and character references.
import { load, type CheerioAPI } from 'cheerio/slim';
import type { Document, Element } from 'domhandler';
import { DomHandler, Parser, Tokenizer, type ParserOptions, type TokenizerCallbacks } from 'htmlparser2';

export const MAX_PARSE_DEPTH = 1024;

/** htmlparser2's void elements: they open nothing, so they pass below the cap (a <br> still breaks a line). */
const VOID = new Set(
  'area base basefont br col command embed frame hr img input isindex keygen link meta param source track wbr'.split(
    ' ',
  ),
);

/** Elements whose content is not text to read; left out below the cap, their content goes too. */
const NO_TEXT = new Set(['script', 'style', 'template', 'noscript']);

/** DomHandler that knows which elements are open, as the tree it builds has them. */
class OpenElements extends DomHandler {
  readonly open: string[] = [];

  /** The open element at `index` of `open`. */
  openElement(index: number): Element {
    return this.tagStack[index + 1] as Element;
  }

  override onopentag(name: string, attribs: Record<string, string>): void {
    super.onopentag(name, attribs);
    this.open.push(name);
  }

  override onclosetag(): void {
    super.onclosetag();
    this.open.pop();
  }
}

/** Parses `html` with its depth capped at `maxDepth`; `$.root()` is the document, as with cheerio's load. */
export function parseHtml(html: string, maxDepth = MAX_PARSE_DEPTH): CheerioAPI {
  const handler = new OpenElements();
  const options: ParserOptions = { Tokenizer: cappedTokenizer(html, handler, maxDepth, HTML) };
  new Parser(handler, options).end(html);
  return load(handler.root);
}

/** Elements an end tag closed while they were still open inside the element that tag ends. */
export interface LeftOpen {
  /** The outermost of them, a child of the element the tag ends. */
  element: Element;
  /** The end tag's name, and where it starts in the text. */
  closedBy: string;
  at: number;
}

/**
 * Parses `xml` in XML mode with its depth capped at `maxDepth`. An end tag closes whatever is left
 * open inside its element, as in HTML; those elements are listed in `leftOpen` for the caller to
 * judge (HTML's `<br>` in a description is fine, an unclosed `<item>` is not).
 */
export function parseXml(xml: string, maxDepth: number): { document: Document; leftOpen: LeftOpen[] } {
  const handler = new OpenElements();
  const leftOpen: LeftOpen[] = [];
  const mode: Mode = { xml: true, leftOpen: (l) => leftOpen.push(l) };
  const options: ParserOptions = {
    xmlMode: true,
    decodeEntities: true,
    Tokenizer: cappedTokenizer(xml, handler, maxDepth, mode),
  };
  new Parser(handler, options).end(xml);
  return { document: handler.root, leftOpen };
}

interface Mode {
  xml: boolean;
  leftOpen?: (l: LeftOpen) => void;
}
const HTML: Mode = { xml: false };

function cappedTokenizer(
  html: string,
  handler: OpenElements,
  maxDepth: number,
  mode: Mode,
): typeof Tokenizer {
  return class CappedTokenizer extends Tokenizer {
    constructor(options: ConstructorParameters<typeof Tokenizer>[0], parser: TokenizerCallbacks) {
      super(options, guard(html, handler, parser, maxDepth, mode));
    }
  };
}

/**
 * The tokenizer's events, passed on to the parser except for tags that would open deeper than
 * `maxDepth` (void ones like <br> pass: they open nothing, in HTML) and the end tags that close them.
 */
function guard(
  html: string,
  handler: OpenElements,
  parser: TokenizerCallbacks,
  maxDepth: number,
  mode: Mode,
) {
  /** Names of the elements left out, innermost last. */
  const skipped: string[] = [];
  /** How many of them hold no text (a script): their content is left out too. */
  let silent = 0;
  /** Whether the tag being read (its attributes, its end) is one left out. */
  let skipping = false;
  const nameAt = (start: number, end: number) =>
    mode.xml ? html.slice(start, end) : html.slice(start, end).toLowerCase();
  const isVoid = (name: string) => !mode.xml && VOID.has(name);
  const holdsNoText = (name: string) => !mode.xml && NO_TEXT.has(name);
  const unskip = () => {
    const name = skipped.pop()!;
    if (holdsNoText(name)) silent -= 1;
  };

  const callbacks: TokenizerCallbacks = {
    onopentagname(start, end) {
      const name = nameAt(start, end);
      skipping = handler.open.length >= maxDepth && !isVoid(name);
      if (!skipping) return parser.onopentagname(start, end);
      skipped.push(name);
      if (holdsNoText(name)) silent += 1;
    },
    onattribname: (start, end) => void (skipping || parser.onattribname(start, end)),
    onattribdata: (start, end) => void (skipping || parser.onattribdata(start, end)),
    onattribentity: (codepoint) => void (skipping || parser.onattribentity(codepoint)),
    onattribend: (quote, end) => void (skipping || parser.onattribend(quote, end)),
    onopentagend(end) {
      if (skipping) skipping = false;
      else parser.onopentagend(end);
    },
    // `<div/>` opens a div in HTML: a left-out one stays among the open ones. In XML it is closed.
    onselfclosingtag(end) {
      if (!skipping) return parser.onselfclosingtag(end);
      skipping = false;
      if (mode.xml) unskip();
    },
    onclosetag(start, end) {
      if (skipped.length > 0) {
        const name = nameAt(start, end);
        if (skipped[skipped.length - 1] === name) return unskip();
        // The end tag of an element open above the cap closes whatever was left open below it.
        if (!handler.open.includes(name)) return;
        while (skipped.length > 0) unskip();
      }
      if (mode.leftOpen) {
        const name = nameAt(start, end);
        const at = handler.open.lastIndexOf(name);
        if (at >= 0 && at < handler.open.length - 1)
          mode.leftOpen({ element: handler.openElement(at + 1), closedBy: name, at: start - 2 });
      }
      parser.onclosetag(start, end);
    },
    ontext: (start, end) => void (silent > 0 || parser.ontext(start, end)),
    ontextentity: (codepoint, end) => void (silent > 0 || parser.ontextentity(codepoint, end)),
    oncdata: (start, end, offset) => parser.oncdata(start, end, offset),
    oncomment: (start, end, offset) => parser.oncomment(start, end, offset),
    ondeclaration: (start, end) => parser.ondeclaration(start, end),
    onprocessinginstruction: (start, end) => parser.onprocessinginstruction(start, end),
    onend: () => parser.onend(),
  };
  return callbacks;
}
