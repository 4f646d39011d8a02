import { z } from 'zod';
import type { ConversationRecord } from '../../models/conversation';
import type { MessageRecord } from '../../models/message';
import { isoInstant } from '../platform/openapi/api-operation';
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

/** The views' shapes, for the OpenAPI document; `satisfies` keeps them in step with the types above. */
export const messageViewSchema = z.object({
  id: z.string(),
  conversationId: z.string(),
  pageId: z.string(),
  subscriberId: z.string(),
  mid: z.string(),
  direction: z.enum(['inbound', 'outbound', 'internal']),
  kind: z.string(),
  sender: z.string(),
  agentId: z.string().nullable(),
  text: z.string().optional(),
  attachments: z.array(z.looseObject({ type: z.string(), url: z.string().optional() })).optional(),
  payload: z.string().optional(),
  reaction: z
    .object({ reaction: z.string(), emoji: z.string().optional(), action: z.string(), targetMid: z.string() })
    .optional(),
  delivery: z.object({ messagingType: z.string(), tag: z.string().optional() }).optional(),
  status: z.string(),
  failure: z
    .object({
      code: z.number().optional(),
      subcode: z.number().optional(),
      outcome: z.string(),
      reason: z.string(),
    })
    .optional(),
  occurredAt: isoInstant,
}) satisfies z.ZodType<MessageView>;

export const conversationViewSchema = z.object({
  id: z.string(),
  pageId: z.string(),
  subscriberId: z.string(),
  psid: z.string(),
  subscriberName: z.string(),
  status: z.enum(['open', 'resolved']),
  assigneeId: z.string().nullable(),
  claimedById: z.string().nullable(),
  humanActiveUntil: isoInstant.nullable(),
  unreadCount: z.number().int(),
  lastMessage: z
    .object({ preview: z.string(), at: isoInstant, direction: z.enum(['inbound', 'outbound']) })
    .nullable(),
  lastMessageAt: isoInstant,
}) satisfies z.ZodType<ConversationView>;
