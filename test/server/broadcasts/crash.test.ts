import { BroadcastSendClaimModel } from '../../../models/broadcast-send-claim';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { useTestDatabase } from '../../support/database';
import { startPagewireProcess, type PagewireProcess } from '../../support/pagewire-process';
import { addAudience, broadcastSeed, createOverHttp, startBroadcastingProcess } from './broadcast-harness';

const audienceSize = 1_000;
const batchSize = 50;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a broadcast whose process is killed (SIGKILL) while it sends', () => {
  const database = useTestDatabase();
  let simulator: Simulator;
  let app: PagewireProcess | undefined;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: broadcastSeed, rateLimits: { textPerSecond: 1000 } });
  });
  afterAll(async () => {
    await app?.stop();
    await simulator.stop();
  });

  const sentByMeta = async () =>
    (await simulator.control.sentMessages({ pageId: '2001' })).filter((m) => m.message?.text === 'Sale!');

  it('the next process sends nobody a second message: a send that may have gone out is counted unknown', async () => {
    // 100 sends a second: ten seconds of sending, killed about three seconds in, inside a batch.
    const started = await startBroadcastingProcess(simulator, database.name, 100);
    app = started.app;
    const { env, alice, workspace } = started;
    await addAudience(simulator, workspace, audienceSize, 'k');
    const id = await createOverHttp(alice, workspace);
    await alice.agent.post(`/api/broadcasts/${id}/send`).set(alice.csrf).expect(200);

    while ((await sentByMeta()).length < 3 * batchSize + batchSize / 2) await sleep(20);
    await app.crash();
    const sentBeforeCrash = (await sentByMeta()).length;
    expect(sentBeforeCrash).toBeLessThan(audienceSize);
    // The dead worker's leases run out (moved, not waited for: the new process reads the wall clock).
    await BroadcastSendClaimModel.updateMany(
      { leaseUntil: { $gt: new Date() } },
      { $set: { leaseUntil: new Date(Date.now() - 1) } },
    );

    app = await startPagewireProcess(env);
    const deadline = Date.now() + 60_000;
    let broadcast = (await alice.agent.get(`/api/broadcasts/${id}`).expect(200)).body;
    while (broadcast.state !== 'completed') {
      if (Date.now() > deadline) throw new Error(`not completed after the restart:\n${app.output()}`);
      await sleep(200);
      broadcast = (await alice.agent.get(`/api/broadcasts/${id}`).expect(200)).body;
    }

    const messages = await sentByMeta();
    const perPerson = new Map<string, number>();
    for (const message of messages)
      perPerson.set(message.psid ?? '', (perPerson.get(message.psid ?? '') ?? 0) + 1);
    const twice = [...perPerson.values()].filter((n) => n > 1).length;
    expect({ twice }).toEqual({ twice: 0 });
    // Everyone is sent once or counted unknown, and only what was in flight when the process died is unknown.
    const { sent, unknown, failed, skipped } = broadcast.totals;
    expect({ failed, skipped, sentOrUnknown: sent + unknown }).toEqual({
      failed: 0,
      skipped: 0,
      sentOrUnknown: audienceSize,
    });
    expect(perPerson.size).toBeGreaterThanOrEqual(sent);
    expect(perPerson.size).toBeLessThanOrEqual(audienceSize);
    expect(unknown).toBeLessThanOrEqual(batchSize);
  }, 180_000);
});
