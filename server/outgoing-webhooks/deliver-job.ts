import type { Agenda } from 'agenda';
import { Types } from 'mongoose';
import {
  OutgoingWebhookDeliveryModel,
  type OutgoingWebhookDelivery,
} from '../../models/outgoing-webhook-delivery';
import {
  OutgoingWebhookEndpointModel,
  type OutgoingWebhookEndpoint,
} from '../../models/outgoing-webhook-endpoint';
import type { AuditTrail } from '../accounts/audit';
import type { JobDefinition } from '../jobs/job-registry';
import type { TokenVault } from '../pages/token-vault';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { retryDelayMs } from '../platform/retry-delay';
import type { Realtime } from '../realtime/realtime';
import { secretBinding } from './endpoints';
import type { Attempt, WebhookSender } from './sender';

export const deliverJobName = 'outgoing-webhooks:deliver';

export interface DeliverData {
  deliveryId: string;
}

export interface DeliveryPolicy {
  maxAttempts: number;
  retryBaseMs: number;
  /** Failing without a single success for this long disables the endpoint. */
  disableAfterMs: number;
}

export interface DeliverDeps {
  send: WebhookSender;
  vault: TokenVault;
  audit: AuditTrail;
  realtime: Pick<Realtime, 'emitToAdmins'>;
  clock: Clock;
  logger: Logger;
  agenda(): Agenda;
  policy: DeliveryPolicy;
}

const maxRetryDelayMs = 3_600_000;

type EndpointWithSecret = OutgoingWebhookEndpoint & { _id: Types.ObjectId };
type DeliveryRecord = OutgoingWebhookDelivery & { _id: Types.ObjectId };

/** `outgoing-webhooks:deliver`: one attempt at one delivery, and the next one scheduled if it failed. */
export function deliverJob(deps: DeliverDeps): JobDefinition<DeliverData> {
  return {
    name: deliverJobName,
    // Longer than an attempt can take (its timeout), so a running attempt is never taken over.
    lockLifetimeMs: 5 * 60_000,
    concurrency: 10,
    handle: (data) => attemptDelivery(deps, data.deliveryId),
  };
}

async function attemptDelivery(deps: DeliverDeps, deliveryId: string): Promise<void> {
  const delivery = await OutgoingWebhookDeliveryModel.findOne({
    _id: deliveryId,
    status: 'pending',
  }).lean<DeliveryRecord>();
  if (!delivery) return;
  const endpoint = await OutgoingWebhookEndpointModel.findById(delivery.endpoint)
    .select('+secret')
    .lean<EndpointWithSecret>();
  if (!endpoint?.active) {
    await OutgoingWebhookDeliveryModel.updateOne(
      { _id: delivery._id, status: 'pending' },
      { $set: { status: 'failed', nextAttemptAt: null, settledAt: deps.clock.now() } },
    );
    return;
  }
  const attempt = await deps.send(
    {
      url: endpoint.url,
      secret: deps.vault.decrypt(endpoint.secret, secretBinding(String(endpoint._id))),
      eventId: delivery.eventId,
      type: delivery.type,
      body: delivery.body,
    },
    deps.clock.now(),
  );
  const attemptsMade = delivery.runAttempts + 1;
  const retryAt =
    !attempt.delivered && attemptsMade < deps.policy.maxAttempts
      ? new Date(Date.now() + retryDelayMs(attemptsMade, deps.policy.retryBaseMs, maxRetryDelayMs))
      : null;
  await OutgoingWebhookDeliveryModel.updateOne(
    { _id: delivery._id },
    {
      $push: { attempts: logged(attempt) },
      $inc: { runAttempts: 1 },
      $set: {
        status: attempt.delivered ? 'delivered' : retryAt ? 'pending' : 'failed',
        nextAttemptAt: retryAt,
        settledAt: retryAt ? null : attempt.at,
        ...(attempt.delivered ? { deliveredAt: attempt.at } : {}),
      },
    },
  );
  if (retryAt) await deps.agenda().schedule(retryAt, deliverJobName, { deliveryId });
  await noteEndpointHealth(deps, endpoint, attempt);
}

const logged = ({ at, statusCode, latencyMs, error }: Attempt) => ({
  at,
  latencyMs,
  ...(statusCode !== undefined ? { statusCode } : {}),
  ...(error ? { error } : {}),
});

/** A success ends a run of failures; a run that has lasted `disableAfterMs` disables the endpoint, once. */
async function noteEndpointHealth(deps: DeliverDeps, endpoint: EndpointWithSecret, attempt: Attempt) {
  if (attempt.delivered) {
    if (endpoint.failingSince) {
      await OutgoingWebhookEndpointModel.updateOne({ _id: endpoint._id }, { $set: { failingSince: null } });
    }
    return;
  }
  if (!endpoint.failingSince) {
    await OutgoingWebhookEndpointModel.updateOne(
      { _id: endpoint._id, failingSince: null },
      { $set: { failingSince: attempt.at } },
    );
    return;
  }
  if (attempt.at.getTime() - endpoint.failingSince.getTime() < deps.policy.disableAfterMs) return;
  const hours = Math.round(deps.policy.disableAfterMs / 3_600_000);
  const reason = `Every attempt failed for ${hours} hours since ${endpoint.failingSince.toISOString()}; the last: ${attempt.error ?? 'no answer'}`;
  // The endpoint's secret is select: false, and FerretDB refuses a projection on findAndModify: updateOne tells too.
  const disabled = await OutgoingWebhookEndpointModel.updateOne(
    { _id: endpoint._id, active: true },
    { $set: { active: false, disabledAt: attempt.at, disabledReason: reason } },
  );
  if (disabled.modifiedCount === 0) return;
  const workspaceId = String(endpoint.workspace);
  deps.logger.warn({ endpointId: String(endpoint._id), workspaceId }, 'outgoing webhook endpoint disabled');
  deps.realtime.emitToAdmins(workspaceId, 'webhook-endpoint:disabled', {
    endpointId: String(endpoint._id),
    url: endpoint.url,
    reason,
    at: attempt.at.toISOString(),
  });
  await deps.audit.recordAfter({
    workspaceId,
    actor: { kind: 'system', id: 'outgoing-webhooks' },
    action: 'outgoing_webhook.disabled',
    object: { kind: 'outgoing_webhook', id: String(endpoint._id) },
    basis: reason,
    details: { url: endpoint.url },
  });
}
