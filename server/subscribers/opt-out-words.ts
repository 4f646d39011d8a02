/**
 * STOP and START keywords. A message counts only when it is the keyword alone (case, spaces and trailing punctuation
 * ignored), so "don't stop the order" never unsubscribes anyone.
 */
export interface KeywordLists {
  optOutWords: readonly string[];
  optInWords: readonly string[];
}

export type KeywordIntent = 'opt_out' | 'opt_in' | null;

const normalize = (text: string) =>
  text
    .trim()
    .toLowerCase()
    .replace(/[\s.!?]+$/u, '')
    .replace(/\s+/gu, ' ');

export function keywordIntent(text: string | undefined, lists: KeywordLists): KeywordIntent {
  if (!text) return null;
  const word = normalize(text);
  if (lists.optOutWords.some((candidate) => normalize(candidate) === word)) return 'opt_out';
  if (lists.optInWords.some((candidate) => normalize(candidate) === word)) return 'opt_in';
  return null;
}
