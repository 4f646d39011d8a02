import { createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import { findFreePort } from '../../server/platform/database/free-port';
import { startSimulator, type Simulator } from '../../simulator/index';
import { connectAgentSocket, type PagewireSocket } from '../support/app-harness';
import { useTestDatabase, testDatabaseUri } from '../support/database';
import {
  processEnvironment,
  sharedDeploymentEnvironment,
  startPagewireProcess,
  type PagewireProcess,
} from '../support/pagewire-process';
import { testRedisUrl } from '../support/redis';
import { loginThroughSimulator } from '../support/simulator-login';
import { tenancySeed } from '../support/tenancy-seed';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One request on a connection of its own, so that node:cluster hands each to the next process in turn. */
function requestAlone(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, {
      method: options.method ?? 'GET',
      headers: options.headers,
      agent: false,
    });
    req.on('response', (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

const valueOf = (metrics: string, series: string) =>
  Number(
    metrics
      .split('\n')
      .find((line) => line.startsWith(`${series} `))
      ?.split(' ')[1],
  );

describe('npm run start:cluster: /metrics answers for every process', () => {
  const database = useTestDatabase();
  let simulator: Simulator;
  let cluster: PagewireProcess | undefined;
  const sockets: PagewireSocket[] = [];

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
  });
  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await cluster?.stop();
    await simulator.stop();
  });

  it('each scrape, whichever of the two processes takes it, counts the webhooks and sockets of both', async () => {
    const metricsToken = randomBytes(16).toString('hex');
    cluster = await startPagewireProcess(
      {
        ...processEnvironment(
          sharedDeploymentEnvironment(
            { databaseUri: testDatabaseUri(), databaseName: database.name, simulator },
            { url: testRedisUrl(), keyPrefix: database.name },
          ),
          await findFreePort(),
        ),
        CLUSTER_PROCESSES: '2',
        LOG_LEVEL: 'info',
        METRICS_TOKEN: metricsToken,
      },
      { entry: 'server/cluster.ts' },
    );
    // Ready once any process answers; both are serving once the primary says so.
    for (const deadline = Date.now() + 60_000; !cluster.output().includes('Pagewire cluster serving');) {
      if (Date.now() > deadline) throw new Error(`the cluster did not start:\n${cluster.output()}`);
      await sleep(100);
    }

    const webhooks = 6;
    for (let n = 0; n < webhooks; n++) {
      const body = JSON.stringify({
        object: 'page',
        entry: [{ id: '9999', time: Date.now(), messaging: [] }],
      });
      const signature = createHmac('sha256', simulator.appSecret).update(body).digest('hex');
      const acked = await requestAlone(`${cluster.url}/webhooks/facebook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${signature}` },
        body,
      });
      expect(acked.status).toBe(200);
    }
    const alice = await loginThroughSimulator({
      appUrl: cluster.url,
      simulatorUrl: simulator.url,
      facebookUserId: '1001',
    });
    for (let n = 0; n < 4; n++) {
      const { socket, connected } = connectAgentSocket(cluster.url, alice.cookie);
      sockets.push(socket);
      await connected;
    }

    for (let scrape = 0; scrape < 4; scrape++) {
      const answer = await requestAlone(`${cluster.url}/metrics`, {
        headers: { authorization: `Bearer ${metricsToken}` },
      });
      expect(answer.status).toBe(200);
      expect(valueOf(answer.body, 'pagewire_webhook_ack_seconds_count{status="200"}')).toBe(webhooks);
      expect(valueOf(answer.body, 'pagewire_socket_connections')).toBe(4);
    }
  }, 120_000);
});
