import { Types } from 'mongoose';
import { z } from 'zod';
import {
  OutgoingWebhookDeliveryModel,
  type OutgoingWebhookDelivery,
} from '../../models/outgoing-webhook-delivery';
import {
  OutgoingWebhookEndpointModel,
  type OutgoingWebhookEndpoint,
} from '../../models/outgoing-webhook-endpoint';
import type { AuditTrail } from '../accounts/audit';
import type { Member } from '../accounts/authorization';
import type { TokenVault } from '../pages/token-vault';
import type { Clock } from '../platform/clock';
import { domainEventDescriptions, domainEventTypes } from '../platform/domain-events';
import { BadRequest, Conflict, NotFound } from '../platform/errors';
import { objectIdString } from '../platform/ids';
import { refusalOfUrl, type DestinationRules } from '../platform/http/outbound-destinations';
import { generateSigningSecret } from './signature';

const eventsSchema = z.array(z.enum(domainEventTypes)).min(1).max(domainEventTypes.length);

export const endpointDraftSchema = z.strictObject({
  url: z.string().trim().min(1).max(2_000),
  description: z.string().trim().max(200).optional(),
  events: eventsSchema,
});

export const endpointChangeSchema = z
  .strictObject({
    description: z.string().trim().max(200).optional(),
    events: eventsSchema.optional(),
    active: z.boolean().optional(),
  })
  .refine((change) => Object.keys(change).length > 0, 'Send at least one of description, events, active.');

export const deliveriesQuerySchema = z.strictObject({
  /** The last delivery id of the previous page. */
  before: objectIdString.optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});

type EndpointRecord = Omit<OutgoingWebhookEndpoint, 'secret'> & { _id: Types.ObjectId; createdAt: Date };
type DeliveryRecord = OutgoingWebhookDelivery & { _id: Types.ObjectId };

export const endpointView = (endpoint: EndpointRecord) => ({
  id: String(endpoint._id),
  url: endpoint.url,
  description: endpoint.description ?? '',
  events: endpoint.events,
  active: endpoint.active,
  failingSince: endpoint.failingSince?.toISOString() ?? null,
  disabledAt: endpoint.disabledAt?.toISOString() ?? null,
  disabledReason: endpoint.disabledReason ?? null,
  secretRotatedAt: endpoint.secretRotatedAt.toISOString(),
  createdAt: endpoint.createdAt.toISOString(),
});

export const deliveryView = (delivery: DeliveryRecord) => ({
  id: String(delivery._id),
  eventId: delivery.eventId,
  type: delivery.type,
  status: delivery.status,
  createdAt: delivery.createdAt.toISOString(),
  deliveredAt: delivery.deliveredAt?.toISOString() ?? null,
  nextAttemptAt: delivery.nextAttemptAt?.toISOString() ?? null,
  attempts: delivery.attempts.map((attempt) => ({
    at: attempt.at.toISOString(),
    statusCode: attempt.statusCode ?? null,
    latencyMs: attempt.latencyMs,
    error: attempt.error ?? null,
  })),
  body: delivery.body,
});

export interface EndpointServiceDeps {
  vault: TokenVault;
  audit: AuditTrail;
  clock: Clock;
  rules: DestinationRules;
  /** Queues the delivery's next attempt now (the delivery job). */
  deliverNow(deliveryId: string): Promise<void>;
}

/** The secret is sealed bound to its endpoint, so a ciphertext copied onto another endpoint does not open. */
export const secretBinding = (endpointId: string) => `outgoing-webhook:${endpointId}`;

