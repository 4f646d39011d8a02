import { createHash } from 'node:crypto';
import {
  changeItemSchema,
  entrySchema,
  feedValueSchema,
  maxEpochSeconds,
  messagingItemSchema,
  readItem,
  type Envelope,
  type MessagingItem,
} from './envelope';

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

/** An entry or item left out of a body, where it was (`entry[0].messaging[1]`) and why. */
export interface DroppedItem {
  at: string;
  reason: string;
}

const fingerprint = (value: unknown) =>
  createHash('sha256')
    .update(JSON.stringify(value) ?? '')
    .digest('hex')
    .slice(0, 32);

function classifyMessaging(
  item: MessagingItem,
  fbPageId: string,
): { kind: MessagingKind; key: string; psid: string } {
  const { message, postback, reaction, delivery, read } = item;
  const isEcho = message?.is_echo === true;
  // For echoes the Page is the sender and the person the recipient.
  const psid = (isEcho ? item.recipient?.id : (item.sender?.id ?? item.sender?.user_ref)) ?? 'page';
  const at = item.timestamp ?? 0;
  if (message) return { kind: isEcho ? 'echo' : 'message', key: `message:${message.mid}`, psid };
  if (postback) {
    const id = postback.mid ?? `${fbPageId}:${psid}:${at}:${postback.payload ?? ''}`;
    return { kind: 'postback', key: `postback:${id}`, psid };
  }
  if (reaction) {
    const id = `${reaction.mid ?? ''}:${psid}:${reaction.action ?? ''}:${reaction.reaction ?? ''}:${at}`;
    return { kind: 'reaction', key: `reaction:${id}`, psid };
  }
  if (delivery) return { kind: 'delivery', key: `delivery:${fbPageId}:${psid}:${delivery.watermark}`, psid };
  if (read) return { kind: 'read', key: `read:${fbPageId}:${psid}:${read.watermark}`, psid };
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

/** Feed times are epoch seconds: the change's `created_time`, else the entry's `time`, else now. */
function changeOccurredAt(createdSeconds: number | undefined, entryTime: number | undefined): Date {
  const entrySeconds = entryTime !== undefined && entryTime <= maxEpochSeconds ? entryTime : undefined;
  const seconds = createdSeconds ?? entrySeconds;
  return seconds === undefined ? new Date() : new Date(seconds * 1000);
}

function changeEvent(
  change: unknown,
  fbPageId: string,
  entryTime: number | undefined,
): PageEvent | { reason: string } {
  const read = readItem(changeItemSchema, change);
  if (read.reason !== undefined) return read;
  const { field, value } = read.item;
  if (field !== 'feed') {
    return {
      key: `change:${field}:${fbPageId}:${fingerprint(value)}`,
      source: 'changes',
      kind: `change:${field}`,
      fbPageId,
      conversationKey: `${fbPageId}:change:${field}`,
      occurredAt: changeOccurredAt(undefined, entryTime),
      payload: read.item,
    };
  }
  const feed = readItem(feedValueSchema, value);
  if (feed.reason !== undefined) return { reason: `value.${feed.reason}` };
  const { item, verb, from, comment_id: commentId, post_id: postId } = feed.item;
  // A comment is named by its id; other feed items (reactions, posts) by their object and who acted.
  const subject =
    item === 'comment' && commentId
      ? commentId
      : `${commentId ?? postId ?? fingerprint(feed.item)}:${from?.id ?? 'unknown'}`;
  return {
    key: `feed:${item}:${subject}:${verb}`,
    source: 'changes',
    kind: `feed:${item}`,
    fbPageId,
    conversationKey: `${fbPageId}:post:${postId ?? 'none'}`,
    occurredAt: changeOccurredAt(feed.item.created_time, entryTime),
    payload: feed.item,
  };
}

/**
 * Every event of every entry: Meta batches several entries, for one Page or several, in one POST. An entry or
 * item that is not what the handlers read (envelope.ts) is dropped with its reason, and the rest still counts.
 */
export function pageEventsOf(envelope: Envelope): { events: PageEvent[]; dropped: DroppedItem[] } {
  const events: PageEvent[] = [];
  const dropped: DroppedItem[] = [];
  envelope.entry.forEach((rawEntry, e) => {
    const entry = entrySchema.safeParse(rawEntry);
    if (!entry.success) {
      const issue = entry.error.issues[0];
      dropped.push({ at: `entry[${e}]`, reason: `${issue?.path.join('.') || 'entry'}: ${issue?.message}` });
      return;
    }
    const { id: fbPageId, time } = entry.data;
    for (const source of ['messaging', 'standby'] as const) {
      entry.data[source]?.forEach((raw, i) => {
        const read = readItem(messagingItemSchema, raw);
        if (read.reason !== undefined)
          dropped.push({ at: `entry[${e}].${source}[${i}]`, reason: read.reason });
        else events.push(messagingEvent(read.item, fbPageId, source));
      });
    }
    entry.data.changes?.forEach((raw, i) => {
      const event = changeEvent(raw, fbPageId, time);
      if ('reason' in event) dropped.push({ at: `entry[${e}].changes[${i}]`, reason: event.reason });
      else events.push(event);
    });
  });
  return { events, dropped };
}

/** Why a stored event is not what its handlers read (one stored by an older version, say), or undefined. */
export function unreadableStoredReason(
  event: Pick<PageEvent, 'source' | 'payload'> & { kind: string },
): string | undefined {
  if (event.source !== 'changes') return readItem(messagingItemSchema, event.payload).reason;
  if (event.kind.startsWith('feed:')) return readItem(feedValueSchema, event.payload).reason;
  return readItem(changeItemSchema, event.payload).reason;
}
