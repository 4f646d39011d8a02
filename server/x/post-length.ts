import twitter from 'twitter-text';

/** X's weighted length (docs/x-platform.md §3), counted by X's own library: links 23, most CJK and emoji 2. */
export interface PostLength {
  weightedLength: number;
  maxLength: number;
  isValid: boolean;
}

/** parseTweet's default configuration (v3) validates against X's standard 280. */
const maxWeightedLength = 280;

export function measurePost(text: string): PostLength {
  const parsed = twitter.parseTweet(text);
  return {
    weightedLength: parsed.weightedLength,
    maxLength: maxWeightedLength,
    isValid: parsed.valid,
  };
}
