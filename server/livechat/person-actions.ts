import type { StoredPageEvent } from '../../webhooks/handler-registry';
import { isGetStarted } from '../messaging/get-started';
import type { PersonAction } from './inbound-messages';

/**
 * Meta's messaging items (docs/messenger-platform.md §1.5) read into what live chat stores. Webhook payloads are loose by
 * design (unknown fields tolerated), so each reader takes only the fields it names.
 */
type Loose = Record<string, unknown>;
const objectAt = (item: Loose, name: string): Loose | undefined => {
  const value = item[name];
  return typeof value === 'object' && value !== null ? (value as Loose) : undefined;
};
const stringAt = (item: Loose | undefined, name: string): string | undefined => {
  const value = item?.[name];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
};

export const psidOf = (payload: Loose) => stringAt(objectAt(payload, 'sender'), 'id');

function attachmentsOf(message: Loose): { type: string; url?: string }[] {
  const list = Array.isArray(message.attachments) ? (message.attachments as Loose[]) : [];
  return list.map((attachment) => {
    const url = stringAt(objectAt(attachment, 'payload'), 'url');
    return { type: stringAt(attachment, 'type') ?? 'file', ...(url ? { url } : {}) };
  });
}

/** The content of a message or an echo: text, a quick-reply tap or attachments. */
export function messageContentOf(message: Loose) {
  const text = stringAt(message, 'text');
  const quickReply = stringAt(objectAt(message, 'quick_reply'), 'payload');
  const attachments = attachmentsOf(message);
  const kind = quickReply ? 'quick_reply' : text ? 'text' : attachments.length ? 'attachments' : 'text';
  return {
    kind: kind as 'quick_reply' | 'text' | 'attachments',
    ...(text !== undefined ? { text } : {}),
    ...(quickReply ? { payload: quickReply } : {}),
    ...(attachments.length ? { attachments } : {}),
  };
}

function fromMessage(payload: Loose, psid: string): PersonAction | undefined {
  const message = objectAt(payload, 'message');
  const mid = stringAt(message, 'mid');
  if (!message || !mid) return undefined;
  const content = messageContentOf(message);
  return {
    psid,
    interaction: content.kind === 'quick_reply' ? 'quick_reply' : 'message',
    message: { mid, ...content },
  };
}

function fromPostback(
  payload: Loose,
  psid: string,
  key: string,
  getStartedPayload: string,
): PersonAction | undefined {
  const postback = objectAt(payload, 'postback');
  if (!postback) return undefined;
  const title = stringAt(postback, 'title');
  const data = stringAt(postback, 'payload');
  const ref = stringAt(objectAt(postback, 'referral'), 'ref');
  return {
    psid,
    interaction: isGetStarted(data, getStartedPayload) ? 'get_started' : 'postback',
    ...(ref ? { ref } : {}),
    message: {
      // A postback without a mid is named by its event key, which the webhook store already made unique.
      mid: stringAt(postback, 'mid') ?? key,
      kind: 'postback',
      ...(title ? { text: title } : {}),
      ...(data ? { payload: data } : {}),
    },
  };
}

function fromReaction(payload: Loose, psid: string, key: string): PersonAction | undefined {
  const reaction = objectAt(payload, 'reaction');
  if (!reaction) return undefined;
  const emoji = stringAt(reaction, 'emoji');
  return {
    psid,
    interaction: 'reaction',
    message: {
      mid: key,
      kind: 'reaction',
      reaction: {
        reaction: stringAt(reaction, 'reaction') ?? 'other',
        ...(emoji ? { emoji } : {}),
        action: stringAt(reaction, 'action') === 'unreact' ? 'unreact' : 'react',
        targetMid: stringAt(reaction, 'mid') ?? '',
      },
    },
  };
}

function fromReferral(payload: Loose, psid: string): PersonAction | undefined {
  const ref = stringAt(objectAt(payload, 'referral'), 'ref');
  return { psid, interaction: 'referral', ...(ref ? { ref } : {}) };
}

/** The person's action in a `message`, `postback`, `reaction` or `referral` event; undefined when it names nobody. */
export function personActionOf(event: StoredPageEvent, getStartedPayload: string): PersonAction | undefined {
  const psid = psidOf(event.payload);
  if (!psid) return undefined;
  switch (event.kind) {
    case 'message':
      return fromMessage(event.payload, psid);
    case 'postback':
      return fromPostback(event.payload, psid, event.key, getStartedPayload);
    case 'reaction':
      return fromReaction(event.payload, psid, event.key);
    case 'referral':
      return fromReferral(event.payload, psid);
    default:
      return undefined;
  }
}

/** An opt-in event: a marketing-message subscription, or the person stopping or resuming it. */
export function optinOf(event: StoredPageEvent) {
  const psid = psidOf(event.payload);
  const optin = objectAt(event.payload, 'optin');
  if (!psid || !optin) return undefined;
  const status = stringAt(optin, 'notification_messages_status')?.replace(/\s+/gu, '_').toUpperCase();
  const ref = stringAt(optin, 'ref') ?? stringAt(optin, 'payload');
  return { psid, status, ...(ref ? { ref } : {}) };
}

export { objectAt, stringAt };
