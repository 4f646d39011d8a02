import { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { SimContext } from '../context';
import { newNumericId } from '../ids';
import type {
  AdAccountRecord,
  AdRecord,
  AdSetRecord,
  AdStatus,
  CampaignRecord,
  UserRecord,
} from '../records';
import { authenticate, requirePermission, type Caller } from './auth';
import { GraphError } from './errors';
import { graphRoute } from './handler';
import { isRecord, jsonParam, pathParam, requireString, stringParam, type Params } from './params';

const DAY_MS = 86_400_000;
const AD_STATUSES: AdStatus[] = ['ACTIVE', 'PAUSED'];

/**
 * The Marketing API as sponsored messages use it (docs/meta-marketing-and-phone.md): a user token with
 * `ads_management` creates a campaign, an ad set (budget, schedule, the Page, Messenger's sponsored-message
 * placement), a creative carrying the message and an ad; statuses are changed by POSTing `status`; `/insights` reads
 * the results. A sponsored message reaches only people who already have a conversation with the Page.
 */
export function marketingRoutes(ctx: SimContext): Router {
  const router = Router();
  router.get(
    '/me/adaccounts',
    graphRoute(ctx, 'other', (req, _res, params) => listAdAccounts(ctx, user(ctx, req, params))),
  );
  router.post(
    '/:account/campaigns',
    graphRoute(ctx, 'other', (req, _res, params) => createCampaign(ctx, account(ctx, req, params), params)),
  );
  router.post(
    '/:account/adsets',
    graphRoute(ctx, 'other', (req, _res, params) => createAdSet(ctx, account(ctx, req, params), params)),
  );
  router.post(
    '/:account/adcreatives',
    graphRoute(ctx, 'other', (req, _res, params) => createCreative(ctx, account(ctx, req, params), params)),
  );
  router.post(
    '/:account/ads',
    graphRoute(ctx, 'other', (req, _res, params) => createAd(ctx, account(ctx, req, params), params)),
  );
  const readObject = graphRoute(ctx, 'other', (req, _res, params) => {
    const object = ownedObject(ctx, req, params);
    return describe(ctx, object);
  });
  const updateObject = graphRoute(ctx, 'other', (req, _res, params) => {
    const object = ownedObject(ctx, req, params);
    const status = requireString(params, 'status');
    if (!isAdStatus(status))
      throw GraphError.invalid(`param status must be one of {${AD_STATUSES.join(', ')}}`);
    // Delivery up to now happened under the old status.
    deliverAll(ctx);
    object.record.status = status;
    return { success: true };
  });
  const readInsights = graphRoute(ctx, 'other', (req, _res, params) =>
    insights(ctx, ownedObject(ctx, req, params)),
  );
  router.get('/:id', onlyMarketingObjects(ctx, readObject));
  router.post('/:id', onlyMarketingObjects(ctx, updateObject));
  router.get('/:id/insights', onlyMarketingObjects(ctx, readInsights));
  return router;
}

type MarketingObject =
  | { kind: 'campaign'; record: CampaignRecord }
  | { kind: 'adset'; record: AdSetRecord }
  | { kind: 'ad'; record: AdRecord };

/** `/{id}` belongs to the other node routes unless it is a campaign, an ad set or an ad. */
function onlyMarketingObjects(ctx: SimContext, handler: RequestHandler): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const id = req.params.id;
    const { campaigns, adSets, ads } = ctx.state;
    if (typeof id === 'string' && (campaigns.has(id) || adSets.has(id) || ads.has(id))) {
      return handler(req, res, next);
    }
    next();
  };
}

function user(ctx: SimContext, req: Request, params: Params): { caller: Caller; user: UserRecord } {
  const caller = authenticate(ctx, req, params);
  if (caller.kind !== 'user') {
    throw new GraphError(190, null, 'Error validating access token: a user access token is required');
  }
  requirePermission(ctx, caller, 'ads_management');
  return { caller, user: caller.user };
}

function account(ctx: SimContext, req: Request, params: Params): AdAccountRecord {
  const id = pathParam(req, 'account');
  const { user: caller } = user(ctx, req, params);
  const record = ctx.state.adAccounts.get(id);
  if (!record || !record.userIds.includes(caller.id)) throw GraphError.unsupported('post', id);
  return record;
}

