import mongoose from 'mongoose';
import { BroadcastRecipientModel } from '../../../models/broadcast-recipient';
import { BroadcastSendClaimModel } from '../../../models/broadcast-send-claim';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { useTestDatabase } from '../../support/database';
import { startPagewireProcess, type PagewireProcess } from '../../support/pagewire-process';
import type { LoggedInUser } from '../../support/simulator-login';
import { addSubscriber, broadcastSeed, createOverHttp, startBroadcastingProcess } from './broadcast-harness';

const audienceSize = 60;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('a broadcast whose process is stopped (SIGTERM) while it sends', () => {
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

  const agendaJobs = () => mongoose.connection.db!.collection('agendaJobs');
  const sentByMeta = async () =>
    (await simulator.control.sentMessages({ pageId: '2001' })).filter((m) => m.message?.text === 'Sale!');

  /** What a restart that does not finish left behind: the broadcast's jobs, claims and recipients. */
  async function progressNow(): Promise<string> {
    const jobs = await agendaJobs()
      .find(
        { name: { $regex: '^broadcast' } },
        { projection: { name: 1, nextRunAt: 1, lockedAt: 1, lastFinishedAt: 1, failReason: 1 } },
      )
      .toArray();
    const claims = await BroadcastSendClaimModel.find({}).lean();
    const recipients = await BroadcastRecipientModel.aggregate<{ _id: string; n: number }>([
      { $group: { _id: '$status', n: { $sum: 1 } } },
    ]);
    return JSON.stringify({ at: new Date(), jobs, claims, recipients, sent: (await sentByMeta()).length });
  }

  async function stateOf(alice: LoggedInUser, id: string): Promise<string> {
    return (await alice.agent.get(`/api/broadcasts/${id}`).expect(200)).body.state as string;
  }

  it('records every send Meta answered, lets its claims and Agenda job go, and the next process finishes at once, one message each', async () => {
    // 20 sends a second: three seconds of sending, stopped a second in. The lease is the default two minutes, so a
    // claim left held would keep the next process waiting far past this test's deadline.
    const started = await startBroadcastingProcess(simulator, database.name, 20);
    app = started.app;
    const { env, alice, workspace } = started;
    for (let i = 0; i < audienceSize; i++) await addSubscriber(simulator, workspace, { id: `s${i}` });
    const id = await createOverHttp(alice, workspace);
    await alice.agent.post(`/api/broadcasts/${id}/send`).set(alice.csrf).expect(200);

    while ((await sentByMeta()).length < 20) await sleep(50);
    expect(await agendaJobs().countDocuments({ name: 'broadcast:send-batch', lockedAt: { $ne: null } })).toBe(
      1,
    );
    expect(await app.stop()).toBe(0);

    const sentBeforeStop = (await sentByMeta()).length;
    expect(sentBeforeStop).toBeLessThan(audienceSize);
    expect(await BroadcastRecipientModel.countDocuments({ status: 'sent' })).toBe(sentBeforeStop);
    expect(await BroadcastSendClaimModel.countDocuments({ leaseUntil: { $gt: new Date() } })).toBe(0);
    expect(await agendaJobs().countDocuments({ lockedAt: { $ne: null } })).toBe(0);
    expect(
      await agendaJobs().countDocuments({ name: 'broadcast:send-batch', nextRunAt: { $ne: null } }),
    ).toBeGreaterThan(0);

    app = await startPagewireProcess(env);
    const deadline = Date.now() + 20_000;
    while ((await stateOf(alice, id)) !== 'completed') {
      if (Date.now() > deadline)
        throw new Error(`not completed after the restart: ${await progressNow()}\n${app.output()}`);
      await sleep(200);
    }
    const messages = await sentByMeta();
    expect(messages).toHaveLength(audienceSize);
    expect(new Set(messages.map((m) => m.psid)).size).toBe(audienceSize);
  }, 90_000);
});
