import { hostname } from 'node:os';
import type { Agenda } from 'agenda';
import type { Router } from 'express';
import { Types } from 'mongoose';
import { BroadcastModel } from '../../models/broadcast';
import { PageModel } from '../../models/page';
import type { WebhookHandlers } from '../../webhooks/handler-registry';
import { visiblePagesFilter, type Member } from '../accounts/authorization';
import type { MessengerGateway } from '../facebook/messenger-gateway';
import type { AuditTrail } from '../accounts/audit';
import type { ComplianceTallies } from '../compliance/tallies';
import type { JobDefinition } from '../jobs/job-registry';
import type { PageAccess } from '../pages/page-access';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { Realtime } from '../realtime/realtime';
import type { SubscriberService } from '../subscribers/subscriber-service';
import { createBroadcastSender } from './broadcast-sender';
import { createProgressReporter } from './progress';
import { receiptHandler } from './receipts';
import { createBroadcastsRouter } from './routes';
import { sendBatchJob } from './send-batch-job';
import {
  defaultBroadcastTuning,
  startJobName,
  type BroadcastJobDeps,
  type BroadcastTuning,
} from './send-context';
import { createBroadcastService, type BroadcastService } from './service';
import { createBroadcastSummary } from './summary';
import { startJob } from './start-job';
import { createTrackedLinksRouter } from './tracked-links';

export interface BroadcastsFeatureDeps {
  logger: Logger;
  clock: Clock;
  publicUrl: string;
  messenger: MessengerGateway;
  pageAccess: PageAccess;
  /** 551 answers go to the subscriber service's one rule, the same live chat applies. */
  subscribers: Pick<SubscriberService, 'markUnreachable'>;
  markNeedsReauth(pageId: string, reason: string): Promise<void>;
  audit: Pick<AuditTrail, 'recordAfter'>;
  tallies: Pick<ComplianceTallies, 'countAfter'>;
  /** Broadcasts are the admins' and marketers', so their progress goes to them and nobody else. */
  realtime: Pick<Realtime, 'emitToMarketing'>;
  agenda(): Agenda;
  tuning?: Partial<BroadcastTuning>;
}

export interface BroadcastsFeature {
  routers: { path: string; router: Router }[];
  jobs: JobDefinition<never>[];
  service: BroadcastService;
  registerWebhookHandlers(handlers: WebhookHandlers): void;
  /** Picks up broadcasts that were sending when the last process stopped. */
  start(): Promise<void>;
  stop(): void;
}

export function createBroadcastsFeature(deps: BroadcastsFeatureDeps): BroadcastsFeature {
  const logger = deps.logger.child({ component: 'broadcasts' });
  const tuning = { ...defaultBroadcastTuning, ...deps.tuning };
  const progress = createProgressReporter({
    everyMs: tuning.progressEveryMs,
    emit: (workspaceId, event) => deps.realtime.emitToMarketing(workspaceId, 'broadcast:progress', event),
    logger,
  });
  const summary = createBroadcastSummary({ audit: deps.audit, tallies: deps.tallies, logger });
  const jobDeps: BroadcastJobDeps = {
    clock: deps.clock,
    logger,
    worker: `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`,
    sender: createBroadcastSender(deps.messenger),
    credentialsFor: (workspaceId, pageId) => deps.pageAccess.getSendCredentials(workspaceId, pageId),
    markNeedsReauth: deps.markNeedsReauth,
    markUnreachable: deps.subscribers.markUnreachable,
    publicUrl: deps.publicUrl,
    progress,
    summary,
    agenda: deps.agenda,
    tuning,
  };
  const pagesOf = async (member: Member, pageIds: string[]) => {
    const pages = await PageModel.find({
      ...visiblePagesFilter(member.workspaceId, member),
      _id: { $in: pageIds.filter((id) => Types.ObjectId.isValid(id)) },
    }).lean();
    return pages.map((page) => ({
      id: page._id.toString(),
      maySend: deps.pageAccess.isSendingAllowed(page),
    }));
  };
  const service = createBroadcastService({ clock: deps.clock, agenda: deps.agenda, pagesOf, summary });
  const pageIdsFor = async (fbPageId: string) =>
    (await deps.pageAccess.findConnectedByFbPageId(fbPageId)).map((page) => page._id.toString());

  return {
    routers: [
      { path: '/api/broadcasts', router: createBroadcastsRouter(service) },
      { path: '/r', router: createTrackedLinksRouter(deps.clock) },
    ],
    jobs: [startJob(jobDeps) as JobDefinition<never>, sendBatchJob(jobDeps) as JobDefinition<never>],
    service,
    registerWebhookHandlers(handlers) {
      handlers.on('delivery', receiptHandler('delivery', pageIdsFor));
      handlers.on('read', receiptHandler('read', pageIdsFor));
    },
    async start() {
      const sending = await BroadcastModel.find({ state: 'sending' }).select({ _id: 1 }).lean();
      for (const broadcast of sending)
        await deps.agenda().now(startJobName, { broadcastId: broadcast._id.toString() });
    },
    stop: () => progress.stop(),
  };
}
