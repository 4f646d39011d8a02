import { matchesKeywords, type KeywordMode } from '../text-matching';
import type { Inbound } from './inbound';

export interface MatchableRule {
  kind: 'get_started' | 'keyword' | 'payload' | 'talk_to_human' | 'fallback';
  keywordMode?: KeywordMode | null;
  keywords: string[];
  payloads: string[];
}

function matches(rule: MatchableRule, inbound: Pick<Inbound, 'kind' | 'text' | 'payload'>): boolean {
  const byPayload = inbound.payload !== null && rule.payloads.includes(inbound.payload);
  const byWords =
    inbound.kind !== 'postback' &&
    inbound.kind !== 'get_started' &&
    matchesKeywords(inbound.text, rule.keywordMode ?? 'contains', rule.keywords);
  switch (rule.kind) {
    case 'get_started':
      return inbound.kind === 'get_started';
    case 'payload':
      return byPayload;
    case 'keyword':
      return byWords;
    case 'talk_to_human':
      return byPayload || byWords;
    case 'fallback':
      return false;
  }
}

/**
 * The first rule that matches, in the order given (priority, then creation); the Page's fallback only when nothing
 * else does, and only for something the person typed (a stale button press is not "not understood").
 */
export function pickRule<R extends MatchableRule>(
  rules: readonly R[],
  inbound: Pick<Inbound, 'kind' | 'text' | 'payload'>,
): R | undefined {
  const matched = rules.find((rule) => matches(rule, inbound));
  if (matched) return matched;
  if (inbound.kind !== 'message') return undefined;
  return rules.find((rule) => rule.kind === 'fallback');
}