/** An admin's endpoints and their delivery logs, scoped to the admin's workspace (another's ids answer 404). */
export function createEndpointService({ vault, audit, clock, rules, deliverNow }: EndpointServiceDeps) {
  async function endpointOf(member: Member, id: string): Promise<EndpointRecord> {
    const found = await OutgoingWebhookEndpointModel.findOne({
      _id: id,
      workspace: new Types.ObjectId(member.workspaceId),
    }).lean<EndpointRecord>();
    if (!found) throw new NotFound('No such webhook endpoint.');
    return found;
  }

  function checkedUrl(url: string): string {
    const refusal = refusalOfUrl(url, rules);
    if (refusal) throw new BadRequest(refusal, { field: 'url' });
    return new URL(url).toString();
  }

  const audited = (member: Member, action: string, endpointId: string, details?: Record<string, unknown>) =>
    audit.recordByMember(member, {
      action: `outgoing_webhook.${action}`,
      object: { kind: 'outgoing_webhook', id: endpointId },
      ...(details ? { details } : {}),
    });

  return {
    async list(member: Member) {
      const endpoints = await OutgoingWebhookEndpointModel.find({
        workspace: new Types.ObjectId(member.workspaceId),
      })
        .sort({ _id: 1 })
        .lean<EndpointRecord[]>();
      return {
        data: endpoints.map(endpointView),
        eventTypes: domainEventTypes.map((type) => ({ type, description: domainEventDescriptions[type] })),
      };
    },

    /** The secret is in this answer and in no other but a rotation's. */
    async create(member: Member, draft: z.infer<typeof endpointDraftSchema>) {
      const url = checkedUrl(draft.url);
      const _id = new Types.ObjectId();
      const secret = generateSigningSecret();
      const now = clock.now();
      const created = await OutgoingWebhookEndpointModel.create({
        _id,
        workspace: new Types.ObjectId(member.workspaceId),
        url,
        description: draft.description ?? '',
        events: [...new Set(draft.events)],
        secret: vault.encrypt(secret, secretBinding(String(_id))),
        secretRotatedAt: now,
        createdBy: new Types.ObjectId(member.userId),
      });
      await audited(member, 'created', String(_id), { url, events: created.events });
      return { endpoint: endpointView(created.toObject()), secret };
    },

    /** Turning an endpoint back on forgets its run of failures: it gets a fresh day. */
    async update(member: Member, id: string, change: z.infer<typeof endpointChangeSchema>) {
      const endpoint = await endpointOf(member, id);
      const set: Record<string, unknown> = {};
      if (change.description !== undefined) set.description = change.description;
      if (change.events) set.events = [...new Set(change.events)];
      if (change.active !== undefined) {
        set.active = change.active;
        if (change.active && !endpoint.active) {
          Object.assign(set, { failingSince: null, disabledAt: null, disabledReason: null });
        }
      }
      await OutgoingWebhookEndpointModel.updateOne({ _id: endpoint._id }, { $set: set });
      await audited(member, 'updated', id, change);
      return endpointView(await endpointOf(member, id));
    },

    async remove(member: Member, id: string) {
      const endpoint = await endpointOf(member, id);
      await OutgoingWebhookEndpointModel.deleteOne({ _id: endpoint._id });
      await OutgoingWebhookDeliveryModel.deleteMany({ endpoint: endpoint._id });
      await audited(member, 'deleted', id, { url: endpoint.url });
    },

    /** The old secret stops signing at once. */
    async rotateSecret(member: Member, id: string) {
      const endpoint = await endpointOf(member, id);
      const secret = generateSigningSecret();
      await OutgoingWebhookEndpointModel.updateOne(
        { _id: endpoint._id },
        { $set: { secret: vault.encrypt(secret, secretBinding(id)), secretRotatedAt: clock.now() } },
      );
      await audited(member, 'secret_rotated', id);
      return { endpoint: endpointView(await endpointOf(member, id)), secret };
    },

    async deliveries(member: Member, id: string, query: z.infer<typeof deliveriesQuerySchema>) {
      const endpoint = await endpointOf(member, id);
      const deliveries = await OutgoingWebhookDeliveryModel.find({
        endpoint: endpoint._id,
        ...(query.before ? { _id: { $lt: new Types.ObjectId(query.before) } } : {}),
      })
        .sort({ _id: -1 })
        .limit(query.limit + 1)
        .lean<DeliveryRecord[]>();
      const page = deliveries.slice(0, query.limit);
      const more = deliveries.length > query.limit;
      return { data: page.map(deliveryView), nextCursor: more ? String(page.at(-1)?._id) : null };
    },

    /** The same event, signed anew and with the same id, in a fresh run of attempts. */
    async replay(member: Member, deliveryId: string) {
      const delivery = await OutgoingWebhookDeliveryModel.findOne(
        { _id: deliveryId, workspace: new Types.ObjectId(member.workspaceId) },
        { endpoint: 1 },
      ).lean();
      if (!delivery) throw new NotFound('No such delivery.');
      const endpoint = await endpointOf(member, String(delivery.endpoint));
      if (!endpoint.active) throw new Conflict('Turn the endpoint on before replaying to it.');
      const replayed = await OutgoingWebhookDeliveryModel.findOneAndUpdate(
        { _id: delivery._id },
        { $set: { status: 'pending', runAttempts: 0, nextAttemptAt: clock.now(), settledAt: null } },
        { returnDocument: 'after' },
      ).lean<DeliveryRecord>();
      if (!replayed) throw new NotFound('No such delivery.');
      await deliverNow(deliveryId);
      await audited(member, 'replayed', String(endpoint._id), { deliveryId, eventId: replayed.eventId });
      return deliveryView(replayed);
    },
  };
}

export type EndpointService = ReturnType<typeof createEndpointService>;