function listAdAccounts(ctx: SimContext, { user: caller }: { user: UserRecord }) {
  const data = [...ctx.state.adAccounts.values()]
    .filter((record) => record.userIds.includes(caller.id))
    .map((record) => ({
      id: record.id,
      account_id: record.id.slice('act_'.length),
      name: record.name,
      currency: record.currency,
      account_status: 1,
    }));
  return { data };
}

function ownedObject(ctx: SimContext, req: Request, params: Params): MarketingObject {
  const id = pathParam(req, 'id');
  const { user: caller } = user(ctx, req, params);
  const { campaigns, adSets, ads } = ctx.state;
  const found: MarketingObject | undefined = campaigns.has(id)
    ? { kind: 'campaign', record: campaigns.get(id) as CampaignRecord }
    : adSets.has(id)
      ? { kind: 'adset', record: adSets.get(id) as AdSetRecord }
      : ads.has(id)
        ? { kind: 'ad', record: ads.get(id) as AdRecord }
        : undefined;
  const owner = found ? ctx.state.adAccounts.get(found.record.accountId) : undefined;
  if (!found || !owner?.userIds.includes(caller.id)) throw GraphError.unsupported(req.method, id);
  return found;
}

function isAdStatus(value: string): value is AdStatus {
  return (AD_STATUSES as string[]).includes(value);
}

function statusParam(params: Params): AdStatus {
  const status = stringParam(params, 'status') ?? 'PAUSED';
  if (!isAdStatus(status))
    throw GraphError.invalid(`param status must be one of {${AD_STATUSES.join(', ')}}`);
  return status;
}

function createCampaign(ctx: SimContext, owner: AdAccountRecord, params: Params) {
  const name = requireString(params, 'name');
  const objective = requireString(params, 'objective');
  const { sponsoredMessageObjectives } = ctx.settings.marketing;
  if (!sponsoredMessageObjectives.includes(objective)) {
    throw GraphError.invalid(`param objective must be one of {${sponsoredMessageObjectives.join(', ')}}`);
  }
  // Meta insists every campaign declares its special ad categories, an empty list included.
  if (!Array.isArray(jsonParam(params, 'special_ad_categories'))) {
    throw GraphError.invalid('The parameter special_ad_categories is required');
  }
  const campaign: CampaignRecord = {
    id: newNumericId(),
    accountId: owner.id,
    name,
    objective,
    status: statusParam(params),
  };
  ctx.state.campaigns.set(campaign.id, campaign);
  return { id: campaign.id };
}

function timeParam(params: Params, name: string): number | null {
  const value = stringParam(params, name);
  if (value === undefined || value === '') return null;
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : Date.parse(value);
  if (!Number.isFinite(ms))
    throw GraphError.invalid(`param ${name} must be a time (ISO 8601 or UNIX seconds)`);
  return ms;
}

function budgetParam(params: Params, name: string): number | null {
  const value = stringParam(params, name);
  if (value === undefined) return null;
  if (!/^\d+$/.test(value)) throw GraphError.invalid(`param ${name} must be a whole number of minor units`);
  return Number(value);
}

function createAdSet(ctx: SimContext, owner: AdAccountRecord, params: Params) {
  const name = requireString(params, 'name');
  const campaignId = requireString(params, 'campaign_id');
  const campaign = ctx.state.campaigns.get(campaignId);
  if (!campaign || campaign.accountId !== owner.id) throw GraphError.invalid('param campaign_id is invalid');
  const pageId = promotedPage(ctx, params);
  assertSponsoredMessagePlacement(params);
  const dailyBudget = budgetParam(params, 'daily_budget');
  const lifetimeBudget = budgetParam(params, 'lifetime_budget');
  if ((dailyBudget === null) === (lifetimeBudget === null)) {
    throw GraphError.invalid('An ad set needs exactly one of daily_budget or lifetime_budget');
  }
  const startTime = timeParam(params, 'start_time') ?? ctx.clock.now();
  const endTime = timeParam(params, 'end_time');
  if (lifetimeBudget !== null && endTime === null) {
    throw GraphError.invalid('end_time is required for an ad set with a lifetime_budget');
  }
  if (endTime !== null && endTime <= startTime) throw GraphError.invalid('end_time must be after start_time');
  const { minDailyBudget, budgetTooLow } = ctx.settings.marketing;
  const days = endTime === null ? 1 : Math.max(1, Math.ceil((endTime - startTime) / DAY_MS));
  const minimum = dailyBudget !== null ? minDailyBudget : minDailyBudget * days;
  if ((dailyBudget ?? lifetimeBudget ?? 0) < minimum) {
    throw new GraphError(
      budgetTooLow.code,
      budgetTooLow.subcode,
      `(#${budgetTooLow.code}) Your budget is too low. The minimum ${dailyBudget !== null ? 'daily' : 'lifetime'} budget for this ad set is ${minimum} (${owner.currency} minor units).`,
    );
  }
  const adSet: AdSetRecord = {
    id: newNumericId(),
    accountId: owner.id,
    campaignId,
    name,
    pageId,
    dailyBudget,
    lifetimeBudget,
    startTime,
    endTime,
    status: statusParam(params),
  };
  ctx.state.adSets.set(adSet.id, adSet);
  return { id: adSet.id };
}

