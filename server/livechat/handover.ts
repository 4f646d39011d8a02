import type { ConversationRecord } from '../../models/conversation';

/** How long the bot stays quiet after an agent replies or claims a conversation. */
export const HUMAN_ACTIVE_MS = 30 * 60 * 1000;

/**
 * True while a human owns the conversation: the bot must not answer. Claims and replies set `humanActiveUntil`;
 * resolving clears it (the person's next message reopens the conversation, and the bot must answer that one).
 * Nobody owns a conversation that does not exist yet or whose upsert never set the field.
 */
export function isHumanActive(
  conversation: Pick<ConversationRecord, 'humanActiveUntil'> | null,
  now: Date,
): boolean {
  const until = conversation?.humanActiveUntil;
  return until ? now.getTime() < until.getTime() : false;
}

export const humanActiveUntil = (now: Date) => new Date(now.getTime() + HUMAN_ACTIVE_MS);
