// Reads the article sets replay and eval run on, in the forms they come in: a folder of saved
// articles (*.json, *.html), a JSON Lines file of records (../shared/realnews), or a folder of
// labelled sub-folders with a splits.json (test/fixtures/heldout). Labels (gold.json) come along.
import { existsSync } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import type { ArticleInput } from '../domain/types';
import { NewswatchError } from '../errors';
import { mergeGold, parseGold, type Gold } from '../eval/gold';
import { chooseLang } from '../ingest/article-dates';
import { readArticle } from '../ingest/read-article';
import { hashKey } from '../store/articles';

export interface CorpusItem {
  /** the name decisions are reported under: `<id>.json` for records, the file name otherwise */
  file: string;
  article: ArticleInput;
}

export interface Corpus {
  items: CorpusItem[];
  gold?: Gold | undefined;
}

export interface CorpusOptions {
  /** a split named in splits.json (dev, test); every labelled sub-folder when absent */
  split?: string | undefined;
  /** of a JSON Lines set: only records marked labelled (true) or unlabelled (false) */
  labelled?: boolean | undefined;
}

/** Files beside the articles that are not articles. */
const NOT_ARTICLES = new Set(['labels.json', 'gold.json', 'splits.json', 'package.json']);

const savedArticle = z.object({
  url: z.string().min(1),
  title: z.string(),
  published: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'is not a date'),
  lang: z.string().optional(),
  text: z.string(),
});

const record = z.object({
  id: z.string().min(1),
  url: z.string().min(1),
  title: z.string().nullable().optional(),
  date: z.string().refine((s) => !Number.isNaN(Date.parse(toIso(s))), 'is not a date'),
  lang: z.string().optional(),
  text: z.string().nullable().optional(),
  labelled: z.boolean().optional(),
});

/** "2015-07-21 10:51:56" (a collection time, UTC) as ISO. */
function toIso(date: string): string {
  return /^\d{4}-\d{2}-\d{2} \d/.test(date) ? `${date.replace(' ', 'T')}Z` : date;
}

export async function loadCorpus(path: string, options: CorpusOptions = {}): Promise<Corpus> {
  const where = resolve(path);
  if (!existsSync(where)) {
    // The real-news set is research data kept beside a clone, never in it.
    const why = /realnews/.test(path)
      ? ' (the labelled real news lives in ../shared/realnews beside a development clone, not in the repository: eval:real and fit need it there)'
      : '';
    throw new NewswatchError('NW_CONFIG_INVALID', `${path}: no such file or folder${why}`);
  }
  if ((await stat(where)).isFile()) {
    if (!where.endsWith('.jsonl'))
      throw new NewswatchError('NW_CONFIG_INVALID', `${path}: not a .jsonl file`);
    return { items: await readRecords(where, options.labelled) };
  }
  const names = await readdir(where);
  if (names.includes('splits.json')) return readSplits(where, options.split);
  if (options.split)
    throw new NewswatchError('NW_CONFIG_INVALID', `${path}: no splits.json, so no split "${options.split}"`);
  const gold = await readGold(where);
  if (names.includes('articles.jsonl')) {
    // A labelled JSON Lines set: eval reads the labelled records unless told otherwise.
    const labelled = options.labelled ?? (gold ? true : undefined);
    const items = await readRecords(join(where, 'articles.jsonl'), labelled);
    return { items, gold };
  }
  return { items: await readFolder(where), gold };
}

async function readGold(dir: string): Promise<Gold | undefined> {
  const file = join(dir, 'gold.json');
  if (existsSync(file)) return parseGold(await readJson(file), file);
  const labels = join(dir, 'labels.json');
  return existsSync(labels) ? goldFromPairs(await readJson(labels), labels) : undefined;
}

const splitsSchema = z.record(z.string(), z.array(z.string().min(1)).min(1));

async function readSplits(dir: string, split: string | undefined): Promise<Corpus> {
  const file = join(dir, 'splits.json');
  const parsed = splitsSchema.safeParse(await readJson(file));
  if (!parsed.success)
    throw new NewswatchError('NW_CONFIG_INVALID', `${file}: ${parsed.error.issues[0]!.message}`);
  const splits = parsed.data;
  if (split && !(split in splits))
    throw new NewswatchError(
      'NW_CONFIG_INVALID',
      `${file}: no split "${split}" (there are ${Object.keys(splits).join(', ')})`,
    );
  const folders = split ? splits[split]! : [...new Set(Object.values(splits).flat())];
  const items: CorpusItem[] = [];
  const golds: Gold[] = [];
  for (const f of folders) {
    const sub = join(dir, f);
    if (!existsSync(sub)) throw new NewswatchError('NW_CONFIG_INVALID', `${file}: folder "${f}" is missing`);
    items.push(...(await readFolder(sub)));
    const g = await readGold(sub);
    if (g) golds.push(g);
  }
  return { items, gold: golds.length ? mergeGold(golds) : undefined };
}

async function readFolder(dir: string): Promise<CorpusItem[]> {
  const names = (await readdir(dir))
    .filter((n) => (n.endsWith('.json') || n.endsWith('.html')) && !NOT_ARTICLES.has(n))
    .sort();
  return Promise.all(names.map(async (n) => ({ file: n, article: await readSaved(join(dir, n)) })));
}

