import type { Agenda } from 'agenda';
import type { Router } from 'express';
import type { AuditTrail } from '../accounts/audit';
import type { Config } from '../config';
import type { JobDefinition } from '../jobs/job-registry';
import { createTokenVault } from '../pages/token-vault';
import type { Clock } from '../platform/clock';
import { domainEvents } from '../platform/domain-events';
import type { Logger } from '../platform/logger';
import type { Realtime } from '../realtime/realtime';
import { deliverJob, deliverJobName } from './deliver-job';
import { createEndpointService } from './endpoints';
import { expireDeliveriesJob, expireDeliveriesJobName } from './expire-deliveries-job';
import { createOutgoingWebhooksRouters } from './routes';
import { createWebhookSender } from './sender';
import { createSubscriptions } from './subscriptions';

export interface OutgoingWebhooksDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  audit: AuditTrail;
  realtime: Pick<Realtime, 'emitToAdmins'>;
  agenda(): Agenda;
}

export interface OutgoingWebhooksFeature {
  routers: { path: string; router: Router }[];
  jobs: JobDefinition<never>[];
  /** Starts listening to domain events and schedules the log's expiry (after Agenda has started). */
  start(): Promise<void>;
  /** Stops listening and waits for the deliveries being queued. */
  stop(): Promise<void>;
}

/**
 * Outgoing webhooks: admins subscribe URLs to domain events (server/platform/domain-events.ts); each event becomes a
 * signed delivery per endpoint, attempted through Agenda with backoff and logged attempt by attempt.
 */
export function createOutgoingWebhooksFeature(deps: OutgoingWebhooksDeps): OutgoingWebhooksFeature {
  const logger = deps.logger.child({ component: 'outgoing-webhooks' });
  const rules = {
    allowPrivate: deps.config.OUTGOING_WEBHOOKS_ALLOW_PRIVATE,
    httpsOnly: deps.config.NODE_ENV === 'production',
  };
  const vault = createTokenVault(deps.config.TOKEN_ENCRYPTION_KEYS);
  const deliverNow = async (deliveryId: string) => {
    await deps.agenda().now(deliverJobName, { deliveryId });
  };
  const subscriptions = createSubscriptions({ logger, deliverNow });
  const endpoints = createEndpointService({ vault, audit: deps.audit, clock: deps.clock, rules, deliverNow });
  const job = deliverJob({
    send: createWebhookSender({ rules, timeoutMs: deps.config.OUTGOING_WEBHOOKS_TIMEOUT_MS }),
    vault,
    audit: deps.audit,
    realtime: deps.realtime,
    clock: deps.clock,
    logger,
    agenda: deps.agenda,
    policy: {
      maxAttempts: deps.config.OUTGOING_WEBHOOKS_MAX_ATTEMPTS,
      retryBaseMs: deps.config.OUTGOING_WEBHOOKS_RETRY_BASE_SECONDS * 1000,
      disableAfterMs: deps.config.OUTGOING_WEBHOOKS_DISABLE_AFTER_HOURS * 3_600_000,
    },
  });
  const heard = subscriptions.heard;
  return {
    routers: createOutgoingWebhooksRouters(endpoints),
    jobs: [
      job as JobDefinition<never>,
      expireDeliveriesJob(
        deps.clock,
        deps.config.OUTGOING_WEBHOOKS_LOG_RETENTION_DAYS * 86_400_000,
      ) as JobDefinition<never>,
    ],
    async start() {
      domainEvents.on('event', heard);
      await deps.agenda().every('1 hour', expireDeliveriesJobName);
    },
    async stop() {
      domainEvents.off('event', heard);
      await subscriptions.settled();
    },
  };
}
