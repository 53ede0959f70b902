// Main-text selection: strip page furniture, score candidate containers the way Readability does,
// keep the best one with its strong siblings, and turn their blocks into one line per paragraph.
// Pure rules on a parsed page; read-article.ts calls them.
import type { Cheerio, CheerioAPI } from 'cheerio/slim';
import type { AnyNode, Element, ParentNode } from 'domhandler';
import { nodeText, pushAll, walkDom } from './dom-walk';
import type { PageStats } from './node-stats';

// Matched against class and id words; share bars, comments and related links sit inside the article itself.
const NOISE_NAMES =
  /(?:^|[\s_-])(?:share|sharing|social|comments?|related|recommended|breadcrumbs?|newsletter|subscribe|subscription|ads?|advert\w*|promo\w*|sidebar|popular|most-read|trending|tags|widget|cookies?|consent|gdpr|outbrain|taboola|disqus|read-?more|also-read|byline|author-?bio|menu)(?:[\s_-]|$)/i;

// Class and id hints, as in Readability: story wrappers score up, page furniture scores down.
const POSITIVE = /article|body|content|entry|hentry|main|post|text|blog|story|prose|paragraph/i;
const NEGATIVE =
  /comment|footer|footnote|masthead|outbrain|promo|related|share|shoutbox|sidebar|skyscraper|sponsor|shopping|social|widget|newsletter|subscribe|teaser|caption|credit|byline|(?:^|[\s_-])(?:ad|ads|meta|tags?)(?:[\s_-]|$)/i;

// Tags that make a <div> a container rather than a paragraph of its own.
const CONTAINER_TAGS = new Set([
  'p',
  'div',
  'section',
  'article',
  'main',
  'ul',
  'ol',
  'table',
  'blockquote',
  'pre',
  'figure',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
]);

// Lines that are page furniture even inside the story: "read also", share and subscribe prompts.
const BOILERPLATE =
  /^(?:اقرأ|إقرأ|اقرا)\s+(?:أيضا|أيضاً|ايضا|ايضاً)|^(?:read|see) (?:also|more)\b|^also read\b|^(?:advertisement|sponsored|story continues below|continue reading)\b|^(?:share|subscribe|sign up|follow us|click here)\b.{0,80}$|^(?:copyright|©)|all rights reserved\.?$/i;

const NOISE_TAG_NAMES = new Set(
  'script style noscript template iframe svg canvas nav header footer aside form button select textarea figcaption'.split(
    ' ',
  ),
);
const NOISE_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'dialog']);

const isKept = (el: Element): boolean =>
  el.name === 'html' ||
  el.name === 'body' ||
  el.name === 'main' ||
  el.name === 'article' ||
  el.attribs.itemprop === 'articleBody';

const isNoiseTag = (el: Element): boolean =>
  NOISE_TAG_NAMES.has(el.name) ||
  NOISE_ROLES.has(el.attribs.role ?? '') ||
  el.attribs.hidden !== undefined ||
  el.attribs['aria-hidden'] === 'true' ||
  el.attribs['aria-modal'] === 'true';

const hasNoiseName = (el: Element): boolean =>
  (el.attribs.class !== undefined || el.attribs.id !== undefined) &&
  NOISE_NAMES.test(`${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`);

/** Drops scripts, navigation, and elements named as furniture, before any scoring sees them. */
export function removeNoise($: CheerioAPI, stats: PageStats): void {
  // A wrapper named like noise ("post has-comments", an ASP.NET page-wide <form>) can hold the
  // story itself: keep any such element holding a large share of the page's paragraphs.
  const root = $.root()[0]!;
  const total = stats.get(root).paraChars;
  const holdsStory = (el: Element) => total > 0 && stats.get(el).paraChars >= total * 0.4;
  const sweep = (doomed: (el: Element) => boolean) =>
    walkDom(root, (node) => {
      if (node.type !== 'tag' && node.type !== 'script' && node.type !== 'style') return false;
      const el = node as Element;
      if (isKept(el) || !doomed(el) || holdsStory(el)) return true;
      stats.remove(el);
      return false;
    });
  sweep(isNoiseTag);
  // A box holding the story's own markup (article, main, the headline) is a wrapper, not furniture.
  sweep((el) => hasNoiseName(el) && stats.get(el).storyMarks === 0);
}

