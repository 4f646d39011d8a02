import type { PolicySettings } from '../settings';
import { GraphError } from './errors';
import { isRecord, jsonParam, stringParam, type Params } from './params';
import { validateTemplate } from './template-validation';
import { length } from './text-length';

export type Recipient =
  | { kind: 'id'; value: string }
  | { kind: 'user_ref'; value: string }
  | { kind: 'comment_id'; value: string }
  | { kind: 'post_id'; value: string }
  | { kind: 'notification_messages_token'; value: string }
  | { kind: 'one_time_notif_token'; value: string }
  | { kind: 'phone_number'; value: string };

export interface SendRequest {
  recipient: Recipient;
  rawRecipient: Record<string, unknown>;
  messagingType: string | null;
  tag: string | null;
  senderAction: string | null;
  message: Record<string, unknown> | null;
  body: Record<string, unknown>;
}

const RECIPIENT_KINDS = [
  'id',
  'user_ref',
  'comment_id',
  'post_id',
  'notification_messages_token',
  'one_time_notif_token',
  'phone_number',
] as const;
const MESSAGING_TYPES = ['RESPONSE', 'UPDATE', 'MESSAGE_TAG', 'UTILITY'];
export const MESSAGE_TAGS = [
  'ACCOUNT_UPDATE',
  'CONFIRMED_EVENT_UPDATE',
  'POST_PURCHASE_UPDATE',
  'HUMAN_AGENT',
  'CUSTOMER_FEEDBACK',
];
const SENDER_ACTIONS = ['typing_on', 'typing_off', 'mark_seen', 'react', 'unreact'];
const NOTIFICATION_TYPES = ['REGULAR', 'SILENT_PUSH', 'NO_PUSH'];
const ATTACHMENT_TYPES = ['image', 'audio', 'video', 'file', 'template'];
const QUICK_REPLY_TYPES = ['text', 'user_phone_number', 'user_email'];

export function parseSendRequest(params: Params, policy: PolicySettings): SendRequest {
  const rawRecipient = jsonParam(params, 'recipient');
  if (!isRecord(rawRecipient)) throw GraphError.invalid('The parameter recipient is required');
  const recipient = parseRecipient(rawRecipient);
  const rawMessage = jsonParam(params, 'message');
  const senderAction = stringParam(params, 'sender_action') ?? null;
  if (senderAction !== null && rawMessage !== undefined) {
    throw GraphError.invalid('sender_action cannot be sent together with message');
  }
  if (senderAction === null && rawMessage === undefined)
    throw GraphError.invalid('param message must be non-empty.');
  if (senderAction !== null && !SENDER_ACTIONS.includes(senderAction.toLowerCase())) {
    throw GraphError.invalid(`param sender_action must be one of {${SENDER_ACTIONS.join(', ')}}`);
  }
  const messagingType = parseMessagingType(params, senderAction !== null, policy);
  const tag = stringParam(params, 'tag') ?? null;
  if (messagingType === 'MESSAGE_TAG' && tag === null) {
    throw GraphError.invalid('Tag is required for messaging_type MESSAGE_TAG');
  }
  if (tag !== null && !MESSAGE_TAGS.includes(tag)) {
    throw GraphError.invalid(`param tag must be one of {${MESSAGE_TAGS.join(', ')}}`);
  }
  const notificationType = stringParam(params, 'notification_type');
  if (notificationType !== undefined && !NOTIFICATION_TYPES.includes(notificationType)) {
    throw GraphError.invalid(`param notification_type must be one of {${NOTIFICATION_TYPES.join(', ')}}`);
  }
  const message = rawMessage === undefined ? null : parseMessage(rawMessage, policy);
  const { access_token: _token, appsecret_proof: _proof, ...body } = params;
  return { recipient, rawRecipient, messagingType, tag, senderAction, message, body };
}

function parseRecipient(raw: Record<string, unknown>): Recipient {
  const present = RECIPIENT_KINDS.filter((kind) => raw[kind] !== undefined);
  const [kind] = present;
  if (present.length !== 1 || kind === undefined) {
    throw GraphError.invalid(`param recipient must have exactly one of ${RECIPIENT_KINDS.join(', ')}`);
  }
  const value = raw[kind];
  if ((typeof value !== 'string' && typeof value !== 'number') || String(value) === '') {
    throw GraphError.invalid(`param recipient[${kind}] must be a non-empty string`);
  }
  return { kind, value: String(value) };
}

