import { createHmac } from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import OAuth from 'oauth-1.0a';
import type { Logger } from '../platform/logger';
import type { RatePacer } from './rate-pacer';

/** An X user's OAuth 1.0a access token and secret. */
export interface XAdsCredentials {
  token: string;
  tokenSecret: string;
}

export interface XAdsClientOptions {
  apiUrl: string;
  oauthUrl: string;
  version: string;
  consumerKey: string;
  consumerSecret: string;
  timeoutMs: number;
  maxRetries: number;
  pacer: RatePacer;
  logger: Logger;
}

/** X refused or failed a call: `status` 401 means the token no longer works, 403 the role does not allow it. */
export class XAdsApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'XAdsApiError';
  }
}

interface Answer {
  status: number;
  data: unknown;
  headers: Record<string, unknown>;
}

export interface AdsAccount {
  id: string;
  name: string;
  currency?: string;
}

export interface Campaign {
  id: string;
  name: string;
  entity_status: string;
}

export interface StatsQuery {
  entity: 'ACCOUNT' | 'CAMPAIGN';
  entityIds: string[];
  startTime: Date;
  endTime: Date;
}

export interface DailyStats {
  id: string;
  impressions: number[];
  engagements: number[];
  clicks: number[];
  billedChargeLocalMicro: number[];
}

const numbers = (value: unknown): number[] =>
  Array.isArray(value) ? value.map((item) => (typeof item === 'number' ? item : 0)) : [];

/**
 * The one place that talks to X's Ads API: every request signed with OAuth 1.0a (HMAC-SHA1, the app's consumer
 * secret and the person's token secret) and, for API calls, paced by the rate window it spends (per ads account and
 * endpoint, or per user for GET accounts).
 */
export function createXAdsClient(options: XAdsClientOptions) {
  const oauth = new OAuth({
    consumer: { key: options.consumerKey, secret: options.consumerSecret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });
  const http: AxiosInstance = axios.create({ timeout: options.timeoutMs, validateStatus: () => true });

  async function send(
    method: 'GET' | 'POST',
    url: string,
    token?: OAuth.Token,
    data?: Record<string, string>,
  ) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        // Signed anew each attempt: X refuses a nonce it has seen.
        const headers = oauth.toHeader(
          oauth.authorize({ url, method, ...(data ? { data: { ...data } } : {}) }, token),
        );
        const response = await http.request({ method, url, headers: { ...headers } });
        if (response.status < 500 || attempt >= options.maxRetries) {
          return {
            status: response.status,
            data: response.data as unknown,
            headers: { ...response.headers },
          };
        }
      } catch (error) {
        if (attempt >= options.maxRetries) throw error;
        options.logger.warn({ err: error, attempt }, 'X Ads call failed; retrying');
      }
      await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
    }
  }

  function failure(answer: Answer): XAdsApiError {
    const first = (answer.data as { errors?: { code?: string; message?: string }[] } | undefined)
      ?.errors?.[0];
    return new XAdsApiError(
      answer.status,
      first?.code ?? 'UNKNOWN',
      first?.message ?? `X answered ${answer.status}`,
    );
  }

  async function get(
    credentials: XAdsCredentials,
    rateKey: string,
    path: string,
    query: Record<string, string> = {},
  ) {
    const search = new URLSearchParams(query).toString();
    const url = `${options.apiUrl}/${options.version}${path}${search ? `?${search}` : ''}`;
    const token = { key: credentials.token, secret: credentials.tokenSecret };
    let answer = await options.pacer.run(rateKey, () => send('GET', url, token));
    // Refused for the rate after all (another app spends the same ads account's window): the pacer now knows the
    // window is spent and waits for its reset; a few tries, then the refusal stands.
    for (let tries = 1; answer.status === 429 && tries < 3; tries += 1) {
      answer = await options.pacer.run(rateKey, () => send('GET', url, token));
    }
    if (answer.status !== 200) throw failure(answer);
    return (answer.data as { data: unknown }).data;
  }

  const form = (answer: Answer) => {
    if (answer.status !== 200) throw failure(answer);
    return new URLSearchParams(String(answer.data));
  };

  return {
    /** Step 1 of X's 3-legged flow: a request token, and the address to send the person to. */
    async requestToken(callbackUrl: string) {
      const answer = form(
        await send('POST', `${options.oauthUrl}/oauth/request_token`, undefined, {
          oauth_callback: callbackUrl,
        }),
      );
      const token = answer.get('oauth_token') ?? '';
      return {
        token,
        secret: answer.get('oauth_token_secret') ?? '',
        authorizeUrl: `${options.oauthUrl}/oauth/authorize?oauth_token=${encodeURIComponent(token)}`,
      };
    },

    /** Step 3: the person's access token for the request token they approved. */
    async accessToken(requestToken: string, requestTokenSecret: string, verifier: string) {
      const answer = form(
        await send(
          'POST',
          `${options.oauthUrl}/oauth/access_token`,
          { key: requestToken, secret: requestTokenSecret },
          { oauth_verifier: verifier },
        ),
      );
      return {
        token: answer.get('oauth_token') ?? '',
        tokenSecret: answer.get('oauth_token_secret') ?? '',
        userId: answer.get('user_id') ?? '',
        screenName: answer.get('screen_name') ?? '',
      };
    },

    accounts: async (credentials: XAdsCredentials, xUserId: string) =>
      (await get(credentials, `user:${xUserId}:accounts`, '/accounts')) as AdsAccount[],

    permissions: async (credentials: XAdsCredentials, accountId: string) =>
      (
        (await get(
          credentials,
          `account:${accountId}:authenticated_user_access`,
          `/accounts/${accountId}/authenticated_user_access`,
        )) as { permissions: string[] }
      ).permissions,

    campaigns: async (credentials: XAdsCredentials, accountId: string) =>
      (await get(
        credentials,
        `account:${accountId}:campaigns`,
        `/accounts/${accountId}/campaigns`,
      )) as Campaign[],

    async dailyStats(
      credentials: XAdsCredentials,
      accountId: string,
      query: StatsQuery,
    ): Promise<DailyStats[]> {
      const data = (await get(credentials, `account:${accountId}:stats`, `/stats/accounts/${accountId}`, {
        entity: query.entity,
        entity_ids: query.entityIds.join(','),
        start_time: query.startTime.toISOString(),
        end_time: query.endTime.toISOString(),
        granularity: 'DAY',
        metric_groups: 'ENGAGEMENT,BILLING',
        placement: 'ALL_ON_TWITTER',
      })) as { id: string; id_data: { metrics: Record<string, unknown> }[] }[];
      return data.map((entry) => {
        const metrics = entry.id_data[0]?.metrics ?? {};
        return {
          id: entry.id,
          impressions: numbers(metrics.impressions),
          engagements: numbers(metrics.engagements),
          clicks: numbers(metrics.clicks),
          billedChargeLocalMicro: numbers(metrics.billed_charge_local_micro),
        };
      });
    },
  };
}

export type XAdsClient = ReturnType<typeof createXAdsClient>;
