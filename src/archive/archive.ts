// The archive: the record of what newswatch read (articles, their text for as long as retention
// keeps it), what it made of them (events, expectations and their states, matches with reasons)
// and what it sent (alerts, every delivery attempt), in PostgreSQL, server or embedded (sql.ts).
// Every write is keyed by the domain's deterministic ids and writes nothing when the row already
// says the same, so a re-run, a retry or a second archiving of one record changes nothing.
import type { DeliveryAttempt } from '../store/alerts';
import type {
  Alert,
  ArticleInput,
  EventRecord,
  ExpectationRecord,
  ExpectationState,
  Match,
} from '../domain/types';
import { ArchiveQueryError, searchQuery, searchVector } from './search-text';
import type { SqlPort, SqlQuery } from './sql';

/** An article as the archive takes it: the article analysis reads, and what scraping knew of it. */
export interface ArchiveArticleInput extends ArticleInput {
  /** when this version was read (ISO); its text is kept from then for the retention period */
  fetchedAt: string;
  /** the canonical URL its identity was claimed under (src/ingest/canonical-url.ts) */
  canonicalUrl?: string | undefined;
  /** its text's fingerprint (src/domain/fingerprint.ts), to find copies */
  fingerprint?: string | undefined;
  /** gazetteer ids analysis found in it (Extraction.entities): what search filters by entity */
  entities?: readonly string[] | undefined;
}

export interface ArticleSummary {
  id: string;
  version: number;
  url: string;
  canonicalUrl?: string | undefined;
  feedId?: string | undefined;
  lang: string;
  title: string;
  published: string;
  /** YYYY-MM-DD, the day the source dates it */
  publishedDay: string;
  fetchedAt: string;
  fingerprint?: string | undefined;
  entities: string[];
  /** when its text is (or was) cleared; none: kept for ever */
  textExpiresAt?: string | undefined;
  /** set once the text was cleared by retention (prune); the rest stays */
  textPrunedAt?: string | undefined;
}

export interface ArchivedArticle extends ArticleSummary {
  /** undefined once retention cleared it */
  text?: string | undefined;
}

/** A match as analysis made it: `eventId` is the article's own event that matched, if one did. */
export type AnalysisMatch = Match & { eventId?: string | undefined };

export interface ArchivedMatch extends AnalysisMatch {
  articleId: string;
}

/** Everything one analysis of one article yields, archived in one transaction. */
export interface AnalysisRecord {
  article: ArchiveArticleInput;
  /** the events it created or joined, as they stand after it */
  events: readonly EventRecord[];
  /** the expectations it opened, and any whose state it changed (one it fulfilled) */
  expectations: readonly ExpectationRecord[];
  matches: readonly AnalysisMatch[];
}

/** What an article's page in the archive shows: it, and what it led to. */
export interface ArticleDetail {
  article: ArchivedArticle;
  /** the events it reports */
  events: EventRecord[];
  /** the expectations it stated */
  expectations: ExpectationRecord[];
  /** earlier expectations it fulfilled */
  fulfilled: ExpectationRecord[];
  matches: ArchivedMatch[];
  /** the alerts that tell of it */
  alerts: Alert[];
}

export interface SearchParams {
  /** words, "phrases", prefixes*; blank or absent: every article the filters let through */
  q?: string | undefined;
  /** gazetteer ids the article must all name */
  entities?: readonly string[] | undefined;
  feedId?: string | undefined;
  lang?: string | undefined;
  /** first and last day of publication (YYYY-MM-DD, the source's own day), both included */
  from?: string | undefined;
  to?: string | undefined;
  /** 1..100, 20 by default */
  limit?: number | undefined;
  /** the `next` of the page before */
  cursor?: string | undefined;
}

export interface Page<T> {
  items: T[];
  /** give it as `cursor` for the page after; absent on the last page */
  next?: string | undefined;
}

