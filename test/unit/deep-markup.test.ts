// The depth caps and stack-free walks behind test/hostile/deep-markup.test.ts, on small inputs.
import { load } from 'cheerio/slim';
import { Document, Element, Text, type AnyNode } from 'domhandler';
import { describe, expect, it } from 'vitest';
import { nodeText, walkDom } from '../../src/ingest/dom-walk';
import { MAX_FEED_DEPTH, normaliseFeedXml } from '../../src/ingest/feed-xml';
import { parseHtml } from '../../src/ingest/parse-html';

function depthOf(root: AnyNode): number {
  let max = 0;
  walkDom(root, (node, depth) => {
    max = Math.max(max, depth);
    return true;
  });
  return max;
}

describe('parseHtml', () => {
  it('builds the tree cheerio’s own load builds', () => {
    const html =
      '<!doctype html><html><head><title>T</title><script>if (a < b) x()</script></head><body><p>one<p>two<ul><li>a<li>b</ul>' +
      '<svg><path d="M0"/><g/></svg><br/><img src=x><table><tr><td>c</table><!-- note --></body></html>';
    expect(parseHtml(html).html()).toBe(load(html).html());
  });

  it('opens nothing deeper than its cap, keeping the text and the line breaks, in order', () => {
    const html = `<body>${'<div>'.repeat(50)}<p>deep<br>words</p><b>bold</b>${'</div>'.repeat(50)}<p>after</p></body>`;
    const $ = parseHtml(html, 10);
    const root = $.root()[0]!;
    expect(depthOf(root)).toBeLessThanOrEqual(11); // ten elements, then their text
    expect(nodeText(root)).toBe('deepwordsboldafter');
    expect($('br')).toHaveLength(1);
    // The end tag of an element above the cap closes what was left open below it.
    expect($('body > p').text()).toBe('after');
  });

  it('leaves out the content of a script opened below the cap, not just its tags', () => {
    const html = `${'<div>'.repeat(20)}<script>secret()</script>kept${'</div>'.repeat(20)}`;
    expect(nodeText(parseHtml(html, 5).root()[0]!)).toBe('kept');
  });
});

describe('walkDom and nodeText', () => {
  it('visit in document order without recursion, 200,000 deep', () => {
    // Built by hand: htmlparser2 alone takes minutes to parse this deep (parse-html.ts).
    let node: Element = new Element('span', {}, [new Text('x')]);
    for (let i = 0; i < 200_000; i++) node = new Element('span', {}, [node]);
    const root = new Document([node, new Element('i', {}, [new Text('y')])]);
    expect(nodeText(root)).toBe('xy');
    expect(depthOf(root)).toBe(200_002);
  });

  it('skip what enter refuses, and call leave after the children', () => {
    const $ = load('<div><p>a<b>b</b></p><style>s</style>c</div>', null, false);
    const seen: string[] = [];
    walkDom(
      $.root()[0]!,
      (node) => {
        seen.push(
          node.type === 'text' ? (node as unknown as { data: string }).data : `<${(node as Element).name}>`,
        );
        return node.type !== 'style';
      },
      (node) => void (node.type === 'tag' && seen.push(`</${(node as Element).name}>`)),
    );
    expect(seen.join('')).toBe('<div><p>a<b>b</b></p><style>c</div>');
    expect(nodeText($.root()[0]!, 'tags')).toBe('abc');
    expect(nodeText($.root()[0]!)).toBe('absc');
  });
});

describe('normaliseFeedXml', () => {
  it('leaves out elements nested deeper than MAX_FEED_DEPTH, keeping their text', () => {
    const depth = MAX_FEED_DEPTH + 100;
    const xml = `<rss version="2.0"><channel><item><title>t</title>${'<x>'.repeat(depth)}deep${'</x>'.repeat(depth)}<link>https://x.example/1</link></item></channel></rss>`;
    const out = normaliseFeedXml(xml, 'https://f.example/').xml;
    expect(out.match(/<x>/g)).toHaveLength(MAX_FEED_DEPTH - 3);
    expect(out.match(/<\/x>/g)).toHaveLength(MAX_FEED_DEPTH - 3);
    expect(out).toContain('deep');
    expect(out).toContain('<link>https://x.example/1</link></item></channel></rss>');
  });
});