/** The story's paragraphs, one line each, and the opening text of its container (for a dateline). */
export function mainText($: CheerioAPI, stats: PageStats): { lines: string[]; opening: string } {
  const blocks = mainBlocks($, stats);
  const opening = blocks
    .map((el) => blockText($, $(el), OPENING_CHARS))
    .join('\n')
    .slice(0, OPENING_CHARS);
  for (const el of blocks) cleanInside(stats, el);
  // Where the story is written in <p>, loose short text beside it is a dateline or byline.
  const all = blocks.reduce((n, el) => n + stats.get(el).chars, 0);
  const inParagraphs = blocks.reduce(
    (n, el) => n + ($(el).is('p') ? stats.get(el).chars : 0) + stats.get(el).paraChars,
    0,
  );
  const looseMin = inParagraphs >= all * 0.5 ? 80 : 0;
  const lines = blocks
    .flatMap((el) => storyLines($, el, looseMin))
    .map(collapse)
    .filter((line) => line !== '' && !BOILERPLATE.test(line));
  return { lines, opening };
}

const OPENING_CHARS = 600;

// ---- candidates -----------------------------------------------------------------------------

const textOf = (node: AnyNode): string => nodeText(node, 'tags');

function classWeight(el: Element): number {
  const names = `${el.attribs.class ?? ''} ${el.attribs.id ?? ''}`;
  let weight = 0;
  if (NEGATIVE.test(names)) weight -= 25;
  if (POSITIVE.test(names)) weight += 25;
  // Semantic markup for the story is the strongest hint a page gives.
  if (el.name === 'article' || el.name === 'main' || el.attribs.itemprop === 'articleBody') weight += 25;
  return weight;
}

function tagWeight(el: Element): number {
  if (el.name === 'div' || el.name === 'article' || el.name === 'section') return 5;
  if (['pre', 'td', 'blockquote'].includes(el.name)) return 3;
  if (['address', 'ol', 'ul', 'dl', 'dd', 'dt', 'li', 'form'].includes(el.name)) return -3;
  if (/^h[1-6]$|^th$/.test(el.name)) return -5;
  return 0;
}

const SCORED = new Set(['p', 'pre', 'td', 'div', 'section']);

const isParagraphLike = (el: Element): boolean =>
  el.name === 'p' ||
  el.name === 'pre' ||
  el.name === 'td' ||
  ((el.name === 'div' || el.name === 'section') &&
    !el.children.some((c) => c.type === 'tag' && CONTAINER_TAGS.has((c as Element).name)));

/** Readability's scoring: each paragraph scores for its ancestors by length and commas. */
function scoreCandidates($: CheerioAPI, stats: PageStats): Map<Element, number> {
  const scores = new Map<Element, number>();
  const visit = (el: Element) => {
    if (!SCORED.has(el.name)) return;
    // A container's own loose text (a story written with <br> beside a subheading) is a
    // paragraph held by the container, as Readability has it once it wraps such runs in <p>.
    const paragraph = isParagraphLike(el);
    const { chars, commas } = paragraph ? stats.get(el) : looseText(stats, el);
    if (chars < 25) return;
    const points = 1 + commas + Math.min(3, Math.floor(chars / 100));
    let ancestor: ParentNode | null = paragraph ? el.parent : el;
    for (let level = 0; level < 5 && ancestor?.type === 'tag'; level++) {
      const a = ancestor as Element;
      if (!scores.has(a)) scores.set(a, tagWeight(a) + classWeight(a));
      scores.set(a, scores.get(a)! + points / (level === 0 ? 1 : level === 1 ? 2 : level * 3));
      ancestor = a.parent;
    }
  };
  walkDom($.root()[0]!, (node) => {
    if (node.type !== 'tag') return false;
    visit(node as Element);
    return true;
  });
  for (const [el, score] of scores) scores.set(el, score * (1 - stats.linkDensity(el)));
  return scores;
}

