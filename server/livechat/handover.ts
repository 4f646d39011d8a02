import type { ConversationRecord } from '../../models/conversation';

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

/** The bot stays quiet for `idleMs` (BOT_HUMAN_IDLE_MINUTES) after an agent's last claim or reply. */
export const humanActiveUntil = (now: Date, idleMs: number) => new Date(now.getTime() + idleMs);
