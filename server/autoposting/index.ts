import type { Router } from 'express';
import type { AuditTrail } from '../accounts/audit';
import type { BroadcastService } from '../broadcasts/service';
import type { Config } from '../config';
import type { GraphClient } from '../facebook/graph-client';
import type { JobDefinition } from '../jobs/job-registry';
import type { PageAccess } from '../pages/page-access';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { createItemDelivery } from './deliveries';
import { createFeedReader } from './feed-reader';
import { createFeedService, type FeedService } from './feeds';
import { createPagePostsReader } from './page-posts-reader';
import { pollDueFeedsJob } from './poll-due-feeds-job';
import { pollFeed, type PollResult } from './poll-feed';
import { createAutopostDeliveriesRouter, createAutopostingRouter } from './routes';
import { createSourceReader } from './source-reader';
import type { XStandingShare } from './x-standing-share';

export interface AutopostingDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  audit: Pick<AuditTrail, 'recordAfter' | 'recordByMember'>;
  graph: Pick<GraphClient, 'publishPost' | 'listPublishedPosts'>;
  pageAccess: Pick<PageAccess, 'getSendCredentials' | 'isSendingAllowed'>;
  broadcasts: Pick<BroadcastService, 'startAutomated'>;
  xShare: XStandingShare;
}

export interface AutopostingFeature {
  routers: { path: string; router: Router }[];
  jobs: JobDefinition<never>[];
  service: FeedService;
  /** At start: deliveries a stopped process left `sending` are marked interrupted. */
  start(): Promise<void>;
  /** One read of a feed now, as the schedule would: for tests and the dashboard's "read now". */
  poll(feedId: string): Promise<PollResult>;
}

/**
 * Autoposting: feeds (a feed URL, or a Page's own posts) read on a schedule, each new item sent once to the targets its feed chose (the Page's feed, a
 * broadcast to people the policy allows, an X account by its owner's standing consent).
 */
export function createAutopostingFeature(deps: AutopostingDeps): AutopostingFeature {
  const logger = deps.logger.child({ component: 'autoposting' });
  const rules = {
    allowPrivate: deps.config.AUTOPOSTING_ALLOW_PRIVATE_FEEDS,
    httpsOnly: deps.config.NODE_ENV === 'production',
  };
  const readFeed = createFeedReader({
    rules,
    timeoutMs: deps.config.AUTOPOSTING_FETCH_TIMEOUT_MS,
    maxBytes: deps.config.AUTOPOSTING_MAX_FEED_BYTES,
    retries: deps.config.AUTOPOSTING_FETCH_RETRIES,
  });
  const readSource = createSourceReader({ readFeed, readPagePosts: createPagePostsReader(deps) });
  const deliveries = createItemDelivery({
    ...deps,
    logger,
    abandonedSendMs: deps.config.AUTOPOSTING_ABANDONED_SEND_MINUTES * 60_000,
  });
  const poll = (feedId: string) =>
    pollFeed({ readSource, deliverItem: deliveries.deliverItem, clock: deps.clock }, feedId);
  const service = createFeedService({
    audit: deps.audit,
    clock: deps.clock,
    rules,
    xShare: deps.xShare,
    deliveries,
    poll,
  });
  return {
    routers: [
      { path: '/api/autoposting/feeds', router: createAutopostingRouter(service) },
      { path: '/api/autoposting/deliveries', router: createAutopostDeliveriesRouter(service) },
    ],
    jobs: [
      pollDueFeedsJob({
        clock: deps.clock,
        logger,
        poll,
        markInterrupted: () => deliveries.markInterrupted(),
      }) as JobDefinition<never>,
    ],
    service,
    start: () => deliveries.markInterrupted(),
    poll,
  };
}
