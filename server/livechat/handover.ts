import type { ConversationRecord } from '../../models/conversation';

/** How long the bot stays quiet after an agent replies or claims a conversation. */
export const HUMAN_ACTIVE_MS = 30 * 60 * 1000;

/**
 * True while a human owns the conversation: the bot must not answer. Nobody owns a conversation that does not exist
 * yet, one an agent resolved (the bot resumes at once), or one whose upsert never set `humanActiveUntil`.
 */
export function isHumanActive(
  conversation: Pick<ConversationRecord, 'status' | 'humanActiveUntil'> | null,
  now: Date,
): boolean {
  const until = conversation?.humanActiveUntil;
  if (!conversation || conversation.status === 'resolved' || !until) return false;
  return now.getTime() < until.getTime();
}

export const humanActiveUntil = (now: Date) => new Date(now.getTime() + HUMAN_ACTIVE_MS);
