// Full-text search the way the domain reads words, built here rather than by PostgreSQL's parser,
// so the embedded archive (PGlite) and a server index and find exactly the same: the article's
// words go through the watches' reading (src/domain/watch.ts articleWords: the normaliser, and for
// Arabic every form once its proclitics و ف ب ل ك ال لل are off), and are sent as a tsvector
// literal of `simple` lexemes with their positions; a query is read as a watch keyword is and sent
// as a tsquery literal. Neither goes through to_tsvector or to_tsquery, whose parser splits
// Arabic by the server's locale.
import { NewswatchError } from '../errors';
import { articleWords, parseKeyword, type KeywordQuery } from '../domain/watch';

/** A search parameter that cannot be read; `field` names it (`q`, `cursor`, `from`). */
export class ArchiveQueryError extends NewswatchError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super('NW_ARCHIVE_INVALID', `${field}: ${message}`);
    this.name = 'ArchiveQueryError';
  }
}

// PostgreSQL keeps positions up to 16383 and 256 per lexeme; lexemes are at most 2 KiB.
const MAX_POSITION = 16_383;
const MAX_POSITIONS_PER_LEXEME = 256;
const MAX_LEXEME_CHARS = 200;

/** A lexeme quoted for a tsvector or tsquery literal: quotes and backslashes doubled. */
function quoted(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * The tsvector literal of an article: every form of every word at the word's position, weight A
 * in the title and D (unmarked) in the text. A sentence end takes a position of its own, so a
 * phrase is not found across one, as a watch's phrase is not.
 */
export function searchVector(title: string, text: string): string {
  const { words } = articleWords(title, text);
  const positions = new Map<string, string[]>();
  words.forEach((w, i) => {
    if (!w) return;
    // Words past the last position PostgreSQL keeps all stand at it: found, if not as phrases.
    const at = `${Math.min(i, MAX_POSITION)}${w.part === 0 ? 'A' : ''}`;
    for (const form of w.forms) {
      if (form.length === 0 || form.length > MAX_LEXEME_CHARS) continue;
      let list = positions.get(form);
      if (!list) positions.set(form, (list = []));
      if (list.length < MAX_POSITIONS_PER_LEXEME && list[list.length - 1] !== at) list.push(at);
    }
  });
  return [...positions].map(([lexeme, at]) => `${quoted(lexeme)}:${at.join(',')}`).join(' ');
}

// A phrase in quotes of either script, or a run of other characters.
const PIECE_RE = /["“«][^"“”«»]*["”»]|[^\s"“”«»]+|["“”«»]/gu;

/**
 * The tsquery literal of a search, or undefined when it has no words (a blank search finds
 * everything the filters let through). Every piece must be found: a word (`Kuwait`, «الكويت»,
 * which finds «والكويت», «بالكويت», «للكويت» and «كويت», as a watch keyword does), a phrase in
 * quotes (`"security dialogue"`, «مجلس الأمن»), a prefix (`Kuw*`, 3 letters at least), or a
 * hyphenated run (`Kuwait-NATO`, a phrase). Case is not told apart, acronyms included.
 */
export function searchQuery(q: string): string | undefined {
  if (q.trim() === '') return undefined;
  const keywords: KeywordQuery[] = [];
  for (const [piece] of q.matchAll(PIECE_RE)) {
    const k = parseKeyword(piece);
    if ('error' in k)
      throw new ArchiveQueryError(
        'q',
        k.error.startsWith('has') ? `${JSON.stringify(piece)} ${k.error}` : k.error,
      );
    keywords.push(k);
  }
  const terms = keywords.flatMap((k) => k.terms);
  if (terms.length === 0) throw new ArchiveQueryError('q', 'has no word to look for');
  return terms
    .map((term) => {
      const words = term.map((w) => `${quoted(w.text)}${w.prefix ? ':*' : ''}`);
      return words.length === 1 ? words[0]! : `(${words.join(' <-> ')})`;
    })
    .join(' & ');
}
