// The command line as an operator meets it: `newswatch start` without Redis, and `npm run demo`.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const bin = new URL('../../bin/newswatch', import.meta.url).pathname;

async function newswatch(args: string[], env: Record<string, string> = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
      timeout: 90_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('newswatch start', () => {
  it('says in one line that Redis is unreachable, how to start one, and exits non-zero', async () => {
    const r = await newswatch(['start'], { REDIS_URL: 'redis://:s3cret@127.0.0.1:1' });
    expect(r.code).not.toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /cannot reach Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 .*ECONNREFUSED.*redis-server/,
    );
    expect(r.stderr).not.toContain('s3cret');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('rejects an unknown role by name', async () => {
    const r = await newswatch(['start', '--role', 'poll,fetcher']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('unknown role(s) fetcher');
  });
});

describe('newswatch demo', () => {
  it('prints each delivered alert as a JSON line and ends with the fulfilled expectation', async () => {
    const r = await newswatch(['demo']);
    expect(r.code).toBe(0);
    const alerts = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; event?: { date: { value: string } } });
    const fulfilled = alerts.filter((a) => a.kind === 'expectation.fulfilled');
    expect(fulfilled).toHaveLength(1);
    expect(fulfilled[0]!.event!.date.value).toBe('2026-01-28');
  }, 90_000);
});
