// A cap on how deep a parsed page nests. The page readers once walked the tree recursively, and
// a page of 10,000 nested <div>s (broken or hostile) overflowed the stack at about 5,000; their
// walks now keep their own stacks (dom-walk.ts), but the selector engine and the scoring rules
// still climb and descend the tree, and no real page needs more than this. Browsers have
// the same problem and the same answer: Blink's HTML parser stops nesting at 512 and puts deeper
// elements beside one another instead. Here, below the cap, wrapper elements are unwrapped (their
// children take their place, in order) until the cap holds, so every word of text is kept and
// the elements that only hold text (<p>, <a>) survive as they were.
import type { AnyNode, Element, ParentNode } from 'domhandler';

export const MAX_DOM_DEPTH = 512;

const isElement = (node: AnyNode): node is Element =>
  node.type === 'tag' || node.type === 'script' || node.type === 'style';

/** Flattens, in place and without recursion, whatever lies deeper than `max`; returns the elements unwrapped. */
export function limitDomDepth(root: ParentNode, max = MAX_DOM_DEPTH): number {
  let unwrapped = 0;
  const stack: [ParentNode, number][] = [[root, 0]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!;
    if (depth >= max) {
      const { children, removed } = flattened(node.children);
      if (removed > 0) {
        relink(node, children);
        unwrapped += removed;
      }
      // What remains holds text only: nothing deeper to visit.
      continue;
    }
    for (const child of node.children) if (isElement(child)) stack.push([child, depth + 1]);
  }
  return unwrapped;
}

/** Children in document order with every element that has element children replaced by its own. */
function flattened(children: AnyNode[]): { children: AnyNode[]; removed: number } {
  const out: AnyNode[] = [];
  let removed = 0;
  // An explicit stack of [list, next index], so a 10,000-deep chain costs no call stack.
  const work: [AnyNode[], number][] = [[children, 0]];
  while (work.length > 0) {
    const top = work[work.length - 1]!;
    const [list, index] = top;
    if (index >= list.length) {
      work.pop();
      continue;
    }
    top[1] = index + 1;
    const node = list[index]!;
    if (isElement(node) && node.children.some(isElement)) {
      removed += 1;
      work.push([node.children, 0]);
    } else {
      out.push(node);
    }
  }
  return { children: out, removed };
}

function relink(parent: ParentNode, children: AnyNode[]): void {
  parent.children = children;
  children.forEach((child, i) => {
    child.parent = parent;
    child.prev = children[i - 1] ?? null;
    child.next = children[i + 1] ?? null;
  });
}
