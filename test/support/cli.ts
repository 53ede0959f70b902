// The real bin/newswatch in a child process, as an operator runs it from a shell: stdin a pipe
// (no terminal, as under cron or in a script), its exit code and both streams kept, a refusal
// (exit 1) answered like a success so the test can read what it said.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const NEWSWATCH_BIN = new URL('../../bin/newswatch', import.meta.url).pathname;

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runNewswatch(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  try {
    const { stdout, stderr } = await run(process.execPath, [NEWSWATCH_BIN, ...args], {
      env: { ...process.env, ...env },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as CliResult;
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}
