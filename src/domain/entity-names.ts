// Entities by the names people type: `Kuwait`, `kuwait`, `الكويت`, `كويت`, `North Atlantic
// Treaty Organization`, or the id. Names and ids come from the gazetteer, compared after the
// normalisation the reading uses (src/domain/text.ts: hamza seats, taa marbuta, case) and
// without the Arabic article, so `الكويت` and `كويت` are one key. A list may be written with
// commas (`Kuwait, NATO`, «الكويت، الناتو») or with "and" («الكويت والناتو», "Kuwait and NATO").
// An unknown name is answered with the nearest names. Pure.
import type { EntityDef, EntityKind, Gazetteer } from './gazetteer';
import { cliticForms, normalize, stripArticle, tokenize } from './text';

/** An entity as a list to pick from shows it. */
export interface EntityChoice {
  id: string;
  kind: EntityKind;
  en?: string | undefined;
  ar?: string | undefined;
}

export type NameResolution =
  | { ok: true; ids: string[] }
  | {
      ok: false;
      /** the name as typed */
      name: string;
      /** no entity (`unknown`), or more than one (`ambiguous`: the suggestions are those) */
      problem: 'unknown' | 'ambiguous';
      suggestions: EntityChoice[];
    };

export interface EntityNames {
  /** One or more entities from what was typed, each once, in the order typed. */
  resolve(typed: string): NameResolution;
  /** the entities that take part in events (countries, organisations, people), by English name */
  readonly choices: readonly EntityChoice[];
  /** "Kuwait (الكويت)": how a message names a choice */
  describe(choice: EntityChoice): string;
}

/** Kinds an event or expectation is indexed by: its parties and the people it names. */
const PARTY_KINDS: ReadonlySet<EntityKind> = new Set(['country', 'organisation', 'person']);
/** words between names in a list ("Kuwait and NATO", «الكويت و الناتو») */
const CONNECTORS = new Set(['and', 'with', 'و', 'مع', '&']);
/** the longest name, in words, a list is cut into */
const MAX_NAME_WORDS = 8;
const MAX_SUGGESTIONS = 5;

const keyOf = (words: readonly string[]) => words.map(stripArticle).join(' ');
const wordsOf = (text: string) => tokenize(normalize(text)).map((t) => t.text);

function choiceOf(d: EntityDef): EntityChoice {
  return { id: d.id, kind: d.kind, en: d.names.en?.[0], ar: d.names.ar?.[0] };
}

/** Edit distance with a swap of two letters as one edit (Kuwiat → Kuwait), given up past `max`. */
function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

