// `newswatch replay DIR` on the seed pair, one saved as JSON and one as an HTML page: the
// published order decides, the output follows the documented format, and it is the same twice.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const bin = join(root, 'bin/newswatch');

async function replay(dir: string) {
  const { stdout } = await run(process.execPath, [bin, 'replay', dir], {
    env: { ...process.env, LOG_LEVEL: 'silent' },
  });
  return stdout;
}

describe('newswatch replay', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nw-replay-'));
    const page1 = await readFile(join(root, 'data/demo/article-1.html'), 'utf8');
    const page2 = await readFile(join(root, 'data/demo/article-2.html'), 'utf8');
    // The follow-up is named first: order must come from the publication dates, not file names.
    await writeFile(join(dir, 'a-followup.html'), page2.replaceAll('{{BASE}}', 'https://news.example'));
    const text = page1.replace(/<(script|header|footer|aside)[\s\S]*?<\/\1>/g, '').replace(/<[^>]+>/g, '\n');
    const title = /<h1>([^<]+)<\/h1>/.exec(page1)![1]!;
    await writeFile(
      join(dir, 'b-expectation.json'),
      JSON.stringify({
        url: 'https://news.example/a1',
        title,
        published: '2026-01-14T07:00:00Z',
        text: text.replace(title, ''),
      }),
    );
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints one line per article in published order, the follow-up pointing back at the expectation', async () => {
    const lines = (await replay(dir))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.map((l) => l.file)).toEqual(['b-expectation.json', 'a-followup.html']);
    const [first, second] = lines;
    expect(first.lang).toBe('ar');
    expect(first.expectations).toHaveLength(1);
    expect(first.expectations[0]).toMatchObject({
      types: ['meeting'],
      // "in the near future": 90 days and three days' grace
      due: { from: '2026-01-14', to: '2026-04-17' },
    });
    expect(Object.keys(second).sort()).toEqual([
      'alerts',
      'events',
      'expectations',
      'file',
      'lang',
      'matches',
      'published',
      'title',
      'url',
    ]);
    expect(second.url).toBe('https://news.example/news/kuwait-nato-dialogue.html');
    expect(second.matches).toEqual([
      expect.objectContaining({
        kind: 'fulfils',
        target: { file: 'b-expectation.json', id: first.expectations[0].id },
      }),
    ]);
    expect(second.alerts.map((a: { kind: string }) => a.kind)).toEqual(['expectation.fulfilled']);
    const main = second.events.find((e: { historical: boolean }) => !e.historical);
    expect(main).toMatchObject({ type: 'dialogue', place: 'brussels', date: { value: '2026-01-28' } });
    expect(Object.keys(main).sort()).toEqual(['date', 'historical', 'id', 'participants', 'place', 'type']);
  });

  it('gives the same output for the same input, and needs no Redis', async () => {
    const first = await replay(dir);
    expect(await replay(dir)).toBe(first);
    // Replay runs on the in-memory event base: a Redis nobody listens for changes nothing.
    const { stdout } = await run(process.execPath, [bin, 'replay', dir], {
      env: { ...process.env, LOG_LEVEL: 'silent', REDIS_URL: 'redis://127.0.0.1:1' },
    });
    expect(stdout).toBe(first);
  });

  it('names the file and the field of a bad saved article', async () => {
    await writeFile(
      join(dir, 'c-bad.json'),
      JSON.stringify({ url: 'https://x.example', title: 't', published: 'soon', text: '' }),
    );
    const err = await replay(dir).catch((e: { stderr: string }) => e);
    expect((err as { stderr: string }).stderr).toMatch(/c-bad\.json: published: is not a date/);
    await rm(join(dir, 'c-bad.json'));
  });
});
