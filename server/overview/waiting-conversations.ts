import type { Types } from 'mongoose';
import { ConversationModel } from '../../models/conversation';
import { byLastMessage } from '../messaging/conversation-order';
import { firstAcross } from '../platform/database/index-ranges';

export interface WaitingConversation {
  id: string;
  pageId: string;
  subscriberName: string;
  /** The person's last message, which nobody has answered yet. */
  lastMessageAt: string;
  preview: string;
  assigneeId: string | null;
}

/**
 * Open conversations whose last message is the person's, the longest unanswered first. Read by the inbox's index
 * (Page, status, last message time), one Page at a time (`firstAcross`), so only open conversations are looked at.
 */
export async function waitingConversations(
  pages: Types.ObjectId[],
  limit: number,
): Promise<WaitingConversation[]> {
  const reads = pages.map((page) =>
    ConversationModel.find({ page, status: 'open', 'lastMessage.direction': 'inbound' })
      .sort({ lastMessageAt: 1, _id: 1 })
      .limit(limit)
      .select({ page: 1, subscriberName: 1, lastMessage: 1, lastMessageAt: 1, assignee: 1 })
      .lean(),
  );
  const waiting = await firstAcross(reads, byLastMessage(1), limit);
  return waiting.map((conversation) => ({
    id: String(conversation._id),
    pageId: String(conversation.page),
    subscriberName: conversation.subscriberName,
    lastMessageAt: conversation.lastMessageAt.toISOString(),
    preview: conversation.lastMessage?.preview ?? '',
    assigneeId: conversation.assignee ? String(conversation.assignee) : null,
  }));
}
