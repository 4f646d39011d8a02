import { startSimulator, type Simulator } from '../../../simulator/index';
import { useTestDatabase } from '../../support/database';
import type { PagewireProcess } from '../../support/pagewire-process';
import { addAudience, broadcastSeed, createOverHttp, startBroadcastingProcess } from './broadcast-harness';

const audienceSize = 400;
/** Meta's limit for the Page, and Pagewire's pace. */
const ratePerSecond = 50;
const stallMs = 3_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Blocks this process, and so the simulator it runs, as an overloaded or stalled Graph API front end would. */
function stallThisProcess(ms: number): void {
  const until = Date.now() + ms;
  while (Date.now() < until);
}

describe('a broadcast while Meta stalls longer than the Graph timeout', () => {
  const database = useTestDatabase();
  let simulator: Simulator;
  let app: PagewireProcess | undefined;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: broadcastSeed, rateLimits: { textPerSecond: ratePerSecond } });
  });
  afterAll(async () => {
    await app?.stop();
    await simulator.stop();
  });

  it('stays within the rate as Meta counts it: calls given up on may still arrive, all at once', async () => {
    // Pagewire runs in its own process, so it goes on while the simulator (in this one) is stalled: its calls
    // wait in the simulator's sockets, time out after a second, and arrive when the stall ends, beside later ones.
    const started = await startBroadcastingProcess(simulator, database.name, ratePerSecond, {
      GRAPH_TIMEOUT_MS: '1000',
    });
    app = started.app;
    const { alice, workspace } = started;
    await addAudience(simulator, workspace, audienceSize, 's');
    const id = await createOverHttp(alice, workspace);
    await alice.agent.post(`/api/broadcasts/${id}/send`).set(alice.csrf).expect(200);
    const sentByMeta = async () =>
      (await simulator.control.sentMessages({ pageId: '2001' })).filter((m) => m.message?.text === 'Sale!');
    while ((await sentByMeta()).length < ratePerSecond) await sleep(20);

    stallThisProcess(stallMs);

    const deadline = Date.now() + 150_000;
    let broadcast = (await alice.agent.get(`/api/broadcasts/${id}`).expect(200)).body;
    while (broadcast.state !== 'completed') {
      if (Date.now() > deadline) throw new Error(`not completed:\n${app.output()}`);
      await sleep(200);
      broadcast = (await alice.agent.get(`/api/broadcasts/${id}`).expect(200)).body;
    }
    const refusals = (await simulator.control.violations()).filter((v) => [4, 32, 613].includes(v.code));
    expect(refusals).toEqual([]);
    const perPerson = new Map<string, number>();
    for (const message of await sentByMeta())
      perPerson.set(message.psid ?? '', (perPerson.get(message.psid ?? '') ?? 0) + 1);
    expect({ twice: [...perPerson.values()].filter((n) => n > 1).length }).toEqual({ twice: 0 });
    const { sent, unknown, failed } = broadcast.totals;
    expect({ failed, sentOrUnknown: sent + unknown }).toEqual({ failed: 0, sentOrUnknown: audienceSize });
  }, 240_000);
});
