// The image runs `npm ci --omit=dev` and holds only what .dockerignore admits, so production code
// (src/, workers/, bin/) may import Node's own modules, package.json's dependencies and files the
// image holds: no devDependency, nothing from test/, bench/ or scripts/. A package that is there
// only as a dependency of one (domhandler, under cheerio and htmlparser2) may lend types
// (`import type`, erased before the code runs) but not code. Files the code reads beside itself
// (`new URL('…', import.meta.url)`) must ship too.
import { readdir, readFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { isExcluded, parseDockerignore } from '../support/dockerignore';

const root = new URL('../../', import.meta.url).pathname;
const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/;

async function productionFiles(): Promise<string[]> {
  const out: string[] = [];
  for (const dir of ['src', 'workers', 'bin']) {
    const entries = await readdir(path.join(root, dir), { withFileTypes: true, recursive: true });
    for (const e of entries) {
      if (!e.isFile()) continue;
      const rel = path.relative(root, path.join(e.parentPath, e.name));
      // bin/ holds extensionless node scripts
      if (CODE.test(e.name) || dir === 'bin') out.push(rel);
    }
  }
  return out.sort();
}

const packageOf = (spec: string) =>
  spec
    .split('/')
    .slice(0, spec.startsWith('@') ? 2 : 1)
    .join('/');

interface ImportRef {
  spec: string;
  /** erased at run time: `import type`, `export type`, every binding `type`, or `import('x').T` */
  typeOnly: boolean;
}

function importsOf(file: string, text: string): ImportRef[] {
  const kind = CODE.test(file) && !/\.(js|mjs|cjs)$/.test(file) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, kind);
  const refs: ImportRef[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const allTypes =
        !!clause &&
        !clause.name &&
        !!named &&
        ts.isNamedImports(named) &&
        named.elements.length > 0 &&
        named.elements.every((e) => e.isTypeOnly);
      refs.push({ spec: node.moduleSpecifier.text, typeOnly: !!clause?.isTypeOnly || allTypes });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      refs.push({ spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal))
        refs.push({ spec: arg.literal.text, typeOnly: true });
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === 'require')) &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      refs.push({ spec: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return refs;
}

describe('production code', () => {
  it("imports only Node's modules, dependencies and files the image holds", async () => {
    const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const rules = parseDockerignore(await readFile(path.join(root, '.dockerignore'), 'utf8'));
    const builtins = new Set(builtinModules);
    // what `npm ci --omit=dev` installs at the top of node_modules
    const lock = JSON.parse(await readFile(path.join(root, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { dev?: boolean }>;
    };
    const installed = new Set(
      Object.entries(lock.packages)
        .filter(([key, meta]) => key.startsWith('node_modules/') && !meta.dev)
        .map(([key]) => key.slice('node_modules/'.length))
        .filter((name) => !name.includes('/node_modules/')),
    );
    const files = await productionFiles();
    const problems: string[] = [];
    const seen = new Set<string>();
    for (const file of files) {
      const text = await readFile(path.join(root, file), 'utf8');
      for (const { spec, typeOnly } of importsOf(file, text)) {
        if (spec.startsWith('.')) {
          const target = path.relative(root, path.resolve(root, path.dirname(file), spec));
          if (target.startsWith('..') || isExcluded(rules, target))
            problems.push(`${file} imports ${spec}, which the image does not hold`);
          continue;
        }
        if (spec.startsWith('node:') || builtins.has(spec)) continue;
        const name = packageOf(spec);
        seen.add(name);
        if (name in pkg.dependencies) continue;
        if (name in pkg.devDependencies) problems.push(`${file} imports ${spec}, a devDependency`);
        else if (!typeOnly || !installed.has(name))
          problems.push(`${file} imports ${spec}, which is not in package.json's dependencies`);
      }
      for (const m of text.matchAll(/new URL\(\s*(['"])([^'"]+)\1\s*,\s*import\.meta\.url\s*\)/g)) {
        const target = path.relative(root, path.resolve(root, path.dirname(file), m[2]!));
        if (target.startsWith('..') || isExcluded(rules, target))
          problems.push(`${file} reads ${m[2]}, which the image does not hold`);
      }
    }
    // the scan saw the code it guards
    expect(files).toContain('bin/newswatch');
    expect(files).toContain('src/demo/seed-scenario.ts');
    expect(seen).toContain('fastify');
    expect(seen).toContain('tsx');
    expect(problems).toEqual([]);
  });
});
