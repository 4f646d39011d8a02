import { Types } from 'mongoose';
import type { ConversationRecord } from '../../models/conversation';
import type { MessageKind, MessageRecord } from '../../models/message';
import type { StoredPageEvent } from '../../webhooks/handler-registry';
import type { Clock } from '../platform/clock';
import { publishDomainEvent } from '../platform/domain-events';
import type { Logger } from '../platform/logger';
import type { LiveEvents } from '../messaging/live-events';
import type { Outbound } from '../messaging/outbound';
import type { StoredPage } from '../pages/page-view';
import { messageView } from '../messaging/views';
import {
  applyToConversation,
  ensureConversation,
  recordMessage,
  renameConversation,
  type NewMessage,
} from '../messaging/thread-store';
import { createProcessMap } from '../platform/process-cache';
import type {
  InteractionKind,
  PageRef,
  SubscriberRecord,
  SubscriberService,
} from '../subscribers/subscriber-service';

/** A connected Page document as webhook dispatch finds it. */
export type ConnectedPage = PageRef & Pick<StoredPage, 'automationPauses'>;

export interface InboundDeps {
  subscribers: SubscriberService;
  outbound: Pick<Outbound, 'send'>;
  events: LiveEvents;
  clock: Clock;
  logger: Logger;
  optOutAcknowledgement: string;
}

/** What a person did, as live chat stores it. */
export interface PersonAction {
  psid: string;
  interaction: InteractionKind;
  ref?: string;
  /** Absent for interactions that leave nothing in the thread (referrals, opt-ins). */
  message?: {
    mid: string;
    kind: MessageKind;
    text?: string;
    attachments?: { type: string; url?: string }[];
    payload?: string;
    reaction?: MessageRecord['reaction'];
  };
}

/**
 * What a person's action left on one Page: their subscriber and, when it stored a new message, the conversation as
 * that message left it.
 */
export interface TakenIn {
  subscriber: SubscriberRecord;
  conversation: ConversationRecord | null;
}

/**
 * A person's action on one Page: the subscriber (created at the first one), the conversation, the message once per
 * `mid`, and the agents told. Safe to run twice for one event: a redelivery stores and announces nothing new.
 */
export async function takeInPersonAction(
  deps: InboundDeps,
  page: ConnectedPage,
  event: StoredPageEvent,
  action: PersonAction,
): Promise<TakenIn> {
  const at = event.occurredAt;
  const interaction = { kind: action.interaction, at, ...(action.ref ? { ref: action.ref } : {}) };
  const threadKey = `${String(page._id)}:${action.psid}`;
  const known = action.message ? knownThreads.get(threadKey) : undefined;
  const newMessage = (subscriberId: Types.ObjectId): NewMessage => ({
    workspace: new Types.ObjectId(String(page.workspace)),
    page: new Types.ObjectId(String(page._id)),
    subscriber: subscriberId,
    direction: 'inbound',
    sender: 'subscriber',
    agent: null,
    status: 'received',
    occurredAt: at,
    ...(action.message as NonNullable<PersonAction['message']>),
  });
  let subscriber: SubscriberRecord;
  let stored: { message: MessageRecord; created: boolean } | undefined;
  if (known) {
    // A person whose thread this process already knows: the interaction and the message are written side by side,
    // one round trip before the agents have it instead of two.
    [{ subscriber }, stored] = await Promise.all([
      deps.subscribers.recordInteraction(page, action.psid, interaction),
      recordMessage({ _id: known.conversationId }, newMessage(known.subscriberId)),
    ]);
  } else {
    const recorded = await deps.subscribers.recordInteraction(page, action.psid, interaction, {
      mayBeNew: true,
    });
    subscriber = recorded.subscriber;
    if (!action.message) return { subscriber, conversation: null };
    const thread = await ensureConversation(page, subscriber, at, { subscriberCreated: recorded.created });
    stored = await recordMessage(thread, newMessage(subscriber._id));
    knownThreads.set(threadKey, { subscriberId: subscriber._id, conversationId: thread._id });
  }
  const { message, created } = stored;
  let conversation: ConversationRecord | null = null;
  if (created) {
    deps.events.messageNew(message);
    conversation = await applyToConversation(message, subscriber);
    if (conversation) deps.events.conversationUpdated(conversation);
    // After the agents have it, and no write at all for a workspace that subscribed to nothing.
    publishDomainEvent('message.received', String(page.workspace), deps.clock.now(), {
      psid: action.psid,
      message: messageView(message),
    });
  }
  // After the agents have the message: a slow or failing profile read never holds it up.
  if (subscriber.profile.state === 'pending') {
    const named = await deps.subscribers.ensureProfile(page, subscriber);
    const renamed = await renameConversation(message.conversation, named);
    if (renamed) deps.events.conversationUpdated(renamed);
    return { subscriber: named, conversation: renamed ?? conversation };
  }
  return { subscriber, conversation };
}

/**
 * The subscriber and conversation of a person on a Page, once this process has stored a message of theirs: neither
 * changes while both exist, and deleting either (erasure, a Page's data removed) empties the copies everywhere.
 */
const knownThreads = createProcessMap<{ subscriberId: Types.ObjectId; conversationId: Types.ObjectId }>({
  ttlMs: 10 * 60_000,
  max: 100_000,
  forgetOnWritesTo: ['subscribers', 'conversations'],
});

/**
 * STOP and START, sent as a whole message: honoured at once; the opt-out is confirmed once, where policy allows.
 * Returns the subscriber as it now stands.
 */
export async function applyKeyword(
  deps: InboundDeps,
  page: ConnectedPage,
  event: StoredPageEvent,
  subscriber: SubscriberRecord,
  text: string | undefined,
): Promise<SubscriberRecord> {
  const intent = deps.subscribers.keywordIntent(text);
  const workspaceId = String(page.workspace);
  const subscriberId = String(subscriber._id);
  if (intent === 'opt_in')
    return (await deps.subscribers.resubscribe(workspaceId, subscriberId, 'keyword')).subscriber;
  if (intent !== 'opt_out') return subscriber;
  const { subscriber: unsubscribed, changed } = await deps.subscribers.unsubscribe(
    workspaceId,
    subscriberId,
    `Sent "${(text ?? '').trim()}"`,
    'keyword',
  );
  // Standby means another app owns the thread: we record, we do not speak.
  if (!changed || event.source !== 'messaging') return unsubscribed;
  const result = await deps.outbound.send({
    workspaceId,
    page,
    subscriber: unsubscribed,
    content: { type: 'text', text: deps.optOutAcknowledgement },
    purpose: { kind: 'opt_out_acknowledgement' },
    sender: 'bot',
    priority: 'live',
  });
  deps.logger.info({ pageId: String(page._id), subscriberId, status: result.status }, 'opt-out acknowledged');
  return unsubscribed;
}
