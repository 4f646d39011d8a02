import { Router } from 'express';
import { xAdsApiRoutes } from './ads-routes';
import { xAdsControlRoutes } from './control-routes';
import { xAdsOAuthRoutes } from './oauth-routes';
import { XAdsRateLimiter } from './rate-limits';
import { resolveXAdsSettings, type XAdsOptions } from './settings';
import { XAdsWorld } from './world';

export type * from './settings';

export interface XAdsSimulator {
  /** Mounted at `/x-ads`: the OAuth 1.0a flow and the Ads API (`/x-ads/12/...`). */
  api: Router;
  /** Mounted at `/_sim/x-ads`. */
  control: Router;
  consumerKey: string;
  consumerSecret: string;
  reset(): void;
}

/** X's Ads API as the simulator plays it; its own world, settings and rate limits, beside the Graph API. */
export function createXAdsSimulator(options: XAdsOptions = {}): XAdsSimulator {
  const settings = resolveXAdsSettings(options);
  const initialRateLimit = { ...settings.rateLimit };
  const world = new XAdsWorld(settings.seed);
  const limiter = new XAdsRateLimiter(() => settings.rateLimit);
  const api = Router();
  api.use(xAdsOAuthRoutes(settings, world));
  api.use(xAdsApiRoutes(settings, world, limiter));
  return {
    api,
    control: xAdsControlRoutes(settings, world, limiter),
    consumerKey: settings.consumerKey,
    consumerSecret: settings.consumerSecret,
    reset() {
      world.reset();
      limiter.reset();
      Object.assign(settings.rateLimit, initialRateLimit);
    },
  };
}