function promotedPage(ctx: SimContext, params: Params): string {
  const promoted = jsonParam(params, 'promoted_object');
  const pageId = isRecord(promoted) ? promoted.page_id : undefined;
  if (typeof pageId !== 'string' || !ctx.state.pages.has(pageId)) {
    throw GraphError.invalid('param promoted_object[page_id] must be a Page');
  }
  return pageId;
}

/** The ad set must run in Messenger's sponsored-message position and nowhere else. */
function assertSponsoredMessagePlacement(params: Params): void {
  const targeting = jsonParam(params, 'targeting');
  const platforms = isRecord(targeting) ? targeting.publisher_platforms : undefined;
  const positions = isRecord(targeting) ? targeting.messenger_positions : undefined;
  const only = (list: unknown, value: string) =>
    Array.isArray(list) && list.length === 1 && list[0] === value;
  if (!only(platforms, 'messenger') || !only(positions, 'sponsored_messages')) {
    throw GraphError.invalid(
      'A sponsored message ad set targets publisher_platforms ["messenger"] and messenger_positions ["sponsored_messages"] only',
    );
  }
}

function createCreative(ctx: SimContext, owner: AdAccountRecord, params: Params) {
  const name = requireString(params, 'name');
  const pageId = requireString(params, 'object_id');
  if (!ctx.state.pages.has(pageId)) throw GraphError.invalid('param object_id must be a Page');
  const sponsored = jsonParam(params, 'messenger_sponsored_message');
  const message = isRecord(sponsored) ? sponsored.message : undefined;
  if (!isRecord(message) || typeof message.text !== 'string' || message.text.trim() === '') {
    throw GraphError.invalid('param messenger_sponsored_message[message][text] must be non-empty');
  }
  if ([...message.text].length >= 2000) {
    throw GraphError.invalid(
      'Length of param messenger_sponsored_message[message][text] must be less than 2000',
    );
  }
  const id = newNumericId();
  ctx.state.adCreatives.set(id, { id, accountId: owner.id, name, pageId, message });
  return { id };
}

function createAd(ctx: SimContext, owner: AdAccountRecord, params: Params) {
  const name = requireString(params, 'name');
  const adSetId = requireString(params, 'adset_id');
  const adSet = ctx.state.adSets.get(adSetId);
  if (!adSet || adSet.accountId !== owner.id) throw GraphError.invalid('param adset_id is invalid');
  const creative = jsonParam(params, 'creative');
  const creativeId = isRecord(creative) ? String(creative.creative_id ?? '') : '';
  const stored = ctx.state.adCreatives.get(creativeId);
  if (!stored || stored.accountId !== owner.id)
    throw GraphError.invalid('param creative[creative_id] is invalid');
  if (stored.pageId !== adSet.pageId) {
    throw GraphError.invalid('The creative and the ad set must promote the same Page');
  }
  const ad: AdRecord = {
    id: newNumericId(),
    accountId: owner.id,
    adSetId,
    creativeId,
    name,
    status: statusParam(params),
    deliveredTo: [],
  };
  ctx.state.ads.set(ad.id, ad);
  return { id: ad.id };
}

