import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';

/** What happened in a workspace that the world outside may subscribe to (outgoing webhooks, server/outgoing-webhooks/). */
export const domainEventTypes = [
  'message.received',
  'message.sent',
  'conversation.assigned',
  'conversation.resolved',
  'subscriber.opted_in',
  'subscriber.opted_out',
  'broadcast.completed',
  'capture.replied',
] as const;
export type DomainEventType = (typeof domainEventTypes)[number];

/**
 * What each event means to a subscriber, as the Webhooks screen shows it. A broadcast is one event, never one per
 * recipient: a receiver syncing a CRM wants the conversation's messages, not thousands of copies of one campaign.
 */
export const domainEventDescriptions: Record<DomainEventType, string> = {
  'message.received': 'A person wrote to a Page: one per message.',
  'message.sent':
    "A message went out in a person's conversation: an agent's reply, the bot's answer, a comment capture's follow-up " +
    'or an opt-out confirmation, one per message (data.message.sender says which). Broadcasts do not fire it.',
  'conversation.assigned': 'A conversation was assigned to an agent.',
  'conversation.resolved': 'A conversation was resolved.',
  'subscriber.opted_in': 'A person subscribed again (data.way says how, e.g. START).',
  'subscriber.opted_out': 'A person unsubscribed (data.way says how, e.g. STOP): send them nothing more.',
  'broadcast.completed':
    'A broadcast finished sending: once per broadcast, with its totals (recipients, sent, skipped, failed, unknown).',
  'capture.replied': "A comment capture sent its private reply to a comment's author.",
};

export interface DomainEvent {
  /** Unique per occurrence: receivers deduplicate by it. */
  id: string;
  type: DomainEventType;
  workspaceId: string;
  createdAt: Date;
  data: Record<string, unknown>;
}

/**
 * The seam features call where these things happen. Publishing is synchronous and never fails or waits: whoever
 * listens (`domainEvents.on('event', ...)`) does its work after the caller has moved on, so the live path stays as
 * fast as it was.
 */
export const domainEvents = new EventEmitter<{ event: [DomainEvent] }>();
domainEvents.setMaxListeners(0);

export function publishDomainEvent(
  type: DomainEventType,
  workspaceId: string,
  at: Date,
  data: Record<string, unknown>,
): void {
  domainEvents.emit('event', { id: `evt_${randomUUID()}`, type, workspaceId, createdAt: at, data });
}
