import express, { type Express, type RequestHandler, type Router } from 'express';
import helmet from 'helmet';
import type { Config } from './config';
import type { Clock } from './platform/clock';
import type { Logger } from './platform/logger';
import { errorHandler, notFoundHandler, sendProblem, problem } from './platform/http/problem-details';
import { jsonBodyKeepingRawBytes } from './platform/http/raw-body';
import { requestLogging } from './platform/http/request-logging';
import { redirectToCanonicalHost } from './web/canonical-host';
import { contentSecurityPolicy } from './web/content-security-policy';
import { createDashboardRouter } from './web/dashboard';

export interface HealthProbes {
  isDatabaseReachable(): Promise<boolean>;
  isJobRunnerRunning(): boolean;
  /** undefined when the deployment shares no Redis (one process). */
  isRedisReachable?(): boolean | undefined;
}

export interface AppDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  health: HealthProbes;
  /** Run on every request after body parsing and before the routers (the session, for one). */
  middleware?: RequestHandler[];
  /** Feature routers mounted in order, each at its own path. */
  routers?: { path: string; router: Router }[];
  /** Routers that check their own credentials (e.g. /metrics's token): mounted before `middleware`, no session. */
  selfAuthenticatingRouters?: { path: string; router: Router }[];
}

const livenessPath = '/healthz';
const readinessPath = '/readyz';

/** Builds the Express app from its dependencies; importing this file starts nothing. */
export function createApp({
  config,
  logger,
  health,
  middleware = [],
  routers = [],
  selfAuthenticatingRouters = [],
}: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.TRUST_PROXY);
  app.use(helmet({ contentSecurityPolicy: contentSecurityPolicy(config) }));
  app.use(requestLogging(logger));

  // Before the session and body parsing: serving the dashboard's files reads neither.
  const serverMountPaths = [
    livenessPath,
    readinessPath,
    ...[...selfAuthenticatingRouters, ...routers].map(({ path }) => path),
  ];
  app.use(redirectToCanonicalHost(config.publicUrl, serverMountPaths));
  app.use(createDashboardRouter({ distDir: config.CLIENT_DIST_DIR, serverMountPaths }));

  app.use(jsonBodyKeepingRawBytes('1mb'));
  app.use(express.urlencoded({ extended: false, limit: '100kb' }));

  app.get(livenessPath, (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get(readinessPath, async (_req, res) => {
    const database = await health.isDatabaseReachable();
    const jobs = health.isJobRunnerRunning();
    const redis = health.isRedisReachable?.();
    const parts = {
      database: database ? 'ok' : 'unreachable',
      jobs: jobs ? 'running' : 'stopped',
      ...(redis === undefined ? {} : { redis: redis ? 'ok' : 'unreachable' }),
    };
    if (database && jobs && redis !== false) {
      res.json({ status: 'ready', ...parts });
      return;
    }
    sendProblem(res, problem(503, 'Not ready to serve traffic.', parts));
  });

  for (const { path, router } of selfAuthenticatingRouters) app.use(path, router);
  for (const handler of middleware) app.use(handler);
  for (const { path, router } of routers) app.use(path, router);

  app.use(notFoundHandler);
  app.use(errorHandler(logger));
  return app;
}
