import { FirstResponseModel } from '../../models/first-response';
import type { ConversationRecord } from '../../models/conversation';
import { MessageModel, type MessageKind } from '../../models/message';
import { isDuplicateKey } from '../platform/database/duplicate-key';

/** What a person writes or taps; a reaction asks for nothing. */
const personMessageKinds: MessageKind[] = ['text', 'attachments', 'quick_reply', 'postback'];

/**
 * Records how long the person waited, when this agent reply is the first since their first message of the episode.
 * Episodes begin at `openedAt` (a person's message, or an agent's reopening); an agent who writes before the person
 * does answers nobody yet. Every later reply of the episode collides with the unique key and records nothing.
 */
export async function recordFirstResponse(
  conversation: ConversationRecord,
  agentId: string,
  answeredAt: Date,
): Promise<void> {
  if (conversation.status !== 'open') return;
  const episodeStart = conversation.openedAt ?? conversation.createdAt;
  const asked = await MessageModel.findOne({
    conversation: conversation._id,
    occurredAt: { $gte: episodeStart, $lte: answeredAt },
    sender: 'subscriber',
    kind: { $in: personMessageKinds },
  })
    .sort({ occurredAt: 1 })
    .select({ occurredAt: 1 })
    .lean();
  if (!asked) return;
  try {
    await FirstResponseModel.create({
      workspace: conversation.workspace,
      page: conversation.page,
      conversation: conversation._id,
      askedAt: asked.occurredAt,
      answeredAt,
      agent: agentId,
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}
