import type { BroadcastProgressEvent } from '../../../server/realtime/events';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import {
  addSubscriber,
  broadcastAppConfig,
  broadcastSeed,
  createOverHttp,
  loginAndConnect,
  waitForState,
  type Workspace,
} from './broadcast-harness';

const audienceSize = 60;

describe('broadcast:progress', () => {
  useTestDatabase();
  let sim: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let carol: LoggedInUser;
  let workspace: Workspace;

  beforeAll(async () => {
    sim = await startSimulator({
      seed: {
        ...broadcastSeed,
        users: [
          ...(broadcastSeed.users ?? []),
          { id: '1003', name: 'Carol Agent', email: 'carol@example.com' },
        ],
      },
      rateLimits: { textPerSecond: 1000 },
    });
    // 10 a second, paced by Pagewire's own governor whatever the machine's speed: about six seconds of sending, so
    // the bar must move several times on the way. The lease lets a batch of 50 start within it at that pace.
    app = await startTestApp({
      simulator: sim,
      config: { ...broadcastAppConfig, PAGE_SEND_RATE_PER_SECOND: '10', BROADCAST_LEASE_SECONDS: '30' },
    });
    ({ alice, workspace } = await loginAndConnect(app));
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
    carol = await app.login('1003', { invitationUrl: invitation.body.url });
    for (let i = 0; i < audienceSize; i++) await addSubscriber(sim, workspace, { id: `g${i}` });
  }, 60_000);
  afterAll(async () => {
    await app.stop();
    await sim.stop();
  });

  it('reaches an admin while sending with counts that only go up and a remaining that only falls; never an agent', async () => {
    const adminSocket = await app.socketFor(alice);
    const agentSocket = await app.socketFor(carol);
    const seen: BroadcastProgressEvent[] = [];
    const agentSaw: unknown[] = [];
    adminSocket.on('broadcast:progress', (event) => seen.push(event));
    agentSocket.on('broadcast:progress', (event) => agentSaw.push(event));

    const id = await createOverHttp(alice, workspace, { content: { type: 'text', text: 'progress' } });
    await alice.agent.post(`/api/broadcasts/${id}/send`).set(alice.csrf).expect(200);
    await waitForState(workspace, id, ['completed'], 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const ours = seen.filter((event) => event.broadcastId === id);
    const sending = ours.filter((event) => event.state === 'sending');
    // The count moves while the one batch of 50 sends, not only when it ends.
    const partway = new Set(sending.map((e) => e.sent).filter((sent) => sent > 0 && sent < audienceSize));
    expect(partway.size).toBeGreaterThanOrEqual(2);
    for (const [field, direction] of [
      ['sent', 1],
      ['skipped', 1],
      ['failed', 1],
      ['unknown', 1],
      ['remaining', -1],
    ] as const) {
      const values = ours.map((event) => event[field]).filter((value) => value !== null);
      const steps = values.slice(1).map((value, i) => direction * (value - values[i]!));
      expect({ field, backwards: steps.filter((step) => step < 0) }).toEqual({ field, backwards: [] });
    }
    // Never 0 of 0 before the end: until the audience is counted `remaining` is unknown, then it is everyone not done.
    for (const event of ours) {
      if (event.remaining === null) continue;
      const done = event.sent + event.skipped + event.failed + event.unknown;
      expect(event.remaining + done).toBe(audienceSize);
    }
    const midway = sending.find((e) => e.sent > 0 && e.remaining !== null && e.remaining > 0);
    expect(midway).toMatchObject({ ratePerSecond: expect.any(Number), etaSeconds: expect.any(Number) });
    expect(midway?.ratePerSecond).toBeGreaterThan(0);
    expect(ours.at(-1)).toMatchObject({
      state: 'completed',
      sent: audienceSize,
      failed: 0,
      skipped: 0,
      unknown: 0,
      remaining: 0,
    });
    expect(agentSaw).toEqual([]);
  }, 90_000);
});
