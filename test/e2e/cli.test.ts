// The command line as an operator meets it: `newswatch start` without Redis, and `npm run demo` (narrated, and --json).
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
  it('narrates the run for a person and ends with a PASS verdict', async () => {
    const r = await newswatch(['demo']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    for (const heading of ['Published', 'Read', 'Expected', 'Fulfilled', 'Delivered'])
      expect(lines).toContain(heading);
    // the seed articles' Arabic titles as published, the parties and the place by name
    expect(r.stdout).toContain('نائبة الأمين العام لـ«الناتو»: الكويت شريك إستراتيجي طويل الأمد للحلف');
    expect(r.stdout).toContain('الكويت والناتو.. حوار سياسي وأمني يفتح مرحلة جديدة في العلاقة');
    expect(r.stdout).toContain('a meeting of Kuwait and NATO');
    expect(r.stdout).toContain('a dialogue of Kuwait and NATO, in Brussels, on 28 Jan 2026');
    expect(r.stdout).toContain('in the near future: watched');
    expect(r.stdout).not.toMatch(/near_future|\(brussels\)/);
    expect(r.stdout).toMatch(/expectation\.fulfilled +signature verified/);
    expect(lines.at(-1)).toBe(
      'PASS: the expectation opened by article 1 was fulfilled by article 2 (1 expectation.fulfilled delivered)',
    );
  }, 90_000);

  it('--json prints each delivered alert as a JSON line and ends with the fulfilled expectation', async () => {
    const r = await newswatch(['demo', '--json']);
    expect(r.code).toBe(0);
    const alerts = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { kind: string; event?: { date: { value: string } } });
    expect(alerts.map((a) => a.kind)).toEqual(['event.new', 'expectation.opened', 'expectation.fulfilled']);
    for (const a of alerts)
      expect(Object.keys(a)).toEqual([
        'id',
        'kind',
        'title',
        'createdAt',
        'parties',
        'event',
        'expectation',
        'sources',
        'feed',
        'watch', // null but for article.match, as feed is null but for feed alerts
        'matched',
        'score',
        'reasons',
      ]);
    const fulfilled = alerts.filter((a) => a.kind === 'expectation.fulfilled');
    expect(fulfilled).toHaveLength(1);
    expect(fulfilled[0]!.event!.date.value).toBe('2026-01-28');
  }, 90_000);
});
