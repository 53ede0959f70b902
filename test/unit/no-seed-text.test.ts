// Nothing about the seed articles is hard-coded: no sentence of theirs appears in the code.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalize, splitSentences } from '../../src/domain/text';

const root = new URL('../../', import.meta.url).pathname;

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(join(root, dir), { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.ts')).map((e) => join(e.parentPath, e.name));
}

describe('seed articles', () => {
  it('have no sentence (or six-word run of one) in src/ or workers/', async () => {
    const pages = await Promise.all(
      ['article-1.html', 'article-2.html'].map((f) => readFile(join(root, 'data/demo', f), 'utf8')),
    );
    const text = pages.join('\n').replace(/<[^>]+>/g, '\n');
    const runs = splitSentences(text)
      .map((s) => normalize(s).split(/\s+/))
      .filter((w) => w.length >= 6)
      .flatMap((w) => w.slice(0, w.length - 5).map((_, i) => w.slice(i, i + 6).join(' ')));
    expect(runs.length).toBeGreaterThan(100);
    const code = (
      await Promise.all(
        [...(await filesUnder('src')), ...(await filesUnder('workers'))].map((f) => readFile(f, 'utf8')),
      )
    )
      .map(normalize)
      .join('\n')
      .replace(/\s+/g, ' ');
    expect(runs.filter((r) => code.includes(r))).toEqual([]);
  });
});
