// HTML to a cheerio document, as cheerio's own load does (htmlparser2, the same options), but
// never deeper than MAX_PARSE_DEPTH. htmlparser2 keeps its open elements in an array it shifts
// and unshifts, so each tag costs as much as the depth it opens at: a page of 400,000 nested
// <div>s (2.4 MB, under the fetch cap) took four minutes to parse, and a feed title of 300,000
// escaped <b>s most of one. Tags that would open deeper are left out as they stream past, with
// their end tags; their text stays where it was, in the element at the cap. limitDomDepth then
// flattens the tree further, to the depth the readers are written for, keeping text-only elements.
import { load, type CheerioAPI } from 'cheerio/slim';
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
  const options: ParserOptions = { Tokenizer: cappedTokenizer(html, handler, maxDepth) };
  new Parser(handler, options).end(html);
  return load(handler.root);
}

/** The first element of a parsed fragment's root, for callers that walk it themselves. */

function cappedTokenizer(html: string, handler: OpenElements, maxDepth: number): typeof Tokenizer {
  return class CappedTokenizer extends Tokenizer {
    constructor(options: ConstructorParameters<typeof Tokenizer>[0], parser: TokenizerCallbacks) {
      super(options, guard(html, handler, parser, maxDepth));
    }
  };
}

/**
 * The tokenizer's events, passed on to the parser except for tags that would open deeper than
 * `maxDepth` (void ones like <br> pass: they open nothing) and the end tags that close them.
 */
function guard(html: string, handler: OpenElements, parser: TokenizerCallbacks, maxDepth: number) {
  /** Names of the elements left out, innermost last. */
  const skipped: string[] = [];
  /** How many of them hold no text (a script): their content is left out too. */
  let silent = 0;
  /** Whether the tag being read (its attributes, its end) is one left out. */
  let skipping = false;
  const nameAt = (start: number, end: number) => html.slice(start, end).toLowerCase();
  const unskip = () => {
    const name = skipped.pop()!;
    if (NO_TEXT.has(name)) silent -= 1;
  };

  const callbacks: TokenizerCallbacks = {
    onopentagname(start, end) {
      const name = nameAt(start, end);
      skipping = handler.open.length >= maxDepth && !VOID.has(name);
      if (!skipping) return parser.onopentagname(start, end);
      skipped.push(name);
      if (NO_TEXT.has(name)) silent += 1;
    },
    onattribname: (start, end) => void (skipping || parser.onattribname(start, end)),
    onattribdata: (start, end) => void (skipping || parser.onattribdata(start, end)),
    onattribentity: (codepoint) => void (skipping || parser.onattribentity(codepoint)),
    onattribend: (quote, end) => void (skipping || parser.onattribend(quote, end)),
    onopentagend(end) {
      if (skipping) skipping = false;
      else parser.onopentagend(end);
    },
    // `<div/>` opens a div in HTML: a left-out one stays among the open ones.
    onselfclosingtag(end) {
      if (skipping) skipping = false;
      else parser.onselfclosingtag(end);
    },
    onclosetag(start, end) {
      if (skipped.length > 0) {
        const name = nameAt(start, end);
        if (skipped[skipped.length - 1] === name) return unskip();
        // The end tag of an element open above the cap closes whatever was left open below it.
        if (!handler.open.includes(name)) return;
        while (skipped.length > 0) unskip();
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
