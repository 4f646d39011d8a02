import { Router, type RequestHandler, type Response } from 'express';
import { requireOAuth1, userIdOf } from './authentication';
import { sendAdsError } from './errors';
import type { XAdsRateLimiter } from './rate-limits';
import type { XAdsAccountSeed, XAdsSettings } from './settings';
import { dailyCampaignMetrics, type XAdsWorld } from './world';

const dayMs = 86_400_000;

declare module 'express-serve-static-core' {
  interface Locals {
    xAdsAccount?: XAdsAccountSeed;
  }
}

function accountView(account: XAdsAccountSeed) {
  return {
    id: account.id,
    name: account.name,
    currency: account.currency ?? 'USD',
    approval_status: 'ACCEPTED',
    timezone: 'America/New_York',
    deleted: false,
  };
}

const queryString = (value: unknown) => (typeof value === 'string' ? value : undefined);

/**
 * The Ads API endpoints Pagewire reads, under `/{version}`: GET accounts (user-level rate limit, `x-rate-limit-*`),
 * and per ads account (account-level, `x-account-rate-limit-*`): the account, the caller's permissions on it, its
 * campaigns, and synchronous stats. Campaigns and stats need one of `statsPermissions`.
 */
export function xAdsApiRoutes(settings: XAdsSettings, world: XAdsWorld, limiter: XAdsRateLimiter): Router {
  const router = Router();
  const prefix = `/${settings.version}`;
  router.use(prefix, requireOAuth1(settings, world, 'access'));

  const limitBy =
    (scope: 'user' | 'account', endpoint: string): RequestHandler =>
    (_req, res, next) => {
      const key =
        scope === 'account'
          ? `account:${res.locals.xAdsAccount!.id}:${endpoint}`
          : `user:${userIdOf(res)}:${endpoint}`;
      const answer = limiter.take(key);
      const header = scope === 'account' ? 'x-account-rate-limit' : 'x-rate-limit';
      res.set(`${header}-limit`, String(answer.limit));
      res.set(`${header}-remaining`, String(answer.remaining));
      res.set(`${header}-reset`, String(answer.resetSeconds));
      if (!answer.allowed) return sendAdsError(res, 429, 'TOO_MANY_REQUESTS', 'Rate limit exceeded.');
      next();
    };

  const accountParam: RequestHandler = (req, res, next) => {
    const account = world.accounts.get(String(req.params.accountId));
    if (!account || world.permissionsOf(userIdOf(res), account.id).length === 0) {
      return sendAdsError(
        res,
        404,
        'NOT_FOUND',
        'The ads account was not found or is not available to this user.',
      );
    }
    res.locals.xAdsAccount = account;
    next();
  };

  const requireStatsPermission: RequestHandler = (_req, res, next) => {
    const held = world.permissionsOf(userIdOf(res), res.locals.xAdsAccount!.id);
    if (!held.some((permission) => settings.statsPermissions.includes(permission))) {
      return sendAdsError(
        res,
        403,
        'INSUFFICIENT_USER_AUTHORIZED_PERMISSION',
        'The user does not have sufficient permissions on this ads account.',
      );
    }
    next();
  };

  router.get(`${prefix}/accounts`, limitBy('user', 'accounts'), (_req, res) => {
    const data = world.accountsOf(userIdOf(res)).map(accountView);
    res.json({
      data,
      data_type: 'account',
      total_count: data.length,
      next_cursor: null,
      request: { params: {} },
    });
  });

  router.get(`${prefix}/accounts/:accountId`, accountParam, limitBy('account', 'account'), (_req, res) => {
    const account = res.locals.xAdsAccount!;
    res.json({
      data: accountView(account),
      data_type: 'account',
      request: { params: { account_id: account.id } },
    });
  });

  router.get(
    `${prefix}/accounts/:accountId/authenticated_user_access`,
    accountParam,
    limitBy('account', 'authenticated_user_access'),
    (_req, res) => {
      const account = res.locals.xAdsAccount!;
      res.json({
        data: { user_id: userIdOf(res), permissions: world.permissionsOf(userIdOf(res), account.id) },
        request: { params: { account_id: account.id } },
      });
    },
  );

  router.get(
    `${prefix}/accounts/:accountId/campaigns`,
    accountParam,
    limitBy('account', 'campaigns'),
    requireStatsPermission,
    (_req, res) => {
      const account = res.locals.xAdsAccount!;
      const data = account.campaigns.map((campaign) => ({
        id: campaign.id,
        account_id: account.id,
        name: campaign.name,
        entity_status: campaign.status ?? 'ACTIVE',
        currency: account.currency ?? 'USD',
        daily_budget_amount_local_micro: campaign.dailyBudgetMicro ?? null,
        deleted: false,
      }));
      res.json({
        data,
        data_type: 'campaign',
        total_count: data.length,
        next_cursor: null,
        request: { params: {} },
      });
    },
  );

  router.get(
    `${prefix}/stats/accounts/:accountId`,
    accountParam,
    limitBy('account', 'stats'),
    requireStatsPermission,
    (req, res) => answerStats(settings, res, res.locals.xAdsAccount!, req.query as Record<string, unknown>),
  );

  return router;
}

