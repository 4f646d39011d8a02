import { BroadcastRecipientModel } from '../../../models/broadcast-recipient';
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
  sentPsids,
  waitForState,
  type Workspace,
} from './broadcast-harness';

describe('who a broadcast reaches', () => {
  useTestDatabase();
  let sim: Simulator;
  let app: TestApp;
  let workspace: Workspace;
  const psids: Record<string, string> = {};

  beforeAll(async () => {
    sim = await startSimulator({ seed: broadcastSeed });
    app = await startTestApp({ simulator: sim, config: broadcastAppConfig });
    workspace = await connectWorkspace(app);
    const people = [
      { id: 'ana', tags: ['vip'] },
      { id: 'ben', tags: ['vip'] },
      { id: 'cid' },
      { id: 'old', hoursAgo: 30 },
      { id: 'optout', status: 'unsubscribed' as const },
      { id: 'gone', status: 'blocked' as const },
    ];
    for (const person of people) psids[person.id] = await addSubscriber(sim, workspace, person);
  }, 30_000);
  afterAll(async () => {
    await app.stop();
    await sim.stop();
  });
  beforeEach(() => sim.control.setFaults({}));

  async function sendAndFinish(body: Record<string, unknown>) {
    const id = await createBroadcast(workspace, body);
    const estimate = await workspace.service().estimateOf(workspace.member, id);
    await workspace.service().sendNow(workspace.member, id);
    const finished = await waitForState(workspace, id, ['completed']);
    return { id, estimate, finished };
  }

  it('a promotional broadcast reaches exactly the people inside their 24-hour window, as the estimate said', async () => {
    const before = (await sentPsids(sim)).length;
    const { estimate, finished } = await sendAndFinish({});
    const sent = (await sim.control.sentMessages({ pageId: '2001' })).slice(before);
    expect(sent.map((m) => m.psid).sort()).toEqual([psids.ana, psids.ben, psids.cid].sort());
    expect(sent.every((m) => m.messagingType === 'UPDATE')).toBe(true);
    expect(estimate).toMatchObject({
      eligible: 3,
      excluded: { unsubscribed: 1, outsideWindow: 1, blocked: 1, pageNeedsReauth: 0, filteredOut: 0 },
    });
    expect(finished.totals).toMatchObject({ recipients: 3, sent: 3, skipped: 0, failed: 0 });
    expect(await sim.control.violations()).toEqual([]);
  });

  it('a tagged update also reaches people outside the window, never those who opted out or blocked the Page', async () => {
    const before = (await sentPsids(sim)).length;
    const { estimate } = await sendAndFinish({ purpose: 'POST_PURCHASE_UPDATE' });
    const sent = (await sim.control.sentMessages({ pageId: '2001' })).slice(before);
    expect(sent.map((m) => m.psid).sort()).toEqual([psids.ana, psids.ben, psids.cid, psids.old].sort());
    expect(sent.find((m) => m.psid === psids.old)).toMatchObject({
      messagingType: 'MESSAGE_TAG',
      tag: 'POST_PURCHASE_UPDATE',
    });
    expect(estimate.eligible).toBe(4);
  });

  it('a segment by tag leaves everyone else out and counts them as filtered out', async () => {
    const before = (await sentPsids(sim)).length;
    const { estimate } = await sendAndFinish({ audience: { tags: ['vip'] } });
    const sent = (await sim.control.sentMessages({ pageId: '2001' })).slice(before);
    expect(sent.map((m) => m.psid).sort()).toEqual([psids.ana, psids.ben].sort());
    expect(estimate).toMatchObject({ eligible: 2, excluded: { filteredOut: 4 } });
  });

  it('a tracked link redirects to its own URL only and counts a click once per person', async () => {
    const before = (await sentPsids(sim)).length;
    const { id } = await sendAndFinish({
      audience: { tags: ['vip'] },
      content: {
        type: 'buttons',
        text: 'New shoes',
        buttons: [{ type: 'web_url', url: 'https://shop.example/spring', title: 'Shop' }],
      },
    });
    const sent = (await sim.control.sentMessages({ pageId: '2001' })).slice(before);
    const payload = (sent[0]?.message as { attachment: { payload: { buttons: { url: string }[] } } })
      .attachment.payload;
    const tracked = new URL(payload.buttons[0]?.url ?? '');
    expect(tracked.pathname).toMatch(/^\/r\//);
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${app.url}${tracked.pathname}`, { redirect: 'manual' });
      expect(res.status).toBe(302);
      expect(res.headers.get('location')).toBe('https://shop.example/spring');
    }
    const forged = await fetch(`${app.url}/r/000000000000000000000000.000000000000000000000000`, {
      redirect: 'manual',
    });
    expect(forged.status).toBe(404);
    const stats = await workspace.service().get(workspace.member, id);
    expect(stats.totals).toMatchObject({ clicks: 1, clicked: 1, sent: 2 });
    expect(stats.totalsByPage[workspace.pageIds['2001'] ?? '']).toMatchObject({ clicks: 1 });
  });
  it('a person who blocked the Page since (551) is skipped and unsubscribed, counted as blocked by the next estimate; a window Meta has closed meanwhile (2018278) is skipped', async () => {
    const blocker = await addSubscriber(sim, workspace, { id: 'blocker' });
    await sim.control.blockPage('blocker', '2001');
    const closed = await addSubscriber(sim, workspace, { id: 'closed', hoursAgo: 2 });
    // Meta's clock moves past everyone's window while ours still believes it open: the send is refused, not retried.
    await sim.control.advanceTime(25 * 3_600_000);
    const { id } = await sendAndFinish({});
    const recipients = await BroadcastRecipientModel.find({ broadcast: id }).lean();
    const statusOf = (psid: string) => recipients.find((r) => r.psid === psid);
    expect(statusOf(blocker)).toMatchObject({
      status: 'skipped',
      code: expect.stringContaining('user_unavailable'),
    });
    expect(statusOf(closed)).toMatchObject({
      status: 'skipped',
      code: expect.stringContaining('outside_window'),
    });
    expect((await SubscriberModel.findOne({ psid: blocker }).lean())?.status).toBe('unsubscribed');
    expect((await SubscriberModel.findOne({ psid: blocker }).lean())?.unsubscribed).toMatchObject({
      cause: 'unreachable',
      reason: expect.stringMatching(/blocked the Page/),
    });
    const after = await workspace.service().estimateOf(workspace.member, id);
    // 'gone' was blocked from the start; the 551 joins them, not the one who opted out.
    expect(after.excluded).toMatchObject({ blocked: 2, unsubscribed: 1 });
    await SubscriberModel.deleteMany({ psid: { $in: [blocker, closed] } });
  });
});
