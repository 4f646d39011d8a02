import { createGraphHttp, type GraphHttpOptions } from './graph-http';
import { createLoginCalls, type LoginCalls } from './graph-login-calls';
import { createMarketingCalls, type MarketingCalls } from './graph-marketing-calls';
import { createPageCalls, type PageCalls } from './graph-page-calls';
import type { PageUsage } from './usage-headers';

export interface GraphClientOptions extends GraphHttpOptions {
  appId: string;
}

/**
 * The only way the product talks to Meta. Every call goes to `{baseUrl}/{apiVersion}/...` with `appsecret_proof`,
 * a timeout and bounded retries, and fails with a `GraphError` whose outcome says what to do next.
 */
export interface GraphClient extends PageCalls, LoginCalls, MarketingCalls {
  /** What Meta last reported about a Page's usage of its limits. */
  lastUsage(pageId: string): PageUsage | undefined;
}

export function createGraphClient(options: GraphClientOptions): GraphClient {
  const http = createGraphHttp(options);
  return {
    ...createPageCalls(http),
    ...createLoginCalls(http, { appId: options.appId, appSecret: options.appSecret }),
    ...createMarketingCalls(http),
    lastUsage: http.lastUsage,
  };
}
