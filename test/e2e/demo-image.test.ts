// `newswatch demo` runs from the Docker image. `docker build` cannot run here, so the test lays out
// what the image holds: the files .dockerignore admits (Docker's rules, test/support/dockerignore.ts),
// copied as `COPY . .` would, and a node_modules of what `npm ci --omit=dev` installs (each
// non-dev package of the lockfile, linked from the repository's). The demo then runs there, from
// that folder, against the test Redis, as the image's `node bin/newswatch demo` would.
import { execFile } from 'node:child_process';
import { existsSync, realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyBuildContext } from '../support/dockerignore';

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;

/** Links each package `npm ci --omit=dev` would put at the top of node_modules. */
async function linkProductionModules(dest: string): Promise<string[]> {
  const modules = realpathSync(path.join(root, 'node_modules'));
  const lock = JSON.parse(await readFile(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const names = Object.entries(lock.packages)
    .filter(([key, meta]) => key.startsWith('node_modules/') && !meta.dev)
    .map(([key]) => key.slice('node_modules/'.length))
    .filter((name) => !name.includes('/node_modules/'))
    // optional packages for other platforms (esbuild's) are in the lockfile but not installed
    .filter((name) => existsSync(path.join(modules, name)));
  for (const name of names) {
    await mkdir(path.dirname(path.join(dest, 'node_modules', name)), { recursive: true });
    await symlink(path.join(modules, name), path.join(dest, 'node_modules', name), 'dir');
  }
  return names;
}

describe('newswatch demo in the image', () => {
  let dir = '';
  let copied: string[] = [];
  let linked: string[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'nw-image-'));
    copied = await copyBuildContext(root, dir);
    linked = await linkProductionModules(dir);
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('holds the runtime tree and the demo data, and no tests, devDependencies or secrets', () => {
    for (const f of ['bin/newswatch', 'src/demo/seed-scenario.ts', 'data/demo/feed-1.xml', 'package.json'])
      expect(copied).toContain(f);
    expect(copied.filter((f) => /^(test|bench|scripts)\//.test(f))).toEqual([]);
    expect(copied).not.toContain('subscribers.yml');
    expect(linked).toContain('fastify');
    expect(linked).not.toContain('playwright-core');
    expect(linked).not.toContain('vitest');
  });

  it('runs `node bin/newswatch demo` there and ends with the PASS verdict', async () => {
    // the image's environment: production, and no loopback allowance from the test run
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: 'production', LOG_LEVEL: 'silent' };
    delete env.FETCH_ALLOW_PRIVATE;
    const r = await run(process.execPath, ['bin/newswatch', 'demo'], { cwd: dir, env, timeout: 90_000 }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (err: { code: number; stdout: string; stderr: string }) => err,
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    for (const heading of ['Published', 'Read', 'Expected', 'Fulfilled', 'Delivered'])
      expect(lines).toContain(heading);
    expect(r.stdout).toContain('الكويت والناتو.. حوار سياسي وأمني يفتح مرحلة جديدة في العلاقة');
    expect(r.stdout).toMatch(/expectation\.fulfilled +signature verified/);
    expect(lines.at(-1)).toBe(
      'PASS: the expectation opened by article 1 was fulfilled by article 2 (1 expectation.fulfilled delivered)',
    );
  }, 90_000);
});