function parseMessagingType(params: Params, isSenderAction: boolean, policy: PolicySettings): string | null {
  const value = stringParam(params, 'messaging_type');
  if (value === undefined) {
    if (!isSenderAction && policy.requireMessagingType) {
      throw GraphError.invalid('The parameter messaging_type is required');
    }
    return null;
  }
  if (!MESSAGING_TYPES.includes(value)) {
    throw GraphError.invalid(`param messaging_type must be one of {${MESSAGING_TYPES.join(', ')}}`);
  }
  return value;
}

function parseMessage(raw: unknown, policy: PolicySettings): Record<string, unknown> {
  if (!isRecord(raw)) throw GraphError.invalid('param message must be a JSON object');
  const hasText = raw.text !== undefined;
  const hasAttachment = raw.attachment !== undefined;
  if (hasText === hasAttachment)
    throw GraphError.invalid('Message must contain exactly one of text or attachment');
  if (hasText) {
    if (typeof raw.text !== 'string' || raw.text === '')
      throw GraphError.invalid('param message[text] must be non-empty.');
    if (length(raw.text) >= 2000) {
      throw GraphError.invalid('Length of param message[text] must be less than 2000 characters');
    }
  } else {
    validateAttachment(raw.attachment, policy);
  }
  if (raw.metadata !== undefined) {
    if (typeof raw.metadata !== 'string' || length(raw.metadata) >= 1000) {
      throw GraphError.invalid('Length of param message[metadata] must be less than 1000 characters');
    }
  }
  if (raw.quick_replies === undefined) return raw;
  return { ...raw, quick_replies: parseQuickReplies(raw.quick_replies, policy) };
}

function validateAttachment(raw: unknown, policy: PolicySettings): void {
  if (!isRecord(raw) || typeof raw.type !== 'string' || !ATTACHMENT_TYPES.includes(raw.type)) {
    throw GraphError.invalid(
      `param message[attachment][type] must be one of {${ATTACHMENT_TYPES.join(', ')}}`,
    );
  }
  if (!isRecord(raw.payload)) throw GraphError.invalid('param message[attachment][payload] is required');
  if (raw.type === 'template') return validateTemplate(raw.payload, policy);
  const { url, attachment_id: attachmentId } = raw.payload;
  if ((url === undefined) === (attachmentId === undefined)) {
    throw GraphError.invalid('Attachment payload must have exactly one of url or attachment_id');
  }
  if (url !== undefined && (typeof url !== 'string' || !/^https?:\/\//.test(url))) {
    throw GraphError.invalid('param message[attachment][payload][url] must be a valid URL');
  }
}

function parseQuickReplies(raw: unknown, policy: PolicySettings): Record<string, unknown>[] {
  if (!Array.isArray(raw) || raw.length === 0)
    throw GraphError.invalid('param message[quick_replies] must be a non-empty array');
  if (raw.length > 13) throw GraphError.invalid('param message[quick_replies] must have at most 13 elements');
  return raw.map((item: unknown, index) => parseQuickReply(item, index, policy));
}

function parseQuickReply(raw: unknown, index: number, policy: PolicySettings): Record<string, unknown> {
  const at = `message[quick_replies][${index}]`;
  if (!isRecord(raw)) throw GraphError.invalid(`param ${at} must be a JSON object`);
  const contentType = raw.content_type ?? 'text';
  if (typeof contentType !== 'string' || !QUICK_REPLY_TYPES.includes(contentType)) {
    throw GraphError.invalid(`param ${at}[content_type] must be one of {${QUICK_REPLY_TYPES.join(', ')}}`);
  }
  if (contentType !== 'text') return raw;
  if (typeof raw.title !== 'string' || raw.title === '')
    throw GraphError.invalid(`param ${at}[title] is required`);
  if (typeof raw.payload !== 'string' && typeof raw.payload !== 'number') {
    throw GraphError.invalid(`param ${at}[payload] is required`);
  }
  if (length(String(raw.payload)) > 1000) {
    throw GraphError.invalid(`Length of param ${at}[payload] must be less than or equal to 1000`);
  }
  if (length(raw.title) <= 20) return raw;
  if (policy.quickReplyTitleOverflow === 'reject') {
    throw GraphError.invalid(`Length of param ${at}[title] must be less than or equal to 20`);
  }
  // The doc: a quick reply title longer than 20 characters is truncated.
  return { ...raw, title: [...raw.title].slice(0, 20).join('') };
}
