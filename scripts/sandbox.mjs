// The sandbox, for npm start and npm run dev: with no Facebook app configured (outside production), the Messenger
// Platform simulator plays Meta on a loopback port, seeded from simulator/seed.example.json, and the app is pointed
// at it with SANDBOX=1 (which mounts /api/sandbox and lets it move the app's clock with the simulator's). The same
// simulator plays X's Ads API, under an X app both are given here.
import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Answers null when a Facebook app (or another Graph URL) is configured, or in production. */
export function sandboxFor(env, root) {
  if (env.NODE_ENV === 'production' || env.FB_APP_ID || env.FB_GRAPH_URL) return null;
  const seedPath = env.SIM_SEED ?? path.join(root, 'simulator', 'seed.example.json');
  const seed = JSON.parse(readFileSync(seedPath, 'utf8'));
  const simulatorUrl = `http://127.0.0.1:${env.SIM_PORT ?? 3900}`;
  const verifyToken = 'pagewire-sandbox-verify-token';
  const xAdsApp = { key: 'pagewire-sandbox-x-ads-key', secret: 'pagewire-sandbox-x-ads-secret' };
  return {
    simulatorUrl,
    loginNames: (seed.users ?? []).map((user) => user.name),
    simulatorEnv: {
      ...env,
      SIM_SEED: seedPath,
      SIM_WEBHOOK_URL: `http://127.0.0.1:${env.PORT ?? 3000}/webhooks/facebook`,
      SIM_VERIFY_TOKEN: verifyToken,
      SIM_X_ADS_CONSUMER_KEY: xAdsApp.key,
      SIM_X_ADS_CONSUMER_SECRET: xAdsApp.secret,
    },
    serverEnv: {
      ...env,
      SANDBOX: '1',
      FB_APP_ID: seed.appId,
      FB_APP_SECRET: seed.appSecret,
      FB_VERIFY_TOKEN: verifyToken,
      FB_GRAPH_URL: simulatorUrl,
      FB_DIALOG_URL: simulatorUrl,
      X_ADS_API_URL: `${simulatorUrl}/x-ads`,
      X_ADS_OAUTH_URL: `${simulatorUrl}/x-ads`,
      X_ADS_CONSUMER_KEY: xAdsApp.key,
      X_ADS_CONSUMER_SECRET: xAdsApp.secret,
      X_API_URL: `${simulatorUrl}/x`,
      X_AUTHORIZE_URL: `${simulatorUrl}/x/i/oauth2/authorize`,
      X_CLIENT_ID: 'simulator-x-client-id',
      X_CLIENT_SECRET: 'simulator-x-client-secret',
      // The sandbox's webhook receivers and feeds run on this machine.
      OUTGOING_WEBHOOKS_ALLOW_PRIVATE: env.OUTGOING_WEBHOOKS_ALLOW_PRIVATE ?? 'true',
      AUTOPOSTING_ALLOW_PRIVATE_FEEDS: env.AUTOPOSTING_ALLOW_PRIVATE_FEEDS ?? 'true',
    },
  };
}

/** What to tell the person who ran the script, once the dashboard answers. */
export function openMessage(url, sandbox) {
  const login = sandbox
    ? `continue with Facebook (simulated: log in as ${sandbox.loginNames.join(' or ') || 'a seeded user'})`
    : 'continue with Facebook';
  return `\n  Pagewire is ready. Open ${url} and ${login}.\n`;
}
