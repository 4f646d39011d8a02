import type { Agenda } from 'agenda';
import type { Router } from 'express';
import type { AuditTrail } from '../accounts/audit';
import type { GraphClient } from '../facebook/graph-client';
import type { JobDefinition } from '../jobs/job-registry';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import type { Realtime } from '../realtime/realtime';
import {
  cancelHealthChecks,
  checkHealthJob,
  checkPageHealth,
  scheduleHealthChecks,
} from './check-health-job';
import { migrateLegacyPauseFlag } from './automation-pause';
import { createPageAccess, type PageAccess } from './page-access';
import { createPageHealth, type PageHealth } from './page-health';
import { createPageService, type PageService } from './page-service';
import { rotateTokenKeysJob, rotateTokenKeysJobName } from './rotate-token-keys-job';
import { createPagesRouter } from './routes';
import type { TokenVault } from './token-vault';

export interface PagesFeatureDeps {
  graph: GraphClient;
  vault: TokenVault;
  newestKeyId: string;
  appId: string;
  clock: Clock;
  audit: AuditTrail;
  realtime: Realtime;
  logger: Logger;
  healthCheckEveryMs: number;
  agenda(): Agenda;
}

export interface PagesFeature {
  router: Router;
  jobs: JobDefinition<never>[];
  services: {
    pages: PageService;
    pageAccess: PageAccess;
    health: PageHealth;
    /** Runs one Page's health check now (what the `pages:check-health` job does). */
    checkHealth(pageId: string): Promise<void>;
  };
  /** Brings stored Pages up to date; runs before any job can read them. */
  migrate(): Promise<void>;
  start(): Promise<void>;
}

export function createPagesFeature(deps: PagesFeatureDeps): PagesFeature {
  const { graph, vault, clock, audit, realtime, agenda } = deps;
  const pageAccess = createPageAccess(vault);
  const health = createPageHealth({
    clock,
    audit,
    realtime,
    logger: deps.logger.child({ component: 'pages' }),
  });
  const pages = createPageService({
    graph,
    vault,
    clock,
    audit,
    access: pageAccess,
    realtime,
    health,
    healthChecks: {
      schedule: (pageId) => scheduleHealthChecks(agenda(), pageId, deps.healthCheckEveryMs),
      cancel: (pageId) => cancelHealthChecks(agenda(), pageId),
    },
  });
  const checkDeps = { graph, appId: deps.appId, access: pageAccess, health };
  return {
    router: createPagesRouter(pages),
    jobs: [
      checkHealthJob(checkDeps) as JobDefinition<never>,
      rotateTokenKeysJob(vault, deps.newestKeyId) as JobDefinition<never>,
    ],
    services: { pages, pageAccess, health, checkHealth: (pageId) => checkPageHealth(checkDeps, pageId) },
    migrate: () => migrateLegacyPauseFlag(clock.now()),
    async start() {
      await agenda().every('1 day', rotateTokenKeysJobName);
    },
  };
}
