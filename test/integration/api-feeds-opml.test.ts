// OPML through the API: the feeds of one service exported and imported into another, empty, under
// a key prefix of its own, each feed probed again at a real fixture server; then per-outline
// refusals (javascript:, a private address, no feed, no xmlUrl) and files refused whole (an entity
// bomb, 10 MB, nesting too deep, from another origin).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../src/demo/fixture-server';
import { startOperatorService, type OperatorService, type Reply } from '../support/operator';

let fixtures: FixtureServer;
let source: OperatorService;
let target: OperatorService;

const rss = (title: string, item: string) =>
  `<?xml version="1.0"?><rss version="2.0"><channel><title>${title}</title><item><title>${item}</title><link>https://news.example/${encodeURIComponent(title)}</link></item></channel></rss>`;

beforeAll(async () => {
  fixtures = await startFixtureServer({
    '/gulf.xml': {
      contentType: 'application/rss+xml',
      body: rss('Gulf', 'Kuwait hosts Gulf security talks'),
    },
    '/arabic.xml': {
      contentType: 'application/rss+xml',
      body: rss('Arabic', 'الكويت تستضيف محادثات أمنية خليجية'),
    },
    '/atom.xml': {
      contentType: 'application/atom+xml',
      body: '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>NATO</title><entry><title>NATO ministers meet</title><link href="https://news.example/n1"/><id>n1</id><updated>2026-02-03T09:00:00Z</updated></entry></feed>',
    },
    '/page.html': { contentType: 'text/html', body: '<html><body><p>no feed here</p></body></html>' },
  });
  source = await startOperatorService('opml-source', ['http']);
  target = await startOperatorService('opml-target', ['http']);
});

afterAll(async () => {
  await source?.close();
  await target?.close();
  await fixtures?.close();
});

