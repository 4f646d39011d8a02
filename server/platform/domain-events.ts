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
