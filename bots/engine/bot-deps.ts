import type { MessageContent } from '../../server/messaging/message-content';
import type { Outbound } from '../../server/messaging/outbound';
import type { PageAccess } from '../../server/pages/page-access';
import type { StoredPage } from '../../server/pages/page-view';
import type { Clock } from '../../server/platform/clock';
import type { Logger } from '../../server/platform/logger';
import type { Realtime } from '../../server/realtime/realtime';
import type { SubscriberRecord, SubscriberService } from '../../server/subscribers/subscriber-service';

export interface BotDeps {
  pageAccess: Pick<PageAccess, 'findConnectedByFbPageId'>;
  subscribers: Pick<SubscriberService, 'findByPsid' | 'keywordIntent' | 'recordInteraction'>;
  outbound: Pick<Outbound, 'send'>;
  realtime: Pick<Realtime, 'emitToPage'>;
  clock: Clock;
  logger: Logger;
  settings: {
    /** The postback payload the Page's Get Started button sends. */
    getStartedPayload: string;
    /** How long the bot stays quiet after a hand-over to humans. */
    humanIdleMs: number;
  };
}

/** Sends one automated message to a subscriber through the one outbound path (policy, governor, Graph). */
export function sendAutomated(
  deps: Pick<BotDeps, 'outbound'>,
  page: StoredPage,
  subscriber: SubscriberRecord,
  content: MessageContent,
  sender: 'bot' | 'capture',
  auditDetails: Record<string, unknown>,
) {
  return deps.outbound.send({
    workspaceId: page.workspace.toString(),
    page: {
      _id: page._id.toString(),
      workspace: page.workspace.toString(),
      fbPageId: page.fbPageId,
      automationPauses: page.automationPauses,
    },
    subscriber,
    content,
    purpose: { kind: 'automated_reply' },
    sender,
    priority: 'automation',
    auditDetails,
  });
}