export interface ArchiveOptions {
  /** how long an article's text is kept after it was read; undefined: for ever */
  textRetentionMs?: number | undefined;
  /** the clock of archiving times and of `prune` by default */
  now?: () => Date;
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const PAGE_DEFAULT = 20;
const PAGE_MAX = 100;
const PRUNE_BATCH = 500;

type Row = Record<string, unknown>;

const iso = (v: unknown): string | undefined =>
  v === null || v === undefined ? undefined : new Date(v as string | Date).toISOString();
const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

const ARTICLE_COLUMNS = `id, version, url, canonical_url, feed_id, lang, title, published,
  published_day::text AS published_day, fetched, fingerprint, entities, text_expires_at, text_pruned_at`;

function summaryOf(r: Row): ArticleSummary {
  return {
    id: r.id as string,
    version: r.version as number,
    url: r.url as string,
    canonicalUrl: opt(r.canonical_url as string | null),
    feedId: opt(r.feed_id as string | null),
    lang: r.lang as string,
    title: r.title as string,
    published: iso(r.published)!,
    publishedDay: r.published_day as string,
    fetchedAt: iso(r.fetched)!,
    fingerprint: opt(r.fingerprint as string | null),
    entities: r.entities as string[],
    textExpiresAt: iso(r.text_expires_at),
    textPrunedAt: iso(r.text_pruned_at),
  };
}

function validTime(field: string, value: string): string {
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ArchiveQueryError(field, `${JSON.stringify(value)} is not a date-time`);
  return new Date(t).toISOString();
}

function validDay(field: string, value: string): string {
  if (!DAY_RE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`)))
    throw new ArchiveQueryError(field, `${JSON.stringify(value)} is not a day like 2026-01-28`);
  return value;
}

/** Cursors are opaque to callers: the sort key of the last item given, and what was listed. */
function encodeCursor(list: string, at: string, id: string): string {
  return Buffer.from(JSON.stringify({ l: list, t: at, i: id })).toString('base64url');
}

function decodeCursor(list: string, cursor: string): { at: string; id: string } {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    if (c.l === list && typeof c.i === 'string' && typeof c.t === 'string' && !Number.isNaN(Date.parse(c.t)))
      return { at: c.t, id: c.i };
  } catch {
    // falls through to the error below
  }
  throw new ArchiveQueryError(
    'cursor',
    `is not a cursor of this ${list} listing (give the "next" of a page)`,
  );
}

function pageSize(limit: number | undefined): number {
  if (limit === undefined) return PAGE_DEFAULT;
  if (!Number.isInteger(limit) || limit < 1 || limit > PAGE_MAX)
    throw new ArchiveQueryError('limit', `${limit} is not a whole number from 1 to ${PAGE_MAX}`);
  return limit;
}

export class Archive {
  private readonly now: () => Date;

  constructor(
    private readonly sql: SqlPort,
    private readonly opts: ArchiveOptions = {},
  ) {
    this.now = opts.now ?? (() => new Date());
  }

  /** `postgres://user:***@host/db` or `pglite:<dir>`, for messages */
  get describe(): string {
    return this.sql.describe;
  }

  close(): Promise<void> {
    return this.sql.close();
  }

  // ---- writes ---------------------------------------------------------------------------------

  /**
   * Stores the article unless a version as new is stored: true when it wrote. Given with
   * `entities` for the version stored, it records them (analysis comes after scraping), and leaves
   * the text as it is (a text retention cleared stays cleared).
   */
  saveArticle(article: ArchiveArticleInput): Promise<boolean> {
    return this.writeArticle(this.sql, article);
  }

  saveEvent(event: EventRecord): Promise<boolean> {
    return this.writeEvent(this.sql, event);
  }

  /** Stores the expectation as it stands; a new state is added to its history. */
  saveExpectation(expectation: ExpectationRecord): Promise<boolean> {
    return this.sql.transaction((tx) => this.writeExpectation(tx, expectation));
  }

  saveMatch(articleId: string, match: AnalysisMatch): Promise<boolean> {
    return this.writeMatch(this.sql, articleId, match);
  }

  /** The article, its events, expectations and matches, together or not at all; returns rows written. */
  recordAnalysis(record: AnalysisRecord): Promise<number> {
    return this.sql.transaction(async (tx) => {
      let written = Number(await this.writeArticle(tx, record.article));
      for (const e of record.events) written += Number(await this.writeEvent(tx, e));
      for (const x of record.expectations) written += Number(await this.writeExpectation(tx, x));
      for (const m of record.matches) written += Number(await this.writeMatch(tx, record.article.id, m));
      return written;
    });
  }

  /** Stores an alert once (alerts never change); false when it was stored before. */
  async saveAlert(alert: Alert): Promise<boolean> {
    const r = await this.sql.query(
      `INSERT INTO alerts (id, kind, created_at, title, event_id, expectation_id, article_ids, record)
       VALUES ($1, $2, $3::timestamptz, $4, $5, $6, $7::text[], $8::jsonb)
       ON CONFLICT (id) DO NOTHING`,
      [
        alert.id,
        alert.kind,
        validTime('alert.createdAt', alert.createdAt),
        alert.title,
        alert.event?.id ?? null,
        alert.expectation?.id ?? null,
        [...new Set(alert.sources.map((s) => s.articleId))],
        JSON.stringify(alert),
      ],
    );
    return r.rowCount === 1;
  }

  /** Records one delivery attempt; the same attempt (subscriber, channel, time, outcome) once. */
  async logAttempt(alertId: string, attempt: DeliveryAttempt): Promise<boolean> {
    const r = await this.sql.query(
      `INSERT INTO delivery_attempts (alert_id, subscriber_id, channel, at, outcome, digest_id, record)
       VALUES ($1, $2, $3, $4::timestamptz, $5, $6, $7::jsonb)
       ON CONFLICT DO NOTHING`,
      [
        alertId,
        attempt.subscriberId,
        attempt.channel,
        validTime('attempt.at', attempt.at),
        attempt.outcome,
        attempt.digestId ?? null,
        JSON.stringify(attempt),
      ],
    );
    return r.rowCount === 1;
  }

  /**
   * Clears the text of every article whose retention ended by `now`, with the text's words in the
   * search index; title, links, dates, entities and everything read from it stay. Returns how many.
   */
  async prune(now: Date = this.now()): Promise<number> {
    let cleared = 0;
    for (;;) {
      const r = await this.sql.query(
        `WITH due AS (
           SELECT id FROM articles
           WHERE text IS NOT NULL AND text_expires_at <= $1::timestamptz
           ORDER BY text_expires_at LIMIT ${PRUNE_BATCH}
           FOR UPDATE SKIP LOCKED)
         UPDATE articles a SET text = NULL, search = ts_filter(a.search, '{a}'), text_pruned_at = $1::timestamptz
         FROM due WHERE a.id = due.id`,
        [now.toISOString()],
      );
      cleared += r.rowCount;
      if (r.rowCount < PRUNE_BATCH) return cleared;
    }
  }

  private async writeArticle(db: SqlQuery, a: ArchiveArticleInput): Promise<boolean> {
    const published = validTime('article.published', a.published);
    const fetched = validTime('article.fetchedAt', a.fetchedAt);
    const day = a.publishedDay ? validDay('article.publishedDay', a.publishedDay) : published.slice(0, 10);
    const retention = this.opts.textRetentionMs;
    const expires = retention === undefined ? null : new Date(Date.parse(fetched) + retention).toISOString();
    const entities = a.entities ? [...new Set(a.entities)] : [];
    const version = a.version ?? 1;
    // Published is kept to the millisecond, as JavaScript dates are: a cursor holding one finds it again.
    const r = await db.query(
      `INSERT INTO articles (id, version, url, canonical_url, feed_id, lang, title, text, published,
         published_day, fetched, fingerprint, entities, search, text_expires_at, archived_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, date_trunc('milliseconds', $9::timestamptz), $10::date,
         $11::timestamptz, $12, $13::text[], $14::tsvector, $15::timestamptz, $16::timestamptz)
       ON CONFLICT (id) DO UPDATE SET version = EXCLUDED.version, url = EXCLUDED.url,
         canonical_url = EXCLUDED.canonical_url, feed_id = EXCLUDED.feed_id, lang = EXCLUDED.lang,
         title = EXCLUDED.title, text = EXCLUDED.text, published = EXCLUDED.published,
         published_day = EXCLUDED.published_day, fetched = EXCLUDED.fetched,
         fingerprint = EXCLUDED.fingerprint,
         entities = CASE WHEN $17::boolean THEN EXCLUDED.entities ELSE articles.entities END,
         search = EXCLUDED.search, text_expires_at = EXCLUDED.text_expires_at, text_pruned_at = NULL
       WHERE articles.version < EXCLUDED.version`,
      [
        a.id,
        version,
        a.url,
        a.canonicalUrl ?? null,
        a.feedId ?? null,
        a.lang,
        a.title,
        a.text,
        published,
        day,
        fetched,
        a.fingerprint ?? null,
        entities,
        searchVector(a.title, a.text),
        expires,
        this.now().toISOString(),
        a.entities !== undefined,
      ],
    );
    if (r.rowCount === 1) return true;
    if (a.entities === undefined) return false;
    const e = await db.query(
      `UPDATE articles SET entities = $3::text[]
       WHERE id = $1 AND version = $2 AND entities IS DISTINCT FROM $3::text[]`,
      [a.id, version, entities],
    );
    return e.rowCount === 1;
  }

  private async writeEvent(db: SqlQuery, e: EventRecord): Promise<boolean> {
    const now = this.now().toISOString();
    const r = await db.query(
      `INSERT INTO events (id, type, family, historical, date_from, date_to, participants, record,
         archived_at, updated_at)
       VALUES ($1, $2, $3, $4, $5::date, $6::date, $7::text[], $8::jsonb, $9::timestamptz, $9::timestamptz)
       ON CONFLICT (id) DO UPDATE SET type = EXCLUDED.type, family = EXCLUDED.family,
         historical = EXCLUDED.historical, date_from = EXCLUDED.date_from, date_to = EXCLUDED.date_to,
         participants = EXCLUDED.participants, record = EXCLUDED.record, updated_at = EXCLUDED.updated_at
       WHERE events.record IS DISTINCT FROM EXCLUDED.record`,
      [
        e.id,
        e.type,
        e.family,
        e.historical,
        validDay('event.date.from', e.date.from),
        validDay('event.date.to', e.date.to),
        e.participants,
        JSON.stringify(e),
        now,
      ],
    );
    await db.query(
      `INSERT INTO article_events (article_id, event_id)
       SELECT a, $2 FROM unnest($1::text[]) AS a ON CONFLICT DO NOTHING`,
      [[...new Set(e.sources.map((s) => s.articleId))], e.id],
    );
    return r.rowCount === 1;
  }

  /** Inside a transaction: the row lock orders two writers of one expectation's history. */
  private async writeExpectation(tx: SqlQuery, x: ExpectationRecord): Promise<boolean> {
    const now = this.now().toISOString();
    const before = await tx.query<{ state: ExpectationState }>(
      'SELECT state FROM expectations WHERE id = $1 FOR UPDATE',
      [x.id],
    );
    const r = await tx.query(
      `INSERT INTO expectations (id, state, article_id, fulfilled_by_event, fulfilled_by_article,
         due_from, due_to, participants, record, archived_at, state_changed_at)
       VALUES ($1, $2, $3, $4, $5, $6::date, $7::date, $8::text[], $9::jsonb, $10::timestamptz, $10::timestamptz)
       ON CONFLICT (id) DO UPDATE SET state = EXCLUDED.state, article_id = EXCLUDED.article_id,
         fulfilled_by_event = EXCLUDED.fulfilled_by_event,
         fulfilled_by_article = EXCLUDED.fulfilled_by_article, due_from = EXCLUDED.due_from,
         due_to = EXCLUDED.due_to, participants = EXCLUDED.participants, record = EXCLUDED.record,
         state_changed_at = CASE WHEN expectations.state = EXCLUDED.state
           THEN expectations.state_changed_at ELSE EXCLUDED.state_changed_at END
       WHERE expectations.record IS DISTINCT FROM EXCLUDED.record`,
      [
        x.id,
        x.state,
        x.source.articleId,
        x.fulfilledBy?.eventId ?? null,
        x.fulfilledBy?.source.articleId ?? null,
        validDay('expectation.due.from', x.due.from),
        validDay('expectation.due.to', x.due.to),
        x.participants,
        JSON.stringify(x),
        now,
      ],
    );
    if (before.rows[0]?.state !== x.state)
      await tx.query(
        `INSERT INTO expectation_states (expectation_id, seq, state, at)
         SELECT $1, coalesce(max(seq), 0) + 1, $2, $3::timestamptz FROM expectation_states WHERE expectation_id = $1`,
        [x.id, x.state, now],
      );
    return r.rowCount === 1;
  }

  private async writeMatch(db: SqlQuery, articleId: string, m: AnalysisMatch): Promise<boolean> {
    const r = await db.query(
      `INSERT INTO matches (article_id, event_id, kind, target_id, score, reasons, archived_at)
       VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::timestamptz)
       ON CONFLICT (article_id, event_id, kind, target_id) DO UPDATE
         SET score = EXCLUDED.score, reasons = EXCLUDED.reasons
       WHERE (matches.score, matches.reasons) IS DISTINCT FROM (EXCLUDED.score, EXCLUDED.reasons)`,
      [
        articleId,
        m.eventId ?? '',
        m.kind,
        m.targetId,
        m.score,
        JSON.stringify(m.reasons),
        this.now().toISOString(),
      ],
    );
    return r.rowCount === 1;
  }

  // ---- reads ----------------------------------------------------------------------------------

  async getArticle(id: string): Promise<ArchivedArticle | undefined> {
    const r = await this.sql.query(`SELECT ${ARTICLE_COLUMNS}, text FROM articles WHERE id = $1`, [id]);
    const row = r.rows[0];
    return row ? { ...summaryOf(row), text: opt(row.text as string | null) } : undefined;
  }

  /** The article with its events, expectations (stated and fulfilled), matches and alerts. */
  async article(id: string): Promise<ArticleDetail | undefined> {
    const article = await this.getArticle(id);
    if (!article) return undefined;
    const records = async <T>(text: string) =>
      (await this.sql.query<{ record: T }>(text, [id])).rows.map((r) => r.record);
    const [events, expectations, fulfilled, alerts, matches] = await Promise.all([
      records<EventRecord>(
        `SELECT e.record FROM events e JOIN article_events ae ON ae.event_id = e.id
         WHERE ae.article_id = $1 ORDER BY e.date_from, e.id`,
      ),
      records<ExpectationRecord>(
        'SELECT record FROM expectations WHERE article_id = $1 ORDER BY due_from, id',
      ),
      records<ExpectationRecord>(
        'SELECT record FROM expectations WHERE fulfilled_by_article = $1 ORDER BY due_from, id',
      ),
      records<Alert>(
        'SELECT record FROM alerts WHERE article_ids @> ARRAY[$1::text] ORDER BY created_at, id',
      ),
      this.sql.query<{
        event_id: string;
        kind: Match['kind'];
        target_id: string;
        score: number;
        reasons: string[];
      }>(
        `SELECT event_id, kind, target_id, score, reasons FROM matches
         WHERE article_id = $1 ORDER BY event_id, kind, target_id`,
        [id],
      ),
    ]);
    return {
      article,
      events,
      expectations,
      fulfilled,
      alerts,
      matches: matches.rows.map((m) => ({
        articleId: id,
        ...(m.event_id ? { eventId: m.event_id } : {}),
        kind: m.kind,
        targetId: m.target_id,
        score: m.score,
        reasons: m.reasons,
      })),
    };
  }

  async getEvent(id: string): Promise<EventRecord | undefined> {
    const r = await this.sql.query<{ record: EventRecord }>('SELECT record FROM events WHERE id = $1', [id]);
    return r.rows[0]?.record;
  }

  async getExpectation(id: string): Promise<ExpectationRecord | undefined> {
    const r = await this.sql.query<{ record: ExpectationRecord }>(
      'SELECT record FROM expectations WHERE id = $1',
      [id],
    );
    return r.rows[0]?.record;
  }

  /** Every state the expectation was in, oldest first, with when the archive learnt of it. */
  async expectationStates(id: string): Promise<{ state: ExpectationState; at: string }[]> {
    const r = await this.sql.query<{ state: ExpectationState; at: unknown }>(
      'SELECT state, at FROM expectation_states WHERE expectation_id = $1 ORDER BY seq',
      [id],
    );
    return r.rows.map((s) => ({ state: s.state, at: iso(s.at)! }));
  }

  async getAlert(id: string): Promise<Alert | undefined> {
    const r = await this.sql.query<{ record: Alert }>('SELECT record FROM alerts WHERE id = $1', [id]);
    return r.rows[0]?.record;
  }

  /** Every attempt to deliver the alert, oldest first. */
  async attempts(alertId: string): Promise<DeliveryAttempt[]> {
    const r = await this.sql.query<{ record: DeliveryAttempt }>(
      'SELECT record FROM delivery_attempts WHERE alert_id = $1 ORDER BY at, n',
      [alertId],
    );
    return r.rows.map((a) => a.record);
  }

  /** Alerts newest first, of one kind or all, a page at a time. */
  async alerts(
    params: { kind?: string | undefined; limit?: number; cursor?: string | undefined } = {},
  ): Promise<Page<Alert>> {
    const limit = pageSize(params.limit);
    const where: string[] = [];
    const args: unknown[] = [];
    if (params.kind !== undefined) where.push(`kind = $${args.push(params.kind)}`);
    if (params.cursor !== undefined) {
      const c = decodeCursor('alerts', params.cursor);
      where.push(`(created_at, id) < ($${args.push(c.at)}::timestamptz, $${args.push(c.id)})`);
    }
    const r = await this.sql.query<{ record: Alert; created_at: unknown }>(
      `SELECT record, created_at FROM alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY created_at DESC, id DESC LIMIT ${limit + 1}`,
      args,
    );
    const items = r.rows.slice(0, limit);
    const last = r.rows.length > limit ? items[items.length - 1] : undefined;
    return {
      items: items.map((a) => a.record),
      ...(last ? { next: encodeCursor('alerts', iso(last.created_at)!, last.record.id) } : {}),
    };
  }

  /**
   * Articles newest first (by publication, then id), that hold every piece of `q` in their title
   * or text (see searchQuery) and meet every filter given, a page at a time. A text retention
   * cleared is no longer searched; its title still is.
   */
  async search(params: SearchParams = {}): Promise<Page<ArticleSummary>> {
    const limit = pageSize(params.limit);
    const from = params.from === undefined ? undefined : validDay('from', params.from);
    const to = params.to === undefined ? undefined : validDay('to', params.to);
    if (from && to && from > to) throw new ArchiveQueryError('to', `${to} is before from (${from})`);
    const query = params.q === undefined ? undefined : searchQuery(params.q);
    const where: string[] = [];
    const args: unknown[] = [];
    if (query !== undefined) where.push(`search @@ $${args.push(query)}::tsquery`);
    if (params.entities?.length) where.push(`entities @> $${args.push([...params.entities])}::text[]`);
    if (params.feedId !== undefined) where.push(`feed_id = $${args.push(params.feedId)}`);
    if (params.lang !== undefined) where.push(`lang = $${args.push(params.lang)}`);
    if (from !== undefined) where.push(`published_day >= $${args.push(from)}::date`);
    if (to !== undefined) where.push(`published_day <= $${args.push(to)}::date`);
    if (params.cursor !== undefined) {
      const c = decodeCursor('articles', params.cursor);
      where.push(`(published, id) < ($${args.push(c.at)}::timestamptz, $${args.push(c.id)})`);
    }
    const r = await this.sql.query(
      `SELECT ${ARTICLE_COLUMNS} FROM articles ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY published DESC, id DESC LIMIT ${limit + 1}`,
      args,
    );
    const items = r.rows.slice(0, limit).map(summaryOf);
    const last = r.rows.length > limit ? items[items.length - 1] : undefined;
    return { items, ...(last ? { next: encodeCursor('articles', last.published, last.id) } : {}) };
  }
}