async function readRecords(file: string, labelled: boolean | undefined): Promise<CorpusItem[]> {
  const lines = (await readFile(file, 'utf8')).split('\n');
  const items: CorpusItem[] = [];
  const seen = new Set<string>();
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (err) {
      throw new NewswatchError('NW_CONFIG_INVALID', `${file}:${i + 1}: not JSON (${(err as Error).message})`);
    }
    const parsed = record.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw new NewswatchError(
        'NW_CONFIG_INVALID',
        `${file}:${i + 1}: ${issue.path.join('.')}: ${issue.message}`,
      );
    }
    const r = parsed.data;
    if (labelled !== undefined && (r.labelled ?? false) !== labelled) return;
    const text = r.text ?? '';
    // A record repeating an earlier one's address and text is one article (to-replay.py does the same).
    const twice = `${r.url}\n${text}`;
    if (seen.has(twice)) return;
    seen.add(twice);
    const title = r.title ?? '';
    items.push({
      file: `${r.id}.json`,
      article: {
        id: `ar_${hashKey(r.url)}`,
        url: r.url,
        title,
        published: new Date(toIso(r.date)).toISOString(),
        lang: r.lang ?? chooseLang(undefined, `${title}\n${text}`),
        text,
      },
    });
  });
  return items;
}

/** A saved page read as the scrape stage reads a live one; `name` is what an error names. */
export function readPage(html: string, url: string, name: string): ArticleInput {
  const doc = readArticle(html, url);
  if (!doc.published) throw new NewswatchError('NW_PAGE_INVALID', `${name}: no publication date found`);
  return {
    id: `ar_${hashKey(doc.canonicalUrl)}`,
    url: doc.canonicalUrl,
    title: doc.title,
    published: doc.published,
    publishedDay: doc.publishedDay,
    lang: doc.lang,
    text: doc.text,
  };
}

/** Reads one saved article: JSON as given, HTML read like a live page. */
export async function readSaved(path: string): Promise<ArticleInput> {
  const raw = await readFile(path, 'utf8');
  if (path.endsWith('.html')) return readPage(raw, pathToFileURL(path).href, path);
  const parsed = savedArticle.safeParse(await readJson(path));
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new NewswatchError('NW_CONFIG_INVALID', `${path}: ${i.path.join('.') || '(root)'}: ${i.message}`);
  }
  const a = parsed.data;
  return {
    id: `ar_${hashKey(a.url)}`,
    url: a.url,
    title: a.title,
    published: new Date(a.published).toISOString(),
    // "2026-01-28T01:00:00+03:00" is of the 28th where it was written, though the 27th in UTC.
    publishedDay: /^\d{4}-\d{2}-\d{2}/.test(a.published) ? a.published.slice(0, 10) : undefined,
    lang: a.lang ?? chooseLang(undefined, `${a.title}\n${a.text}`),
    text: a.text,
  };
}

async function readJson(path: string): Promise<unknown> {
  const raw = await readFile(path, 'utf8');
  try {
    return JSON.parse(raw);
  } catch (err) {
    throw new NewswatchError('NW_CONFIG_INVALID', `${path}: not JSON (${(err as Error).message})`);
  }
}

const pairsSchema = z.object({
  pairs: z.array(
    z
      .object({ kind: z.enum(['fulfils', 'same_event']), earlier: z.string(), later: z.string() })
      .passthrough(),
  ),
});

/**
 * The older labels.json (pairs of files) as a gold file: same_event pairs joined into clusters,
 * each fulfils pair an expectation of the earlier article fulfilled by the later.
 */
function goldFromPairs(json: unknown, file: string): Gold {
  const parsed = pairsSchema.safeParse(json);
  if (!parsed.success)
    throw new NewswatchError('NW_CONFIG_INVALID', `${file}: ${parsed.error.issues[0]!.message}`);
  const id = (f: string) => basename(f).replace(/\.json$/, '');
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    const p = parent.get(x) ?? x;
    if (p === x) return x;
    const root = find(p);
    parent.set(x, root);
    return root;
  };
  for (const p of parsed.data.pairs)
    if (p.kind === 'same_event') parent.set(find(id(p.later)), find(id(p.earlier)));
  const clusters = new Map<string, string[]>();
  for (const x of parent.keys()) {
    const root = find(x);
    clusters.set(root, [...new Set([...(clusters.get(root) ?? [root]), x])]);
  }
  // Every report of the fulfilling event fulfils the expectation, as the realnews labels list them.
  const reportsOf = (x: string) => clusters.get(find(x)) ?? [x];
  const expectations: Gold['expectations'] = parsed.data.pairs
    .filter((p) => p.kind === 'fulfils')
    .map((p) => ({
      id: id(p.earlier),
      fulfilled_by: reportsOf(id(p.later)).filter((f) => f !== id(p.earlier)),
      arguable_fulfilled_by: [],
    }));
  return {
    dataset: file,
    articles: {},
    clusters: [...clusters.values()].filter((c) => c.length > 1),
    uncertain_pairs: [],
    expectations,
  };
}
