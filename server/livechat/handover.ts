import type { ConversationRecord } from '../../models/conversation';

/** How long the bot stays quiet after an agent replies or claims a conversation. */
export const HUMAN_ACTIVE_MS = 30 * 60 * 1000;

/** True while a human owns the conversation: the bot must not answer. */
export function isHumanActive(
  conversation: Pick<ConversationRecord, 'humanActiveUntil'>,
  now: Date,
): boolean {
  return conversation.humanActiveUntil !== null && now.getTime() < conversation.humanActiveUntil.getTime();
}

export const humanActiveUntil = (now: Date) => new Date(now.getTime() + HUMAN_ACTIVE_MS);
