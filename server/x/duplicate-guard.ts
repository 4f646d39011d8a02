/**
 * X's automation rules forbid duplicate or substantially similar posts (docs/x-platform.md §3); X itself refuses only
 * exact repeats, so Pagewire refuses near ones first, with a reason. Pure: the share service hands it the account's
 * recent posts.
 */

/**
 * Lower case, links and punctuation dropped, spacing collapsed: what two posts are compared on. A post of nothing but
 * links or punctuation is compared on all of it, so that two different links are not taken for the same post.
 */
export function comparableText(text: string): string {
  const lower = text.toLowerCase();
  const words = lower
    .replace(/https?:\/\/\S+/g, ' ')
    .replace(/[^\p{L}\p{N}#@\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return words || lower.replace(/\s+/g, ' ').trim();
}

function pairsOf(comparable: string): string[] {
  const words = comparable.split(' ').filter(Boolean);
  if (words.length < 2) return words;
  return words.slice(1).map((word, index) => `${words[index]} ${word}`);
}

/** Dice's coefficient over word pairs: 1 for the same words in the same order, 0 for nothing in common. */
export function similarityOf(a: string, b: string): number {
  if (a === b) return 1;
  const left = pairsOf(a);
  const right = pairsOf(b);
  if (left.length === 0 || right.length === 0) return 0;
  const remaining = new Map<string, number>();
  for (const pair of right) remaining.set(pair, (remaining.get(pair) ?? 0) + 1);
  let shared = 0;
  for (const pair of left) {
    const count = remaining.get(pair) ?? 0;
    if (count > 0) {
      shared += 1;
      remaining.set(pair, count - 1);
    }
  }
  return (2 * shared) / (left.length + right.length);
}

export interface EarlierPost {
  id: string;
  comparableText: string;
}

/** The most similar earlier post at or above `threshold`, or null. */
export function findNearDuplicate<T extends EarlierPost>(
  comparable: string,
  earlier: readonly T[],
  threshold: number,
): { post: T; similarity: number } | null {
  let best: { post: T; similarity: number } | null = null;
  for (const post of earlier) {
    const similarity = similarityOf(comparable, post.comparableText);
    if (similarity >= threshold && (!best || similarity > best.similarity)) best = { post, similarity };
  }
  return best;
}
