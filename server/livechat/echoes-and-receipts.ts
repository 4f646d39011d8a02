import { Types, isValidObjectId } from 'mongoose';
import { ConversationModel } from '../../models/conversation';
import { MessageModel, type MessageRecord } from '../../models/message';
import type { StoredPageEvent } from '../../webhooks/handler-registry';
import type { LiveEvents } from '../messaging/live-events';
import { applyWatermark, receiptOf, type ReceiptKind } from '../messaging/receipt-watermarks';
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

/**
 * The echo of a send of ours that no conversation recorded (a broadcast's): nothing to take in, so its handler reads
 * nothing. Meta sends one back for every message a broadcast sends, as fast as the broadcast goes.
 */
export function isOwnUnrecordedEcho(appId: string, event: StoredPageEvent): boolean {
  const message = objectAt(event.payload, 'message');
  return stringAt(message, 'app_id') === appId && !stringAt(message, 'metadata');
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

/** Meta's watermark, applied to the person's outbound messages in their conversation; agents see each one move. */
export async function takeInReceipt(
  deps: EchoDeps,
  page: ConnectedPage,
  event: StoredPageEvent,
  kind: ReceiptKind,
): Promise<void> {
  const receipt = receiptOf(event.payload, kind);
  if (!receipt) return;
  const subscriber = await deps.subscribers.findByPsid(page._id, receipt.psid);
  if (!subscriber) return;
  const conversation = await ConversationModel.findOne(
    { page: new Types.ObjectId(String(page._id)), subscriber: subscriber._id },
    { _id: 1 },
  );
  if (!conversation) return;
  const thread = {
    model: MessageModel,
    scope: { conversation: conversation._id, direction: 'outbound' },
    sentAt: 'occurredAt',
  };
  await applyWatermark<MessageRecord>(thread, kind, receipt.watermark, (moved, status) => {
    for (const message of moved) deps.events.messageStatus({ ...message, status });
  });
}
