// YAML config files validated by zod, with every problem reported as `file:line: field: what`,
// because an operator fixes config in an editor, not in a stack trace.
import { readFile } from 'node:fs/promises';
import { isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { NewswatchError } from '../errors';

export async function readYamlFile<S extends z.ZodType>(
  schema: S,
  path: string,
  what: string,
): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new NewswatchError('NW_CONFIG_INVALID', `${path}: cannot read the ${what} (${code})`, {
      cause: err,
    });
  }
  return parseYamlWith(schema, text, path);
}

/** Pure: text in, value out; throws NW_CONFIG_INVALID with one line per problem, in file order. */
export function parseYamlWith<S extends z.ZodType>(schema: S, text: string, fileName: string): z.output<S> {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    const line = syntaxError.linePos?.[0]?.line ?? 1;
    const reason = syntaxError.message.split(/ at line \d+/)[0]?.trim() ?? syntaxError.code;
    throw new NewswatchError('NW_CONFIG_INVALID', `${fileName}:${line}: YAML syntax: ${reason}`);
  }
  const result = schema.safeParse(toJS(doc, lineCounter, fileName));
  if (result.success) return result.data;
  throw new NewswatchError(
    'NW_CONFIG_INVALID',
    describeIssues(result.error.issues, doc, lineCounter, fileName),
    {
      cause: result.error,
    },
  );
}

/**
 * yaml refuses to expand a "billion laughs" of aliases (maxAliasCount) by throwing a bare
 * ReferenceError; an operator gets it as a config error pointing at the first alias instead.
 */
function toJS(doc: Document, lines: LineCounter, fileName: string): unknown {
  try {
    return doc.toJS();
  } catch (err) {
    let line = 1;
    visit(doc, {
      Alias(_key, node) {
        line = node.range ? lines.linePos(node.range[0]).line : line;
        return visit.BREAK;
      },
    });
    throw new NewswatchError('NW_CONFIG_INVALID', `${fileName}:${line}: YAML: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

/** Problems found after parsing (cross-references, duplicates), located like schema problems. */
export function configProblem(
  text: string,
  fileName: string,
  problems: { path: (string | number)[]; message: string }[],
): NewswatchError {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  const issues = problems.map((p) => ({
    code: 'custom',
    path: p.path,
    message: p.message,
  })) as z.core.$ZodIssue[];
  return new NewswatchError('NW_CONFIG_INVALID', describeIssues(issues, doc, lineCounter, fileName));
}

function describeIssues(
  issues: z.core.$ZodIssue[],
  doc: Document,
  lines: LineCounter,
  fileName: string,
): string {
  return issues
    .map((issue) => {
      // An unknown key is reported on its parent; point at the key itself, where the typo is.
      const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
      const message = issue.code === 'unrecognized_keys' ? 'is not a known field' : issue.message;
      const field = formatPath(path);
      const line = lineOf(doc, lines, path);
      return { line, text: `${fileName}:${line}: ${field ? `${field}: ` : ''}${message}` };
    })
    .sort((a, b) => a.line - b.line)
    .map((p) => p.text)
    .join('\n');
}

/** feeds[2].schedule, as an operator would write it. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((seg, i) => (typeof seg === 'number' ? `[${seg}]` : `${i === 0 ? '' : '.'}${String(seg)}`))
    .join('');
}

/** The line of the deepest node on `path` that exists: a missing field is reported at its parent's line. */
function lineOf(doc: Document, lines: LineCounter, path: readonly PropertyKey[]): number {
  let node: unknown = doc.contents;
  let offset = startOf(node) ?? 0;
  for (const seg of path) {
    let next: unknown;
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
      );
      next = pair ? (startOf(pair.value) === undefined ? pair.key : pair.value) : undefined;
    } else if (isSeq(node)) {
      next = node.items[Number(seg)];
    }
    const start = startOf(next);
    if (start === undefined) break;
    node = next;
    offset = start;
  }
  return lines.linePos(offset).line;
}

function startOf(node: unknown): number | undefined {
  if (node && typeof node === 'object' && 'range' in node) {
    const range = (node as { range?: [number, number, number] | null }).range;
    return range?.[0];
  }
  return undefined;
}
