// The archive's contract (issue 17), run case for case against PGlite embedded in the process and
// against the machine's PostgreSQL server at 127.0.0.1:5432 (each run in a schema of its own,
// `nw_<random>`, dropped at the end): the migrations apply once however many processes start, a
// write repeated writes nothing, an article reads back with its events, expectations and matches,
// expectations keep their history of states, alerts keep every delivery attempt, search finds an
// Arabic word in its clitic forms and English words whole, filters and cursor paging hold, and
// retention clears an article's text and nothing else. Then what only the configuration decides:
// the embedded directory (kept across opens, one process at a time) and a server that does not
// answer (named, its password not).
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Archive, type ArchiveArticleInput, type ArticleSummary } from '../../src/archive/archive';
import { migrate, readMigrations, type Migration } from '../../src/archive/migrate';
import { openArchive } from '../../src/archive/open';
import { ArchiveQueryError } from '../../src/archive/search-text';
import { pgliteSql, pgSql, type SqlPort } from '../../src/archive/sql';
import type { Alert, EventRecord, ExpectationRecord, SourceRef } from '../../src/domain/types';
import type { DeliveryAttempt } from '../../src/store/alerts';

const PG_URL = process.env.ARCHIVE_TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const DAY_MS = 86_400_000;

interface Driver {
  name: string;
  /** a new, empty database; `twin` opens a second connection to the same one (another process) */
  fresh(): Promise<{ sql: SqlPort; twin: () => SqlPort | Promise<SqlPort> }>;
  cleanup(): Promise<void>;
}

const pglite: Driver = {
  name: 'PGlite',
  async fresh() {
    const sql = await pgliteSql();
    // One process holds an embedded database: a "second start" is a second migrate on it.
    return { sql, twin: () => sql };
  },
  cleanup: async () => {},
};

const schemas: string[] = [];
const server: Driver = {
  name: 'PostgreSQL',
  async fresh() {
    const schema = `nw_${randomBytes(6).toString('hex')}`;
    const admin = pgSql({ connectionString: PG_URL, max: 1 });
    try {
      await admin.query(`CREATE SCHEMA ${schema}`);
    } catch (err) {
      throw new Error(
        `PostgreSQL does not answer at ${admin.describe} (${(err as Error).message}); \`bash .ci/run\` starts one, or set ARCHIVE_TEST_DATABASE_URL`,
        { cause: err },
      );
    } finally {
      await admin.close();
    }
    schemas.push(schema);
    const open = () => pgSql({ connectionString: PG_URL, searchPath: schema });
    return { sql: open(), twin: open };
  },
  async cleanup() {
    const admin = pgSql({ connectionString: PG_URL, max: 1 });
    for (const s of schemas.splice(0)) await admin.query(`DROP SCHEMA IF EXISTS ${s} CASCADE`);
    await admin.close();
  },
};

// ---- records, synthetic (written for these tests) ------------------------------------------------

const article = (
  id: string,
  over: Partial<ArchiveArticleInput> = {},
): ArchiveArticleInput & { published: string } => ({
  id,
  url: `https://news.example/${id}`,
  title: `Headline ${id}`,
  published: '2026-01-20T08:00:00.000Z',
  lang: 'en',
  text: `Body of ${id}.`,
  feedId: 'wire-en',
  fetchedAt: '2026-01-20T08:05:00.000Z',
  ...over,
});

const sourceOf = (a: ArchiveArticleInput): SourceRef => ({
  articleId: a.id,
  url: a.url,
  title: a.title,
  published: a.published,
  lang: a.lang,
  feedId: a.feedId,
});

const event = (id: string, sources: SourceRef[], day = '2026-01-20'): EventRecord => ({
  id,
  type: 'meeting',
  family: 'consult',
  participants: ['kuwait', 'nato'],
  actors: [],
  date: { value: day, precision: 'day', from: day, to: day },
  historical: false,
  evidence: 'Kuwait and NATO officials met.',
  sources,
});

