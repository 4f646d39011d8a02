import { asKeyword } from '../messaging/keyword-text';

/**
 * STOP and START keywords. A message counts only when it is the keyword alone, compared as every keyword is (case,
 * accents, spaces and punctuation aside: "Stöp!" is STOP), so "don't stop the order" never unsubscribes anyone.
 */
export interface KeywordLists {
  optOutWords: readonly string[];
  optInWords: readonly string[];
}

export type KeywordIntent = 'opt_out' | 'opt_in' | null;

export function keywordIntent(text: string | undefined, lists: KeywordLists): KeywordIntent {
  const said = asKeyword(text ?? '');
  if (!said) return null;
  if (lists.optOutWords.some((word) => asKeyword(word) === said)) return 'opt_out';
  if (lists.optInWords.some((word) => asKeyword(word) === said)) return 'opt_in';
  return null;
}
