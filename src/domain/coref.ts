// People named in full once and by their family name after («وزير الخارجية عبدالله اليحيا»
// … «ومن المقرر أن يتوجه الوزير اليحيا إلى طهران»; "Badr Abdelatty" … "Abdelatty, who
// arrived"): within one article the family name is the same person, so the sentence that names
// him so has him as an actor and his country as a party. Pure.
import type { Analyzer } from './analyzer';
import type { EntityMention } from './gazetteer';
import type { Facts } from './sentence';
import { cliticForms, isArabic, normalize, stripArticle, tokenize } from './text';

interface Surname {
  person: string;
  /** the name carries its article or particle («اليحيا», "al-Shaibani"): a name, not a word */
  marked: boolean;
}

/** Family names shorter than this are too often words («علي», "Ali") to stand alone. */
const MIN_LETTERS = 4;

/**
 * Adds, to each sentence, the mentions of people the article names in full elsewhere, by their
 * family name alone. A family name two people of the article share names neither. An Arabic
 * family name without its article («سلام», «فيدان») is often a word too («سلام» is peace): it
 * counts only right after a title («الوزير فيدان»); an English one must be written capitalised.
 */
export function addSurnameMentions(an: Analyzer, facts: Facts[]): void {
  const named = new Set(
    facts.flatMap((f) =>
      f.mentions.filter((m) => m.kind === 'person' && m.form === 'name').map((m) => m.entityId),
    ),
  );
  if (named.size === 0) return;
  const byKey = new Map<string, Surname | null>();
  for (const person of named) {
    const def = an.gazetteer.get(person);
    for (const alias of [...(def?.names.ar ?? []), ...(def?.names.en ?? [])]) {
      const tokens = tokenize(normalize(alias));
      if (tokens.length < 2) continue;
      const last = tokens.at(-1)!.text;
      const particle = tokens.at(-2)!.text;
      const arabic = isArabic(last);
      const key = arabic ? stripArticle(last) : last;
      if (key.length < MIN_LETTERS) continue;
      const marked = arabic ? last.startsWith('ال') : particle === 'al' || particle === 'el';
      const had = byKey.get(key);
      if (had === undefined) byKey.set(key, { person, marked });
      else if (had && had.person !== person) byKey.set(key, null);
      else if (had && marked) had.marked = true;
    }
  }
  for (const f of facts) {
    const covered = (start: number) => f.mentions.some((m) => start >= m.start && start < m.end);
    const written = isArabic(f.raw) ? undefined : tokenize(f.raw.normalize('NFC'));
    const titledAt = new Set(
      an.personTitles.find(f.tokens).map((h) => f.tokens.findIndex((t) => t.start >= h.end)),
    );
    const added: EntityMention[] = [];
    f.tokens.forEach((t, i) => {
      if (covered(t.start)) return;
      const hit = surnameOf(t.text, byKey);
      if (!hit) return;
      if (isArabic(t.text)) {
        if (!hit.viaArticle && !titledAt.has(i)) return;
      } else if (!/^\p{Lu}/u.test(written?.[i]?.text ?? '')) return;
      added.push({
        entityId: hit.person,
        kind: 'person',
        start: t.start,
        end: t.end,
        form: 'name',
        weak: false,
      });
    });
    if (added.length) f.mentions = [...f.mentions, ...added].sort((a, b) => a.start - b.start);
  }
}

function surnameOf(
  token: string,
  byKey: ReadonlyMap<string, Surname | null>,
): { person: string; viaArticle: boolean } | undefined {
  if (!isArabic(token)) {
    const s = byKey.get(token);
    return s ? { person: s.person, viaArticle: s.marked } : undefined;
  }
  for (const form of cliticForms(token)) {
    const s = byKey.get(form.bare);
    if (!s) continue;
    // «اليحيا», «واليحيا», «لليحيا» carry the article the name is written with
    const viaArticle = form.form !== form.bare && s.marked;
    return { person: s.person, viaArticle };
  }
  return undefined;
}

/**
 * A name two entities share is read as the one the article otherwise points to: «عمان» is Oman
 * by default, and Amman in an article that names Jordan (its king, its ministers, «الأردنية»)
 * and nothing of Oman (no «سلطنة عمان», no Omani, no Muscat). Neither or both: the default.
 */
export function readHomographs(an: Analyzer, facts: Facts[]): void {
  const spots = facts.map((f) => an.gazetteer.homographs(f.tokens));
  if (spots.every((s) => s.length === 0)) return;
  const isSpot = (i: number, m: EntityMention) =>
    spots[i]!.some((h) => h.start === m.start && h.end === m.end && h.entityId !== m.entityId);
  /** whether the article names `entity`, or what belongs to its country, other than at a spot */
  const pointsTo = (entity: string) => {
    const def = an.gazetteer.get(entity);
    const home = def?.kind === 'country' ? entity : def?.country;
    return facts.some((f, i) =>
      f.mentions.some((m) => {
        if (isSpot(i, m)) return false;
        if (m.entityId === entity) return true;
        const d = an.gazetteer.get(m.entityId);
        return home !== undefined && (m.entityId === home || d?.country === home || d?.affiliation === home);
      }),
    );
  };
  const verdicts = new Map<string, boolean>();
  facts.forEach((f, i) => {
    for (const h of spots[i]!) {
      const m = f.mentions.find((x) => x.start === h.start && x.end === h.end && x.entityId !== h.entityId);
      if (!m) continue;
      const key = `${m.entityId}>${h.entityId}`;
      if (!verdicts.has(key)) verdicts.set(key, pointsTo(h.entityId) && !pointsTo(m.entityId));
      if (!verdicts.get(key)) continue;
      m.entityId = h.entityId;
      m.kind = an.gazetteer.get(h.entityId)!.kind;
    }
  });
}
