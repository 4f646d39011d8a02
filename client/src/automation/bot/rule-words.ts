import type { BotRule, KeywordMode, RuleKind } from '../../api/automation';

export const kindWords: Record<RuleKind, string> = {
  keyword: 'Keyword',
  payload: 'Button or quick reply payload',
  get_started: 'Get Started',
  talk_to_human: 'Talk to a human',
  fallback: 'Fallback (nothing else matched)',
};

export const modeWords: Record<KeywordMode, string> = {
  contains: 'contains the phrase',
  exact: 'is exactly',
  any_of: 'has any of the words',
};

const quoted = (list: string[]) => list.map((word) => `“${word}”`).join(', ');

/** What makes the rule answer, in a marketer's words. */
export function whenWords(rule: Pick<BotRule, 'kind' | 'keywordMode' | 'keywords' | 'payloads'>): string {
  const byWords = rule.keywords.length
    ? `the message ${modeWords[rule.keywordMode]} ${quoted(rule.keywords)}`
    : '';
  const byPayload = rule.payloads.length ? `a tap sends ${rule.payloads.join(', ')}` : '';
  switch (rule.kind) {
    case 'keyword':
      return `When ${byWords}`;
    case 'payload':
      return `When ${byPayload}`;
    case 'get_started':
      return 'When someone taps Get Started';
    case 'talk_to_human':
      return `When ${[byWords, byPayload].filter(Boolean).join(' or ')}, hand over to the team`;
    case 'fallback':
      return 'When nothing else matched (at most once a day per person)';
  }
}

/** A rule in a few words, for the flow graph's entry points. */
export function shortWords(rule: Pick<BotRule, 'kind' | 'keywords' | 'payloads'>): string {
  switch (rule.kind) {
    case 'keyword':
      return quoted(rule.keywords);
    case 'payload':
      return rule.payloads.join(', ');
    default:
      return kindWords[rule.kind];
  }
}
