// `newswatch replay DIR|FILE.jsonl`: saved articles through extraction and matching, in published
// order, against a fresh event base in memory, with no network and no Redis.
// One JSON line per article; this is the interface matching is evaluated through.
import { loadAnalyzer } from '../config/data-files';
import type { Config } from '../config/env';
import type { Analyzer } from '../domain/analyzer';
import { analyzeArticle } from '../pipeline/analyze';
import { MemoryEventBase } from '../store/memory-event-base';
import type { CorpusItem } from './corpus';

export interface ReplayLine {
  file: string;
  url: string;
  title: string;
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

export async function replay(
  config: Config,
  items: readonly CorpusItem[],
  emit: (line: ReplayLine) => void,
  /** an analyzer already loaded (fit tries thresholds on one) */
  loadedAnalyzer?: Analyzer,
): Promise<void> {
  const loaded = [...items].sort(
    (a, b) => a.article.published.localeCompare(b.article.published) || a.file.localeCompare(b.file),
  );

  const analyzer =
    loadedAnalyzer ?? (await loadAnalyzer(config.entitiesFile, config.lexiconFile, config.modelFile));
  // In memory: a replay needs no Redis and leaves nothing behind; MemoryEventBase passes the
  // same contract suite as the Redis base the service runs on.
  const base = new MemoryEventBase();
  const fileOfArticle = new Map<string, string>();
  {
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
        title: article.title,
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
  }
}
