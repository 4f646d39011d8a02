import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { loadConfig, type Config } from '../../server/config';
import type { Simulator } from '../../simulator/index';
import { testTempDir } from './temp-dir';

/** A small stand-in for `npm run build:client`'s output, so no test needs a real build. */
export const testClientDistDir = path.join(__dirname, 'client-dist');

/** A complete test configuration: every secret set, so nothing is generated or written. */
export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    DATA_DIR: testTempDir('pagewire-test-data'),
    SESSION_SECRET: randomBytes(24).toString('hex'),
    TOKEN_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
    FB_APP_ID: '100000000000001',
    FB_APP_SECRET: randomBytes(16).toString('hex'),
    FB_VERIFY_TOKEN: randomBytes(16).toString('hex'),
    CLIENT_DIST_DIR: testClientDistDir,
    ...overrides,
  });
}

/** The variables that make Pagewire talk to the simulator as it would to Meta, and not retry refusals. */
export const simulatorVariables = (simulator: Simulator): Record<string, string> => ({
  FB_GRAPH_URL: simulator.url,
  FB_DIALOG_URL: simulator.url,
  FB_API_VERSION: simulator.apiVersion,
  FB_APP_ID: simulator.appId,
  FB_APP_SECRET: simulator.appSecret,
  GRAPH_MAX_RETRIES: '0',
  LOGIN_RATE_LIMIT: '1000',
  X_ADS_API_URL: simulator.xAds.baseUrl,
  X_ADS_OAUTH_URL: simulator.xAds.baseUrl,
  X_ADS_CONSUMER_KEY: simulator.xAds.consumerKey,
  X_ADS_CONSUMER_SECRET: simulator.xAds.consumerSecret,
  X_API_URL: `${simulator.url}/x`,
  X_AUTHORIZE_URL: `${simulator.url}/x/i/oauth2/authorize`,
  X_CLIENT_ID: simulator.x.clientId,
  X_CLIENT_SECRET: simulator.x.clientSecret,
  X_MAX_RETRIES: '0',
});
