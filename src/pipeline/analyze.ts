// The analyze stage: read an article, plan what it changes against the event base (pure:
// src/domain/plan.ts) and carry the plan out. I/O only through EventBase.
import type { Arrival } from '../domain/alert-quiet';
import type { Analyzer } from '../domain/analyzer';
import { extractArticle } from '../domain/extract';
import { DEFAULT_MODEL, type MatchModel, type MatchThresholds } from '../domain/match';
import {
  firstReads,
  planArticle,
  readKey,
  type Condition,
  type Plan,
  type PlanContext,
  type PriorAnalysis,
  type Read,
  type Write,
} from '../domain/plan';
import type { Alert, ArticleInput, EventRecord, ExpectationRecord, Extraction, Match } from '../domain/types';
import { hashKey } from '../store/articles';
import type { EventBase } from '../store/event-base';

export interface AnalyzeDeps {
  analyzer: Analyzer;
  base: EventBase;
  thresholds: MatchThresholds;
  /** the fitted weights (data/match-model.json); hand-set ones when absent */
  model?: MatchModel | undefined;
  now: () => Date;
  /** ALERT_RECENCY in ms; absent (eval, replay): every alert is raised, whatever its age */
  recencyMs?: number | undefined;
}

export interface AnalyzeResult {
  events: EventRecord[];
  expectations: ExpectationRecord[];
  /** decisions linking this article to what the base held before it */
  matches: (Match & { eventId?: string | undefined })[];
  alerts: Alert[];
  /** alerts kept quiet (a new feed's backlog, old news): not raised, but remembered as decided */
  quieted: Alert[];
}

/**
 * Rounds of reads one article may take. Each round answers every read the last plan found
 * missing; an article needs two or three (its own dates and parties, then a joined event's).
 */
const MAX_READ_ROUNDS = 8;

export async function analyzeArticle(
  deps: AnalyzeDeps,
  article: ArticleInput,
  prior?: PriorAnalysis,
  arrival?: Omit<Arrival, 'recencyMs'>,
): Promise<AnalyzeResult> {
  return matchArticle(deps, article, extractArticle(deps.analyzer, article), prior, arrival);
}

/**
 * Matches what was read from an article against the base and updates it. Split from extraction
 * (pure, and a third of the work) so a worker can read an article before taking the analyze lock
 * and hold the lock only while it reads and writes the base. `prior` is what the analyses of the
 * article's earlier versions left (src/domain/plan.ts PriorAnalysis): given, the article is read
 * as an update and raises only what they did not.
 */
export async function matchArticle(
  deps: AnalyzeDeps,
  article: ArticleInput,
  extraction: Extraction,
  prior?: PriorAnalysis,
  arrival?: Omit<Arrival, 'recencyMs'>,
): Promise<AnalyzeResult> {
  const ctx: PlanContext = {
    article,
    extraction,
    analyzer: deps.analyzer,
    thresholds: deps.thresholds,
    model: deps.model ?? deps.analyzer.model ?? DEFAULT_MODEL,
    now: deps.now(),
    hash: hashKey,
    prior,
    // Quiet alerts need a window: without one (eval, replay) the plan raises all, as before.
    arrival: deps.recencyMs === undefined ? undefined : { ...arrival, recencyMs: deps.recencyMs },
  };
  // The base as it was before this article, read in rounds: every read of a round is asked at
  // once, so the auto-pipelined connection sends them together and the lock is held for a few
  // round trips, not one per event and expectation. Nothing is written until the plan is whole.
  const snapshot = new Map<string, unknown>();
  let asked = firstReads(ctx);
  for (let round = 1; ; round++) {
    await readInto(deps.base, snapshot, asked);
    const { plan, needs } = planArticle(ctx, snapshot);
    if (needs.length === 0) return applyPlan(deps.base, plan);
    if (round === MAX_READ_ROUNDS)
      throw new Error(`analysis of ${article.url} still needed ${needs.length} reads after ${round} rounds`);
    asked = needs;
  }
}

async function readInto(base: EventBase, snapshot: Map<string, unknown>, reads: Read[]): Promise<void> {
  const fresh = new Map<string, Read>();
  for (const r of reads) if (!snapshot.has(readKey(r))) fresh.set(readKey(r), r);
  const answers = await Promise.all([...fresh.values()].map((r) => readOne(base, r)));
  [...fresh.keys()].forEach((key, i) => snapshot.set(key, answers[i]));
}

async function readOne(base: EventBase, r: Read): Promise<unknown> {
  switch (r.kind) {
    case 'near':
      return base.eventsNear(r.parties, r.span, r.margin);
    case 'open':
      return base.openExpectationsFor(r.parties, r.span);
    case 'event':
      return (await base.getEvent(r.id)) ?? null;
    case 'expectation':
      return (await base.getExpectation(r.id)) ?? null;
    case 'fulfilledBy':
      return base.fulfilledBy(r.eventId);
    case 'terms':
      return base.termStats(r.terms);
  }
}

async function runWrite(base: EventBase, w: Write): Promise<boolean> {
  switch (w.op) {
    case 'createEvent':
      return base.createEvent(w.event);
    case 'addSource':
      return base.addSource(w.eventId, w.source);
    case 'createExpectation':
      return base.createExpectation(w.expectation);
    case 'fulfil':
      return base.fulfil(w.id, w.by);
    case 'markOverdue':
      return base.markOverdue(w.id);
    case 'cancel':
      return base.cancel(w.id, w.by);
    case 'addTerms':
      await base.addTerms(w.terms, w.articleId);
      return true;
  }
}

/**
 * Carries a plan out, write after write, and keeps the matches and alerts whose writes took
 * effect: a close the base refused (another worker's, or the same close already made) raises
 * nothing. Only closes are conditions: a create or an added source that finds its record there
 * already is this article's own, from a run that crashed before it finished.
 */
export async function applyPlan(base: EventBase, plan: Plan): Promise<AnalyzeResult> {
  const took: boolean[] = [];
  for (const w of plan.writes) took.push(await runWrite(base, w));
  const holds = (when: Condition | undefined) =>
    !when || ((when.ok ?? []).every((i) => took[i]) && (when.failed ?? []).every((i) => !took[i]));
  return {
    events: plan.events,
    expectations: plan.expectations,
    matches: plan.matches.filter((m) => holds(m.when)).map((m) => m.match),
    alerts: plan.alerts.filter((a) => holds(a.when)).map((a) => a.alert),
    quieted: plan.quieted.filter((a) => holds(a.when)).map((a) => a.alert),
  };
}
