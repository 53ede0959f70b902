// The analyze stage: extract an article's events and expectations, match them against the
// event base, update the base and decide which alerts are owed. I/O only through EventBase.
import { fulfilledAlert, newEventAlert, openedAlert } from '../domain/alerts';
import type { Analyzer } from '../domain/analyzer';
import { extractArticle, sameExpectation } from '../domain/extract';
import { bestFulfilment, matchEvent, type MatchThresholds } from '../domain/match';
import type {
  Alert,
  ArticleInput,
  EventRecord,
  ExpectationRecord,
  ExtractedEvent,
  Match,
  SourceRef,
} from '../domain/types';
import { hashKey } from '../store/articles';
import type { EventBase } from '../store/event-base';

export interface AnalyzeDeps {
  analyzer: Analyzer;
  base: EventBase;
  thresholds: MatchThresholds;
  now: () => Date;
}

export interface AnalyzeResult {
  events: EventRecord[];
  expectations: ExpectationRecord[];
  /** decisions linking this article to what the base held before it */
  matches: (Match & { eventId?: string | undefined })[];
  alerts: Alert[];
}

/** Reports of one event fall within this many days of each other. */
const CANDIDATE_MARGIN_DAYS = 7;

export function sourceOf(a: ArticleInput): SourceRef {
  return {
    articleId: a.id,
    url: a.url,
    title: a.title,
    published: a.published,
    lang: a.lang,
    feedId: a.feedId,
  };
}

/** Historical events are keyed by what they are, so every article recounting one joins it. */
function historicalId(e: ExtractedEvent): string {
  return `ev_${hashKey(['historical', e.family, [...e.participants].sort().join(','), e.date.value].join('|'))}`;
}

export async function analyzeArticle(deps: AnalyzeDeps, article: ArticleInput): Promise<AnalyzeResult> {
  const { analyzer, base, thresholds } = deps;
  const nameOf = analyzer.nameOf;
  const now = deps.now();
  const source = sourceOf(article);
  const extraction = extractArticle(analyzer, article);
  const result: AnalyzeResult = { events: [], expectations: [], matches: [], alerts: [] };

  for (const [i, extracted] of extraction.events.entries()) {
    const { record, isNew, match } = await placeEvent(extracted, i);
    if (match) result.matches.push(match);
    result.events.push(record);
    const fulfilled = await fulfilWith(record);
    if (isNew && !extracted.historical && !fulfilled)
      result.alerts.push(newEventAlert(record, nameOf, hashKey, now));
  }

  for (const x of extraction.expectations) {
    const record: ExpectationRecord = {
      ...x,
      id: `x_${hashKey(`${article.id}|${x.text}`)}`,
      state: 'open',
      source,
    };
    // A later article restating an open expectation adds nothing to wait for.
    const open = await base.openExpectationsFor(record.participants, record.due);
    if (open.some((o) => o.source.articleId !== article.id && sameExpectation(analyzer, o, record))) continue;
    if (!(await base.createExpectation(record))) continue;
    result.expectations.push(record);
    // The follow-up may have been reported before the article that expected it arrived.
    const earlier = (await base.eventsNear(record.participants, record.due, 0)).filter(
      (e) => !e.sources.some((s) => s.articleId === article.id),
    );
    let done = false;
    for (const e of earlier) {
      if (await tryFulfil(record, e)) {
        done = true;
        break;
      }
    }
    if (!done) result.alerts.push(openedAlert(record, nameOf, hashKey, now));
  }
  return result;

  async function placeEvent(e: ExtractedEvent, index: number) {
    if (e.historical) {
      const id = historicalId(e);
      const created = await base.createEvent({ ...e, id, sources: [source] });
      if (!created) await base.addSource(id, source);
      // Joining a recounted historical event is bookkeeping, not news: no match is reported.
      return { record: (await base.getEvent(id))!, isNew: created, match: undefined };
    }
    const candidates = await base.eventsNear(e.participants, e.date, CANDIDATE_MARGIN_DAYS);
    const match = matchEvent(
      e,
      candidates.filter((c) => !c.sources.some((s) => s.articleId === article.id)),
      thresholds,
      nameOf,
    );
    if (match) {
      await base.addSource(match.targetId, source);
      return {
        record: (await base.getEvent(match.targetId))!,
        isNew: false,
        match: { ...match, eventId: match.targetId },
      };
    }
    const id = `ev_${hashKey(`${article.id}|${index}`)}`;
    const created = await base.createEvent({ ...e, id, sources: [source] });
    return { record: (await base.getEvent(id))!, isNew: created, match: undefined };
  }

  /** Fulfils the open expectation this event answers best, if any; true when it did. */
  async function fulfilWith(event: EventRecord): Promise<boolean> {
    const open = (await base.openExpectationsFor(event.participants, event.date)).filter(
      (x) => !event.sources.some((s) => s.articleId === x.source.articleId),
    );
    const best = bestFulfilment(event, open, thresholds, analyzer.familyOf, nameOf);
    return best
      ? fulfil(
          open.find((o) => o.id === best.targetId)!,
          event,
          best,
        )
      : false;
  }

  /** Fulfils `x` with `event` if the event answers it well enough. */
  async function tryFulfil(x: ExpectationRecord, event: EventRecord): Promise<boolean> {
    const best = bestFulfilment(event, [x], thresholds, analyzer.familyOf, nameOf);
    return best ? fulfil(x, event, best) : false;
  }

  async function fulfil(x: ExpectationRecord, event: EventRecord, best: Match): Promise<boolean> {
    const by = {
      eventId: event.id,
      source: event.sources[0] ?? source,
      score: best.score,
      reasons: best.reasons,
    };
    if (!(await base.fulfil(x.id, by))) return false;
    const fulfilled: ExpectationRecord = { ...x, state: 'fulfilled', fulfilledBy: by };
    result.matches.push({ ...best, eventId: event.id });
    result.alerts.push(fulfilledAlert(fulfilled, event, best, nameOf, hashKey, now));
    return true;
  }
}
