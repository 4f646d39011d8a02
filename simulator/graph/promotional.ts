import { isRecord } from './params';

/** Keys whose strings a person reads: message text, quick reply and button titles, card titles and subtitles. */
const READABLE_KEYS = new Set(['text', 'title', 'subtitle']);

/**
 * The first promotional word a person would read in this message, or null. Meta judges a tagged message by its
 * purpose, which no word list captures; this is the simulator's stand-in, so a list from settings decides. A word
 * matches case-insensitively where a word starts ("deal" finds "Deals", not "ideal").
 */
export function promotionalWordIn(message: Record<string, unknown>, words: string[]): string | null {
  const texts = readableTexts(message).join('\n');
  return words.find((word) => wordPattern(word).test(texts)) ?? null;
}

function readableTexts(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(readableTexts);
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    typeof inner === 'string' ? (READABLE_KEYS.has(key) ? [inner] : []) : readableTexts(inner),
  );
}

function wordPattern(word: string): RegExp {
  const escaped = word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const atWordStart = /^[\p{L}\p{N}]/u.test(word) ? '(?<![\\p{L}\\p{N}])' : '';
  return new RegExp(`${atWordStart}${escaped}`, 'iu');
}