async function postOpml(
  svc: OperatorService,
  body: string,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const res = await fetch(`${svc.url}/api/feeds/import`, {
    method: 'POST',
    headers: { authorization: `Bearer ${svc.token}`, 'content-type': 'text/x-opml', ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined, text, headers: res.headers };
}

const comparable = async (svc: OperatorService) =>
  ((await svc.call('GET', '/api/feeds')).body.feeds as Record<string, unknown>[])
    .map(({ name, url, language, region, type }) => ({ name, url, language, region, type }))
    .sort((a, b) => String(a.url).localeCompare(String(b.url)));

describe('OPML export and import over the API', () => {
  it('round-trips the feeds into an empty base: the same names, URLs, languages, tags and types', async () => {
    const base = fixtures.baseUrl;
    for (const body of [
      { url: `${base}/gulf.xml`, name: 'Gulf & Co "Desk"', tags: ['gulf', 'kuwait'] },
      { url: `${base}/arabic.xml`, name: 'Arabic desk' },
      { url: `${base}/atom.xml`, name: 'NATO wire', tags: ['nato'], lang: 'en' },
    ])
      expect((await source.call('POST', '/api/feeds', body)).status).toBe(201);

    const res = await fetch(`${source.url}/api/feeds/export.opml`, {
      headers: { authorization: `Bearer ${source.token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/x-opml/);
    const opml = await res.text();
    expect(opml).toContain(
      `<outline type="rss" text="Gulf &amp; Co &quot;Desk&quot;" title="Gulf &amp; Co &quot;Desk&quot;" xmlUrl="${base}/gulf.xml" version="RSS2" language="en" category="gulf,kuwait"/>`,
    );

    const imported = await postOpml(target, opml);
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ added: 3, alreadyPolled: 0, refused: 0 });
    const gulfLine = opml.split('\n').findIndex((l) => l.includes('/gulf.xml')) + 1;
    expect(imported.body.outlines).toContainEqual(
      expect.objectContaining({ line: gulfLine, url: `${base}/gulf.xml`, outcome: 'added' }),
    );
    const expected = await comparable(source);
    expect(expected.map((f) => f.type)).toEqual(['rss', 'atom', 'rss']);
    expect(expected.find((f) => f.name === 'Arabic desk')).toMatchObject({
      language: 'ar',
      region: ['manual'],
    });
    expect(await comparable(target)).toEqual(expected);

    const again = await postOpml(target, opml, { 'content-type': 'application/xml' });
    expect(again.body).toMatchObject({ added: 0, alreadyPolled: 3, refused: 0 });
    expect(again.body.outlines.map((o: { message: string }) => o.message)).toContainEqual(
      expect.stringMatching(/^url: .*\/gulf\.xml is polled already, as feed "gulf-co-desk"/),
    );
  });

  it('reads nested folders as tags and reports every refused outline with its line and URL', async () => {
    const opml = [
      '<?xml version="1.0"?>',
      '<opml version="1.0"><head><title>reader</title></head><body>',
      '  <outline text="Middle East">',
      '    <outline text="Gulf wire" type="rss" xmlUrl="' + `${fixtures.baseUrl}/gulf.xml?via=reader` + '"/>',
      '    <outline text="Script" type="rss" xmlUrl="javascript:alert(1)"/>',
      '  </outline>',
      '  <outline text="Intranet" type="rss" xmlUrl="http://10.0.0.5/feed.xml"/>',
      `  <outline text="Page" type="rss" xmlUrl="${fixtures.baseUrl}/page.html"/>`,
      '  <outline text="Nothing" type="rss"/>',
      '</body></opml>',
    ].join('\n');
    const res = await postOpml(target, opml);
    expect(res.status).toBe(200);
    const outlines = res.body.outlines as { line: number; url: string; outcome: string; message?: string }[];
    expect(outlines.map((o) => [o.line, o.outcome])).toEqual([
      [4, 'added'],
      [5, 'refused'],
      [7, 'refused'],
      [8, 'refused'],
      [9, 'refused'],
    ]);
    expect(outlines[1]!.message).toBe('url: "javascript:alert(1)" is not an http(s) URL');
    expect(outlines[2]!.message).toMatch(
      /^url: http:\/\/10\.0\.0\.5\/feed\.xml: not added: it is, or it leads to, a private address/,
    );
    // A page that is no feed, here at an allowed loopback address, which the probe does not describe.
    expect(outlines[3]!.message).toMatch(/^url: http:\/\/127\.0\.0\.1:\d+\/page\.html: not added/);
    expect(outlines[4]).toMatchObject({ url: '', message: 'url: the outline has no xmlUrl' });
    const added = (await target.call('GET', '/api/feeds')).body.feeds.find(
      (f: { name: string }) => f.name === 'Gulf wire',
    );
    expect(added.region).toEqual(['middle-east']);
  });

  it('refuses hostile files whole, saying why, and adds nothing', async () => {
    const before = (await target.call('GET', '/api/feeds')).body.feeds.length;
    const laughs = [
      '<?xml version="1.0"?>',
      '<!DOCTYPE opml [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>',
      `<opml><body><outline text="&lol2;" xmlUrl="${fixtures.baseUrl}/atom.xml?x"/></body></opml>`,
    ].join('\n');
    const bomb = await postOpml(target, laughs);
    expect(bomb.status).toBe(400);
    expect(bomb.body.message).toMatch(/^body: line 2: a <!DOCTYPE> is refused/);

    const huge = `<opml><body>${' '.repeat(10 * 1024 * 1024)}</body></opml>`;
    const large = await postOpml(target, huge);
    expect(large.status).toBe(413);
    expect(large.body.message).toBe('body: is larger than the 1048576 bytes this route takes');

    const deep = `<opml><body>${'<outline text="x">'.repeat(300)}${'</outline>'.repeat(300)}</body></opml>`;
    expect((await postOpml(target, deep)).body.message).toBe('body: line 1: elements nest deeper than 256');

    const rssDoc = await postOpml(target, rss('Gulf', 'not a list'));
    expect(rssDoc.body.message).toBe("body: line 1: not OPML: the document's root is <rss>, not <opml>");

    const other = `<opml><body><outline xmlUrl="${fixtures.baseUrl}/atom.xml?cross"/></body></opml>`;
    const cross = await postOpml(target, other, { origin: 'http://attacker.example' });
    expect(cross.status).toBe(403);

    expect((await target.call('GET', '/api/feeds')).body.feeds.length).toBe(before);
  });

  it('documents both routes in the OpenAPI document', async () => {
    const doc = (await target.call('GET', '/docs/json')).body;
    expect(doc.paths['/api/feeds/export.opml'].get).toBeDefined();
    expect(Object.keys(doc.paths['/api/feeds/import'].post.requestBody.content)).toContain('text/x-opml');
  });
});
