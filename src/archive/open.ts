// Opens the archive the configuration names: a PostgreSQL server when DATABASE_URL is set (any
// number of processes share it), else PGlite embedded in ARCHIVE_DIR, which one process at a time
// may open (a lock file says which). The migrations are applied before the archive is handed out.
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { NewswatchError } from '../errors';
import { Archive, type ArchiveOptions } from './archive';
import { migrate } from './migrate';
import { pgliteSql, pgSql, type SqlPort } from './sql';

export interface ArchiveConfig {
  /** a PostgreSQL server; a secret (it may hold a password): never logged, see redactDatabaseUrl */
  databaseUrl?: string | undefined;
  /** the embedded archive's data directory, used when databaseUrl is unset */
  dir: string;
  /** how long an article's text is kept after it was read; undefined: for ever */
  textRetentionMs?: number | undefined;
}

const LOCK_FILE = 'newswatch.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the embedded archive's directory for this process, or says which process has it. A lock
 * left by a process that died is taken over. PGlite has no lock of its own, and two processes
 * writing one data directory would corrupt it.
 */
async function lockDir(dir: string): Promise<() => Promise<void>> {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx');
      await handle.writeFile(`${process.pid}\n`);
      await handle.close();
      return () => rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const pid = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (Number.isInteger(pid) && pid > 0 && alive(pid))
        throw new NewswatchError(
          'NW_ARCHIVE_LOCKED',
          `the embedded archive in ${dir} is open in process ${pid}; one process at a time can use it: run several processes against a PostgreSQL server (set DATABASE_URL)`,
        );
      await rm(file, { force: true });
    }
  }
  throw new NewswatchError('NW_ARCHIVE_LOCKED', `cannot take ${file}: another process keeps taking it`);
}

/** The SQL port the configuration names, the embedded directory locked; no migration yet. */
export async function connectArchive(config: ArchiveConfig): Promise<SqlPort> {
  if (config.databaseUrl) return pgSql({ connectionString: config.databaseUrl });
  await mkdir(config.dir, { recursive: true });
  const unlock = await lockDir(config.dir);
  try {
    const sql = await pgliteSql(config.dir);
    return {
      ...sql,
      close: async () => {
        await sql.close();
        await unlock();
      },
    };
  } catch (err) {
    await unlock();
    throw err;
  }
}

/**
 * The archive, its schema up to date. A server that does not answer is named (password hidden)
 * with how to start one; the error keeps the driver's as its cause.
 */
export async function openArchive(
  config: ArchiveConfig,
  opts: Pick<ArchiveOptions, 'now'> = {},
): Promise<Archive> {
  const sql = await connectArchive(config);
  try {
    await migrate(sql);
  } catch (err) {
    await sql.close().catch(() => {});
    if (err instanceof NewswatchError) throw err;
    const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new NewswatchError(
      'NW_ARCHIVE_UNREACHABLE',
      `cannot open the archive at ${sql.describe} (${reason}); start PostgreSQL (\`docker compose up -d postgres\`) or unset DATABASE_URL to use the embedded archive in ARCHIVE_DIR`,
      { cause: err },
    );
  }
  return new Archive(sql, { textRetentionMs: config.textRetentionMs, ...opts });
}