/** Meta's `effective_status`: an object is held by its own status or by its parent's. */
function effectiveStatus(ctx: SimContext, object: MarketingObject): string {
  const campaignOf = (adSet: AdSetRecord) => ctx.state.campaigns.get(adSet.campaignId);
  if (object.kind === 'campaign') return object.record.status;
  if (object.kind === 'adset') {
    if (campaignOf(object.record)?.status === 'PAUSED') return 'CAMPAIGN_PAUSED';
    return object.record.status;
  }
  const adSet = ctx.state.adSets.get(object.record.adSetId);
  if (adSet && campaignOf(adSet)?.status === 'PAUSED') return 'CAMPAIGN_PAUSED';
  if (adSet?.status === 'PAUSED') return 'ADSET_PAUSED';
  return object.record.status;
}

function describe(ctx: SimContext, object: MarketingObject) {
  deliverAll(ctx);
  const base = {
    id: object.record.id,
    name: object.record.name,
    status: object.record.status,
    effective_status: effectiveStatus(ctx, object),
  };
  if (object.kind === 'campaign') return { ...base, objective: object.record.objective };
  if (object.kind === 'ad') return { ...base, adset_id: object.record.adSetId };
  const adSet = object.record;
  return {
    ...base,
    campaign_id: adSet.campaignId,
    ...(adSet.dailyBudget !== null ? { daily_budget: String(adSet.dailyBudget) } : {}),
    ...(adSet.lifetimeBudget !== null ? { lifetime_budget: String(adSet.lifetimeBudget) } : {}),
    start_time: metaTime(adSet.startTime),
    ...(adSet.endTime !== null ? { end_time: metaTime(adSet.endTime) } : {}),
  };
}

/**
 * Delivers every running sponsored message up to the simulated now: each person with a conversation with the Page
 * (and who has not blocked it) receives it once, while the ad and its parents are ACTIVE and inside the schedule.
 */
function deliverAll(ctx: SimContext): void {
  const now = ctx.clock.now();
  for (const ad of ctx.state.ads.values()) {
    const adSet = ctx.state.adSets.get(ad.adSetId);
    if (!adSet || effectiveStatus(ctx, { kind: 'ad', record: ad }) !== 'ACTIVE') continue;
    if (now < adSet.startTime || (adSet.endTime !== null && now >= adSet.endTime)) continue;
    const reached = new Set(ad.deliveredTo);
    for (const thread of ctx.state.threads.values()) {
      if (thread.pageId !== adSet.pageId || !thread.userStarted || thread.blocked) continue;
      if (reached.has(thread.psid)) continue;
      if (spendOf(ctx, ad.deliveredTo.length + 1) > budgetSoFar(adSet, now)) break;
      ad.deliveredTo.push(thread.psid);
      reached.add(thread.psid);
    }
  }
}

function spendOf(ctx: SimContext, reach: number): number {
  return Math.round((reach * ctx.settings.marketing.costPerThousand) / 1000);
}

function budgetSoFar(adSet: AdSetRecord, now: number): number {
  if (adSet.lifetimeBudget !== null) return adSet.lifetimeBudget;
  const days = Math.max(1, Math.ceil((now - adSet.startTime) / DAY_MS));
  return (adSet.dailyBudget ?? 0) * days;
}

/** `GET /{id}/insights`: totals over the object's ads, numbers as strings and spend in major units, as Meta writes them. */
function insights(ctx: SimContext, object: MarketingObject) {
  deliverAll(ctx);
  const adSetIds = new Set(
    object.kind === 'campaign'
      ? [...ctx.state.adSets.values()]
          .filter((set) => set.campaignId === object.record.id)
          .map((set) => set.id)
      : object.kind === 'adset'
        ? [object.record.id]
        : [object.record.adSetId],
  );
  const ads = [...ctx.state.ads.values()].filter(
    (ad) => adSetIds.has(ad.adSetId) && (object.kind !== 'ad' || ad.id === object.record.id),
  );
  const reach = ads.reduce((sum, ad) => sum + ad.deliveredTo.length, 0);
  const adSets = [...adSetIds].flatMap((id) => {
    const set = ctx.state.adSets.get(id);
    return set ? [set] : [];
  });
  const start = Math.min(...adSets.map((set) => set.startTime), ctx.clock.now());
  if (reach === 0) return { data: [] };
  return {
    data: [
      {
        impressions: String(reach),
        reach: String(reach),
        spend: (spendOf(ctx, reach) / 100).toFixed(2),
        date_start: metaDate(start),
        date_stop: metaDate(ctx.clock.now()),
      },
    ],
  };
}

function metaTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}

function metaDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
