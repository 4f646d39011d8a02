import type { ConversationRecord } from '../../models/conversation';
import type { MessageRecord } from '../../models/message';
import type { ConversationView, MessageView } from '../realtime/events';

/** Stored documents in the shape the REST API and the socket events share. */
export function messageView(message: MessageRecord): MessageView {
  return {
    id: String(message._id),
    conversationId: String(message.conversation),
    pageId: String(message.page),
    subscriberId: String(message.subscriber),
    mid: message.mid,
    direction: message.direction,
    kind: message.kind,
    sender: message.sender,
    agentId: message.agent ? String(message.agent) : null,
    ...(message.text !== undefined ? { text: message.text } : {}),
    ...(message.attachments?.length ? { attachments: message.attachments } : {}),
    ...(message.payload !== undefined ? { payload: message.payload } : {}),
    ...(message.reaction?.targetMid ? { reaction: message.reaction } : {}),
    ...(message.delivery?.messagingType ? { delivery: message.delivery } : {}),
    status: message.status,
    ...(message.failure?.outcome ? { failure: message.failure } : {}),
    occurredAt: message.occurredAt.toISOString(),
  };
}

export function conversationView(conversation: ConversationRecord): ConversationView {
  const last = conversation.lastMessage;
  return {
    id: String(conversation._id),
    pageId: String(conversation.page),
    subscriberId: String(conversation.subscriber),
    psid: conversation.psid,
    subscriberName: conversation.subscriberName,
    status: conversation.status,
    assigneeId: conversation.assignee ? String(conversation.assignee) : null,
    claimedById: conversation.claimedBy ? String(conversation.claimedBy) : null,
    humanActiveUntil: conversation.humanActiveUntil?.toISOString() ?? null,
    unreadCount: conversation.unreadCount,
    lastMessage: last
      ? { preview: last.preview, at: last.at.toISOString(), direction: last.direction }
      : null,
    lastMessageAt: conversation.lastMessageAt.toISOString(),
  };
}
