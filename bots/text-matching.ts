import { asKeyword, keywordWordsOf } from '../server/messaging/keyword-text';

/**
 * Keyword matching for captures and bot rules: case- and accent-insensitive, on whole words, so "prix" matches
 * "Quel PRÎX ?" but "art" does not match "party".
 */
export type KeywordMode = 'exact' | 'contains' | 'any_of';

function containsSequence(words: string[], phrase: string[]): boolean {
  if (phrase.length === 0 || phrase.length > words.length) return false;
  for (let start = 0; start + phrase.length <= words.length; start += 1) {
    if (phrase.every((word, offset) => words[start + offset] === word)) return true;
  }
  return false;
}

/** True when one of the keywords (a word or a phrase) appears in the text as whole words. */
export function containsAnyKeyword(text: string, keywords: readonly string[]): boolean {
  const words = keywordWordsOf(text);
  return keywords.some((keyword) => containsSequence(words, keywordWordsOf(keyword)));
}

/**
 * - `exact`: the message is one of the keywords, nothing more (punctuation and case aside);
 * - `contains`: a keyword phrase appears in it as whole words, in order;
 * - `any_of`: any single word of the keywords appears in it.
 */
export function matchesKeywords(text: string, mode: KeywordMode, keywords: readonly string[]): boolean {
  const words = keywordWordsOf(text);
  if (words.length === 0) return false;
  switch (mode) {
    case 'exact':
      return keywords.some((keyword) => asKeyword(keyword) === words.join(' '));
    case 'contains':
      return containsAnyKeyword(text, keywords);
    case 'any_of': {
      const wanted = new Set(keywords.flatMap(keywordWordsOf));
      return words.some((word) => wanted.has(word));
    }
  }
}
