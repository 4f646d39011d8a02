import type { Agenda } from 'agenda';
import type { Router } from 'express';
import type { AuditTrail } from '../accounts/audit';
import type { GraphClient } from '../facebook/graph-client';
import type { JobDefinition } from '../jobs/job-registry';
import type { TokenVault } from '../pages/token-vault';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { pullSponsoredResultsJob, pullSponsoredResultsJobName } from './pull-results-job';
import { createSponsoredMessagesRouter } from './routes';
import { createSponsoredMessageService, type SponsoredMessageService } from './service';

export interface SponsoredMessagesFeature {
  routers: { path: string; router: Router }[];
  jobs: JobDefinition<never>[];
  service: SponsoredMessageService;
  start(): Promise<void>;
}

/**
 * Sponsored broadcasts (FEATURE_SPONSORED_MESSAGES): paid messages to people who messaged a Page, made in the
 * member's ad account through Meta's Marketing API with their own `ads_management` grant
 * (docs/meta-marketing-and-phone.md §1); status and results pulled on a schedule.
 */
export function createSponsoredMessagesFeature(deps: {
  graph: GraphClient;
  vault: TokenVault;
  audit: AuditTrail;
  clock: Clock;
  logger: Logger;
  objective: string;
  pullEveryMinutes: number;
  agenda(): Agenda;
}): SponsoredMessagesFeature {
  const service = createSponsoredMessageService({
    ...deps,
    logger: deps.logger.child({ component: 'sponsored-messages' }),
  });
  return {
    routers: [{ path: '/api/sponsored-messages', router: createSponsoredMessagesRouter(service) }],
    jobs: [pullSponsoredResultsJob(service) as JobDefinition<never>],
    service,
    async start() {
      await deps.agenda().every(`${deps.pullEveryMinutes} minutes`, pullSponsoredResultsJobName);
    },
  };
}
