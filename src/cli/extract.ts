// `newswatch extract FILE|URL|DIR ...`: pages read into articles exactly as the scrape stage reads
// them. One file or URL prints one JSON object; several, or a directory, print one JSON line per page
// with a `file` field, in the order given. A page that fails is named on stderr, the others still
// print, and the exit code is 1.
import { readdir, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../config/env';
import { NewswatchError } from '../errors';
import { decodeBody } from '../ingest/decode';
import { fetchResource, type FetchOptions } from '../ingest/fetch';
import { readArticle, type ArticleDoc } from '../ingest/read-article';

export interface ExtractedArticle {
  /** The input the article came from (several inputs only). */
  file?: string;
  url: string;
  title: string;
  published?: string;
  publishedDay?: string;
  modified?: string;
  author?: string;
  lang: string;
  text: string;
}

export interface ExtractOptions {
  /** The page's address, for a single file. */
  url?: string;
  fetch: Pick<FetchOptions, 'timeoutMs' | 'maxBytes' | 'userAgent' | 'allowPrivate'>;
  /** Pages in flight at once (file reads and fetches overlap; reading itself is one at a time). */
  concurrency?: number;
}

export interface ExtractOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

type Input = { kind: 'url' | 'file'; name: string } | { kind: 'error'; name: string; message: string };

type Outcome = { ok: true; article: ExtractedArticle } | { ok: false; message: string };

/** The command as main.ts runs it: configuration from the environment, stdout and stderr. */
export async function extractCommand(inputs: string[], opts: { url?: string }): Promise<number> {
  const config = loadConfig();
  return runExtract(
    inputs,
    {
      ...(opts.url !== undefined ? { url: opts.url } : {}),
      fetch: {
        timeoutMs: config.fetchTimeoutMs,
        maxBytes: config.fetchMaxBytes,
        userAgent: config.userAgent,
        allowPrivate: config.fetchAllowPrivate,
      },
    },
    { out: (t) => process.stdout.write(`${t}\n`), err: (t) => process.stderr.write(`${t}\n`) },
  );
}

/** Reads every input and prints it; resolves to the exit code. */
export async function runExtract(args: string[], opts: ExtractOptions, io: ExtractOutput): Promise<number> {
  const expanded = await Promise.all(args.map(expand));
  const inputs = expanded.flatMap((e) => e.pages);
  // One file or URL prints one object; a directory prints lines even when it holds one page.
  const single = args.length === 1 && !expanded[0]!.dir;
  if (opts.url !== undefined) {
    if (!single || inputs[0]?.kind !== 'file')
      throw new NewswatchError('NW_CONFIG_INVALID', '--url names the address of a single FILE');
    if (!isHttpUrl(opts.url))
      throw new NewswatchError(
        'NW_CONFIG_INVALID',
        `--url: ${JSON.stringify(opts.url)} is not an http(s) URL`,
      );
  }

  let failed = 0;
  const concurrency = opts.concurrency ?? Math.min(8, 2 * os.availableParallelism());
  await mapInOrder(
    inputs,
    concurrency,
    (input) => extractInput(input, opts),
    (outcome, input) => {
      if (!outcome.ok) {
        failed++;
        io.err(`newswatch: ${outcome.message}`);
      } else if (single) io.out(JSON.stringify(outcome.article, null, 2));
      else io.out(JSON.stringify({ file: input.name, ...outcome.article }));
    },
  );
  return failed > 0 ? 1 : 0;
}

/** An argument as pages: a URL, a file, or a directory's *.html and *.htm in name order. */
async function expand(arg: string): Promise<{ pages: Input[]; dir: boolean }> {
  if (/^https?:\/\//i.test(arg)) return { pages: [{ kind: 'url', name: arg }], dir: false };
  const failed = (message: string) => ({
    pages: [{ kind: 'error' as const, name: arg, message }],
    dir: false,
  });
  try {
    if (!(await stat(arg)).isDirectory()) return { pages: [{ kind: 'file', name: arg }], dir: false };
    const names = (await readdir(arg)).filter((n) => /\.html?$/i.test(n)).sort();
    if (names.length === 0) return failed(`${arg}: no *.html or *.htm files in this directory`);
    return { pages: names.map((n) => ({ kind: 'file', name: join(arg, n) })), dir: true };
  } catch (err) {
    return failed(`${arg}: ${fsReason(err)}`);
  }
}

async function extractInput(input: Input, opts: ExtractOptions): Promise<Outcome> {
  try {
    if (input.kind === 'error') return { ok: false, message: input.message };
    if (input.kind === 'url') return { ok: true, article: await extractUrl(input.name, opts) };
    return { ok: true, article: await extractFile(input.name, opts.url) };
  } catch (err) {
    return { ok: false, message: (err as Error).message };
  }
}

/** Fetched and decoded as the scrape stage does; errors name the URL already. */
async function extractUrl(url: string, opts: ExtractOptions): Promise<ExtractedArticle> {
  const res = await fetchResource(url, { ...opts.fetch, accept: 'text/html,application/xhtml+xml' });
  const doc = readArticle(decodeBody(res.body, res.headers['content-type']), res.url);
  return article(doc, doc.canonicalUrl);
}

/** A saved page: its charset sniffed from its own <meta>, its address from --url, its canonical link, or its path. */
async function extractFile(path: string, url: string | undefined): Promise<ExtractedArticle> {
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch (err) {
    throw new NewswatchError('NW_NOT_FOUND', `${path}: ${fsReason(err)}`);
  }
  const address = url ?? pathToFileURL(resolve(path)).href;
  let doc: ArticleDoc;
  try {
    doc = readArticle(decodeBody(body), address);
  } catch (err) {
    // readArticle names the page by its address; a file is better named by its path.
    const message = (err as Error).message.replace(`${address}: `, '');
    throw new NewswatchError('NW_PAGE_INVALID', `${path}: ${message}`);
  }
  return article(doc, url ?? (isHttpUrl(doc.canonicalUrl) ? doc.canonicalUrl : address));
}

function article(doc: ArticleDoc, url: string): ExtractedArticle {
  return {
    url,
    title: doc.title,
    ...(doc.published ? { published: doc.published } : {}),
    ...(doc.publishedDay ? { publishedDay: doc.publishedDay } : {}),
    ...(doc.modified ? { modified: doc.modified } : {}),
    ...(doc.author ? { author: doc.author } : {}),
    lang: doc.lang,
    text: doc.text,
  };
}

/**
 * Runs `work` on every item with at most `limit` at once, and hands each result to `emit` in the
 * items' order as soon as it and all before it are done, so output streams yet stays in order.
 */
async function mapInOrder<T, R>(
  items: T[],
  limit: number,
  work: (item: T) => Promise<R>,
  emit: (result: R, item: T) => void,
): Promise<void> {
  const results = new Map<number, R>();
  let next = 0;
  let emitted = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      results.set(i, await work(items[i]!));
      while (results.has(emitted)) {
        emit(results.get(emitted)!, items[emitted]!);
        results.delete(emitted++);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
}

function isHttpUrl(value: string): boolean {
  try {
    const { protocol } = new URL(value);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

function fsReason(err: unknown): string {
  const code = (err as { code?: string }).code;
  if (code === 'ENOENT') return 'no such file or directory';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'EISDIR') return 'is a directory';
  return code ?? (err as Error).message;
}
