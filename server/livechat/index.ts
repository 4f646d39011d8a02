import type { Router } from 'express';
import type { WebhookHandlers } from '../../webhooks/handler-registry';
import type { AuditTrail } from '../accounts/audit';
import type { Member } from '../accounts/authorization';
import { createLiveEvents } from '../messaging/live-events';
import type { Outbound } from '../messaging/outbound';
import type { PageAccess } from '../pages/page-access';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { SharedRedis } from '../platform/redis';
import type { Realtime } from '../realtime/realtime';
import type { SubscriberService } from '../subscribers/subscriber-service';
import { createPresence } from './presence';
import { createLiveChatRouter } from './routes';
import { createLiveChatService, type LiveChatService } from './service';
import { registerLiveChatWebhookHandlers } from './webhook-handlers';

export interface LiveChatFeatureDeps {
  /** Shared with bots and broadcasts, so every feature records and sends the same way. */
  subscribers: SubscriberService;
  outbound: Outbound;
  pageAccess: PageAccess;
  realtime: Realtime;
  /** Where presence is kept when the deployment runs as several processes. */
  redis: SharedRedis | undefined;
  /** Meta's policy events about a Page are audited. */
  audit: Pick<AuditTrail, 'recordAfter'>;
  visiblePageIds(workspaceId: string, member: Member): Promise<string[]>;
  clock: Clock;
  logger: Logger;
  appId: string;
  /** BOT_GET_STARTED_PAYLOAD, so live chat and the bot agree on what Get Started is. */
  getStartedPayload: string;
  /** How long the bot stays quiet after an agent claims a conversation or replies. */
  humanIdleMs: number;
}

export interface LiveChatFeature {
  routers: { path: string; router: Router }[];
  services: { livechat: LiveChatService };
  registerWebhookHandlers(handlers: WebhookHandlers): void;
}

/** The confirmation of a STOP, sent once where policy allows. */
const optOutAcknowledgement =
  'You will not receive automated messages from us any more. Send START to subscribe again.';

export function createLiveChatFeature(deps: LiveChatFeatureDeps): LiveChatFeature {
  const { subscribers, outbound, pageAccess, clock } = deps;
  const logger = deps.logger.child({ component: 'livechat' });
  const events = createLiveEvents(deps.realtime);
  const livechat = createLiveChatService({
    visiblePageIds: deps.visiblePageIds,
    pageAccess,
    subscribers,
    outbound,
    events,
    clock,
    humanIdleMs: deps.humanIdleMs,
  });
  return {
    routers: [
      {
        path: '/api/conversations',
        router: createLiveChatRouter(
          livechat,
          createPresence(deps.realtime, deps.redis, () => deps.clock.now()),
        ),
      },
    ],
    services: { livechat },
    registerWebhookHandlers(handlers) {
      registerLiveChatWebhookHandlers(handlers, {
        pageAccess,
        subscribers,
        outbound,
        events,
        realtime: deps.realtime,
        audit: deps.audit,
        clock,
        logger,
        appId: deps.appId,
        getStartedPayload: deps.getStartedPayload,
        optOutAcknowledgement,
      });
    },
  };
}
