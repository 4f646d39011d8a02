import { DateTime } from 'luxon';
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
  waitForState,
  type Workspace,
} from './broadcast-harness';

const audienceSize = 60;

describe('sending a broadcast', () => {
  useTestDatabase();
  let sim: Simulator;
  let app: TestApp;
  let workspace: Workspace;
  const psids: string[] = [];

  beforeAll(async () => {
    sim = await startSimulator({ seed: broadcastSeed, rateLimits: { textPerSecond: 1000 } });
    app = await startTestApp({
      simulator: sim,
      config: { ...broadcastAppConfig, PAGE_SEND_RATE_PER_SECOND: '20' },
    });
    workspace = await connectWorkspace(app);
    for (let i = 0; i < audienceSize; i++) psids.push(await addSubscriber(sim, workspace, { id: `p${i}` }));
  }, 60_000);
  afterAll(async () => {
    await app.stop();
    await sim.stop();
  });

  async function messagesOfThisBroadcast(text: string) {
    const sent = await sim.control.sentMessages({ pageId: '2001' });
    return sent.filter((message) => message.message?.text === text);
  }
  const once = (messages: { psid: string | null }[]) =>
    new Set(messages.map((m) => m.psid)).size === messages.length;

  it('a worker stopped mid-broadcast leaves its claims to the next one, and everyone gets exactly one message', async () => {
    const id = await createBroadcast(workspace, { content: { type: 'text', text: 'killed' } });
    await workspace.service().sendNow(workspace.member, id);
    while ((await messagesOfThisBroadcast('killed')).length < 20) await new Promise((r) => setTimeout(r, 50));
    // The first process dies: its queued sends never leave, its claims stay leased.
    app.server().messenger.governor.close();
    await app.restart();
    await waitForState(workspace, id, ['completed'], 30_000).catch((error: unknown) => {
      throw new Error(
        `${String(error)}\n${app
          .logs()
          .split('\n')
          .filter((l) => l.includes('"level":40') || l.includes('"level":50'))
          .join('\n')
          .slice(-2500)}`,
      );
    });
    const messages = await messagesOfThisBroadcast('killed');
    expect(messages).toHaveLength(audienceSize);
    expect(once(messages)).toBe(true);
  }, 45_000);

  it('pause holds the broadcast, resume finishes it, and nobody gets the message twice', async () => {
    const id = await createBroadcast(workspace, { content: { type: 'text', text: 'paused' } });
    await workspace.service().sendNow(workspace.member, id);
    while ((await messagesOfThisBroadcast('paused')).length < 10) await new Promise((r) => setTimeout(r, 50));
    await workspace.service().pause(workspace.member, id);
    await new Promise((r) => setTimeout(r, 800));
    const whilePaused = (await messagesOfThisBroadcast('paused')).length;
    await new Promise((r) => setTimeout(r, 800));
    expect((await messagesOfThisBroadcast('paused')).length).toBe(whilePaused);
    expect(whilePaused).toBeLessThan(audienceSize);
    await workspace.service().resume(workspace.member, id);
    await waitForState(workspace, id, ['completed'], 20_000);
    const messages = await messagesOfThisBroadcast('paused');
    expect(messages).toHaveLength(audienceSize);
    expect(once(messages)).toBe(true);
  }, 30_000);

  it('people who send STOP after the audience was read get nothing, the others one message each', async () => {
    const id = await createBroadcast(workspace, { content: { type: 'text', text: 'changed my mind' } });
    await workspace.service().sendNow(workspace.member, id);
    while ((await messagesOfThisBroadcast('changed my mind')).length < 5)
      await new Promise((r) => setTimeout(r, 20));
    await workspace.service().pause(workspace.member, id);
    // The last people in the fan-out's order (its second batch) opt out through Messenger while it is paused: the
    // app is installed on the Page now (the audience above was written directly), so their STOPs reach it.
    const server = app.server();
    const credentials = await server.accounts.services.pageAccess.getSendCredentials(
      workspace.workspaceId,
      workspace.pageIds['2001'] ?? '',
    );
    await server.messenger.graph.subscribeApp(credentials, ['messages']);
    await sim.control.setWebhook({ callbackUrl: `${app.url}/webhooks/facebook`, retryDelaysMs: [50] });
    const leaving = ['p55', 'p56', 'p57', 'p58', 'p59'];
    for (const person of leaving) await sim.control.sendText(person, '2001', 'STOP');
    const leavingPsids = psids.slice(55);
    const deadline = Date.now() + 10_000;
    while (
      (await SubscriberModel.countDocuments({ psid: { $in: leavingPsids }, status: 'unsubscribed' })) < 5
    ) {
      if (Date.now() > deadline) throw new Error('the STOP messages were not processed');
      await new Promise((r) => setTimeout(r, 50));
    }
    await workspace.service().resume(workspace.member, id);
    const done = await waitForState(workspace, id, ['completed'], 20_000);
    const messages = await messagesOfThisBroadcast('changed my mind');
    expect(messages.filter((m) => leavingPsids.includes(m.psid ?? ''))).toEqual([]);
    expect(messages).toHaveLength(audienceSize - leaving.length);
    expect(once(messages)).toBe(true);
    expect(done.totals).toMatchObject({ sent: audienceSize - leaving.length, skipped: leaving.length });
    // They come back for the tests after this one.
    for (const person of leaving) await sim.control.sendText(person, '2001', 'START');
    while ((await SubscriberModel.countDocuments({ psid: { $in: leavingPsids }, status: 'subscribed' })) < 5)
      await new Promise((r) => setTimeout(r, 50));
    await server.messenger.graph.unsubscribeApp(credentials);
  }, 45_000);

  it('cancel stops a broadcast for good', async () => {
    const id = await createBroadcast(workspace, { content: { type: 'text', text: 'cancelled' } });
    await workspace.service().sendNow(workspace.member, id);
    while ((await messagesOfThisBroadcast('cancelled')).length < 5)
      await new Promise((r) => setTimeout(r, 50));
    await workspace.service().cancel(workspace.member, id);
    await new Promise((r) => setTimeout(r, 800));
    const afterCancel = (await messagesOfThisBroadcast('cancelled')).length;
    await new Promise((r) => setTimeout(r, 800));
    expect((await messagesOfThisBroadcast('cancelled')).length).toBe(afterCancel);
    expect(afterCancel).toBeLessThan(audienceSize);
    await expect(workspace.service().resume(workspace.member, id)).rejects.toThrow(/cancelled/);
  }, 20_000);

  it('a broadcast scheduled for a time in a time zone starts at that time', async () => {
    const id = await createBroadcast(workspace, {
      content: { type: 'text', text: 'scheduled' },
      audience: { tags: ['nobody-yet'] },
    });
    const at = DateTime.fromJSDate(app.clock.now()).setZone('Asia/Tokyo').plus({ seconds: 2 });
    const scheduled = await workspace.service().schedule(workspace.member, id, {
      localTime: at.toFormat("yyyy-MM-dd'T'HH:mm:ss"),
      timeZone: 'Asia/Tokyo',
    });
    expect(scheduled.state).toBe('scheduled');
    const done = await waitForState(workspace, id, ['completed'], 15_000);
    expect(done.startedAt?.getTime()).toBeGreaterThanOrEqual(at.toMillis() - 1000);
  }, 20_000);
});
