import type { Server as HttpServer } from 'node:http';
import type { Agenda } from 'agenda';
import type { RequestHandler, Router } from 'express';
import type { Connection } from 'mongoose';
import type { Config } from '../config';
import type { GraphClient } from '../facebook/graph-client';
import type { GraphOutcome } from '../facebook/graph-outcomes';
import { createFacebookLoginStrategy } from '../facebook/login-strategy';
import type { JobDefinition } from '../jobs/job-registry';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { createPagesFeature, type PagesFeature } from '../pages';
import { createTokenVault } from '../pages/token-vault';
import { adapterFor } from '../realtime/adapter';
import type { SharedRedis } from '../platform/redis';
import { createRealtime, type Realtime } from '../realtime/realtime';
import { createAccountsApiRouter } from './api-routes';
import { createAuditTrail, type AuditTrail } from './audit';
import { createAuthRouter } from './auth-routes';
import * as authorization from './authorization';
import { createInvitationService } from './invitations';
import { createLoginService } from './login';
import { createMemberService } from './members';
import { removeExpiredSessionsJob, removeExpiredSessionsJobName } from './remove-expired-sessions-job';
import { loginScope, requestedPermissions } from './permissions';
import { createSessionMiddleware, endSessionsOf } from './session';
import { deleteUserDataJob, deleteUserDataJobName } from './delete-user-data-job';
import { createMetaCallbacks } from './meta-callbacks';
import {
  createDataDeletionStatusRouter,
  createMetaCallbackRouter,
  dataDeletionStatusPath,
} from './meta-callback-routes';

export interface AccountsFeatureDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Connection;
  graph: GraphClient;
  httpServer: HttpServer;
  /** The deployment's shared Redis, when it runs as several processes. */
  redis: SharedRedis | undefined;
  /** Agenda exists only once every feature's jobs are registered, so it is reached late. */
  agenda(): Agenda;
}

export interface AccountsFeature {
  routers: { path: string; router: Router }[];
  jobs: JobDefinition<never>[];
  /** express-session on the database; the app runs it before the routers, socket.io on the handshake. */
  sessionMiddleware: RequestHandler;
  realtime: Realtime;
  services: PagesFeature['services'] & { authorization: typeof authorization; audit: AuditTrail };
  /** Wire into the Graph client's `onAuthProblem`. */
  onGraphAuthProblem(fbPageId: string, outcome: GraphOutcome): void;
  /** Brings stored data up to date; runs before Agenda starts, so no job reads it first. */
  migrate(): Promise<void>;
  /** Schedules the recurring jobs once Agenda runs. */
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Accounts, Pages and the real-time channel come up together: login makes members, authorization decides what they
 * may see, Pages are most of what they see, and socket.io delivers it under the same rules.
 */
export function createAccountsFeature(deps: AccountsFeatureDeps): AccountsFeature {
  const { config, logger, clock, db, graph } = deps;
  const sessionMiddleware = createSessionMiddleware({
    config,
    client: db.getClient(),
    databaseName: db.name,
  });
  const vault = createTokenVault(config.TOKEN_ENCRYPTION_KEYS);
  const audit = createAuditTrail(clock, logger.child({ component: 'audit' }));
  const realtime = createRealtime({
    httpServer: deps.httpServer,
    sessionMiddleware,
    guard: authorization,
    logger: logger.child({ component: 'realtime' }),
    adapter: adapterFor(deps.redis),
  });
  const invitations = createInvitationService({
    clock,
    publicUrl: config.publicUrl,
    ttlHours: config.INVITATION_TTL_HOURS,
    audit,
  });
  const members = createMemberService({
    audit,
    operators: authorization.operatorsFrom(config),
    features: config,
    onAccessChanged: (userId) => realtime.refreshRooms(userId),
    endSessions: async (userId, workspaceId) =>
      (await endSessionsOf(db.db as NonNullable<typeof db.db>, userId, workspaceId)).length,
  });
  const pages = createPagesFeature({
    graph,
    vault,
    newestKeyId: config.TOKEN_ENCRYPTION_KEYS[0]?.id ?? '',
    appId: config.FB_APP_ID,
    clock,
    audit,
    realtime,
    logger,
    healthCheckEveryMs: config.PAGE_HEALTH_CHECK_MINUTES * 60_000,
    agenda: deps.agenda,
  });
  const strategy = createFacebookLoginStrategy({
    appId: config.FB_APP_ID,
    appSecret: config.FB_APP_SECRET,
    dialogUrl: config.FB_DIALOG_URL,
    graphUrl: config.FB_GRAPH_URL,
    apiVersion: config.FB_API_VERSION,
    callbackUrl: `${config.publicUrl}/auth/facebook/callback`,
    scope: loginScope(config),
    graph,
  });
  const login = createLoginService({ graph, vault, clock, audit, invitations });
  const authLogger = logger.child({ component: 'accounts' });
  const metaCallbacks = createMetaCallbacks({
    db: () => db.db as NonNullable<typeof db.db>,
    clock,
    audit,
    health: pages.services.health,
    realtime,
    publicUrl: config.publicUrl,
    queueDeletion: async (requestId) => {
      await deps.agenda().now(deleteUserDataJobName, { requestId });
    },
  });

  return {
    routers: [
      {
        path: '/auth',
        router: createAuthRouter({
          strategy,
          login,
          loginRateLimit: config.LOGIN_RATE_LIMIT,
          onLogout: (sessionId) => realtime.disconnectSession(sessionId),
        }),
      },
      {
        path: '/api',
        router: createAccountsApiRouter({
          permissions: requestedPermissions(config),
          members,
          invitations,
          onSessionReplaced: (sessionId) => realtime.disconnectSession(sessionId),
        }),
      },
      { path: '/api/pages', router: pages.router },
      {
        path: '/webhooks/facebook',
        router: createMetaCallbackRouter({
          callbacks: metaCallbacks,
          appSecret: config.FB_APP_SECRET,
          clock,
        }),
      },
      { path: dataDeletionStatusPath, router: createDataDeletionStatusRouter(metaCallbacks) },
    ],
    jobs: [
      ...pages.jobs,
      removeExpiredSessionsJob(() => db.db as NonNullable<typeof db.db>, clock) as JobDefinition<never>,
      deleteUserDataJob({
        callbacks: metaCallbacks,
        agenda: deps.agenda,
        logger: authLogger,
        policy: {
          maxAttempts: config.DATA_DELETION_MAX_ATTEMPTS,
          retryBaseMs: config.DATA_DELETION_RETRY_BASE_SECONDS * 1000,
        },
      }) as JobDefinition<never>,
    ],
    sessionMiddleware,
    realtime,
    services: { ...pages.services, authorization, audit },
    onGraphAuthProblem(fbPageId, outcome) {
      pages.services.health.onGraphAuthProblem(fbPageId, outcome).catch((error: unknown) => {
        authLogger.error({ err: error, fbPageId }, 'could not record a Page’s auth problem');
      });
    },
    migrate: () => pages.migrate(),
    async start() {
      await pages.start();
      await deps.agenda().every('1 hour', removeExpiredSessionsJobName);
    },
    stop: () => realtime.close(),
  };
}
