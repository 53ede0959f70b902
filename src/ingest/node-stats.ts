// Text measures of every element of a page, taken in one pass and kept true as elements are removed.
// The main-text rules ask for an element's text length, link share or paragraph text thousands of
// times per page; re-walking each subtree for every question made reading a page several times slower.
import type { AnyNode, Element } from 'domhandler';

export interface NodeStats {
  /** Length of the element's text with whitespace collapsed (a space where inline tags meet is not counted). */
  chars: number;
  commas: number;
  /** Text inside descendant <a> elements. */
  linkChars: number;
  /** Text inside descendant <p> elements. */
  paraChars: number;
  /** Descendants that mark the story itself: article, main, [itemprop=articleBody], h1. */
  storyMarks: number;
}

const NONE: NodeStats = { chars: 0, commas: 0, linkChars: 0, paraChars: 0, storyMarks: 0 };

const isStoryMark = (el: Element): boolean =>
  el.name === 'article' || el.name === 'main' || el.name === 'h1' || el.attribs.itemprop === 'articleBody';

export class PageStats {
  private readonly stats = new Map<AnyNode, NodeStats>();

  constructor(root: AnyNode) {
    this.measure(root);
  }

  get(node: AnyNode): NodeStats {
    // Text nodes are measured on demand: keeping them all would double the map for little use.
    if (node.type === 'text') return textStats((node as unknown as { data: string }).data);
    return this.stats.get(node) ?? NONE;
  }

  /** Share of an element's text that sits inside links: menus and teaser lists are mostly links. */
  linkDensity(node: AnyNode): number {
    const s = this.get(node);
    return s.chars ? Math.min(1, s.linkChars / s.chars) : 0;
  }

  /** Detaches an element from the page and takes its measures off every ancestor. */
  remove(el: Element): void {
    const s = this.get(el);
    let inLink = el.name === 'a';
    let inPara = el.name === 'p';
    const marks = s.storyMarks + (isStoryMark(el) ? 1 : 0);
    for (let a = el.parent; a; a = a.parent) {
      const t = this.stats.get(a);
      if (t) {
        t.chars -= s.chars;
        t.commas -= s.commas;
        t.linkChars -= inLink ? s.chars : s.linkChars;
        t.paraChars -= inPara ? s.chars : s.paraChars;
        t.storyMarks -= marks;
      }
      if (a.type === 'tag') {
        inLink ||= (a as Element).name === 'a';
        inPara ||= (a as Element).name === 'p';
      }
    }
    const siblings = el.parent?.children;
    if (siblings) siblings.splice(siblings.indexOf(el), 1);
    if (el.prev) el.prev.next = el.next;
    if (el.next) el.next.prev = el.prev;
    el.parent = el.prev = el.next = null;
  }

  private measure(node: AnyNode): NodeStats {
    if (node.type === 'text') return textStats((node as unknown as { data: string }).data);
    // Scripts and styles are typed apart from tags and hold no story text.
    if (node.type !== 'tag' && node.type !== 'root') return NONE;
    const s: NodeStats = { chars: 0, commas: 0, linkChars: 0, paraChars: 0, storyMarks: 0 };
    for (const child of (node as Element).children) {
      const c = this.measure(child);
      s.chars += c.chars;
      s.commas += c.commas;
      if (child.type !== 'tag') continue;
      const el = child as Element;
      s.linkChars += el.name === 'a' ? c.chars : c.linkChars;
      s.paraChars += el.name === 'p' ? c.chars : c.paraChars;
      s.storyMarks += c.storyMarks + (isStoryMark(el) ? 1 : 0);
    }
    this.stats.set(node, s);
    return s;
  }
}

/** Collapsed length and commas (Latin, Arabic, full-width) of one text node, in one scan. */
function textStats(data: string): NodeStats {
  let chars = 0;
  let commas = 0;
  let pendingSpace = false;
  for (let i = 0; i < data.length; i++) {
    const c = data.charCodeAt(i);
    if (isSpace(c)) {
      pendingSpace = chars > 0;
      continue;
    }
    if (pendingSpace) chars++;
    pendingSpace = false;
    chars++;
    if (c === 0x2c || c === 0x060c || c === 0xff0c) commas++;
  }
  return { chars, commas, linkChars: 0, paraChars: 0, storyMarks: 0 };
}

/** The characters `collapse` folds: JavaScript's \s plus zero-width space and direction marks. */
function isSpace(c: number): boolean {
  if (c <= 0x20) return c === 0x20 || (c >= 0x09 && c <= 0x0d);
  if (c < 0xa0) return false;
  return (
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200b) ||
    c === 0x200e ||
    c === 0x200f ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}