const expectation = (id: string, source: SourceRef): ExpectationRecord => ({
  id,
  types: ['meeting'],
  participants: ['kuwait', 'nato'],
  due: { from: '2026-01-21', to: '2026-02-20' },
  horizon: 'near_future',
  text: 'Further meetings are expected in the near future.',
  state: 'open',
  source,
});

const alert = (
  id: string,
  createdAt: string,
  sources: SourceRef[],
  kind: Alert['kind'] = 'event.new',
): Alert => ({
  id,
  kind,
  createdAt,
  title: `Alert ${id}`,
  parties: [{ id: 'kuwait', name: 'Kuwait' }],
  sources,
  reasons: ['a new event'],
});

const ids = (items: readonly ArticleSummary[]) => items.map((a) => a.id);

for (const driver of [pglite, server]) {
  describe(`archive contract: ${driver.name}`, () => {
    let sql: SqlPort;
    let archive: Archive;
    let clock = new Date('2026-01-20T09:00:00.000Z');

    beforeAll(async () => {
      ({ sql } = await driver.fresh());
      await migrate(sql);
      archive = new Archive(sql, { textRetentionMs: 30 * DAY_MS, now: () => clock });
    });

    beforeEach(async () => {
      clock = new Date('2026-01-20T09:00:00.000Z');
      await sql.exec(
        `TRUNCATE articles, events, article_events, expectations, expectation_states, matches, alerts, delivery_attempts`,
      );
    });

    afterAll(async () => {
      await sql?.close();
      await driver.cleanup();
    });

    describe('migrations', () => {
      it('apply once: a second start, and two starting at once, apply nothing more', async () => {
        const { sql: first, twin } = await driver.fresh();
        const second = await twin();
        try {
          const files = await readMigrations();
          expect(files.map((f) => f.name)).toContain('0001_init.sql');
          const [a, b] = await Promise.all([migrate(first), migrate(second)]);
          // One of the two applied every file, the other waited at the lock and found them applied.
          expect([a, b].sort((x, y) => y.length - x.length)).toEqual([files.map((f) => f.name), []]);
          expect(await migrate(first)).toEqual([]);
          const recorded = await first.query<{ version: string }>(
            'SELECT version FROM schema_migrations ORDER BY 1',
          );
          expect(recorded.rows.map((r) => r.version)).toEqual(files.map((f) => f.version));
          // The tables are there and empty: nothing was run twice.
          const n = await first.query<{ n: number }>('SELECT count(*)::int AS n FROM articles');
          expect(n.rows[0]!.n).toBe(0);
        } finally {
          if (second !== first) await second.close();
          await first.close();
        }
      });

      it('refuse a file edited after it was applied, and leave the schema as it was when one fails', async () => {
        const { sql: db } = await driver.fresh();
        try {
          const files = await readMigrations();
          const broken: Migration = {
            version: '9999',
            name: '9999_broken.sql',
            sql: 'CREATE TABLE later (id text); SELECT no_such_function();',
            checksum: 'x',
          };
          await expect(migrate(db, [...files, broken])).rejects.toThrow(/9999_broken\.sql failed/);
          // Nothing of the run stayed: not the good files before it, not the broken one's table.
          const tables = await db.query<{ n: number }>(
            `SELECT count(*)::int AS n FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_name IN ('articles', 'later', 'schema_migrations')`,
          );
          expect(tables.rows[0]!.n).toBe(0);

          await migrate(db, files);
          const edited = files.map((f, i) => (i === 0 ? { ...f, checksum: 'edited' } : f));
          await expect(migrate(db, edited)).rejects.toMatchObject({
            code: 'NW_ARCHIVE_MIGRATION',
            message: expect.stringContaining('0001_init.sql changed after it was applied'),
          });
        } finally {
          await db.close();
        }
      });
    });

    describe('writes', () => {
      it('are idempotent: the same article, event, expectation, match, alert and attempt write once', async () => {
        const a = article('ar_same');
        const e = event('ev_same', [sourceOf(a)]);
        const x = expectation('ex_same', sourceOf(a));
        const m = {
          kind: 'same_event' as const,
          targetId: 'ev_older',
          score: 0.8,
          reasons: ['same parties'],
        };
        const al = alert('al_same', '2026-01-20T09:00:00.000Z', [sourceOf(a)]);
        const at: DeliveryAttempt = {
          subscriberId: 'desk',
          channel: 'webhook',
          at: '2026-01-20T09:00:01.000Z',
          outcome: 'delivered',
          status: 200,
        };

        const once = await archive.recordAnalysis({
          article: a,
          events: [e],
          expectations: [x],
          matches: [m],
        });
        expect(once).toBe(4);
        expect(
          await archive.recordAnalysis({ article: a, events: [e], expectations: [x], matches: [m] }),
        ).toBe(0);
        expect(await archive.saveArticle(a)).toBe(false);
        expect(await archive.saveEvent(e)).toBe(false);
        expect(await archive.saveExpectation(x)).toBe(false);
        expect(await archive.saveMatch(a.id, m)).toBe(false);
        expect(await archive.saveAlert(al)).toBe(true);
        expect(await archive.saveAlert(al)).toBe(false);
        expect(await archive.logAttempt(al.id, at)).toBe(true);
        expect(await archive.logAttempt(al.id, at)).toBe(false);

        const counts = await sql.query<Record<string, number>>(
          `SELECT (SELECT count(*)::int FROM articles) AS articles, (SELECT count(*)::int FROM events) AS events,
             (SELECT count(*)::int FROM article_events) AS links, (SELECT count(*)::int FROM expectations) AS expectations,
             (SELECT count(*)::int FROM expectation_states) AS states, (SELECT count(*)::int FROM matches) AS matches,
             (SELECT count(*)::int FROM alerts) AS alerts, (SELECT count(*)::int FROM delivery_attempts) AS attempts`,
        );
        expect(counts.rows[0]).toEqual({
          articles: 1,
          events: 1,
          links: 1,
          expectations: 1,
          states: 1,
          matches: 1,
          alerts: 1,
          attempts: 1,
        });
      });

      it('keep the newest version of an article, and add the entities analysis found to it', async () => {
        expect(await archive.saveArticle(article('ar_v', { text: 'First words.' }))).toBe(true);
        expect(await archive.saveArticle(article('ar_v', { version: 2, text: 'Corrected words.' }))).toBe(
          true,
        );
        // A late retry of version 1 changes nothing.
        expect(await archive.saveArticle(article('ar_v', { text: 'First words.' }))).toBe(false);
        expect(await archive.getArticle('ar_v')).toMatchObject({
          version: 2,
          text: 'Corrected words.',
          entities: [],
        });
        expect(
          await archive.saveArticle(
            article('ar_v', { version: 2, text: 'Corrected words.', entities: ['kuwait'] }),
          ),
        ).toBe(true);
        expect(
          await archive.saveArticle(
            article('ar_v', { version: 2, text: 'Corrected words.', entities: ['kuwait'] }),
          ),
        ).toBe(false);
        expect((await archive.getArticle('ar_v'))?.entities).toEqual(['kuwait']);
        expect((await archive.search({ q: 'first' })).items).toEqual([]);
        expect(ids((await archive.search({ q: 'corrected', entities: ['kuwait'] })).items)).toEqual(['ar_v']);
      });
    });

    describe('reads', () => {
      it('give an article back with its events, expectations, matches, and the later article that fulfilled one', async () => {
        const first = article('ar_first', {
          title: 'NATO deputy chief meets Kuwaiti minister',
          canonicalUrl: 'https://news.example/first',
          fingerprint: 'fp_first',
          entities: ['kuwait', 'nato'],
        });
        const e1 = event('ev_meet', [sourceOf(first)]);
        const x = expectation('ex_more', sourceOf(first));
        await archive.recordAnalysis({ article: first, events: [e1], expectations: [x], matches: [] });

        clock = new Date('2026-01-29T09:00:00.000Z');
        const second = article('ar_second', {
          published: '2026-01-28T12:00:00.000Z',
          fetchedAt: '2026-01-28T12:01:00.000Z',
        });
        const e2 = event('ev_round', [sourceOf(second)], '2026-01-28');
        const fulfilled: ExpectationRecord = {
          ...x,
          state: 'fulfilled',
          fulfilledBy: {
            eventId: e2.id,
            source: sourceOf(second),
            score: 0.71,
            reasons: ['same parties', 'in the window'],
          },
        };
        const match = {
          kind: 'fulfils' as const,
          targetId: x.id,
          eventId: e2.id,
          score: 0.71,
          reasons: ['same parties', 'in the window'],
        };
        await archive.recordAnalysis({
          article: second,
          events: [e2],
          expectations: [fulfilled],
          matches: [match],
        });

        const one = await archive.article('ar_first');
        expect(one?.article).toMatchObject({
          id: 'ar_first',
          version: 1,
          url: first.url,
          canonicalUrl: 'https://news.example/first',
          feedId: 'wire-en',
          lang: 'en',
          title: first.title,
          text: first.text,
          published: first.published,
          publishedDay: '2026-01-20',
          fetchedAt: first.fetchedAt,
          fingerprint: 'fp_first',
          entities: ['kuwait', 'nato'],
          textExpiresAt: '2026-02-19T08:05:00.000Z',
        });
        expect(one?.events).toEqual([e1]);
        expect(one?.expectations).toEqual([fulfilled]);
        expect(one?.fulfilled).toEqual([]);

        const two = await archive.article('ar_second');
        expect(two?.events).toEqual([e2]);
        expect(two?.fulfilled).toEqual([fulfilled]);
        expect(two?.matches).toEqual([{ articleId: 'ar_second', ...match }]);
        expect(await archive.article('ar_nothing')).toBeUndefined();
      });

      it('link an event to every article that reports it, as its sources grow', async () => {
        const a = article('ar_a');
        const b = article('ar_b', { published: '2026-01-20T10:00:00.000Z' });
        await archive.saveArticle(a);
        await archive.saveArticle(b);
        expect(await archive.saveEvent(event('ev_shared', [sourceOf(a)]))).toBe(true);
        expect(await archive.saveEvent(event('ev_shared', [sourceOf(a), sourceOf(b)]))).toBe(true);
        expect((await archive.article('ar_b'))?.events.map((e) => e.sources.length)).toEqual([2]);
        expect((await archive.article('ar_a'))?.events.map((e) => e.id)).toEqual(['ev_shared']);
        expect((await archive.getEvent('ev_shared'))?.sources.map((s) => s.articleId)).toEqual([
          'ar_a',
          'ar_b',
        ]);
      });

      it('keep every state an expectation passes through, in order', async () => {
        const a = article('ar_x');
        const open = expectation('ex_states', sourceOf(a));
        await archive.saveExpectation(open);
        clock = new Date('2026-01-21T09:00:00.000Z');
        await archive.saveExpectation({
          ...open,
          state: 'cancelled',
          cancelledBy: { source: sourceOf(a), text: 'called off', reasons: ['postponed'] },
        });
        clock = new Date('2026-01-22T09:00:00.000Z');
        await archive.saveExpectation(open); // reopened by an operator
        // Saved again as it is: no new state.
        await archive.saveExpectation(open);
        clock = new Date('2026-02-01T09:00:00.000Z');
        await archive.saveExpectation({ ...open, state: 'overdue' });

        expect(await archive.expectationStates('ex_states')).toEqual([
          { state: 'open', at: '2026-01-20T09:00:00.000Z' },
          { state: 'cancelled', at: '2026-01-21T09:00:00.000Z' },
          { state: 'open', at: '2026-01-22T09:00:00.000Z' },
          { state: 'overdue', at: '2026-02-01T09:00:00.000Z' },
        ]);
        expect((await archive.getExpectation('ex_states'))?.state).toBe('overdue');
        const row = await sql.query<{ state: string; state_changed_at: Date }>(
          'SELECT state, state_changed_at FROM expectations WHERE id = $1',
          ['ex_states'],
        );
        expect(row.rows[0]!.state).toBe('overdue');
        expect(new Date(row.rows[0]!.state_changed_at).toISOString()).toBe('2026-02-01T09:00:00.000Z');
      });

      it('keep alerts and every delivery attempt, listed newest first a page at a time', async () => {
        const a = article('ar_alerted');
        await archive.saveArticle(a);
        for (let i = 0; i < 5; i++)
          await archive.saveAlert(
            alert(
              `al_${i}`,
              `2026-01-20T09:0${i}:00.000Z`,
              [sourceOf(a)],
              i % 2 ? 'expectation.opened' : 'event.new',
            ),
          );
        const failed: DeliveryAttempt = {
          subscriberId: 'desk',
          channel: 'webhook',
          at: '2026-01-20T09:00:01.000Z',
          outcome: 'failed',
          attempt: 1,
          status: 500,
          error: 'HTTP 500',
        };
        const delivered: DeliveryAttempt = {
          subscriberId: 'desk',
          channel: 'webhook',
          at: '2026-01-20T09:00:06.000Z',
          outcome: 'delivered',
          attempt: 2,
          status: 200,
          latencyMs: 12,
          messageId: 'al_0_desk',
        };
        const mailed: DeliveryAttempt = {
          subscriberId: 'desk',
          channel: 'email',
          at: '2026-01-20T09:00:01.000Z',
          outcome: 'skipped',
          error: 'unsubscribed',
        };
        await archive.logAttempt('al_0', delivered);
        await archive.logAttempt('al_0', failed);
        await archive.logAttempt('al_0', mailed);
        expect(await archive.attempts('al_0')).toEqual([failed, mailed, delivered]);
        expect(await archive.attempts('al_1')).toEqual([]);
        expect(await archive.getAlert('al_3')).toEqual(
          alert('al_3', '2026-01-20T09:03:00.000Z', [sourceOf(a)], 'expectation.opened'),
        );

        const first = await archive.alerts({ limit: 2 });
        expect(first.items.map((x) => x.id)).toEqual(['al_4', 'al_3']);
        const second = await archive.alerts({ limit: 2, cursor: first.next });
        const third = await archive.alerts({ limit: 2, cursor: second.next });
        expect([...second.items, ...third.items].map((x) => x.id)).toEqual(['al_2', 'al_1', 'al_0']);
        expect(third.next).toBeUndefined();
        expect((await archive.alerts({ kind: 'expectation.opened' })).items.map((x) => x.id)).toEqual([
          'al_3',
          'al_1',
        ]);
        expect((await archive.article('ar_alerted'))?.alerts.map((x) => x.id)).toEqual([
          'al_0',
          'al_1',
          'al_2',
          'al_3',
          'al_4',
        ]);
      });
    });

    describe('search', () => {
      const arabic = [
        article('ar_waw', {
          lang: 'ar',
          feedId: 'wire-ar',
          title: 'تعاون في الطاقة',
          text: 'اتفقت قطر والكويت على تعزيز التعاون في مجال الطاقة.',
          published: '2026-01-21T08:00:00.000Z',
          entities: ['qatar', 'kuwait'],
        }),
        article('ar_bi', {
          lang: 'ar',
          feedId: 'wire-ar',
          title: 'اجتماع وزاري',
          text: 'عقد الاجتماع الوزاري بالكويت يوم الأحد بحضور وفود خليجية.',
          published: '2026-01-22T08:00:00.000Z',
          entities: ['kuwait'],
        }),
        article('ar_lil', {
          lang: 'ar',
          feedId: 'daily-ar',
          title: 'وفد رسمي',
          text: 'وصل وفد رسمي للكويت صباح اليوم في زيارة قصيرة.',
          published: '2026-01-23T08:00:00.000Z',
          entities: ['kuwait'],
        }),
        article('ar_adj', {
          lang: 'ar',
          feedId: 'daily-ar',
          title: 'رحلات جديدة',
          text: 'أعلنت الخطوط الكويتية عن رحلات جديدة إلى إيران.',
          published: '2026-01-24T08:00:00.000Z',
          entities: ['iran'],
        }),
        article('ar_title', {
          lang: 'ar',
          feedId: 'daily-ar',
          title: 'الكويت تستضيف القمة',
          text: 'تبدأ أعمال القمه غدا.',
          published: '2026-01-25T08:00:00.000Z',
          entities: ['kuwait'],
        }),
      ];
      const english = [
        article('en_round', {
          title: 'NATO and Kuwait open a political dialogue',
          text: "The first round of the political dialogue was held in Brussels. NATO's deputy chief attended.",
          published: '2026-01-28T12:00:00.000Z',
          entities: ['kuwait', 'nato'],
        }),
        article('en_romania', {
          title: 'Romania hosts allied drills',
          text: 'Exercises near the Black Sea drew Omani observers.',
          published: '2026-01-26T12:00:00.000Z',
          entities: ['romania'],
        }),
      ];

      beforeEach(async () => {
        for (const a of [...arabic, ...english]) await archive.saveArticle(a);
      });

      it('finds an Arabic word in every clitic form, but not a longer word', async () => {
        const found = async (q: string) => ids((await archive.search({ q })).items);
        // «الكويت» and «كويت» find والكويت, بالكويت, للكويت and الكويت, not the adjective الكويتية.
        expect(await found('الكويت')).toEqual(['ar_title', 'ar_lil', 'ar_bi', 'ar_waw']);
        expect(await found('كويت')).toEqual(['ar_title', 'ar_lil', 'ar_bi', 'ar_waw']);
        // A clitic in the search is a word of the search, as in a watch: «والكويت» is that form only.
        expect(await found('والكويت')).toEqual(['ar_waw']);
        // The adjective by a prefix; spellings folded as the domain folds them (hamza, taa marbuta).
        expect(await found('الكويتي*')).toEqual(['ar_adj']);
        expect(await found('ايران')).toEqual(['ar_adj']);
        expect(await found('القمة')).toEqual(['ar_title']);
        expect(await found('«الخطوط الكويتية»')).toEqual(['ar_adj']);
        expect(await found('«الكويتية الخطوط»')).toEqual([]);
        expect(await found('الكويت الطاقة')).toEqual(['ar_waw']);
      });

      it('finds English words whole, case aside, phrases in order, prefixes', async () => {
        const found = async (q: string) => ids((await archive.search({ q })).items);
        expect(await found('kuwait')).toEqual(['en_round']);
        expect(await found('NATO')).toEqual(['en_round']); // NATO's counts
        expect(await found('Oman')).toEqual([]); // not in Omani, nor in Romania
        expect(await found('Omani')).toEqual(['en_romania']);
        expect(await found('"political dialogue"')).toEqual(['en_round']);
        expect(await found('"dialogue political"')).toEqual([]);
        expect(await found('"dialogue was held"')).toEqual(['en_round']);
        expect(await found('"Brussels NATO"')).toEqual([]); // a phrase does not run across a sentence end
        expect(await found('"the first round"')).toEqual(['en_round']);
        expect(await found('dialog*')).toEqual(['en_round']);
        expect(await found('Brussels Kuwait')).toEqual(['en_round']);
        expect(await found('Brussels Romania')).toEqual([]);
        expect(await found('   ')).toHaveLength(arabic.length + english.length);
      });

      it('filters by entity, feed, language and day, newest first', async () => {
        const found = async (p: Parameters<Archive['search']>[0]) => ids((await archive.search(p)).items);
        expect(await found({ entities: ['kuwait'] })).toEqual([
          'en_round',
          'ar_title',
          'ar_lil',
          'ar_bi',
          'ar_waw',
        ]);
        expect(await found({ entities: ['kuwait', 'nato'] })).toEqual(['en_round']);
        expect(await found({ q: 'الكويت', entities: ['qatar'] })).toEqual(['ar_waw']);
        expect(await found({ feedId: 'daily-ar' })).toEqual(['ar_title', 'ar_adj', 'ar_lil']);
        expect(await found({ lang: 'en' })).toEqual(['en_round', 'en_romania']);
        expect(await found({ q: 'كويت', lang: 'en' })).toEqual([]);
        expect(await found({ from: '2026-01-22', to: '2026-01-24' })).toEqual(['ar_adj', 'ar_lil', 'ar_bi']);
        expect(await found({ q: 'الكويت', from: '2026-01-23' })).toEqual(['ar_title', 'ar_lil']);
      });

      it('refuses what it cannot read, naming the parameter', async () => {
        const refused = (p: Parameters<Archive['search']>[0]) =>
          archive.search(p).then(
            () => undefined,
            (err: unknown) => err,
          );
        expect(await refused({ q: '"open' })).toMatchObject({ field: 'q', code: 'NW_ARCHIVE_INVALID' });
        expect(await refused({ q: 'ku*' })).toMatchObject({
          field: 'q',
          message: expect.stringContaining('too short a prefix'),
        });
        expect(await refused({ cursor: 'not-a-cursor' })).toBeInstanceOf(ArchiveQueryError);
        expect(await refused({ cursor: 'not-a-cursor' })).toMatchObject({ field: 'cursor' });
        expect(await refused({ from: '28/01/2026' })).toMatchObject({ field: 'from' });
        expect(await refused({ from: '2026-01-28', to: '2026-01-01' })).toMatchObject({ field: 'to' });
        expect(await refused({ limit: 0 })).toMatchObject({ field: 'limit' });
        // An alerts cursor is not an articles cursor.
        await archive.saveAlert(alert('al_p1', '2026-01-20T09:00:00.000Z', []));
        await archive.saveAlert(alert('al_p2', '2026-01-20T09:01:00.000Z', []));
        const { next } = await archive.alerts({ limit: 1 });
        expect(await refused({ cursor: next })).toMatchObject({ field: 'cursor' });
      });
    });

    it('pages by cursor without a duplicate or a gap, articles of one instant included', async () => {
      // 23 articles over 8 instants: ties on the publication time are broken by id.
      const all = Array.from({ length: 23 }, (_, i) =>
        article(`ar_p${String(i).padStart(2, '0')}`, {
          published: new Date(Date.parse('2026-01-10T00:00:00.000Z') + (i % 8) * 3_600_000).toISOString(),
          text: i % 3 === 0 ? 'Kuwait page text.' : 'Other page text.',
        }),
      );
      for (const a of all) await archive.saveArticle(a);
      const expected = [...all]
        .sort((x, y) => y.published.localeCompare(x.published) || y.id.localeCompare(x.id))
        .map((a) => a.id);
      const walk = async (q?: string) => {
        const seen: string[] = [];
        let cursor: string | undefined;
        let pages = 0;
        do {
          const page = await archive.search({ q, limit: 5, cursor });
          seen.push(...ids(page.items));
          cursor = page.next;
          pages++;
        } while (cursor && pages < 20);
        return { seen, pages };
      };
      const everything = await walk();
      expect(everything.seen).toEqual(expected);
      expect(everything.pages).toBe(5);
      // An article published meanwhile, newer than all, does not shift the pages still to come.
      const first = await archive.search({ limit: 5 });
      await archive.saveArticle(article('ar_pnew', { published: '2026-02-01T00:00:00.000Z' }));
      const rest = await archive.search({ limit: 100, cursor: first.next });
      expect([...ids(first.items), ...ids(rest.items)]).toEqual(expected);
      const kuwait = await walk('kuwait');
      expect(kuwait.seen).toEqual(expected.filter((id) => Number(id.slice(4)) % 3 === 0));
    });

    it('clears text past its retention at prune, keeping the title, links and what was read from it', async () => {
      const old = article('ar_old', {
        title: 'Kuwait hosts talks',
        text: 'Delegations discussed maritime security.',
        fetchedAt: '2026-01-01T00:00:00.000Z',
        entities: ['kuwait'],
      });
      const recent = article('ar_recent', {
        text: 'Maritime patrols resumed.',
        fetchedAt: '2026-01-25T00:00:00.000Z',
      });
      await archive.recordAnalysis({
        article: old,
        events: [event('ev_old', [sourceOf(old)])],
        expectations: [],
        matches: [],
      });
      await archive.saveArticle(recent);

      expect(await archive.prune(new Date('2026-01-30T23:59:59.000Z'))).toBe(0);
      expect(ids((await archive.search({ q: 'maritime' })).items)).toEqual(['ar_recent', 'ar_old']);

      expect(await archive.prune(new Date('2026-01-31T00:00:00.000Z'))).toBe(1);
      expect(await archive.prune(new Date('2026-01-31T00:00:00.000Z'))).toBe(0);
      const pruned = await archive.getArticle('ar_old');
      expect(pruned?.text).toBeUndefined();
      expect(pruned).toMatchObject({
        title: 'Kuwait hosts talks',
        url: old.url,
        entities: ['kuwait'],
        textExpiresAt: '2026-01-31T00:00:00.000Z',
        textPrunedAt: '2026-01-31T00:00:00.000Z',
      });
      expect((await archive.getArticle('ar_recent'))?.text).toBe('Maritime patrols resumed.');
      // The text's words are gone from the index; the title's stay.
      expect(ids((await archive.search({ q: 'maritime' })).items)).toEqual(['ar_recent']);
      expect(ids((await archive.search({ q: 'delegations' })).items)).toEqual([]);
      expect(ids((await archive.search({ q: '"Kuwait hosts"' })).items)).toEqual(['ar_old']);
      expect((await archive.article('ar_old'))?.events.map((e) => e.id)).toEqual(['ev_old']);
      // A retry of the stored version does not bring the text back.
      expect(await archive.saveArticle(old)).toBe(false);
      expect((await archive.getArticle('ar_old'))?.text).toBeUndefined();
    });
  });
}

