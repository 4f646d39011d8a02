import { Types } from 'mongoose';
import { AuditLogModel } from '../../models/audit-log';
import { ConversationModel } from '../../models/conversation';
import { ConversationEpisodeModel } from '../../models/conversation-episode';
import { FirstResponseModel } from '../../models/first-response';
import { MessageModel } from '../../models/message';
import { SubscriberModel, type SubscriberRecord } from '../../models/subscriber';
import { SuppressionModel, psidHashOf } from '../../models/suppression';
import { WebhookEvent } from '../../models/webhook-event';
import type { AuditTrail } from '../accounts/audit';
import type { Member } from '../accounts/authorization';
import type { Clock } from '../platform/clock';
import { subscriberView } from './subscriber-directory';

/**
 * One person's data, as the GDPR gives them the right to it: everything Pagewire holds about them on a Page
 * (their record, conversations, messages, consent history) as JSON, and its erasure. Erasure keeps only a
 * suppression entry (the Page and a hash of their PSID), so that they are never messaged again unless they opt in
 * anew by their own action.
 */
export async function exportPerson(subscriber: SubscriberRecord) {
  const [conversations, messages, consentHistory] = await Promise.all([
    ConversationModel.find({ subscriber: subscriber._id }).lean(),
    MessageModel.find({ subscriber: subscriber._id }).sort({ occurredAt: 1 }).lean(),
    AuditLogModel.find({ 'object.kind': 'subscriber', 'object.id': String(subscriber._id) })
      .sort({ at: 1 })
      .lean(),
  ]);
  return {
    subscriber: { ...subscriberView(subscriber), psid: subscriber.psid, profile: subscriber.profile },
    conversations: conversations.map((conversation) => ({
      id: String(conversation._id),
      status: conversation.status,
      openedAt: conversation.openedAt,
      lastMessageAt: conversation.lastMessageAt,
    })),
    messages: messages.map((message) => ({
      id: String(message._id),
      conversation: String(message.conversation),
      direction: message.direction,
      sender: message.sender,
      kind: message.kind,
      text: message.text,
      attachments: message.attachments,
      status: message.status,
      occurredAt: message.occurredAt,
    })),
    consentHistory: consentHistory.map((entry) => ({
      at: entry.at,
      action: entry.action,
      basis: entry.basis,
    })),
  };
}

export async function erasePerson(
  deps: { audit: AuditTrail; clock: Clock; fbPageIdOf(pageId: Types.ObjectId): Promise<string | undefined> },
  member: Member,
  subscriber: SubscriberRecord,
): Promise<void> {
  // The suppression first: should the rest fail half-way, the person is already never messaged again.
  await SuppressionModel.updateOne(
    { page: subscriber.page, psidHash: psidHashOf(subscriber.psid) },
    { $setOnInsert: { at: deps.clock.now() } },
    { upsert: true },
  );
  const conversationIds = (
    await ConversationModel.find({ subscriber: subscriber._id }).select({ _id: 1 }).lean()
  ).map((conversation) => conversation._id);
  const fbPageId = await deps.fbPageIdOf(subscriber.page);
  await Promise.all([
    MessageModel.deleteMany({ subscriber: subscriber._id }),
    ConversationEpisodeModel.deleteMany({ conversation: { $in: conversationIds } }),
    FirstResponseModel.deleteMany({ conversation: { $in: conversationIds } }),
    // The webhook events kept for a while after processing hold their messages too.
    ...(fbPageId
      ? [WebhookEvent.deleteMany({ conversationKey: `${fbPageId}:${subscriber.psid}`, status: 'processed' })]
      : []),
  ]);
  await ConversationModel.deleteMany({ subscriber: subscriber._id });
  await SubscriberModel.deleteOne({ _id: subscriber._id });
  await deps.audit.recordByMember(member, {
    action: 'subscriber.erased',
    object: { kind: 'subscriber', id: String(subscriber._id) },
    pageId: String(subscriber.page),
  });
}
