import type { Agenda } from 'agenda';
import type { Router } from 'express';
import { UserModel } from '../../models/user';
import type { AuditTrail } from '../accounts/audit';
import type { Config } from '../config';
import type { JobDefinition } from '../jobs/job-registry';
import { createTokenVault } from '../pages/token-vault';
import type { Clock } from '../platform/clock';
import { ServiceUnavailable } from '../platform/errors';
import type { Logger } from '../platform/logger';
import { createXAdsClient, type XAdsClient } from './ads-client';
import { createXAdsConnections } from './connections';
import { createXAdsMetrics } from './metrics';
import { pullMetricsJob, pullMetricsJobName } from './pull-metrics-job';
import { createDatabaseRateWindows, createRatePacer, type RatePacer } from './rate-pacer';
import { createXAdsRouter } from './routes';

export interface XAdsDeps {
  config: Config;
  clock: Clock;
  logger: Logger;
  audit: AuditTrail;
  agenda(): Agenda;
}

/**
 * X Ads: people connect their X user's Ads API access (OAuth 1.0a), shared like Pages; account and campaign
 * metrics, as far as their ads-account roles allow, are pulled on a schedule through a pacer that keeps within X's
 * rate-limit windows across processes.
 */
export function createXAdsFeature(deps: XAdsDeps) {
  const { config } = deps;
  const logger = deps.logger.child({ component: 'x-ads' });
  const vault = createTokenVault(config.TOKEN_ENCRYPTION_KEYS);
  const pacer: RatePacer = createRatePacer({
    store: createDatabaseRateWindows({
      // At least one call and a tenth of the window unused, by default: calls already in flight when X's answer
      // arrives, and other apps on the same ads account, spend from it.
      reserveOf: (limit) => Math.max(1, Math.ceil(limit * config.X_ADS_RATE_RESERVE)),
      probeHoldMs: config.X_ADS_TIMEOUT_MS * (config.X_ADS_MAX_RETRIES + 1) + 1_000,
    }),
    maxWaitMs: 20 * 60_000,
  });
  const { X_ADS_CONSUMER_KEY: consumerKey, X_ADS_CONSUMER_SECRET: consumerSecret } = config;
  const configured =
    consumerKey && consumerSecret
      ? createXAdsClient({
          apiUrl: config.X_ADS_API_URL,
          oauthUrl: config.X_ADS_OAUTH_URL,
          version: config.X_ADS_API_VERSION,
          consumerKey,
          consumerSecret,
          timeoutMs: config.X_ADS_TIMEOUT_MS,
          maxRetries: config.X_ADS_MAX_RETRIES,
          pacer,
          logger,
        })
      : undefined;
  const client = (): XAdsClient => {
    if (!configured) {
      throw new ServiceUnavailable(
        'X Ads is not set up here: X_ADS_CONSUMER_KEY and X_ADS_CONSUMER_SECRET are unset.',
      );
    }
    return configured;
  };
  const connections = createXAdsConnections({
    client,
    vault,
    audit: deps.audit,
    clock: deps.clock,
    callbackUrl: `${config.publicUrl}/api/x-ads/callback`,
    async userNames(ids) {
      const users = await UserModel.find({ _id: { $in: ids } }, { name: 1 }).lean();
      return new Map(users.map((user) => [user._id.toString(), user.name]));
    },
  });
  const metrics = createXAdsMetrics({
    client,
    connections,
    clock: deps.clock,
    logger,
    statsDays: config.X_ADS_STATS_DAYS,
  });
  return {
    routers: [{ path: '/api/x-ads', router: createXAdsRouter(connections, metrics) as Router }],
    jobs: [pullMetricsJob(metrics, logger) as JobDefinition<never>],
    services: { connections, metrics, pacer, client },
    async start() {
      await deps.agenda().every(`${config.X_ADS_PULL_EVERY_MINUTES} minutes`, pullMetricsJobName);
    },
  };
}

export type XAdsFeature = ReturnType<typeof createXAdsFeature>;
