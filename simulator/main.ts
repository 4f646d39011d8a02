import pino from 'pino';
import { startSimulator } from './index';
import { standaloneConfig } from './standalone';

/** `npm run simulator`: the simulator alone, seeded from a file, printing what it serves. */
async function main(): Promise<void> {
  const { seedPath, options } = standaloneConfig(process.env);
  const simulator = await startSimulator({
    ...options,
    logger: pino({ level: process.env.SIM_LOG_LEVEL ?? 'info' }),
  });
  const info = await simulator.control.info();
  console.log(
    [
      `Messenger Platform simulator on ${simulator.url}`,
      `  Graph API:   ${simulator.url}/${simulator.apiVersion}/...`,
      `  Login:       ${simulator.url}/dialog/oauth`,
      `  Control API: ${simulator.url}/_sim/... (see simulator/README.md)`,
      `  App:         id ${simulator.appId}, secret ${simulator.appSecret}, app token ${simulator.appId}|${simulator.appSecret}`,
      `  X Ads API:   ${simulator.xAds.baseUrl} (OAuth 1.0a app: consumer key ${simulator.xAds.consumerKey}, secret ${simulator.xAds.consumerSecret})`,
      `  Webhooks:    ${info.webhook.callbackUrl ?? 'no callback URL (set SIM_WEBHOOK_URL or POST /{app-id}/subscriptions)'}`,
      `  X:           ${simulator.url}/x/2/... and ${simulator.url}/x/i/oauth2/authorize, client id ${simulator.x.clientId}, secret ${simulator.x.clientSecret}`,
      `  Seed:        ${seedPath}`,
      `  Clock:       ${info.clock} (now ${new Date(info.now).toISOString()})`,
      'Pages:',
      ...info.pages.map(
        (page) =>
          `  ${page.id} ${page.name}  token ${page.accessToken}  admins ${page.adminUserIds.join(',')}`,
      ),
      'Login users:',
      ...info.users.map((user) => `  ${user.id} ${user.name} <${user.email}>`),
      'People (PSID per Page):',
      ...info.people.map(
        (person) =>
          `  ${person.id} ${person.name}  ${Object.entries(person.psids)
            .map(([pageId, psid]) => `${pageId}:${psid}`)
            .join('  ')}`,
      ),
    ].join('\n'),
  );
  const shutdown = () => void simulator.stop().then(() => process.exit(0));
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

void main();
