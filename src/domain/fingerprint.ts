// The content fingerprint that makes a republished article (a new URL, the same text) one article:
// the main text reduced to its words, so markup, punctuation, spacing, Arabic diacritics and letter
// variants do not tell two copies apart. Exact on those words by design: an edited story (a changed
// figure, an added paragraph) is news of its own. Pure; the caller hashes the result.
import { normalize } from './text';

/** Below this many words a text is too generic to identify an article (a teaser, an error page). */
export const MIN_FINGERPRINT_WORDS = 40;

export function fingerprintText(text: string): string | undefined {
  const words = normalize(text).match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.length >= MIN_FINGERPRINT_WORDS ? words.join(' ') : undefined;
}
