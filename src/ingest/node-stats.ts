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

  /** Post-order over the page with a stack of its own: a page may be 20,000 deep or 130,000 wide. */
  private measure(root: AnyNode): void {
    if (root.type !== 'tag' && root.type !== 'root') return;
    const frames: { node: Element; s: NodeStats; next: number }[] = [
      { node: root as Element, s: { ...NONE }, next: 0 },
    ];
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const { children } = frame.node;
      if (frame.next < children.length) {
        const child = children[frame.next++]!;
        if (child.type === 'text') {
          const c = textStats((child as unknown as { data: string }).data);
          frame.s.chars += c.chars;
          frame.s.commas += c.commas;
        } else if (child.type === 'tag') {
          // Scripts and styles are typed apart from tags and hold no story text.
          frames.push({ node: child as Element, s: { ...NONE }, next: 0 });
        }
        continue;
      }
      frames.pop();
      this.stats.set(frame.node, frame.s);
      const parent = frames[frames.length - 1];
      if (!parent) continue;
      const { s: p } = parent;
      const { s: c, node: el } = frame;
      p.chars += c.chars;
      p.commas += c.commas;
      p.linkChars += el.name === 'a' ? c.chars : c.linkChars;
      p.paraChars += el.name === 'p' ? c.chars : c.paraChars;
      p.storyMarks += c.storyMarks + (isStoryMark(el) ? 1 : 0);
    }
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
