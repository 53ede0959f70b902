// The archive's one door to SQL: a query with parameters, a script of several statements (the
// migrations) and a transaction. Two drivers stand behind it, a PostgreSQL server through `pg`'s
// pool and PGlite embedded in the process; the archive's SQL is the same for both.
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export interface SqlResult<Row> {
  rows: Row[];
  /** rows inserted, updated or deleted (0 for a SELECT on PGlite) */
  rowCount: number;
}

export interface SqlQuery {
  /** One statement; parameters are $1, $2, ... (pass JSON as a string and cast it `::jsonb`). */
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<SqlResult<Row>>;
  /** Several statements without parameters, as a migration file holds them. */
  exec(script: string): Promise<void>;
}

export interface SqlPort extends SqlQuery {
  /** `fn`'s statements commit together, or none does when it throws (the error is thrown again). */
  transaction<T>(fn: (tx: SqlQuery) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** `postgres://user:***@host:5432/db` or `pglite:<dir>`: for messages, never the password */
  readonly describe: string;
}

/** A database URL with its password replaced, for messages and logs (DATABASE_URL is a secret). */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    // A password may also sit in the query (?password=...): drop every parameter's value.
    for (const key of [...u.searchParams.keys()]) u.searchParams.set(key, '***');
    return u.toString();
  } catch {
    return '(unparseable DATABASE_URL)';
  }
}

function pgQuery(client: pg.Pool | pg.PoolClient): SqlQuery {
  return {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const r = await client.query(text, params as unknown[]);
      return { rows: r.rows as Row[], rowCount: r.rowCount ?? 0 };
    },
    async exec(script: string) {
      // Without parameters, pg uses the simple protocol, which runs several statements.
      await client.query(script);
    },
  };
}

/**
 * A PostgreSQL server through a `pg` pool (several processes may share it). `searchPath` puts the
 * archive's tables in a schema of their own (the tests use one per run); it is sent as a startup
 * option, so every connection of the pool has it from its first statement.
 */
export function pgSql(opts: { connectionString: string; searchPath?: string; max?: number }): SqlPort {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 5,
    ...(opts.searchPath ? { options: `-c search_path=${opts.searchPath}` } : {}),
  });
  // An idle connection the server closed (a restart) is dropped by the pool; the next query opens
  // another. Without a listener, that error would end the process.
  pool.on('error', () => {});
  const q = pgQuery(pool);
  return {
    ...q,
    describe: redactDatabaseUrl(opts.connectionString),
    async transaction<T>(fn: (tx: SqlQuery) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      try {
        await client.query('BEGIN');
        const out = await fn(pgQuery(client));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        try {
          await client.query('ROLLBACK');
        } catch (rollback) {
          broken = rollback as Error; // the connection is gone: do not hand it back to the pool
        }
        throw err;
      } finally {
        client.release(broken);
      }
    },
    close: () => pool.end(),
  };
}

function pgliteQuery(db: Pick<PGlite, 'query' | 'exec'>): SqlQuery {
  return {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const r = await db.query<Row>(text, params as unknown[]);
      return { rows: r.rows, rowCount: r.affectedRows ?? 0 };
    },
    async exec(script: string) {
      await db.exec(script);
    },
  };
}

/**
 * PGlite, PostgreSQL compiled to WebAssembly, in this process: its files in `dataDir`, or in
 * memory when none is given (tests). One process only: PGlite serialises every statement and has
 * no server for a second process to share (src/archive/open.ts locks the directory).
 */
export async function pgliteSql(dataDir?: string): Promise<SqlPort> {
  const db = dataDir === undefined ? await PGlite.create() : await PGlite.create(dataDir);
  return {
    ...pgliteQuery(db),
    describe: `pglite:${dataDir ?? 'memory'}`,
    // PGlite holds its one connection for the transaction: other statements wait for its end.
    transaction: <T>(fn: (tx: SqlQuery) => Promise<T>) => db.transaction((tx) => fn(pgliteQuery(tx))),
    close: () => db.close(),
  };
}
