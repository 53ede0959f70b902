// The .dockerignore reader behind the demo-from-the-image test follows Docker's rules, which differ
// from .gitignore's: patterns are anchored at the root, a folder's pattern covers what is inside it,
// `!` re-admits and the last match wins.
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { isExcluded, parseDockerignore } from '../support/dockerignore';

const out = (text: string, path: string) => isExcluded(parseDockerignore(text), path);

describe('.dockerignore rules', () => {
  it('anchors * at the root and lets a re-admitted folder bring its whole tree', () => {
    const rules = '*\n!src/\n';
    expect(out(rules, 'README.md')).toBe(true);
    expect(out(rules, 'test/unit/a.test.ts')).toBe(true);
    // .gitignore's * would match a.ts again at any depth; Docker's names top-level entries only
    expect(out(rules, 'src/cli/demo.ts')).toBe(false);
    expect(out(rules, 'src')).toBe(false);
  });

  it('lets a later line take a folder back out of a re-admitted one, and the last match wins', () => {
    const rules = '*\n!data/\ndata/archive\n';
    expect(out(rules, 'data/demo/feed-1.xml')).toBe(false);
    expect(out(rules, 'data/archive/PG_VERSION')).toBe(true);
    expect(out(rules, 'data/archive')).toBe(true);
    expect(out('data/archive\n!data/archive/keep', 'data/archive/keep')).toBe(false);
    expect(out('!data/archive/keep\ndata/archive', 'data/archive/keep')).toBe(true);
  });

  it('reads ** across folders, ? as one character, classes, comments, blanks and slashes', () => {
    expect(out('**/*.md', 'docs/a/b/notes.md')).toBe(true);
    expect(out('**/*.md', 'notes.md')).toBe(true);
    expect(out('**/*.md', 'src/notes.ts')).toBe(false);
    expect(out('src/**/fixtures', 'src/a/b/fixtures/x.json')).toBe(true);
    expect(out('*.y?l', 'feeds.yml')).toBe(true);
    expect(out('*.y?l', 'src/feeds.yml')).toBe(false);
    expect(out('file[0-9].txt', 'file7.txt')).toBe(true);
    expect(out('file[0-9].txt', 'filex.txt')).toBe(false);
    expect(out('# *\n\n  /secrets/  \n', 'secrets/key')).toBe(true);
    expect(out('# *\n\n  /secrets/  \n', 'other')).toBe(false);
    expect(out('a.b', 'aXb')).toBe(false);
  });

  it("keeps the repository's tests, secrets and embedded archive out, and the demo's data in", async () => {
    const rules = parseDockerignore(await readFile(new URL('../../.dockerignore', import.meta.url), 'utf8'));
    for (const p of [
      'test/support/config.ts',
      'subscribers.yml',
      'node_modules/fastify/package.json',
      '.env',
    ])
      expect(isExcluded(rules, p), p).toBe(true);
    expect(isExcluded(rules, 'data/archive/base/1')).toBe(true);
    for (const p of [
      'bin/newswatch',
      'src/demo/seed-scenario.ts',
      'workers/service.ts',
      'data/demo/feed-1.xml',
    ])
      expect(isExcluded(rules, p), p).toBe(false);
  });
});
