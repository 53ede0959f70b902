// The service supports Node 20.18 and the current LTS lines (package.json `engines`). A dependency
// whose own `engines` refuses one of them makes `npm ci` warn, and some (cookie 2, content-disposition 3)
// are ES modules that CommonJS packages load with require(), which Node 20.18 cannot do: the server
// would not start there. So every installed package must admit each Node we support.
import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

const read = (path: string) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));
const own = read('package.json') as { engines: { node: string } };
const lock = read('package-lock.json') as {
  packages: Record<string, { dev?: boolean; optional?: boolean; engines?: { node?: string } | string[] }>;
};

/** The oldest Node the service runs on, and releases of the LTS lines it is run on. */
const RUNTIME = [semver.minVersion(own.engines.node)!.version, '22.13.0', '24.11.0', '26.1.0'];
/** The test and lint tools (vitest 4, vite, html-to-text) need 20.19; the README says so. */
const DEVELOPMENT = ['20.19.0', '22.13.0', '24.11.0'];

function refusals(versions: string[], dev: boolean): string[] {
  const out: string[] = [];
  for (const [path, info] of Object.entries(lock.packages)) {
    const range = !Array.isArray(info.engines) ? info.engines?.node : undefined;
    if (!path || !range || Boolean(info.dev) !== dev || info.optional) continue;
    for (const v of versions)
      if (!semver.satisfies(v, range)) out.push(`${path} (${range}) refuses Node ${v}`);
  }
  return out;
}

describe('engines', () => {
  it('says 20.18.1 is the oldest Node the service supports', () => {
    expect(semver.minVersion(own.engines.node)?.version).toBe('20.18.1');
  });

  it('every package the service runs admits Node 20.18.1 and the current LTS lines', () => {
    expect(refusals(RUNTIME, false)).toEqual([]);
  });

  it('every development tool admits Node 20.19 and the current LTS lines', () => {
    expect(refusals(DEVELOPMENT, true)).toEqual([]);
  });
});