/** Text directly in an element and in its inline children, outside its blocks. */
function looseText(stats: PageStats, el: Element): { chars: number; commas: number } {
  let chars = 0;
  let commas = 0;
  for (const child of el.children) {
    if (child.type === 'tag' && BLOCK_TAGS.has((child as Element).name)) continue;
    const s = stats.get(child);
    chars += s.chars;
    commas += s.commas;
  }
  return { chars, commas };
}

/** The best-scoring container, plus siblings that look like more of the same story. */
function mainBlocks($: CheerioAPI, stats: PageStats): AnyNode[] {
  const scores = scoreCandidates($, stats);
  let top: Element | undefined;
  for (const [el, s] of scores) if (!top || s > scores.get(top)!) top = el;
  if (!top) return [richestBlock($)];
  top = commonAncestor(scores, top);
  const parent = top.parent;
  // A story the page marks up itself is complete; its siblings are teasers and furniture.
  if (!parent || parent.type !== 'tag' || classWeight(top) >= 50 || $(top).is('article, main')) return [top];
  const threshold = Math.max(10, scores.get(top)! * 0.2);
  const topClass = top.attribs.class ?? '';
  return (parent as Element).children.filter((sib) => {
    if (sib === top) return true;
    if (sib.type !== 'tag') return false;
    const el = sib as Element;
    const bonus = topClass && el.attribs.class === topClass ? scores.get(top)! * 0.2 : 0;
    if ((scores.get(el) ?? -Infinity) + bonus >= threshold) return true;
    if (el.name !== 'p') return false;
    const density = stats.linkDensity(el);
    return (
      (stats.get(el).chars > 80 && density < 0.25) ||
      (density === 0 && /[.!?。؟]$/.test(collapse(textOf(el))))
    );
  });
}

/**
 * A story split in several blocks (around a figure or an inline ad) gives close runners-up: as in
 * Readability, climb to the nearest ancestor holding the top one and at least two of them.
 */
function commonAncestor(scores: Map<Element, number>, top: Element): Element {
  const best = scores.get(top)!;
  const rivals = [...scores]
    .filter(([el, s]) => el !== top && s >= best * 0.75 && !isAncestor(el, top) && !isAncestor(top, el))
    .map(([el]) => el);
  if (rivals.length < 2) return top;
  for (let a = top.parent; a?.type === 'tag'; a = a.parent) {
    const held = rivals.filter((r) => isAncestor(a as Element, r)).length;
    if (held >= 2) return (a as Element).name === 'html' ? top : (a as Element);
  }
  return top;
}

function isAncestor(a: Element, b: AnyNode): boolean {
  for (let n = b.parent; n; n = n.parent) if (n === a) return true;
  return false;
}

/** No paragraph at all (older agency sites break lines with <br>): the element with the most own text. */
function richestBlock($: CheerioAPI): AnyNode {
  let richest: { el: AnyNode; n: number } | undefined;
  $('div, section, td, article, main, body').each((_, el) => {
    const n = el.children.reduce((sum, c) => sum + (c.type === 'text' ? collapse(c.data).length : 0), 0);
    if (n > (richest?.n ?? 0)) richest = { el, n };
  });
  // htmlparser2 adds no <body> to a fragment, so the document root is the last resort.
  return richest?.el ?? $.root()[0]!;
}

const BOXES = new Set(['ul', 'ol', 'div', 'section', 'table', 'figure', 'aside']);

/** Inside the story: drop the headline (kept apart as the title) and link lists or boxes named as furniture. */
function cleanInside(stats: PageStats, root: AnyNode): void {
  const headlines: Element[] = [];
  const boxes: Element[] = [];
  walkDom(root, (node) => {
    if (node.type !== 'tag') return false;
    const el = node as Element;
    if (el.name === 'h1') headlines.push(el);
    else if (BOXES.has(el.name)) boxes.push(el);
    return true;
  });
  for (const h1 of headlines) if (h1.parent) stats.remove(h1);
  const total = stats.get(root).paraChars;
  // Innermost first, so a box is judged on what is left in it.
  for (const el of boxes.reverse()) {
    if (!el.parent || !isAncestor(root as Element, el)) continue;
    // A box holding much of the story is the story, whatever its class says.
    if (stats.get(el).paraChars >= total * 0.4 && total > 0) continue;
    const weight = classWeight(el);
    const { commas } = stats.get(el);
    if (weight < 0 || (commas < 10 && stats.linkDensity(el) > (weight >= 25 ? 0.5 : 0.35))) stats.remove(el);
  }
}

