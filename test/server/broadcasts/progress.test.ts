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
    // 20 a second: the broadcast sends for about three seconds, long enough to see the bar move.
    app = await startTestApp({
      simulator: sim,
      config: { ...broadcastAppConfig, PAGE_SEND_RATE_PER_SECOND: '20' },
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

  it('reaches an admin at least once a second while sending, with sent, remaining, rate and ETA; never an agent', async () => {
    const adminSocket = await app.socketFor(alice);
    const agentSocket = await app.socketFor(carol);
    const seen: { at: number; event: BroadcastProgressEvent }[] = [];
    const agentSaw: unknown[] = [];
    adminSocket.on('broadcast:progress', (event) => seen.push({ at: Date.now(), event }));
    agentSocket.on('broadcast:progress', (event) => agentSaw.push(event));

    const id = await createOverHttp(alice, workspace, { content: { type: 'text', text: 'progress' } });
    const sentAt = Date.now();
    await alice.agent.post(`/api/broadcasts/${id}/send`).set(alice.csrf).expect(200);
    await waitForState(workspace, id, ['completed'], 20_000);
    await new Promise((resolve) => setTimeout(resolve, 1_500));

    const ours = seen.filter((s) => s.event.broadcastId === id);
    const sending = ours.filter((s) => s.event.state === 'sending');
    expect(sending.length).toBeGreaterThanOrEqual(2);
    expect((ours[0]?.at ?? Infinity) - sentAt).toBeLessThan(1_500);
    const gaps = ours.slice(1).map((s, i) => s.at - (ours[i]?.at ?? s.at));
    expect(Math.max(...gaps)).toBeLessThan(1_600);
    const midway = sending.find((s) => s.event.sent > 0 && s.event.remaining > 0);
    expect(midway?.event).toMatchObject({
      ratePerSecond: expect.any(Number),
      etaSeconds: expect.any(Number),
      failed: 0,
      skipped: 0,
    });
    expect(midway?.event.ratePerSecond).toBeGreaterThan(0);
    // All 60 but the last 10 are one batch of 50, sending for seconds: the count moves while it sends (its tally),
    // not only when it ends. Counting finished batches only, the 10 would be the one value seen between 0 and 60.
    const partway = new Set(
      sending.map((s) => s.event.sent).filter((sent) => sent > 0 && sent < audienceSize),
    );
    expect(partway.size).toBeGreaterThanOrEqual(2);
    expect(ours.at(-1)?.event).toMatchObject({ state: 'completed', sent: audienceSize, remaining: 0 });
    expect(agentSaw).toEqual([]);
  }, 30_000);
});
