import { Types } from 'mongoose';
import { OutgoingWebhookDeliveryModel } from '../../models/outgoing-webhook-delivery';
import { OutgoingWebhookEndpointModel } from '../../models/outgoing-webhook-endpoint';
import { isDuplicateKey } from '../platform/database/duplicate-key';
import type { DomainEvent } from '../platform/domain-events';
import type { Logger } from '../platform/logger';
import { createProcessCache } from '../platform/process-cache';

export interface SubscriptionsDeps {
  logger: Logger;
  deliverNow(deliveryId: string): Promise<void>;
}

/**
 * Turns a domain event into one delivery per active endpoint subscribed to it. Which events a workspace subscribes
 * to is kept in the process (every message asks), emptied by any write to the endpoints here and, through the
 * write-notice relay, in the other processes; a workspace that subscribed to nothing costs no round trip at all.
 */
export function createSubscriptions({ logger, deliverNow }: SubscriptionsDeps) {
  const subscribedEvents = createProcessCache<Set<string>>({
    ttlMs: 60_000,
    max: 10_000,
    forgetOnWritesTo: ['outgoingwebhookendpoints'],
  });
  const inFlight = new Set<Promise<void>>();

  async function enqueue(event: DomainEvent): Promise<void> {
    const workspace = new Types.ObjectId(event.workspaceId);
    const subscribed = await subscribedEvents.get(event.workspaceId, async () => {
      const endpoints = await OutgoingWebhookEndpointModel.find(
        { workspace },
        { events: 1, active: 1 },
      ).lean();
      return new Set(endpoints.flatMap((endpoint) => (endpoint.active ? endpoint.events : [])));
    });
    if (!subscribed.has(event.type)) return;
    const endpoints = await OutgoingWebhookEndpointModel.find(
      { workspace, active: true, events: event.type },
      { _id: 1 },
    ).lean();
    const body = JSON.stringify({
      id: event.id,
      type: event.type,
      createdAt: event.createdAt.toISOString(),
      workspaceId: event.workspaceId,
      data: event.data,
    });
    for (const endpoint of endpoints) {
      const _id = new Types.ObjectId();
      try {
        await OutgoingWebhookDeliveryModel.create({
          _id,
          workspace,
          endpoint: endpoint._id,
          eventId: event.id,
          type: event.type,
          body,
          createdAt: event.createdAt,
        });
      } catch (error) {
        if (isDuplicateKey(error)) continue;
        throw error;
      }
      await deliverNow(String(_id));
    }
  }

  return {
    /** For `domainEvents.on('event', ...)`: never throws, never holds up the publisher. */
    heard(event: DomainEvent): void {
      const work = enqueue(event)
        .catch((error: unknown) =>
          logger.error({ err: error, eventType: event.type }, 'could not queue an outgoing webhook'),
        )
        .finally(() => inFlight.delete(work));
      inFlight.add(work);
    },
    async settled(): Promise<void> {
      await Promise.all([...inFlight]);
    },
  };
}