export function compileEntityNames(gazetteer: Pick<Gazetteer, 'list'>): EntityNames {
  const defs = gazetteer.list();
  const byId = new Map(defs.map((d) => [d.id, d]));
  /** name key → the entities it names (more than one: a name two entities share) */
  const byKey = new Map<string, Set<string>>();
  const add = (key: string, id: string) => {
    if (!key) return;
    const ids = byKey.get(key) ?? new Set<string>();
    ids.add(id);
    byKey.set(key, ids);
  };
  for (const d of defs) {
    add(keyOf(wordsOf(d.id.replaceAll('-', ' '))), d.id);
    for (const name of [...(d.names.en ?? []), ...(d.names.ar ?? [])]) add(keyOf(wordsOf(name)), d.id);
  }
  const choices = defs
    .filter((d) => PARTY_KINDS.has(d.kind))
    .map(choiceOf)
    .sort((a, b) => (a.en ?? a.id).localeCompare(b.en ?? b.id));

  const describe = (c: EntityChoice) => (c.en && c.ar ? `${c.en} (${c.ar})` : (c.en ?? c.ar ?? c.id));

  /** The entities a run of words names as a whole; the first word may carry و or another proclitic. */
  const lookup = (words: readonly string[]): Set<string> | undefined => {
    const whole = byKey.get(keyOf(words));
    if (whole || words.length === 0) return whole;
    for (const f of cliticForms(words[0]!)) {
      const hit = byKey.get(keyOf([f.bare, ...words.slice(1)]));
      if (hit) return hit;
    }
    return undefined;
  };

  /** A list of names without commas ("Kuwait and NATO"), cut where every piece is a name. */
  const segment = (words: readonly string[]): Set<string>[] | undefined => {
    const best: (Set<string>[] | undefined)[] = [[]];
    for (let i = 0; i < words.length; i++) {
      const before = best[i];
      if (!before) continue;
      if (CONNECTORS.has(words[i]!)) best[i + 1] ??= before;
      for (let j = Math.min(words.length, i + MAX_NAME_WORDS); j > i; j--) {
        const hit = lookup(words.slice(i, j));
        if (hit && !best[j]) best[j] = [...before, hit];
      }
    }
    return best[words.length];
  };

  /** The first run of words no name covers ("Narnia" in "Kuwait and Narnia"): [from, to). */
  const unknownRun = (words: readonly string[]): [number, number] => {
    const nameAt = (i: number) => {
      for (let j = Math.min(words.length, i + MAX_NAME_WORDS); j > i; j--)
        if (lookup(words.slice(i, j))) return j;
      return undefined;
    };
    let i = 0;
    for (;;) {
      if (i >= words.length) return [0, words.length];
      const end = CONNECTORS.has(words[i]!) ? i + 1 : nameAt(i);
      if (end === undefined) break;
      i = end;
    }
    let j = i + 1;
    while (j < words.length && !CONNECTORS.has(words[j]!) && nameAt(j) === undefined) j++;
    return [i, j];
  };

  const suggest = (typed: string): EntityChoice[] => {
    const key = keyOf(wordsOf(typed));
    if (!key) return [];
    const allowed = Math.max(1, Math.floor(key.length / 3));
    const scored = new Map<string, number>();
    for (const [name, ids] of byKey) {
      const d = name.startsWith(key) || key.startsWith(name) ? 0.5 : distance(key, name, allowed);
      if (d > allowed) continue;
      for (const id of ids) scored.set(id, Math.min(d, scored.get(id) ?? Infinity));
    }
    return [...scored]
      .sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0]))
      .slice(0, MAX_SUGGESTIONS)
      .map(([id]) => choiceOf(byId.get(id)!));
  };

  return {
    choices,
    describe,
    resolve(typed) {
      const ids: string[] = [];
      const pieces = typed
        .split(/[,،;]/)
        .map((p) => p.trim())
        .filter(Boolean);
      for (const piece of pieces) {
        const exact = byId.get(piece.toLowerCase());
        // Tokens of the text as typed, so an unknown name is quoted as it was written.
        const tokens = tokenize(piece.normalize('NFC'));
        const words = tokens.map((t) => normalize(t.text));
        const found = exact ? [new Set([exact.id])] : segment(words);
        if (!found || found.length === 0) {
          const [from, to] = unknownRun(words);
          const name = tokens.length ? piece.slice(tokens[from]!.start, tokens[to - 1]!.end) : piece;
          return { ok: false, name, problem: 'unknown', suggestions: suggest(name) };
        }
        for (const hit of found) {
          if (hit.size > 1)
            return {
              ok: false,
              name: piece,
              problem: 'ambiguous',
              suggestions: [...hit].map((id) => choiceOf(byId.get(id)!)),
            };
          const [id] = hit;
          if (!ids.includes(id!)) ids.push(id!);
        }
      }
      return { ok: true, ids };
    },
  };
}

/** What to tell someone whose name was not resolved: `"Kuwiat" is not a known entity; did you mean Kuwait (الكويت)?` */
export function unresolvedMessage(
  r: Extract<NameResolution, { ok: false }>,
  describe: (c: EntityChoice) => string,
): string {
  const names = r.suggestions.map(describe);
  if (r.problem === 'ambiguous') return `"${r.name}" could be ${names.join(' or ')}: write one of those`;
  const tail = names.length ? `; did you mean ${names.join(', ')}?` : '';
  return `"${r.name}" is not a known entity name or id${tail}`;
}
