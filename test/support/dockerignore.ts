// What `docker build` sends as its context, read from .dockerignore with Docker's own rules (not
// .gitignore's): a pattern is anchored at the context root (`*` names top-level entries only),
// `**` spans directories, a path is matched when it or any of its parent folders matches, `!`
// re-admits, and the last matching line wins. Docker cleans each pattern as Go's filepath.Clean
// does, so leading and trailing slashes go. Used by the test that runs the demo from the image's
// files, since `docker build` cannot run here.
import { copyFile, mkdir, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

export interface DockerignoreRule {
  /** the pattern as cleaned (no `!`, no leading or trailing slash) */
  pattern: string;
  /** a `!` line: matching paths are sent after all */
  exception: boolean;
  regex: RegExp;
}

/** Docker's translation of one pattern to a regular expression (moby/patternmatcher). */
function compile(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        i++;
        if (pattern[i + 1] === '/') {
          i++;
          re += '(?:.*/)?'; // `**/`: zero or more folders
        } else re += '.*';
      } else re += '[^/]*';
    } else if (ch === '?') re += '[^/]';
    else if (ch === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) throw new Error(`.dockerignore: unterminated [ in ${JSON.stringify(pattern)}`);
      const body = pattern.slice(i + 1, end);
      re += `[${body.startsWith('^') || body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = end;
    } else if (ch === '\\' && i + 1 < pattern.length) {
      i++;
      re += pattern[i]!.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else re += ch.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

/** Cleans a path the way Go's filepath.Clean does for a relative pattern. */
function clean(p: string): string {
  const parts: string[] = [];
  for (const seg of p.split('/')) {
    if (seg === '' || seg === '.') continue;
    if (seg === '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

export function parseDockerignore(text: string): DockerignoreRule[] {
  const rules: DockerignoreRule[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const exception = line.startsWith('!');
    if (exception) line = line.slice(1).trim();
    const pattern = clean(line);
    if (pattern === '') continue;
    rules.push({ pattern, exception, regex: compile(pattern) });
  }
  return rules;
}

/** Whether `relPath` (slash-separated, from the context root) is left out of the build context. */
export function isExcluded(rules: DockerignoreRule[], relPath: string): boolean {
  const segments = clean(relPath).split('/');
  const candidates = segments.map((_, i) => segments.slice(0, i + 1).join('/'));
  let excluded = false;
  for (const rule of rules) if (candidates.some((c) => rule.regex.test(c))) excluded = !rule.exception;
  return excluded;
}

/**
 * Every file of `root` that `docker build` would send, as relative paths. A left-out folder is
 * still entered when an exception could re-admit something inside it, as Docker does.
 */
export async function buildContextFiles(root: string): Promise<string[]> {
  const rules = parseDockerignore(await readFile(path.join(root, '.dockerignore'), 'utf8').catch(() => ''));
  const exceptions = rules.filter((r) => r.exception);
  const mayReadmitUnder = (dir: string) =>
    exceptions.some((r) => r.pattern.startsWith(`${dir}/`) || /[*?[\\]/.test(r.pattern.split('/')[0]!));
  const files: string[] = [];
  async function walk(dir: string): Promise<void> {
    for (const entry of await readdir(path.join(root, dir), { withFileTypes: true })) {
      const rel = dir ? `${dir}/${entry.name}` : entry.name;
      const out = isExcluded(rules, rel);
      if (entry.isDirectory()) {
        if (!out || mayReadmitUnder(rel)) await walk(rel);
      } else if (!out && (entry.isFile() || entry.isSymbolicLink())) files.push(rel);
    }
  }
  await walk('');
  return files.sort();
}

/** Copies the build context of `root` into `dest`, as `COPY . .` would lay it out. */
export async function copyBuildContext(root: string, dest: string): Promise<string[]> {
  const files = await buildContextFiles(root);
  for (const rel of files) {
    await mkdir(path.dirname(path.join(dest, rel)), { recursive: true });
    await copyFile(path.join(root, rel), path.join(dest, rel));
  }
  return files;
}
