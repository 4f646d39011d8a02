import { testRedisUrl } from '../support/redis';
import { MessageModel } from '../../models/message';
import { findFreePort } from '../../server/platform/database/free-port';
import { startSimulator, type Simulator } from '../../simulator/index';
import { useTestDatabase, testDatabaseUri } from '../support/database';
import {
  processEnvironment,
  sharedDeploymentEnvironment,
  startPagewireProcess,
  type PagewireProcess,
} from '../support/pagewire-process';
import { loginAndConnectPages } from '../support/simulator-login';
import { tenancySeed } from '../support/tenancy-seed';

const people = ['r1', 'r2', 'r3', 'r4'];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('npm run start:cluster: two processes behind one port, restarted one by one (SIGHUP)', () => {
  const database = useTestDatabase();
  let simulator: Simulator;
  let cluster: PagewireProcess | undefined;

  beforeAll(async () => {
    simulator = await startSimulator({
      seed: {
        ...tenancySeed,
        people: people.map((id) => ({ id, name: `Person ${id}`, firstName: 'Person', lastName: id })),
      },
    });
  });
  afterAll(async () => {
    await cluster?.stop();
    await simulator.stop();
  });

  it('loses no message that flows while every process is replaced', async () => {
    const env = {
      ...processEnvironment(
        sharedDeploymentEnvironment(
          { databaseUri: testDatabaseUri(), databaseName: database.name, simulator },
          { url: testRedisUrl(), keyPrefix: database.name },
        ),
        await findFreePort(),
      ),
      CLUSTER_PROCESSES: '2',
      LOG_LEVEL: 'info',
    };
    cluster = await startPagewireProcess(env, { entry: 'server/cluster.ts' });
    const { connected } = await loginAndConnectPages(
      { appUrl: cluster.url, simulatorUrl: simulator.url, facebookUserId: '1001' },
      ['2001'],
    );
    expect(connected.status).toBe(201);
    // Meta retries a refused delivery for hours; here within seconds, so that the test waits for seconds.
    await simulator.control.setWebhook({
      callbackUrl: `${cluster.url}/webhooks/facebook`,
      retryDelaysMs: [250, 500, 1_000, 2_000, 4_000, 8_000, 16_000],
    });

    const sent: string[] = [];
    let flowing = true;
    // About ten a second, for as long as the restart takes (a busy machine starts a process slowly).
    const flow = (async () => {
      for (let n = 0; flowing && n < 1_000; n++) {
        const text = `rolling ${n}`;
        await simulator.control.sendText(people[n % people.length] as string, '2001', text);
        sent.push(text);
        await sleep(100);
      }
    })();
    const replaced = () => (cluster?.output().match(/"msg":"process replaced"/g) ?? []).length;
    await sleep(1_000);
    cluster.signal('SIGHUP');
    const deadline = Date.now() + 150_000;
    while (!cluster.output().includes('rolling restart done')) {
      if (Date.now() > deadline) throw new Error(`no rolling restart:\n${cluster.output()}`);
      await sleep(100);
    }
    expect(replaced()).toBe(2);
    await sleep(1_000);
    flowing = false;
    await flow;
    await simulator.control.waitForWebhookIdle(120_000);

    // An event whose process stopped mid-way is taken over when its lease ends (30 s), so give it that.
    const settled = Date.now() + 60_000;
    let stored: string[] = [];
    while (Date.now() < settled) {
      stored = (
        await MessageModel.find({ direction: 'inbound', text: /^rolling / })
          .select({ text: 1 })
          .lean()
      ).map((message) => message.text as string);
      if (stored.length >= sent.length) break;
      await sleep(200);
    }
    expect(sent.length).toBeGreaterThan(20);
    expect(stored.sort()).toEqual([...sent].sort());
  }, 400_000);
});
