// Walks over a parsed page or fragment without recursion. A hostile page can be 20,000 elements
// deep or 130,000 wide; a walk that recursed per level, or spread a child list into a call's
// arguments, overflowed the stack and lost the whole page (or the whole feed, for a title). These
// keep their own stack, so their cost is memory proportional to the page, never call depth.
import type { AnyNode, Element } from 'domhandler';

const hasChildren = (node: AnyNode): node is Element => Array.isArray((node as Partial<Element>).children);

/**
 * Visits `root`'s descendants in document order. `enter` is called on each node with its depth
 * (1 for `root`'s children) and returns whether to go into its children; `leave`, when given, is
 * called after a node's children (also for a node not entered). Removing the node being visited,
 * or any of its later siblings, from the tree during the walk is safe: each child list is copied
 * when its parent is entered.
 */
export function walkDom(
  root: AnyNode,
  enter: (node: AnyNode, depth: number) => boolean,
  leave?: (node: AnyNode) => void,
): void {
  if (!hasChildren(root)) return;
  const stack: { nodes: AnyNode[]; next: number; parent: AnyNode | undefined }[] = [
    { nodes: [...root.children], next: 0, parent: undefined },
  ];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.nodes.length) {
      stack.pop();
      if (top.parent && leave) leave(top.parent);
      continue;
    }
    const node = top.nodes[top.next++]!;
    if (enter(node, stack.length) && hasChildren(node) && node.children.length > 0) {
      stack.push({ nodes: [...node.children], next: 0, parent: node });
    } else if (leave) {
      leave(node);
    }
  }
}

/**
 * The text under a node in document order. `through` says which nodes' text counts: every node
 * with children (scripts and styles too, where JSON-LD lives), or only tags and the document.
 */
export function nodeText(node: AnyNode, through: 'all' | 'tags' = 'all'): string {
  if (node.type === 'text') return (node as unknown as { data: string }).data;
  const passes = (n: AnyNode) => through === 'all' || n.type === 'tag' || n.type === 'root';
  if (!passes(node)) return '';
  const out: string[] = [];
  walkDom(node, (n) => {
    if (n.type === 'text') out.push((n as unknown as { data: string }).data);
    return passes(n);
  });
  return out.join('');
}

/** Appends every item of `items` to `list` without spreading them into one call's arguments. */
export function pushAll<T>(list: T[], items: readonly T[]): void {
  for (const item of items) list.push(item);
}
