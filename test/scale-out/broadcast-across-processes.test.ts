import { testRedisUrl } from '../support/redis';
import request from 'supertest';
import { BroadcastSendClaimModel } from '../../models/broadcast-send-claim';
import { startSimulator, type Simulator } from '../../simulator/index';
import { useTestDatabase, testDatabaseUri } from '../support/database';
import {
  sharedDeploymentEnvironment,
  startDeploymentProcesses,
  type PagewireProcess,
} from '../support/pagewire-process';
import { loginAndConnectPages } from '../support/simulator-login';
import {
  addAudience,
  broadcastAppConfig,
  broadcastSeed,
  createOverHttp,
} from '../server/broadcasts/broadcast-harness';

const audienceSize = 3_000;
/** Meta's limit for the Page, and each process's own pace: two processes pacing alone would send at twice it. */
const ratePerSecond = 150;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a broadcast in a deployment of two processes whose sender is killed (SIGKILL) mid-way', () => {
  const database = useTestDatabase();
  let simulator: Simulator;
  const processes: PagewireProcess[] = [];

  beforeAll(async () => {
    simulator = await startSimulator({ seed: broadcastSeed, rateLimits: { textPerSecond: ratePerSecond } });
  });
  afterAll(async () => {
    await Promise.all(processes.map((app) => app.stop()));
    await simulator.stop();
  });

  it('the other process finishes it: every eligible person once, nobody twice, in-flight sends counted unknown', async () => {
    const shared = {
      ...sharedDeploymentEnvironment(
        { databaseUri: testDatabaseUri(), databaseName: database.name, simulator },
        { url: testRedisUrl(), keyPrefix: database.name },
      ),
      ...broadcastAppConfig,
      PAGE_SEND_RATE_PER_SECOND: String(ratePerSecond),
    };
    const [a, b] = (await startDeploymentProcesses(shared, 2)) as [PagewireProcess, PagewireProcess];
    processes.push(a, b);
    const { user: alice, connected } = await loginAndConnectPages(
      { appUrl: a.url, simulatorUrl: simulator.url, facebookUserId: '1001' },
      ['2001'],
    );
    expect(connected.status).toBe(201);
    const workspace = {
      workspaceId: (await alice.agent.get('/api/me').expect(200)).body.workspace.id as string,
      pageIds: { '2001': connected.body.data[0].id as string },
    };
    await addAudience(simulator, workspace, audienceSize, 'x');
    const id = await createOverHttp(alice, workspace);
    await alice.agent.post(`/api/broadcasts/${id}/send`).set(alice.csrf).expect(200);

    const sentByMeta = async () =>
      (await simulator.control.sentMessages({ pageId: '2001' })).filter((m) => m.message?.text === 'Sale!');
    // A third of the way through, the process sending the Page's batches dies (a claim's worker names its pid).
    const deadline = Date.now() + 120_000;
    while ((await sentByMeta()).length < audienceSize / 3) {
      if (Date.now() > deadline) throw new Error('the broadcast did not get a third of the way');
      await sleep(50);
    }
    const [latest] = await BroadcastSendClaimModel.find({ broadcast: id }).sort({ at: -1 }).limit(1).lean();
    const senderPid = Number(latest?.worker.split(':')[1]);
    const sender = processes.find((app) => app.pid === senderPid) as PagewireProcess;
    const survivor = processes.find((app) => app !== sender) as PagewireProcess;
    await sender.crash();
    const sentBeforeCrash = (await sentByMeta()).length;
    expect(sentBeforeCrash).toBeLessThan(audienceSize);

    // Alice's session holds on any process: she reads on the survivor.
    const readOnSurvivor = async () =>
      (await request(survivor.url).get(`/api/broadcasts/${id}`).set('Cookie', alice.cookie).expect(200)).body;
    let broadcast = await readOnSurvivor();
    while (broadcast.state !== 'completed') {
      if (Date.now() > deadline) throw new Error(`not completed by the survivor:\n${survivor.output()}`);
      await sleep(250);
      broadcast = await readOnSurvivor();
    }

    const perPerson = new Map<string, number>();
    for (const message of await sentByMeta())
      perPerson.set(message.psid ?? '', (perPerson.get(message.psid ?? '') ?? 0) + 1);
    expect({ twice: [...perPerson.values()].filter((n) => n > 1).length }).toEqual({ twice: 0 });
    const { sent, unknown, failed, skipped } = broadcast.totals;
    expect({ failed, skipped, sentOrUnknown: sent + unknown }).toEqual({
      failed: 0,
      skipped: 0,
      sentOrUnknown: audienceSize,
    });
    // Unknown: only what was in flight in the killed process; everyone else reached once.
    expect(perPerson.size).toBeGreaterThanOrEqual(sent);
    expect(unknown).toBeLessThanOrEqual(2 * ratePerSecond);
    // The survivor took over the batches the dead process held and the ones it never reached.
    const workers = new Set(
      (await BroadcastSendClaimModel.find({ broadcast: id }).lean()).map((c) => c.worker),
    );
    expect([...workers].map((worker) => Number(worker.split(':')[1])).sort()).toEqual(
      [sender.pid, survivor.pid].sort(),
    );
    // Meta counts the Page's calls whoever makes them: the two processes together stayed within its rate.
    const refusals = (await simulator.control.violations()).filter((v) => [4, 32, 613].includes(v.code));
    expect(refusals).toEqual([]);
  }, 240_000);
});
