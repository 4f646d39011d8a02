import { Types } from 'mongoose';
import { ConversationModel, type ConversationRecord } from '../../models/conversation';
import { MessageModel, type MessageKind, type MessageRecord } from '../../models/message';
import type { PageRef, SubscriberRecord } from '../subscribers/subscriber-service';
import { displayNameOf } from '../subscribers/subscriber-service';
import { isDuplicateKey, upsertOnce } from '../platform/database/duplicate-key';
import { scopeKey } from '../../webhooks/event-scope';
import { createProcessCache } from '../platform/process-cache';
import { findOneAndUpdateDirect } from '../platform/database/direct-update';

/**
 * The one place that writes conversations and their messages, for webhooks (inbound, echoes) and sends alike.
 * Exactly-once comes from the unique keys: (page, subscriber) for a conversation, (page, `mid`) for a message.
 */
export type NewMessage = Omit<MessageRecord, '_id' | 'createdAt' | 'updatedAt' | 'conversation'> & {
  _id?: Types.ObjectId;
};

/** A subscriber's conversation on one Page, as live chat left it while handling the current webhook event. */
export const conversationInScope = (pageId: { toString(): string }, subscriberId: { toString(): string }) =>
  scopeKey<ConversationRecord | null>(`conversation:${String(pageId)}:${String(subscriberId)}`);

export type ConversationRef = Pick<ConversationRecord, '_id'>;

/** Which conversation is a subscriber's on a Page: asked for every message, and it never changes while it exists. */
const conversationIds = createProcessCache<Types.ObjectId>({
  ttlMs: 10 * 60_000,
  max: 100_000,
  forgetOnWritesTo: ['conversations'],
});

/**
 * The conversation of a subscriber on a Page, created with the first message either way. Created by an insert
 * against the unique (page, subscriber) key rather than an upsert: FerretDB drops null fields from `$setOnInsert`,
 * and readers (the bot's hand-over check) rely on `humanActiveUntil: null`, not a missing field. A subscriber
 * created by this very event has no conversation yet, so `subscriberCreated` goes straight to the insert.
 */
export async function ensureConversation(
  page: PageRef,
  subscriber: SubscriberRecord,
  at: Date,
  { subscriberCreated = false }: { subscriberCreated?: boolean } = {},
): Promise<ConversationRef> {
  const filter = { page: new Types.ObjectId(String(page._id)), subscriber: subscriber._id };
  const existing = () => ConversationModel.findOne(filter).select({ _id: 1 }).lean<ConversationRef>();
  const findOrCreate = async (): Promise<Types.ObjectId> => {
    const found = subscriberCreated ? null : await existing();
    if (found) return found._id;
    try {
      const created = await ConversationModel.create({
        ...filter,
        workspace: new Types.ObjectId(String(page.workspace)),
        psid: subscriber.psid,
        subscriberName: displayNameOf(subscriber),
        lastMessageAt: at,
        openedAt: at,
      });
      return created._id;
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      return ((await existing()) as ConversationRef)._id;
    }
  };
  return { _id: await conversationIds.get(`${String(page._id)}:${String(subscriber._id)}`, findOrCreate) };
}

/** Stores a message once per (Page document, `mid`); `created` is false for a redelivery. */
export function recordMessage(
  conversation: ConversationRef,
  message: NewMessage,
): Promise<{ message: MessageRecord; created: boolean }> {
  return upsertOnce(async () => {
    const { value, inserted } = await findOneAndUpdateDirect(
      MessageModel,
      { page: message.page, mid: message.mid },
      { $setOnInsert: { ...message, conversation: conversation._id } },
      { upsert: true },
    );
    return { message: value as MessageRecord, created: inserted };
  });
}

/** The one-line preview of a message in the inbox list. */
function previewOf(message: { kind: MessageKind; text?: string; attachments?: { type: string }[] }): string {
  if (message.text) return message.text.slice(0, 120);
  if (message.attachments?.length) return `[${message.attachments.map((a) => a.type).join(', ')}]`;
  return `[${message.kind}]`;
}

/**
 * Moves the conversation's last message forward and counts it in the current episode. A person's message reopens it
 * (starting the next episode, when it was resolved), counts as unread and carries the name their subscriber record
 * has now; called only for a newly stored message, so a redelivered webhook counts nothing twice. Per-conversation
 * webhook order makes the webhook processor the single writer of these counters.
 */
export async function applyToConversation(
  message: MessageRecord,
  from?: Pick<SubscriberRecord, 'profile' | 'psid'>,
): Promise<ConversationRecord | null> {
  if (message.direction === 'internal') {
    return ConversationModel.findById(message.conversation).lean<ConversationRecord>();
  }
  const lastMessage = { preview: previewOf(message), at: message.occurredAt, direction: message.direction };
  const inbound = message.direction === 'inbound';
  const { value: updated } = await findOneAndUpdateDirect(
    ConversationModel,
    { _id: message.conversation },
    {
      $set: {
        lastMessage,
        ...(inbound ? { status: 'open' as const } : {}),
        ...(from ? { subscriberName: displayNameOf(from) } : {}),
      },
      $max: { lastMessageAt: message.occurredAt },
      $inc: { episodeMessageCount: 1, ...(inbound ? { unreadCount: 1 } : {}) },
    },
  );
  if (!inbound || updated?.openedAt !== null) return updated;
  // Resolved until this message: the next episode begins with it (one more write, at a reopening only).
  const reopened = await ConversationModel.findOneAndUpdate(
    { _id: message.conversation, status: 'open', openedAt: null },
    { $set: { openedAt: message.occurredAt } },
    { returnDocument: 'after' },
  ).lean<ConversationRecord>();
  return reopened ?? updated;
}

/** The same name on the conversation as on the subscriber, once the profile arrives. */
export async function renameConversation(
  conversationId: Types.ObjectId,
  subscriber: SubscriberRecord,
): Promise<ConversationRecord | null> {
  const { value } = await findOneAndUpdateDirect(
    ConversationModel,
    { _id: conversationId },
    { $set: { subscriberName: displayNameOf(subscriber) } },
  );
  return value as ConversationRecord | null;
}