describe('archive configuration', () => {
  it('keeps the embedded archive in its directory across opens, open in one process at a time', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'nw-archive-'));
    try {
      const first = await openArchive({ dir });
      await first.saveArticle(article('ar_kept', { title: 'Kept across restarts' }));
      await expect(openArchive({ dir })).rejects.toMatchObject({
        code: 'NW_ARCHIVE_LOCKED',
        message: expect.stringContaining(`open in process ${process.pid}`),
      });
      await first.close();
      const again = await openArchive({ dir });
      try {
        expect(ids((await again.search({ q: 'restarts' })).items)).toEqual(['ar_kept']);
      } finally {
        await again.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names a server that does not answer without its password', async () => {
    const password = `pw${randomBytes(9).toString('hex')}`;
    const err = await openArchive({
      databaseUrl: `postgres://newswatch:${password}@127.0.0.1:1/newswatch`,
      dir: 'unused',
    }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toMatchObject({ code: 'NW_ARCHIVE_UNREACHABLE' });
    expect(err?.message).toContain('postgres://newswatch:***@127.0.0.1:1/newswatch');
    expect(err?.message).not.toContain(password);
  });

  it('runs against a server named by DATABASE_URL, schema and all', async () => {
    const schema = `nw_${randomBytes(6).toString('hex')}`;
    const admin = pgSql({ connectionString: PG_URL, max: 1 });
    await admin.query(`CREATE SCHEMA ${schema}`);
    try {
      const url = `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
      const archive = await openArchive({ databaseUrl: url, dir: 'unused' });
      try {
        await archive.saveArticle(article('ar_server'));
        const n = await admin.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${schema}.articles`);
        expect(n.rows[0]!.n).toBe(1);
      } finally {
        await archive.close();
      }
    } finally {
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.close();
    }
  });
});
