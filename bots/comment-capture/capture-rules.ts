import { containsAnyKeyword } from '../text-matching';

/** Why a capture left a comment alone, beyond the private reply policy's own refusals. */
export type CaptureSkipReason =
  | 'sensitive_language'
  | 'excluded_keyword'
  | 'no_keyword_match'
  | 'already_replied'
  | 'already_replied_to_person'
  | 'cannot_reply'
  | 'send_failed';

export interface CaptureRules {
  target?: { kind: string; postId?: string | null } | null;
  includeKeywords: string[];
  excludeKeywords: string[];
  sensitiveWords: string[];
}

export function targetsPost(capture: CaptureRules, postId: string): boolean {
  if (capture.target?.kind === 'any_post') return true;
  return capture.target?.postId === postId;
}

/** The content checks, in the order a marketer reads them: sensitive first, then exclusions, then inclusions. */
export function contentSkipReason(capture: CaptureRules, message: string): CaptureSkipReason | null {
  if (containsAnyKeyword(message, capture.sensitiveWords)) return 'sensitive_language';
  if (containsAnyKeyword(message, capture.excludeKeywords)) return 'excluded_keyword';
  if (capture.includeKeywords.length > 0 && !containsAnyKeyword(message, capture.includeKeywords)) {
    return 'no_keyword_match';
  }
  return null;
}
