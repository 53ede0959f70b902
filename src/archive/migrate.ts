// Schema migrations: plain SQL files in src/archive/migrations, named NNNN_what.sql, applied in
// order at start. The whole run is one transaction behind an advisory lock, so two processes
// starting at once apply each file once (the second waits, then finds them applied), and a file
// that fails leaves the schema as it was. `schema_migrations` records each file with its checksum:
// a file changed after it was applied is refused rather than silently skipped.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { NewswatchError } from '../errors';
import type { SqlPort } from './sql';

export interface Migration {
  /** `0001` */
  version: string;
  /** `0001_init.sql` */
  name: string;
  sql: string;
  checksum: string;
}

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const FILE_RE = /^(\d{4})_[a-z0-9_]+\.sql$/;

/** The migration files of `dir`, in order; a file misnamed or two of one number are refused. */
export async function readMigrations(dir: URL | string = MIGRATIONS_DIR): Promise<Migration[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.sql')).sort();
  const out: Migration[] = [];
  for (const name of names) {
    const m = FILE_RE.exec(name);
    if (!m)
      throw new NewswatchError(
        'NW_ARCHIVE_MIGRATION',
        `migrations: ${name} is not named NNNN_words.sql (lower-case words joined by _)`,
      );
    if (out.some((x) => x.version === m[1]))
      throw new NewswatchError('NW_ARCHIVE_MIGRATION', `migrations: two files are number ${m[1]}`);
    const sql = await readFile(typeof dir === 'string' ? `${dir}/${name}` : new URL(name, dir), 'utf8');
    out.push({ version: m[1]!, name, sql, checksum: createHash('sha256').update(sql).digest('hex') });
  }
  return out;
}

/**
 * Applies the migrations not yet applied, in one transaction, and returns their names (none on
 * a restart). The advisory lock is per schema, so archives in different schemas of one database
 * (the tests' runs) do not wait for each other; it is released when the transaction ends.
 */
export async function migrate(sql: SqlPort, migrations?: readonly Migration[]): Promise<string[]> {
  const files = migrations ?? (await readMigrations());
  return sql.transaction(async (tx) => {
    await tx.query(
      `SELECT pg_advisory_xact_lock(hashtext('newswatch.archive:' || coalesce(current_schema(), '')))`,
    );
    await tx.query(
      `CREATE TABLE IF NOT EXISTS schema_migrations (
         version text PRIMARY KEY,
         name text NOT NULL,
         checksum text NOT NULL,
         applied_at timestamptz NOT NULL DEFAULT now()
       )`,
    );
    const done = new Map(
      (
        await tx.query<{ version: string; name: string; checksum: string }>(
          'SELECT version, name, checksum FROM schema_migrations',
        )
      ).rows.map((r) => [r.version, r]),
    );
    const applied: string[] = [];
    for (const m of files) {
      const had = done.get(m.version);
      if (had) {
        if (had.checksum !== m.checksum)
          throw new NewswatchError(
            'NW_ARCHIVE_MIGRATION',
            `migrations: ${m.name} changed after it was applied to ${sql.describe} (as ${had.name}); add a new migration instead of editing one`,
          );
        continue;
      }
      try {
        await tx.exec(m.sql);
      } catch (err) {
        throw new NewswatchError(
          'NW_ARCHIVE_MIGRATION',
          `migrations: ${m.name} failed on ${sql.describe}: ${(err as Error).message}`,
          { cause: err },
        );
      }
      await tx.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
        m.version,
        m.name,
        m.checksum,
      ]);
      applied.push(m.name);
    }
    return applied;
  });
}
