// The entity gazetteer compiled into one matcher: finds countries, organisations, people,
// places and programmes in Arabic and English text, and tells what each mention stands for.
import { compilePhrases, type PhraseMatcher } from './phrases';
import type { Token } from './text';

/** media: news agencies and outlets, cited as sources, never parties to an event */
export type EntityKind = 'country' | 'organisation' | 'person' | 'place' | 'programme' | 'media';

type Aliases = { en?: string[] | undefined; ar?: string[] | undefined };

export interface EntityDef {
  id: string;
  kind: EntityKind;
  names: Aliases;
  adjectives?: Aliases | undefined;
  weak?: Aliases | undefined;
  /** names another entity is known by first (عمان is Oman; Amman lists it here) */
  homographs?: Aliases | undefined;
  affiliation?: string | undefined;
  country?: string | undefined;
}

export interface EntityMention {
  entityId: string;
  kind: EntityKind;
  start: number;
  end: number;
  /** how the text named it: by name, by an adjective (Kuwaiti), or by a weak alias (the Alliance) */
  form: MentionForm;
  /** a weak alias: counts only where the article also names the entity outright */
  weak: boolean;
}

export type MentionForm = 'name' | 'adjective' | 'weak';

export interface Gazetteer {
  readonly size: number;
  get(id: string): EntityDef | undefined;
  /** every entity, in the order of the file */
  list(): readonly EntityDef[];
  /** Mentions in one piece of text: `tokens` from the normalised text, `raw` the text as written. */
  find(tokens: readonly Token[], raw: string): EntityMention[];
  /**
   * The party an entity stands for in an event: a person for the country or organisation
   * they serve; places and programmes are no party.
   */
  partyOf(id: string): string | undefined;
  /** Where a shared name stands in the text, with the other entity it may name. */
  homographs(tokens: readonly Token[]): { start: number; end: number; entityId: string }[];
}

interface Ref {
  id: string;
  form: MentionForm;
}

/** Short acronyms collide with words ("US" / "us"): they match only as written, in capitals. */
function isCaseSensitive(alias: string): boolean {
  return /^[A-Z.]{2,4}$/.test(alias) && alias.replace(/\./g, '').length <= 3;
}

export function compileGazetteer(defs: readonly EntityDef[]): Gazetteer {
  const byId = new Map(defs.map((d) => [d.id, d]));
  const phrases: [string, Ref][] = [];
  const acronyms: [RegExp, Ref][] = [];
  for (const d of defs) {
    const add = (aliases: Aliases | undefined, form: MentionForm) => {
      for (const alias of [...(aliases?.en ?? []), ...(aliases?.ar ?? [])]) {
        if (isCaseSensitive(alias)) {
          const escaped = alias.replace(/\./g, '\\.');
          acronyms.push([new RegExp(`(?<![\\p{L}.])${escaped}(?![\\p{L}])`, 'gu'), { id: d.id, form }]);
        } else {
          phrases.push([alias, { id: d.id, form }]);
        }
      }
    };
    add(d.names, 'name');
    add(d.adjectives, 'adjective');
    add(d.weak, 'weak');
  }
  const matcher: PhraseMatcher<Ref> = compilePhrases(phrases);
  const shared: PhraseMatcher<string> = compilePhrases(
    defs.flatMap((d) =>
      [...(d.homographs?.en ?? []), ...(d.homographs?.ar ?? [])].map((a) => [a, d.id] as [string, string]),
    ),
  );

  return {
    size: defs.length,
    get: (id) => byId.get(id),
    list: () => defs,
    find(tokens, raw) {
      const mentions: EntityMention[] = matcher.find(tokens).map((h) => ({
        entityId: h.value.id,
        kind: byId.get(h.value.id)!.kind,
        start: h.start,
        end: h.end,
        form: h.value.form,
        weak: h.value.form === 'weak',
      }));
      for (const [re, ref] of acronyms) {
        for (const m of raw.matchAll(re)) {
          mentions.push({
            entityId: ref.id,
            kind: byId.get(ref.id)!.kind,
            start: m.index,
            end: m.index + m[0].length,
            form: ref.form,
            weak: ref.form === 'weak',
          });
        }
      }
      return mentions.sort((a, b) => a.start - b.start);
    },
    homographs(tokens) {
      return shared.find(tokens).map((h) => ({ start: h.start, end: h.end, entityId: h.value }));
    },
    partyOf(id) {
      const d = byId.get(id);
      if (!d) return undefined;
      if (d.kind === 'country' || d.kind === 'organisation') return d.id;
      if (d.kind === 'person' && d.affiliation) return d.affiliation;
      return undefined;
    },
  };
}
