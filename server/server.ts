import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Connection } from 'mongoose';
import type { Express } from 'express';
import { createBotsFeature } from '../bots';
import { botsOperations } from '../bots/routes';
import { accountsApiOperations } from './accounts/api-routes';
import { broadcastsOperations } from './broadcasts/routes';
import { liveChatOperations } from './livechat/routes';
import { pagesOperations } from './pages/routes';
import { apiKeyScopes } from '../models/api-key';
import { keyScopesFor } from './api-keys/key-scopes';
import { apiKeysOperations } from './api-keys/routes';
import { outgoingWebhooksOperations } from './outgoing-webhooks/routes';
import { xAdsOperations } from './x-ads/routes';
import { createXAdsFeature, type XAdsFeature } from './x-ads';
import { autopostingOperations } from './autoposting/routes';
import { createAutopostingFeature, type AutopostingFeature } from './autoposting';
import { pollDueFeedsEvery, pollDueFeedsJobName } from './autoposting/poll-due-feeds-job';
import type { XStandingShare } from './autoposting/x-standing-share';
import { createAccountsFeature, type AccountsFeature } from './accounts';
import { createApiKeysFeature } from './api-keys';
import { createApp } from './app';
import { createBroadcastsFeature, type BroadcastsFeature } from './broadcasts';
import { complianceOperations, createComplianceRouters } from './compliance/routes';
import { createApiReferenceRouter } from './platform/openapi/reference-routes';
import { createComplianceTallies } from './compliance/tallies';
import type { Config } from './config';
import { createJobRunner, type JobRunner } from './jobs/agenda';
import { purgeFinishedJobsJob, purgeFinishedJobsJobName } from './jobs/purge-finished-jobs-job';
import { createJobsDashboardRouter, jobsDashboardPath } from './jobs/dashboard-routes';
import { createMetricsRouter, metricsPath } from './platform/http/metrics-route';
import { JobRegistry } from './jobs/job-registry';
import { createMessengerGateway, type MessengerGateway } from './facebook/messenger-gateway';
import { PageModel } from '../models/page';
import { createSharedSendWindow } from './facebook/shared-send-window';
import type { Clock } from './platform/clock';
import { isDatabaseReachable } from './platform/database/mongoose-connection';
import { listMountedRoutes } from './platform/http/route-inventory';
import type { Logger } from './platform/logger';
import { watchSendQueues } from './platform/metrics';
import { connectSharedRedis } from './platform/redis';
import { relayWriteNotices } from './platform/write-notice-relay';
import { createLiveChatFeature, type LiveChatFeature } from './livechat';
import { createLiveEvents } from './messaging/live-events';
import { createOutbound } from './messaging/outbound';
import { createOutgoingWebhooksFeature } from './outgoing-webhooks';
import { createOverviewRouter, overviewOperations } from './overview/routes';
import { createPhoneInvitesFeature, type PhoneInvitesFeature } from './phone-invites';
import { phoneInvitesOperations } from './phone-invites/routes';
import { createSponsoredMessagesFeature, type SponsoredMessagesFeature } from './sponsored-messages';
import { sponsoredMessagesOperations } from './sponsored-messages/routes';
import { createTokenVault } from './pages/token-vault';
import { createSandboxFeature } from './sandbox';
import { createXFeature } from './x';
import { xOperations } from './x/routes';
import { subscribersOperations, subscribersRoute } from './subscribers/routes';
import { createSubscriberService } from './subscribers/subscriber-service';
import {
  createEventProcessor,
  type EventProcessor,
  type EventProcessorOptions,
} from '../webhooks/event-processor';
import { WebhookHandlers } from '../webhooks/handler-registry';
import { AckPressure } from '../webhooks/ack-pressure';
import { createWebhookRouter } from '../webhooks/receiver';
import { forgetProcessedEventsJob, forgetProcessedEventsJobName } from '../webhooks/forget-processed-job';

export interface RunningServer {
  url: string;
  httpServer: Server;
  jobs: JobRunner;
  webhooks: { handlers: WebhookHandlers; processor: EventProcessor };
  app: Express;
  messenger: MessengerGateway;
  /** Accounts, Pages and realtime: `accounts.services.pageAccess`, `accounts.realtime`, ... */
  accounts: AccountsFeature;
  broadcasts: BroadcastsFeature;
  livechat: LiveChatFeature;
  /** Present with FEATURE_PHONE_INVITES. */
  phoneInvites: PhoneInvitesFeature | undefined;
  /** Present with FEATURE_SPONSORED_MESSAGES. */
  sponsoredMessages: SponsoredMessagesFeature | undefined;
  xAds: XAdsFeature;
  autoposting: AutopostingFeature;
  /** Stops accepting, finishes in-flight requests, drains Agenda; leaves the database connection to its owner. */
  stop(): Promise<void>;
}

