/**
 * How a person's text compares with keywords, the same for the bot's rules, comment captures and the STOP / START
 * words: case and accents do not count ("Stöp" is "stop"), and punctuation and emoji only separate words.
 */

/** Lower-case, accents folded (NFD, then the combining marks removed). */
export function foldCaseAndAccents(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The words of a text as keywords compare them. */
export function keywordWordsOf(text: string): string[] {
  return foldCaseAndAccents(text).match(/[\p{L}\p{N}]+/gu) ?? [];
}

/** A whole message (or a keyword phrase) as one keyword: its words, one space apart ("  STOP! " is "stop"). */
export function asKeyword(text: string): string {
  return keywordWordsOf(text).join(' ');
}