function answerStats(
  settings: XAdsSettings,
  res: Response,
  account: XAdsAccountSeed,
  query: Record<string, unknown>,
) {
  const invalid = (message: string) => sendAdsError(res, 400, 'INVALID_PARAMETER', message);
  const entity = queryString(query.entity);
  const entityIds = (queryString(query.entity_ids) ?? '').split(',').filter(Boolean);
  const granularity = queryString(query.granularity);
  const groups = (queryString(query.metric_groups) ?? '').split(',').filter(Boolean);
  const start = Date.parse(queryString(query.start_time) ?? '');
  const end = Date.parse(queryString(query.end_time) ?? '');
  if (entity !== 'ACCOUNT' && entity !== 'CAMPAIGN') return invalid('entity must be ACCOUNT or CAMPAIGN.');
  if (entityIds.length === 0 || entityIds.length > 20) return invalid('entity_ids takes 1 to 20 ids.');
  if (granularity !== 'DAY' && granularity !== 'TOTAL') return invalid('granularity must be DAY or TOTAL.');
  if (groups.length === 0 || groups.some((group) => group !== 'ENGAGEMENT' && group !== 'BILLING')) {
    return invalid('metric_groups takes ENGAGEMENT and/or BILLING.');
  }
  if (!queryString(query.placement)) return invalid('placement is required.');
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start)
    return invalid('start_time must precede end_time.');
  if (start % dayMs !== 0 || end % dayMs !== 0)
    return invalid('start_time and end_time must be whole days (UTC).');
  const days = (end - start) / dayMs;
  if (days > settings.maxStatsDays)
    return invalid(`The range may span at most ${settings.maxStatsDays} days.`);
  const campaignIds = new Set(account.campaigns.map((campaign) => campaign.id));
  if (entity === 'ACCOUNT' && entityIds.some((id) => id !== account.id))
    return invalid('entity_ids must be the account id.');
  if (entity === 'CAMPAIGN' && entityIds.some((id) => !campaignIds.has(id)))
    return invalid('Unknown campaign id.');

  const dayKeys = Array.from({ length: days }, (_, i) =>
    new Date(start + i * dayMs).toISOString().slice(0, 10),
  );
  const seriesFor = (id: string) => {
    const members = entity === 'ACCOUNT' ? [...campaignIds] : [id];
    const perDay = dayKeys.map((day) =>
      members
        .map((campaignId) => dailyCampaignMetrics(campaignId, day))
        .reduce(
          (sum, m) => ({
            impressions: sum.impressions + m.impressions,
            engagements: sum.engagements + m.engagements,
            clicks: sum.clicks + m.clicks,
            billedChargeLocalMicro: sum.billedChargeLocalMicro + m.billedChargeLocalMicro,
          }),
          { impressions: 0, engagements: 0, clicks: 0, billedChargeLocalMicro: 0 },
        ),
    );
    const series = (pick: (m: (typeof perDay)[number]) => number) =>
      granularity === 'TOTAL' ? [perDay.reduce((sum, m) => sum + pick(m), 0)] : perDay.map(pick);
    const engagement = groups.includes('ENGAGEMENT');
    const billing = groups.includes('BILLING');
    return {
      impressions: engagement ? series((m) => m.impressions) : null,
      engagements: engagement ? series((m) => m.engagements) : null,
      clicks: engagement ? series((m) => m.clicks) : null,
      billed_engagements: billing ? series((m) => m.engagements) : null,
      billed_charge_local_micro: billing ? series((m) => m.billedChargeLocalMicro) : null,
    };
  };
  res.json({
    data_type: 'stats',
    time_series_length: granularity === 'TOTAL' ? 1 : days,
    data: entityIds.map((id) => ({ id, id_data: [{ segment: null, metrics: seriesFor(id) }] })),
    request: { params: { entity, entity_ids: entityIds, granularity, metric_groups: groups } },
  });
}