export interface ServerDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  db: Connection;
  /** Test and benchmark knobs; production uses the defaults. */
  tuning?: {
    webhookProcessor?: Partial<Omit<EventProcessorOptions, 'handlers' | 'clock' | 'logger'>>;
    /** false stores webhook events without processing them (to test recovery after a crash). */
    processWebhooks?: boolean;
  };
  /** How autoposting shares on X by an owner's standing consent: X connections' own unless a test gives one. */
  xStandingShare?: XStandingShare;
}

/** A failed one-time job stays this long for an operator to look at in the jobs dashboard. */
const failedJobsKeptMs = 7 * 24 * 3_600_000;

/**
 * How long a connection may wait idle for its next request. Node's default, 5 s, closes connections that Meta's
 * webhook deliveries and load balancers keep open, and a request sent just as one closes is reset (ECONNRESET), which
 * Meta redelivers only later. Longer than the usual load balancer's idle timeout (60 s), so that it, not Pagewire,
 * closes a quiet connection.
 */
const idleConnectionMs = 65_000;

/** Composes the whole product on an open database connection: HTTP, Agenda and (later) socket.io. */
export async function startServer({
  config,
  logger,
  clock,
  db,
  tuning = {},
  xStandingShare,
}: ServerDeps): Promise<RunningServer> {
  const mongoDb = db.db;
  if (!mongoDb) throw new Error('startServer needs an open database connection');

  const redis = config.REDIS_URL
    ? await connectSharedRedis(
        config.REDIS_URL,
        config.REDIS_KEY_PREFIX,
        logger.child({ component: 'redis' }),
      )
    : undefined;
  const stopRelayingWrites = redis ? await relayWriteNotices(redis, logger) : () => undefined;

  const registry = new JobRegistry();
  // Express is the server's one request listener from the start: socket.io, attached later, wraps it and passes on
  // every request that is not its own. A second listener added afterwards would answer /socket.io/ requests too.
  const httpServer = createServer((req, res) => app(req, res));
  httpServer.keepAliveTimeout = idleConnectionMs;
  const ackPressure = new AckPressure();
  const messenger = createMessengerGateway({
    graph: {
      baseUrl: config.FB_GRAPH_URL,
      apiVersion: config.FB_API_VERSION,
      appId: config.FB_APP_ID,
      appSecret: config.FB_APP_SECRET,
      timeoutMs: config.GRAPH_TIMEOUT_MS,
      retry: { maxRetries: config.GRAPH_MAX_RETRIES, baseDelayMs: 250, maxDelayMs: 5_000 },
      logger: logger.child({ component: 'graph' }),
      onAuthProblem: (pageId, outcome) => accounts.onGraphAuthProblem(pageId, outcome),
    },
    governor: {
      defaultRatePerSecond: config.PAGE_SEND_RATE_PER_SECOND,
      mediaRatePerSecond: config.PAGE_MEDIA_SEND_RATE_PER_SECOND,
      // A Page's own rate; Meta's limit is per Facebook Page, so the lowest of its connected copies across workspaces.
      rateFor: async (fbPageId) => {
        const copies = await PageModel.find({ fbPageId, connected: true }, { sendRatePerSecond: 1 }).lean();
        const rates = copies.flatMap((copy) => (copy.sendRatePerSecond ? [copy.sendRatePerSecond] : []));
        return rates.length > 0 ? Math.min(...rates) : undefined;
      },
      liveDeadlineMs: config.LIVE_SEND_DEADLINE_SECONDS * 1000,
      broadcastShare: () => ackPressure.broadcastShare(),
      ...(redis
        ? {
            sharedWindow: createSharedSendWindow(redis, {
              inFlightMs: config.GRAPH_TIMEOUT_MS + 1_000,
              logger: logger.child({ component: 'send-governor' }),
            }),
          }
        : {}),
      clock,
      logger: logger.child({ component: 'send-governor' }),
    },
  });
  const accounts = createAccountsFeature({
    config,
    logger,
    clock,
    db,
    graph: messenger.graph,
    httpServer,
    redis,
    agenda: () => jobs.agenda,
  });
  for (const job of accounts.jobs) registry.add(job);
  const stopWatchingSendQueues = watchSendQueues(() =>
    messenger.governor
      .allStats()
      .map(([fbPageId, stats]) => ({ fbPageId, queued: stats.queued, ratePerSecond: stats.ratePerSecond })),
  );
  const { pageAccess, audit } = accounts.services;
  const tallies = createComplianceTallies(clock, logger.child({ component: 'compliance' }));
  const subscribers = createSubscriberService({
    graph: messenger.graph,
    pageAccess,
    clock,
    logger,
    audit,
    tallies,
    keywords: { optOutWords: config.OPT_OUT_WORDS, optInWords: config.OPT_IN_WORDS },
  });
  const broadcasts = createBroadcastsFeature({
    logger,
    clock,
    publicUrl: config.publicUrl,
    messenger,
    pageAccess,
    subscribers,
    markNeedsReauth: (pageId, reason) => accounts.services.health.markNeedsReauth(pageId, reason),
    audit,
    tallies,
    realtime: accounts.realtime,
    agenda: () => jobs.agenda,
    tuning: {
      leaseMs: config.BROADCAST_LEASE_SECONDS * 1000,
      answerMarginMs: config.BROADCAST_LEASE_SECONDS * 500,
    },
  });
  for (const job of broadcasts.jobs) registry.add(job);
  const outgoingWebhooks = createOutgoingWebhooksFeature({
    config,
    clock,
    logger,
    audit,
    realtime: accounts.realtime,
    agenda: () => jobs.agenda,
  });
  for (const job of outgoingWebhooks.jobs) registry.add(job);
  const phoneInvites = config.FEATURE_PHONE_INVITES
    ? createPhoneInvitesFeature({ messenger, pageAccess, audit, clock, logger, agenda: () => jobs.agenda })
    : undefined;
  for (const job of phoneInvites?.jobs ?? []) registry.add(job);
  const sponsoredMessages = config.FEATURE_SPONSORED_MESSAGES
    ? createSponsoredMessagesFeature({
        graph: messenger.graph,
        vault: createTokenVault(config.TOKEN_ENCRYPTION_KEYS),
        audit,
        clock,
        logger,
        objective: config.SPONSORED_MESSAGES_OBJECTIVE,
        pullEveryMinutes: config.SPONSORED_MESSAGES_PULL_MINUTES,
        agenda: () => jobs.agenda,
      })
    : undefined;
  for (const job of sponsoredMessages?.jobs ?? []) registry.add(job);
  const xAds = createXAdsFeature({ config, clock, logger, audit, agenda: () => jobs.agenda });
  for (const job of xAds.jobs) registry.add(job);
  const x = createXFeature({ config, clock, audit, agenda: () => jobs.agenda });
  for (const job of x.jobs) registry.add(job);
  const autoposting = createAutopostingFeature({
    config,
    clock,
    logger,
    audit,
    graph: messenger.graph,
    pageAccess,
    broadcasts: broadcasts.service,
    xShare: xStandingShare ?? x.standingShare,
  });
  for (const job of autoposting.jobs) registry.add(job);
  registry.add(forgetProcessedEventsJob(clock, config.WEBHOOK_EVENT_RETENTION_HOURS * 3_600_000));
  registry.add(purgeFinishedJobsJob(mongoDb, clock, failedJobsKeptMs));
  const jobs = createJobRunner({ db: mongoDb, registry, logger: logger.child({ component: 'jobs' }) });

  const outbound = createOutbound({
    ...messenger,
    pageAccess,
    clock,
    logger,
    subscribers,
    audit,
    tallies,
    events: createLiveEvents(accounts.realtime),
  });
  const bots = createBotsFeature({
    ...messenger,
    pageAccess,
    subscribers,
    outbound,
    audit,
    tallies,
    realtime: accounts.realtime,
    clock,
    logger,
    settings: {
      getStartedPayload: config.BOT_GET_STARTED_PAYLOAD,
      humanIdleMs: config.BOT_HUMAN_IDLE_MINUTES * 60_000,
    },
  });

  const livechat = createLiveChatFeature({
    subscribers,
    outbound,
    pageAccess,
    realtime: accounts.realtime,
    redis,
    audit,
    visiblePageIds: accounts.services.authorization.visiblePageIds,
    clock,
    logger,
    appId: config.FB_APP_ID,
    getStartedPayload: config.BOT_GET_STARTED_PAYLOAD,
    humanIdleMs: config.BOT_HUMAN_IDLE_MINUTES * 60_000,
  });

  const webhookHandlers = new WebhookHandlers();
  broadcasts.registerWebhookHandlers(webhookHandlers);
  // Handlers of one kind run in registration order: live chat's go between these two bot registrations.
  bots.registerBeforeLiveChat(webhookHandlers);
  livechat.registerWebhookHandlers(webhookHandlers);
  bots.registerWebhookHandlers(webhookHandlers);
  const webhookProcessor = createEventProcessor({
    handlers: webhookHandlers,
    clock,
    logger: logger.child({ component: 'webhooks' }),
    ...tuning.webhookProcessor,
  });
  const webhookRouter = createWebhookRouter({
    verifyToken: config.FB_VERIFY_TOKEN,
    appSecret: config.FB_APP_SECRET,
    logger: logger.child({ component: 'webhooks' }),
    processor: webhookProcessor,
    ackPressure,
  });

  const apiKeys = createApiKeysFeature({
    clock,
    audit,
    redis,
    sessionMiddleware: accounts.sessionMiddleware,
    rateLimitPerMinute: config.API_KEY_RATE_LIMIT,
    apiRoutes: () => listMountedRoutes(app, '/api'),
  });

  const sandbox = createSandboxFeature({ config, clock, logger: logger.child({ component: 'sandbox' }) });

  const app = createApp({
    config,
    logger,
    clock,
    health: {
      isDatabaseReachable: () => isDatabaseReachable(),
      isJobRunnerRunning: () => jobs.isRunning(),
      isRedisReachable: () => redis?.isReachable(),
    },
    selfAuthenticatingRouters: [
      // Meta's POSTs prove themselves by their signature: no session is read or written for them.
      { path: '/webhooks/facebook', router: webhookRouter },
      { path: metricsPath, router: createMetricsRouter(config.METRICS_TOKEN) },
    ],
    middleware: [apiKeys.keyOrSession],
    routers: [
      ...x.routers,
      ...accounts.routers,
      ...apiKeys.routers,
      ...broadcasts.routers,
      ...bots.routers,
      ...livechat.routers,
      ...createComplianceRouters(clock),
      subscribersRoute(accounts.services.authorization.visiblePageIds, { audit, clock }),
      ...outgoingWebhooks.routers,
      ...(phoneInvites?.routers ?? []),
      ...(sponsoredMessages?.routers ?? []),
      ...xAds.routers,
      ...autoposting.routers,
      {
        path: '/api/overview',
        router: createOverviewRouter({
          visiblePageIds: accounts.services.authorization.visiblePageIds,
          clock,
        }),
      },
      ...sandbox.routers,
      {
        path: '/api',
        router: createApiReferenceRouter(
          [
            ...accountsApiOperations,
            ...pagesOperations,
            ...liveChatOperations,
            ...subscribersOperations,
            ...broadcastsOperations,
            ...botsOperations,
            ...overviewOperations,
            ...complianceOperations,
            ...sandbox.operations,
            ...apiKeysOperations,
            ...outgoingWebhooksOperations,
            ...(phoneInvites ? phoneInvitesOperations : []),
            ...(sponsoredMessages ? sponsoredMessagesOperations : []),
            ...xAdsOperations,
            ...autopostingOperations,
            ...xOperations,
          ],
          { serverUrl: config.publicUrl, keyScopes: apiKeyScopes, keyScopesOf: keyScopesFor },
        ).router,
      },
      {
        path: jobsDashboardPath,
        router: createJobsDashboardRouter({
          agenda: jobs.agenda,
          publicUrl: config.publicUrl,
          operators: accounts.services.authorization.operatorsFrom(config),
        }),
      },
    ],
  });
  await accounts.migrate();
  await sandbox.start();
  await jobs.start();
  await jobs.agenda.every('1 hour', forgetProcessedEventsJobName);
  await jobs.agenda.every('1 hour', purgeFinishedJobsJobName);
  await jobs.agenda.every(pollDueFeedsEvery, pollDueFeedsJobName);
  await accounts.start();
  await broadcasts.start();
  await outgoingWebhooks.start();
  await phoneInvites?.start();
  await sponsoredMessages?.start();
  await xAds.start();
  await x.start();
  await autoposting.start();
  if (tuning.processWebhooks !== false) webhookProcessor.start();
  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(config.PORT, config.HOST, resolve);
  });
  const { port } = httpServer.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;

  return {
    url,
    httpServer,
    jobs,
    webhooks: { handlers: webhookHandlers, processor: webhookProcessor },
    app,
    messenger,
    accounts,
    broadcasts,
    livechat,
    phoneInvites,
    sponsoredMessages,
    xAds,
    autoposting,
    async stop() {
      broadcasts.stop();
      await accounts.stop();
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      await closed;
      await webhookProcessor.stop();
      await outgoingWebhooks.stop();
      await jobs.stop();
      await Promise.all([audit.settled(), tallies.settled()]);
      stopRelayingWrites();
      stopWatchingSendQueues();
      ackPressure.stop();
      await redis?.close();
    },
  };
}
