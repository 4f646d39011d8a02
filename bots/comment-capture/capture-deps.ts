import type { AuditTrail } from '../../server/accounts/audit';
import type { ComplianceTallies } from '../../server/compliance/tallies';
import type { GraphClient } from '../../server/facebook/graph-client';
import type { SendGovernor } from '../../server/facebook/send-governor';
import type { PageAccess } from '../../server/pages/page-access';
import type { Clock } from '../../server/platform/clock';
import type { Logger } from '../../server/platform/logger';
import type { Realtime } from '../../server/realtime/realtime';

/** The subscriber lookups the capture needs (issue 5's subscriber service provides them). */
export interface CaptureSubscribers {
  findByPsid(
    pageId: string,
    psid: string,
  ): Promise<{ _id: unknown; status: 'subscribed' | 'unsubscribed' | 'blocked' } | null>;
}

export interface CaptureDeps {
  graph: Pick<GraphClient, 'sendMessage' | 'replyToComment' | 'publishPost' | 'listPublishedPosts'>;
  governor: Pick<SendGovernor, 'run'>;
  pageAccess: Pick<PageAccess, 'findConnectedByFbPageId' | 'getSendCredentials'>;
  subscribers: CaptureSubscribers;
  audit: AuditTrail;
  tallies: Pick<ComplianceTallies, 'countAfter'>;
  realtime: Pick<Realtime, 'emitToAutomation'>;
  clock: Clock;
  logger: Logger;
}
