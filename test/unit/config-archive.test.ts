// The archive's settings (issue 17): embedded in ./data/archive unless DATABASE_URL names a
// server; text kept a year unless ARCHIVE_TEXT_RETENTION says otherwise. A DATABASE_URL that is
// no PostgreSQL URL is refused naming the variable, never repeating it (it may hold a password).
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/env';

describe('archive configuration', () => {
  it('is embedded in data/archive with a year of text by default', () => {
    expect(loadConfig({}).archive).toEqual({ dir: 'data/archive', textRetentionMs: 365 * 86_400_000 });
    expect(loadConfig({ DATABASE_URL: '' }).archive.databaseUrl).toBeUndefined();
  });

  it('takes a server, a directory and a retention', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://newswatch:pw@db:5432/newswatch',
      ARCHIVE_DIR: '/var/lib/newswatch',
      ARCHIVE_TEXT_RETENTION: '90d',
    });
    expect(config.archive).toEqual({
      databaseUrl: 'postgresql://newswatch:pw@db:5432/newswatch',
      dir: '/var/lib/newswatch',
      textRetentionMs: 90 * 86_400_000,
    });
    expect(loadConfig({ ARCHIVE_TEXT_RETENTION: 'forever' }).archive.textRetentionMs).toBeUndefined();
  });

  it('refuses what it cannot use, naming the variable and not the secret', () => {
    const secret = 'hunter2-not-for-logs';
    expect(() => loadConfig({ DATABASE_URL: `mysql://u:${secret}@db/x` })).toThrow(
      /^environment: DATABASE_URL: a postgres:\/\/ or postgresql:\/\/ URL/,
    );
    try {
      loadConfig({ DATABASE_URL: `mysql://u:${secret}@db/x` });
    } catch (err) {
      expect((err as Error).message).not.toContain(secret);
    }
    expect(() => loadConfig({ ARCHIVE_TEXT_RETENTION: 'a year' })).toThrow(
      'environment: ARCHIVE_TEXT_RETENTION: "a year" is not a duration like 365d or 90d, or forever',
    );
    expect(() => loadConfig({ ARCHIVE_TEXT_RETENTION: '0d' })).toThrow(/ARCHIVE_TEXT_RETENTION/);
  });
});
