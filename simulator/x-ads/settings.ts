/** X's ads-account permissions, as GET accounts/:account_id/authenticated_user_access names them. */
export const adsPermissions = [
  'ACCOUNT_ADMIN',
  'AD_MANAGER',
  'CREATIVE_MANAGER',
  'CAMPAIGN_ANALYST',
  'ANALYST',
  'PARTNER_AUDIENCE_MANAGER',
  'TWEET_COMPOSER',
] as const;
export type AdsPermission = (typeof adsPermissions)[number];

export interface XAdsUserSeed {
  id: string;
  screenName: string;
  name: string;
}

export interface XAdsCampaignSeed {
  id: string;
  name: string;
  status?: 'ACTIVE' | 'PAUSED';
  dailyBudgetMicro?: number;
}

export interface XAdsAccountSeed {
  id: string;
  name: string;
  currency?: string;
  campaigns: XAdsCampaignSeed[];
  /** X user id → the permissions that user holds on this ads account. */
  access: Record<string, AdsPermission[]>;
}

export interface XAdsSeed {
  users: XAdsUserSeed[];
  accounts: XAdsAccountSeed[];
}

export interface XAdsRateLimitSettings {
  /** Requests per window per ads account and endpoint (account level), or per token and endpoint (user level). */
  limit: number;
  /** Windows are aligned to multiples of this (real ms); X's are 15 minutes. */
  windowMs: number;
}

export interface XAdsSettings {
  consumerKey: string;
  consumerSecret: string;
  /** The Ads API version in paths (`/12/accounts`). */
  version: string;
  rateLimit: XAdsRateLimitSettings;
  /** How far oauth_timestamp may stray from the simulated clock (UNCONFIRMED; X refuses stale requests). */
  timestampSkewSeconds: number;
  /** Permissions that may read campaigns and stats (UNCONFIRMED beyond X's descriptions of each role). */
  statsPermissions: AdsPermission[];
  /** Longest stats range for the synchronous endpoint, in days (X: 7). */
  maxStatsDays: number;
  seed: XAdsSeed;
}

export type XAdsOptions = Partial<Omit<XAdsSettings, 'rateLimit'>> & {
  rateLimit?: Partial<XAdsRateLimitSettings>;
};

/** A small ads world for the sandbox and for tests that do not bring their own. */
export const defaultXAdsSeed: XAdsSeed = {
  users: [
    { id: '7001', screenName: 'dana_ads', name: 'Dana Admin' },
    { id: '7002', screenName: 'mo_manager', name: 'Mo Manager' },
    { id: '7003', screenName: 'tess_composer', name: 'Tess Composer' },
  ],
  accounts: [
    {
      id: '18ce54d4x5t',
      name: 'Bakery Ads',
      currency: 'USD',
      campaigns: [
        { id: 'c1a2b', name: 'Sourdough launch', dailyBudgetMicro: 50_000_000 },
        { id: 'c3d4e', name: 'Weekend brunch', status: 'PAUSED', dailyBudgetMicro: 20_000_000 },
      ],
      access: {
        '7001': ['ACCOUNT_ADMIN', 'TWEET_COMPOSER'],
        '7002': ['AD_MANAGER'],
        '7003': ['TWEET_COMPOSER'],
      },
    },
  ],
};

export function resolveXAdsSettings(options: XAdsOptions = {}): XAdsSettings {
  return {
    consumerKey: options.consumerKey ?? 'sim-x-ads-consumer-key',
    consumerSecret: options.consumerSecret ?? 'sim-x-ads-consumer-secret',
    version: options.version ?? '12',
    rateLimit: { limit: 250, windowMs: 15 * 60_000, ...options.rateLimit },
    timestampSkewSeconds: options.timestampSkewSeconds ?? 300,
    statsPermissions: options.statsPermissions ?? [
      'ACCOUNT_ADMIN',
      'AD_MANAGER',
      'CREATIVE_MANAGER',
      'CAMPAIGN_ANALYST',
    ],
    maxStatsDays: options.maxStatsDays ?? 7,
    seed: structuredClone(options.seed ?? defaultXAdsSeed),
  };
}