// ---- text -----------------------------------------------------------------------------------

// Elements whose text is one paragraph of the story (or several lines, split at <br>).
const PARAGRAPHS = new Set(['p', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'blockquote', 'pre', 'dd', 'dt', 'tr']);

/** Paragraph elements as lines; text lying loose in containers kept only when at least `looseMin` long. */
function storyLines($: CheerioAPI, root: AnyNode, looseMin: number): string[] {
  const lines: string[] = [];
  let loose: AnyNode[] = [];
  const flush = () => {
    if (loose.length === 0) return;
    const text = nodesText(loose);
    // A loop, not push(...): a run of 130,000 <br> is 130,000 lines, past any call's arguments.
    if (collapse(text).length >= looseMin) pushAll(lines, text.split('\n'));
    loose = [];
  };
  // Iterative, with a marker where a container ends: a container's text is flushed on both sides.
  const FLUSH = null;
  const work: (AnyNode | typeof FLUSH)[] = [root];
  while (work.length > 0) {
    const node = work.pop()!;
    if (node === FLUSH) {
      flush();
      continue;
    }
    if (node.type !== 'tag') {
      loose.push(node);
      continue;
    }
    const el = node as Element;
    if (PARAGRAPHS.has(el.name)) {
      flush();
      pushAll(lines, nodesText([el]).split('\n'));
    } else if (BLOCK_TAGS.has(el.name) && el.name !== 'br' && el.name !== 'hr') {
      flush();
      work.push(FLUSH);
      for (let i = el.children.length - 1; i >= 0; i--) work.push(el.children[i]!);
    } else loose.push(node);
  }
  flush();
  return lines;
}

// ---- text blocks ---------------------------------------------------------------------------------

const BLOCK_TAGS = new Set([...CONTAINER_TAGS, 'li', 'tr', 'dd', 'dt', 'br', 'hr']);

/** Text with a line break wherever a block or <br> ends, since cheerio's .text() runs paragraphs together. */
export function blockText(_$: CheerioAPI, root: Cheerio<AnyNode>, limit = Infinity): string {
  return nodesText(root.toArray(), limit);
}

/** blockText of a list of nodes, in order, with a stack of its own (a page may be 130,000 wide). */
function nodesText(nodes: readonly AnyNode[], limit = Infinity): string {
  const out: string[] = [];
  let length = 0;
  const work: (AnyNode | typeof BLOCK_END)[] = [];
  for (let i = nodes.length - 1; i >= 0; i--) work.push(nodes[i]!);
  while (work.length > 0) {
    const node = work.pop()!;
    if (node === BLOCK_END) {
      out.push('\n');
      continue;
    }
    if (length >= limit) continue; // an opening line needs no more than its first characters
    if (node.type === 'text') {
      const data = (node as unknown as { data: string }).data;
      out.push(data);
      length += data.length;
      continue;
    }
    if (node.type !== 'tag' && node.type !== 'root') continue; // comments, scripts, styles
    if (isBlock(node)) {
      out.push('\n');
      work.push(BLOCK_END);
    }
    const { children } = node as Element;
    for (let i = children.length - 1; i >= 0; i--) work.push(children[i]!);
  }
  return out.join('');
}

const BLOCK_END = Symbol('block end');
const isBlock = (node: AnyNode): boolean => node.type === 'tag' && BLOCK_TAGS.has((node as Element).name);

export function collapse(text: string): string {
  return text.replace(/[\s\u00a0\u200b\u200e\u200f]+/g, ' ').trim();
}
