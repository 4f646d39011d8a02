import { Types, isValidObjectId } from 'mongoose';
import { ConversationModel } from '../../models/conversation';
import { MessageModel, type MessageRecord, type OutboundStatus } from '../../models/message';
import type { StoredPageEvent } from '../../webhooks/handler-registry';
import type { LiveEvents } from '../messaging/live-events';
import { applyToConversation, ensureConversation, recordMessage } from '../messaging/thread-store';
import type { SubscriberService } from '../subscribers/subscriber-service';
import type { ConnectedPage } from './inbound-messages';
import { messageContentOf, objectAt, stringAt } from './person-actions';

/** The Page Inbox's app id (docs/messenger-platform.md §6): its echoes are a human at facebook.com. */
export const pageInboxAppId = '263902037430900';

export interface EchoDeps {
  subscribers: Pick<SubscriberService, 'findByPsid'>;
  events: LiveEvents;
  appId: string;
}

/** Our own send, named by the Message id we put in `metadata`: it gets Meta's mid and Meta's clock, not a twin. */
async function matchOwnSend(page: ConnectedPage, metadata: string, mid: string, at: Date) {
  if (!isValidObjectId(metadata)) return null;
  const own = { _id: new Types.ObjectId(metadata), page: new Types.ObjectId(String(page._id)) };
  const found = await MessageModel.findOne(own).lean<MessageRecord>();
  if (!found) return null;
  // Meta's timestamp, so delivery and read watermarks (Meta's clock) compare like with like.
  const update = { mid, occurredAt: at, ...(found.status === 'pending' ? { status: 'sent' } : {}) };
  return MessageModel.findOneAndUpdate(
    own,
    { $set: update },
    { returnDocument: 'after' },
  ).lean<MessageRecord>();
}

export async function takeInEcho(deps: EchoDeps, page: ConnectedPage, event: StoredPageEvent): Promise<void> {
  const message = objectAt(event.payload, 'message');
  const psid = stringAt(objectAt(event.payload, 'recipient'), 'id');
  const mid = stringAt(message, 'mid');
  if (!message || !psid || !mid) return;
  const appId = stringAt(message, 'app_id');
  const metadata = stringAt(message, 'metadata');
  if (metadata) {
    const own = await matchOwnSend(page, metadata, mid, event.occurredAt);
    if (own) return deps.events.messageStatus(own);
  }
  // Our app's sends that were not recorded in a conversation stay out of it.
  if (appId === deps.appId) return;
  const subscriber = await deps.subscribers.findByPsid(page._id, psid);
  if (!subscriber) return;
  const conversation = await ensureConversation(page, subscriber, event.occurredAt);
  const { message: stored, created } = await recordMessage(conversation, {
    workspace: new Types.ObjectId(String(page.workspace)),
    page: new Types.ObjectId(String(page._id)),
    subscriber: subscriber._id,
    direction: 'outbound',
    sender: appId === pageInboxAppId ? 'page_inbox' : 'other_app',
    agent: null,
    mid,
    status: 'sent',
    occurredAt: event.occurredAt,
    ...messageContentOf(message),
  });
  if (!created) return;
  deps.events.messageNew(stored);
  const updated = await applyToConversation(stored);
  if (updated) deps.events.conversationUpdated(updated);
}

const receiptStatus = { delivery: 'delivered', read: 'read' } as const;
// A receipt only moves a message forward: read after delivered, never back.
const movableFrom: Record<'delivery' | 'read', OutboundStatus[]> = {
  delivery: ['sent'],
  read: ['sent', 'delivered'],
};

/** "Everything sent before the watermark was delivered / read" (Meta): our outbound messages up to it move on. */
export async function takeInReceipt(
  deps: EchoDeps,
  page: ConnectedPage,
  event: StoredPageEvent,
  kind: 'delivery' | 'read',
): Promise<void> {
  const psid = stringAt(objectAt(event.payload, 'sender'), 'id');
  const watermark = Number(stringAt(objectAt(event.payload, kind), 'watermark'));
  if (!psid || !Number.isFinite(watermark)) return;
  const subscriber = await deps.subscribers.findByPsid(page._id, psid);
  if (!subscriber) return;
  const conversation = await ConversationModel.findOne(
    { page: new Types.ObjectId(String(page._id)), subscriber: subscriber._id },
    { _id: 1 },
  );
  if (!conversation) return;
  const filter = {
    conversation: conversation._id,
    direction: 'outbound' as const,
    status: { $in: movableFrom[kind] },
    occurredAt: { $lte: new Date(watermark) },
  };
  const moving = await MessageModel.find(filter).lean<MessageRecord[]>();
  if (moving.length === 0) return;
  const status = receiptStatus[kind];
  await MessageModel.updateMany({ ...filter, _id: { $in: moving.map((m) => m._id) } }, { $set: { status } });
  for (const message of moving) deps.events.messageStatus({ ...message, status });
}
