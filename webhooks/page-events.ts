import { createHash } from 'node:crypto';
import type { ChangeItem, Envelope, MessagingItem } from './envelope';

export const messagingKinds = [
  'message',
  'echo',
  'postback',
  'reaction',
  'delivery',
  'read',
  'optin',
  'referral',
  'handover',
  'policy_enforcement',
  'app_roles',
  'unknown',
] as const;
export type MessagingKind = (typeof messagingKinds)[number];

/** One event from an envelope, with the key that makes a redelivery of it recognisable. */
export interface PageEvent {
  key: string;
  source: 'messaging' | 'standby' | 'changes';
  kind: MessagingKind | `feed:${string}` | `change:${string}`;
  fbPageId: string;
  conversationKey: string;
  occurredAt: Date;
  payload: Record<string, unknown>;
}

type Loose = Record<string, unknown>;
const field = (item: Loose, name: string): Loose | undefined => item[name] as Loose | undefined;
const fingerprint = (value: unknown) =>
  createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32);

function classifyMessaging(
  item: MessagingItem,
  fbPageId: string,
): { kind: MessagingKind; key: string; psid: string } {
  const message = field(item, 'message');
  const isEcho = message?.is_echo === true;
  // For echoes the Page is the sender and the person the recipient.
  const psid = (isEcho ? item.recipient?.id : (item.sender?.id ?? item.sender?.user_ref)) ?? 'page';
  const at = item.timestamp ?? 0;
  if (message) return { kind: isEcho ? 'echo' : 'message', key: `message:${String(message.mid)}`, psid };
  const postback = field(item, 'postback');
  if (postback) {
    const id = postback.mid ? String(postback.mid) : `${fbPageId}:${psid}:${at}:${String(postback.payload)}`;
    return { kind: 'postback', key: `postback:${id}`, psid };
  }
  const reaction = field(item, 'reaction');
  if (reaction) {
    const id = `${String(reaction.mid)}:${psid}:${String(reaction.action)}:${String(reaction.reaction)}:${at}`;
    return { kind: 'reaction', key: `reaction:${id}`, psid };
  }
  const delivery = field(item, 'delivery');
  if (delivery)
    return { kind: 'delivery', key: `delivery:${fbPageId}:${psid}:${String(delivery.watermark)}`, psid };
  const read = field(item, 'read');
  if (read) return { kind: 'read', key: `read:${fbPageId}:${psid}:${String(read.watermark)}`, psid };
  const simple: [string, MessagingKind][] = [
    ['optin', 'optin'],
    ['referral', 'referral'],
    ['pass_thread_control', 'handover'],
    ['take_thread_control', 'handover'],
    ['request_thread_control', 'handover'],
    ['policy_enforcement', 'policy_enforcement'],
    ['app_roles', 'app_roles'],
  ];
  for (const [name, kind] of simple) {
    if (item[name])
      return { kind, key: `${name}:${fbPageId}:${psid}:${at}:${fingerprint(item[name])}`, psid };
  }
  return { kind: 'unknown', key: `unknown:${fbPageId}:${fingerprint(item)}`, psid };
}

function messagingEvent(item: MessagingItem, fbPageId: string, source: 'messaging' | 'standby'): PageEvent {
  const { kind, key, psid } = classifyMessaging(item, fbPageId);
  return {
    key: source === 'standby' ? `standby:${key}` : key,
    source,
    kind,
    fbPageId,
    conversationKey: `${fbPageId}:${psid}`,
    occurredAt: new Date(item.timestamp ?? Date.now()),
    payload: item,
  };
}

function changeEvent(change: ChangeItem, fbPageId: string, entryTime: number | undefined): PageEvent {
  const value = change.value;
  if (change.field !== 'feed') {
    return {
      key: `change:${change.field}:${fbPageId}:${fingerprint(value)}`,
      source: 'changes',
      kind: `change:${change.field}`,
      fbPageId,
      conversationKey: `${fbPageId}:change:${change.field}`,
      occurredAt: new Date((entryTime ?? Date.now() / 1000) * 1000),
      payload: change,
    };
  }
  const item = String(value.item ?? 'unknown');
  const verb = String(value.verb ?? 'unknown');
  const fromId = String((value.from as Loose | undefined)?.id ?? 'unknown');
  // A comment is named by its id; other feed items (reactions, posts) by their object and who acted.
  const subject =
    item === 'comment' && value.comment_id
      ? String(value.comment_id)
      : `${String(value.comment_id ?? value.post_id ?? fingerprint(value))}:${fromId}`;
  // Feed `created_time` is epoch seconds (messaging timestamps are milliseconds).
  const createdSeconds = typeof value.created_time === 'number' ? value.created_time : entryTime;
  return {
    key: `feed:${item}:${subject}:${verb}`,
    source: 'changes',
    kind: `feed:${item}`,
    fbPageId,
    conversationKey: `${fbPageId}:post:${String(value.post_id ?? 'none')}`,
    occurredAt: new Date((createdSeconds ?? Date.now() / 1000) * 1000),
    payload: value,
  };
}

/** Every event of every entry: Meta batches several entries, for one Page or several, in one POST. */
export function pageEventsOf(envelope: Envelope): PageEvent[] {
  return envelope.entry.flatMap((entry) => [
    ...(entry.messaging ?? []).map((item) => messagingEvent(item, entry.id, 'messaging')),
    ...(entry.standby ?? []).map((item) => messagingEvent(item, entry.id, 'standby')),
    ...(entry.changes ?? []).map((change) => changeEvent(change, entry.id, entry.time)),
  ]);
}
