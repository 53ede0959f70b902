// `newswatch start` with no OPERATOR_TOKEN generates one for the run. A token nobody can read is a
// service nobody can log in to, and a token in the JSON logs is a secret in the log store. So it goes
// where only the person who started the service reads it: their terminal, when stderr is one, or
// else a file only their user can read, whose path (never the token) is logged.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The lines a terminal shows: the login link (the token in it) and how to keep one across runs. */
export function terminalNotice(url: string | undefined, token: string): string {
  const login = url ? `${url}/login?token=${encodeURIComponent(token)}` : undefined;
  return [
    '',
    'OPERATOR_TOKEN is not set: this run generated one.',
    ...(login ? [`  Log in: ${login}`] : []),
    `  Token:  ${token}`,
    '  Set OPERATOR_TOKEN to keep one token across runs.',
    '',
  ].join('\n');
}

/** Where the token file goes: the system's temporary folder, named by the key prefix of the run. */
export function tokenFilePath(prefix: string, dir = tmpdir()): string {
  return join(dir, `newswatch-${prefix.replace(/[^a-zA-Z0-9_-]+/g, '') || 'run'}-operator-token`);
}

/** Writes the token readable by this user alone (0600), replacing an older run's. */
export async function writeTokenFile(path: string, token: string): Promise<void> {
  await writeFile(path, `${token}\n`, { mode: 0o600, flush: true });
}
