// `newswatch replay DIR`: saved articles through extraction and matching, in published order,
// against a fresh event base under its own key prefix (removed at the end), with no network.
// One JSON line per article; this is the interface matching is evaluated through.
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';
import { loadAnalyzer } from '../config/data-files';
import type { Config } from '../config/env';
import type { ArticleInput } from '../domain/types';
import { NewswatchError } from '../errors';
import { chooseLang } from '../ingest/article-dates';
import { readArticle } from '../ingest/read-article';
import { analyzeArticle } from '../pipeline/analyze';
import { hashKey } from '../store/articles';
import { RedisEventBase } from '../store/event-base';
import { connectRedis, deleteKeys } from '../store/redis';
import { runPrefix } from '../testing/seed-scenario';

const savedArticle = z.object({
  url: z.string().min(1),
  title: z.string(),
  published: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'is not a date'),
  lang: z.string().optional(),
  text: z.string(),
});

export interface ReplayLine {
  file: string;
  url: string;
  published: string;
  lang: string;
  events: {
    id: string;
    type: string;
    participants: string[];
    place: string | null;
    date: unknown;
    historical: boolean;
  }[];
  expectations: {
    id: string;
    types: string[];
    participants: string[];
    due: { from: string; to: string };
    text: string;
  }[];
  matches: { kind: string; target: { file: string; id: string }; score: number; reasons: string[] }[];
  alerts: { kind: string; id: string; title: string }[];
}

/** Reads one saved article: JSON as given, HTML read like a live page. */
export async function readSaved(path: string): Promise<ArticleInput> {
  const raw = await readFile(path, 'utf8');
  if (path.endsWith('.html')) {
    const doc = readArticle(raw, pathToFileURL(path).href);
    if (!doc.published) throw new NewswatchError('NW_PAGE_INVALID', `${path}: no publication date found`);
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
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (err) {
    throw new NewswatchError('NW_CONFIG_INVALID', `${path}: not JSON (${(err as Error).message})`);
  }
  const parsed = savedArticle.safeParse(json);
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

export async function replay(config: Config, dir: string, emit: (line: ReplayLine) => void): Promise<void> {
  // labels.json beside the articles holds an evaluation's labels, not an article.
  const names = (await readdir(dir))
    .filter((n) => (n.endsWith('.json') || n.endsWith('.html')) && n !== 'labels.json')
    .sort();
  const loaded = await Promise.all(
    names.map(async (n) => ({ file: n, article: await readSaved(join(resolve(dir), n)) })),
  );
  loaded.sort(
    (a, b) => a.article.published.localeCompare(b.article.published) || a.file.localeCompare(b.file),
  );

  const analyzer = await loadAnalyzer(config.entitiesFile, config.lexiconFile);
  const prefix = runPrefix('replay');
  const redis = connectRedis(config.redisUrl);
  const base = new RedisEventBase(redis, prefix);
  const fileOfArticle = new Map<string, string>();
  try {
    for (const { file, article } of loaded) {
      fileOfArticle.set(article.id, file);
      // Decisions are timed at the article's publication, so the same input gives the same output.
      const r = await analyzeArticle(
        { analyzer, base, thresholds: config.thresholds, now: () => new Date(article.published) },
        article,
      );
      const matches: ReplayLine['matches'] = [];
      for (const m of r.matches) {
        if (m.kind === 'fulfils') {
          const x = (await base.getExpectation(m.targetId))!;
          const event = m.eventId ? await base.getEvent(m.eventId) : undefined;
          // An expectation of this article fulfilled by an earlier report points back at that report.
          const earlier =
            x.source.articleId === article.id
              ? { file: fileOfArticle.get(event?.sources[0]?.articleId ?? '') ?? '', id: event?.id ?? '' }
              : { file: fileOfArticle.get(x.source.articleId) ?? '', id: x.id };
          matches.push({ kind: 'fulfils', target: earlier, score: m.score, reasons: m.reasons });
        } else {
          const target = await base.getEvent(m.targetId);
          const first = target?.sources.find((s) => s.articleId !== article.id);
          matches.push({
            kind: m.kind,
            target: { file: fileOfArticle.get(first?.articleId ?? '') ?? '', id: m.targetId },
            score: m.score,
            reasons: m.reasons,
          });
        }
      }
      emit({
        file,
        url: article.url,
        published: article.published,
        lang: article.lang,
        events: r.events.map((e) => ({
          id: e.id,
          type: e.type,
          participants: e.participants,
          place: e.place ?? null,
          date: e.date,
          historical: e.historical,
        })),
        expectations: r.expectations.map((x) => ({
          id: x.id,
          types: x.types,
          participants: x.participants,
          due: x.due,
          text: x.text,
        })),
        matches,
        alerts: r.alerts.map((a) => ({ kind: a.kind, id: a.id, title: a.title })),
      });
    }
  } finally {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
}
