import { BroadcastLaneModel, laneId } from '../../../models/broadcast-batch';
import { SubscriberModel } from '../../../models/subscriber';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import {
  addSubscriber,
  broadcastAppConfig,
  broadcastSeed,
  connectWorkspace,
  createBroadcast,
  subscriberRecord,
  type Workspace,
} from './broadcast-harness';

/** Enough that writing Page 2001's audience out as batches takes seconds on any machine. */
const largeAudience = 20_000;

describe('a broadcast to several Pages', () => {
  useTestDatabase();
  let sim: Simulator;
  let app: TestApp;
  let workspace: Workspace;

  beforeAll(async () => {
    sim = await startSimulator({ seed: broadcastSeed, rateLimits: { textPerSecond: 1000 } });
    app = await startTestApp({
      simulator: sim,
      config: { ...broadcastAppConfig, PAGE_SEND_RATE_PER_SECOND: '5', BROADCAST_LEASE_SECONDS: '120' },
    });
    workspace = await connectWorkspace(app);
    await addSubscriber(sim, workspace, { id: 'hat-buyer', fbPageId: '2002' });
    const at = new Date(Date.now() - 3_600_000);
    await SubscriberModel.insertMany(
      Array.from({ length: largeAudience }, (_, i) =>
        subscriberRecord(workspace, '2001', `shoe-buyer-${i}`, at),
      ),
    );
  }, 120_000);
  afterAll(async () => {
    await app.stop();
    await sim.stop();
  });

  it("starts every Page at once: a small Page's first message does not wait for a large Page's audience", async () => {
    const id = await createBroadcast(workspace, {
      pages: [workspace.pageIds['2001'], workspace.pageIds['2002']],
      content: { type: 'text', text: 'side by side' },
    });
    await workspace.service().sendNow(workspace.member, id);
    const deadline = Date.now() + 60_000;
    while ((await sim.control.sentMessages({ pageId: '2002' })).length === 0) {
      if (Date.now() > deadline) throw new Error('Page 2002 sent nothing within a minute');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // One Page after another, Page 2002's audience is read only once Page 2001's is written out in full.
    const largeLane = await BroadcastLaneModel.findById(laneId(id, workspace.pageIds['2001']!)).lean();
    expect(largeLane?.fannedOutAt).toBeUndefined();
    expect(largeLane?.recipients ?? 0).toBeLessThan(largeAudience);
    await workspace.service().cancel(workspace.member, id);
  }, 90_000);
});
