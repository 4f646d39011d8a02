import { z } from 'zod';
import { dataListAnswer, idAnswer, readAnswer, successAnswer } from './graph-answers';
import type { GraphHttp } from './graph-http';

export type AdStatus = 'ACTIVE' | 'PAUSED';

export interface AdAccount {
  id: string;
  name: string;
  currency: string;
}

/** A sponsored message as Meta's Marketing API builds it (docs/meta-marketing-and-phone.md §1). */
export interface SponsoredMessageRequest {
  adAccountId: string;
  name: string;
  objective: string;
  fbPageId: string;
  text: string;
  /** Minor units of the ad account's currency. */
  budget: { kind: 'daily' | 'lifetime'; amount: number };
  startTime: Date;
  endTime?: Date;
}

export interface SponsoredMessageIds {
  campaignId: string;
  adSetId: string;
  creativeId: string;
  adId: string;
}

export interface AdResults {
  impressions: number;
  reach: number;
  /** Minor units. */
  spend: number;
}

const adAccountAnswer = z.object({ id: z.string(), name: z.string(), currency: z.string() });
const statusAnswer = z.object({ status: z.string(), effective_status: z.string() });
const insightsAnswer = dataListAnswer(
  z.object({ impressions: z.string(), reach: z.string(), spend: z.string() }),
);

/** Meta's sponsored-message placement: Messenger's inbox, nowhere else. */
const sponsoredMessagePlacement = {
  publisher_platforms: ['messenger'],
  messenger_positions: ['sponsored_messages'],
};

/** Marketing API calls, made with the member's own user token (which carries `ads_management`). */
export function createMarketingCalls(http: GraphHttp) {
  const asUser = (accessToken: string) => ({ accessToken });

  /**
   * The campaign is created PAUSED and activated last, so a half-built sponsored message never spends. A refusal
   * part way leaves the paused campaign (and the ids made so far) for the caller to record.
   */
  async function createSponsoredMessage(
    userToken: string,
    request: SponsoredMessageRequest,
    made: Partial<SponsoredMessageIds> = {},
  ): Promise<SponsoredMessageIds> {
    const account = `/${request.adAccountId}`;
    const post = async (path: string, body: Record<string, unknown>, what: string) =>
      readAnswer(idAnswer, await http.call({ ...asUser(userToken), method: 'POST', path, body }), what).id;
    made.campaignId = await post(
      `${account}/campaigns`,
      { name: request.name, objective: request.objective, status: 'PAUSED', special_ad_categories: [] },
      'a campaign',
    );
    made.adSetId = await post(
      `${account}/adsets`,
      {
        name: request.name,
        campaign_id: made.campaignId,
        [request.budget.kind === 'daily' ? 'daily_budget' : 'lifetime_budget']: request.budget.amount,
        start_time: request.startTime.toISOString(),
        ...(request.endTime ? { end_time: request.endTime.toISOString() } : {}),
        billing_event: 'IMPRESSIONS',
        optimization_goal: 'IMPRESSIONS',
        promoted_object: { page_id: request.fbPageId },
        targeting: sponsoredMessagePlacement,
        status: 'ACTIVE',
      },
      'an ad set',
    );
    made.creativeId = await post(
      `${account}/adcreatives`,
      {
        name: request.name,
        object_id: request.fbPageId,
        messenger_sponsored_message: { message: { text: request.text } },
      },
      'an ad creative',
    );
    made.adId = await post(
      `${account}/ads`,
      {
        name: request.name,
        adset_id: made.adSetId,
        creative: { creative_id: made.creativeId },
        status: 'ACTIVE',
      },
      'an ad',
    );
    await setStatus(userToken, made.campaignId, 'ACTIVE');
    return made as SponsoredMessageIds;
  }

  async function setStatus(userToken: string, objectId: string, status: AdStatus): Promise<void> {
    const data = await http.call({
      ...asUser(userToken),
      method: 'POST',
      path: `/${objectId}`,
      body: { status },
    });
    readAnswer(successAnswer, data, 'a status change');
  }

  return {
    async listAdAccounts(userToken: string): Promise<AdAccount[]> {
      const params = { fields: 'id,name,currency' };
      const data = await http.call({ ...asUser(userToken), method: 'GET', path: '/me/adaccounts', params });
      return readAnswer(dataListAnswer(adAccountAnswer), data, 'an ad account list').data;
    },
    createSponsoredMessage,
    setAdStatus: setStatus,
    /** The ad's own status and what holds it (`CAMPAIGN_PAUSED`, ...). */
    async readAdStatus(
      userToken: string,
      adId: string,
    ): Promise<{ status: string; effectiveStatus: string }> {
      const params = { fields: 'status,effective_status' };
      const data = await http.call({ ...asUser(userToken), method: 'GET', path: `/${adId}`, params });
      const answer = readAnswer(statusAnswer, data, 'an ad status');
      return { status: answer.status, effectiveStatus: answer.effective_status };
    },
    /** Lifetime totals; Meta writes numbers as strings and spend in major units. */
    async readAdResults(userToken: string, adId: string): Promise<AdResults> {
      const params = { fields: 'impressions,reach,spend', date_preset: 'maximum' };
      const data = await http.call({
        ...asUser(userToken),
        method: 'GET',
        path: `/${adId}/insights`,
        params,
      });
      const row = readAnswer(insightsAnswer, data, 'ad insights').data[0];
      if (!row) return { impressions: 0, reach: 0, spend: 0 };
      return {
        impressions: Number(row.impressions),
        reach: Number(row.reach),
        spend: Math.round(Number(row.spend) * 100),
      };
    },
  };
}

export type MarketingCalls = ReturnType<typeof createMarketingCalls>;
