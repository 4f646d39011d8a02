import type { Agenda } from 'agenda';
import type { Router } from 'express';
import type { AuditTrail } from '../accounts/audit';
import type { Config } from '../config';
import type { JobDefinition } from '../jobs/job-registry';
import { createTokenVault } from '../pages/token-vault';
import type { Clock } from '../platform/clock';
import { createXConnections, type XConnections } from './connections';
import { publishPostJob } from './publish-post-job';
import { createXCallbackRouter, createXRouter } from './routes';
import { createShareService, type ShareService } from './share-service';
import { createXTrackedLinksRouter, xTrackedLinkPath } from './tracked-links';
import { createXClient } from './x-client';
import type { XStandingShare } from '../autoposting/x-standing-share';

export interface XFeatureDeps {
  config: Config;
  clock: Clock;
  audit: Pick<AuditTrail, 'recordByMember' | 'recordAfter'>;
  agenda(): Agenda;
}

export interface XFeature {
  routers: { path: string; router: Router }[];
  jobs: JobDefinition<never>[];
  connections: XConnections;
  shares: ShareService;
  /** Autoposting's way to X: shares on an account owner's standing consent. */
  standingShare: XStandingShare;
  start(): Promise<void>;
}

/** Members' X accounts and Share to X (docs/x-platform.md). */
export function createXFeature({ config, clock, audit, agenda }: XFeatureDeps): XFeature {
  const client = createXClient({
    apiUrl: config.X_API_URL,
    clientId: config.X_CLIENT_ID,
    clientSecret: config.X_CLIENT_SECRET,
    timeoutMs: config.X_TIMEOUT_MS,
    maxRetries: config.X_MAX_RETRIES,
  });
  const connections = createXConnections({
    client,
    vault: createTokenVault(config.TOKEN_ENCRYPTION_KEYS),
    clock,
    audit,
    authorizeUrl: config.X_AUTHORIZE_URL,
    clientId: config.X_CLIENT_ID,
    publicUrl: config.publicUrl,
  });
  const shares = createShareService({
    connections,
    client,
    clock,
    audit,
    agenda,
    publicUrl: config.publicUrl,
    duplicateWindowMs: config.X_DUPLICATE_WINDOW_HOURS * 3_600_000,
    duplicateSimilarity: config.X_DUPLICATE_SIMILARITY,
    rateLimitMaxDeferrals: config.X_RATE_LIMIT_MAX_DEFERRALS,
  });
  return {
    routers: [
      { path: '/api/x', router: createXRouter(connections, shares) },
      { path: '/auth/x', router: createXCallbackRouter(connections) },
      { path: xTrackedLinkPath, router: createXTrackedLinksRouter() },
    ],
    jobs: [publishPostJob(shares) as JobDefinition<never>],
    connections,
    shares,
    standingShare: {
      isOwnedBy: (workspaceId, userId, xAccountId) => shares.isOwnedBy(workspaceId, userId, xAccountId),
      usernamesOf: (workspaceId, xAccountIds) => shares.usernamesOf(workspaceId, xAccountIds),
      post: (request) => shares.shareByStandingConsent(request),
      sharesOf: (workspaceId, shareIds) => shares.sharesOf(workspaceId, shareIds),
    },
    start: () => shares.recoverAtStart(),
  };
}
