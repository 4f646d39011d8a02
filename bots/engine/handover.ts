import type { Types } from 'mongoose';
import { ConversationModel, type ConversationRecord } from '../../models/conversation';
import type { Realtime } from '../../server/realtime/realtime';
import { conversationView } from '../../server/messaging/views';

/** "Talk to a human": back to the unassigned queue, the bot quiet for the idle time, the agents told at once. */
export async function handOverToHumans(
  deps: { realtime: Pick<Realtime, 'emitToPage'> },
  conversationId: Types.ObjectId,
  until: Date,
): Promise<void> {
  const conversation = await ConversationModel.findOneAndUpdate(
    { _id: conversationId },
    { $set: { assignee: null, claimedBy: null, claimedAt: null, status: 'open', humanActiveUntil: until } },
    { returnDocument: 'after' },
  ).lean<ConversationRecord>();
  if (!conversation) return;
  const pageId = conversation.page.toString();
  const view = conversationView(conversation);
  deps.realtime.emitToPage(pageId, 'conversation:updated', { pageId, conversation: view });
  deps.realtime.emitToPage(pageId, 'conversation:needs-human', { pageId, conversation: view });
}
