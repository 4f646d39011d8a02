import { AuditLogModel } from '../../../models/audit-log';
import { AutopostFeedModel } from '../../../models/autopost-feed';
import { BroadcastRecipientModel } from '../../../models/broadcast-recipient';
import type { XStandingShare } from '../../../server/autoposting/x-standing-share';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import {
  addSubscriber,
  broadcastSeed,
  connectWorkspace,
  loginAndConnect,
  sentPsids,
  waitForState,
  type Workspace,
} from '../broadcasts/broadcast-harness';

const noX: XStandingShare = {
  isOwnedBy: () => Promise.resolve(false),
  usernamesOf: () => Promise.resolve(new Map()),
  post: () => Promise.reject(new Error('not in these tests')),
  sharesOf: () => Promise.resolve(new Map()),
};

interface ItemView {
  key: string;
  title: string;
  link: string | null;
  baseline: boolean;
  deliveries: { target: string; status: string; externalId: string | null }[];
}

describe("autoposting from a Page's own posts", () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let workspace: Workspace;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: broadcastSeed });
    app = await startTestApp({
      simulator,
      config: { BROADCAST_LEASE_SECONDS: '4' },
      xStandingShare: noX,
    });
    ({ alice, workspace } = await loginAndConnect(app));
  }, 30_000);
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  const post = (path: string, body: object = {}) => alice.agent.post(path).set(alice.csrf).send(body);
  const poll = async (feedId: string) =>
    (await post(`/api/autoposting/feeds/${feedId}/poll`).expect(200)).body;
  const itemsOf = async (feedId: string) =>
    (await alice.agent.get(`/api/autoposting/feeds/${feedId}/items`).expect(200)).body.data as ItemView[];
  /** A feed of `fbPageId`'s posts sent on from Page `toFbPageId`, already read once (its posts are the baseline). */
  async function addPagePostsFeed(fbPageId: string, toFbPageId: string, targets: string[]) {
    const created = await post('/api/autoposting/feeds', {
      name: `Posts of ${fbPageId}`,
      sourcePage: workspace.pageIds[fbPageId],
      page: workspace.pageIds[toFbPageId],
      targets,
    }).expect(201);
    expect(created.body).toMatchObject({
      source: 'page_posts',
      url: null,
      sourcePage: { id: workspace.pageIds[fbPageId] },
    });
    // Read only by these tests' polls, so each can say what its read found: the schedule waits an hour.
    await AutopostFeedModel.updateOne(
      { _id: created.body.id },
      { $set: { nextPollAt: new Date(Date.now() + 3_600_000) } },
    );
    expect(await poll(created.body.id)).toMatchObject({ ok: true, newItems: 0 });
    return created.body.id as string;
  }

  it("a Page's new post is sent on once, even when its posts are read twice", async () => {
    await simulator.control.createPost('2002', 'Hats of last winter');
    const feedId = await addPagePostsFeed('2002', '2001', ['page_feed']);
    const { postId } = await simulator.control.createPost('2002', 'Straw hats are back');

    expect(await poll(feedId)).toMatchObject({ ok: true, newItems: 1 });
    expect(await poll(feedId)).toMatchObject({ ok: true, newItems: 0 });

    const onShoes = (await simulator.control.page('2001')).posts.filter(
      (p) => p.message === 'Straw hats are back',
    );
    expect(onShoes).toHaveLength(1);
    expect(onShoes[0]!.link).toMatch(/^https:\/\/www\.facebook\.com\//);
    const items = await itemsOf(feedId);
    expect(items.map((item) => [item.key, item.baseline, item.deliveries.map((d) => d.status)])).toEqual([
      [expect.stringContaining(postId), false, ['sent']],
      [expect.any(String), true, []],
    ]);
    expect(
      await AuditLogModel.countDocuments({ action: 'autoposting.page_post', 'details.feedId': feedId }),
    ).toBe(1);
  });

  it("a Page's new post is broadcast once, and only to people inside their 24-hour window", async () => {
    const inside = await addSubscriber(simulator, workspace, { id: 'posts-in', hoursAgo: 1 });
    const outside = await addSubscriber(simulator, workspace, {
      id: 'posts-out',
      hoursAgo: 30,
      wrote: false,
    });
    const feedId = await addPagePostsFeed('2001', '2001', ['broadcast']);
    await simulator.control.createPost('2001', 'Our summer sale starts today');

    expect(await poll(feedId)).toMatchObject({ ok: true, newItems: 1 });
    expect(await poll(feedId)).toMatchObject({ ok: true, newItems: 0 });
    const [item] = await itemsOf(feedId);
    expect(item!.deliveries).toEqual([expect.objectContaining({ target: 'broadcast', status: 'sent' })]);
    await waitForState(workspace, item!.deliveries[0]!.externalId!, ['completed']);
    const recipients = await BroadcastRecipientModel.find({
      broadcast: item!.deliveries[0]!.externalId,
    }).lean();
    expect(recipients.map((recipient) => recipient.psid)).toEqual([inside]);
    const sent = await sentPsids(simulator);
    expect(sent.filter((psid) => psid === inside)).toHaveLength(1);
    expect(sent).not.toContain(outside);
    expect(await simulator.control.violations()).toEqual([]);
  });

  it("a Page's posts may not go to that same Page's feed: refused on creation and on change", async () => {
    const loop = await post('/api/autoposting/feeds', {
      name: 'Loop',
      sourcePage: workspace.pageIds['2001'],
      page: workspace.pageIds['2001'],
      targets: ['broadcast', 'page_feed'],
    }).expect(400);
    expect(loop.body).toMatchObject({ detail: expect.stringMatching(/same Page's feed/) });

    const feedId = await addPagePostsFeed('2001', '2001', ['broadcast']);
    const change = await alice.agent
      .patch(`/api/autoposting/feeds/${feedId}`)
      .set(alice.csrf)
      .send({ targets: ['page_feed'] })
      .expect(400);
    expect(change.body).toMatchObject({ detail: expect.stringMatching(/same Page's feed/) });
  });

  it('a feed reads a URL or a Page, exactly one of them', async () => {
    const base = { name: 'Either', page: workspace.pageIds['2001'], targets: ['broadcast'] };
    await post('/api/autoposting/feeds', base).expect(400);
    await post('/api/autoposting/feeds', {
      ...base,
      url: 'https://shop.example/feed.xml',
      sourcePage: workspace.pageIds['2002'],
    }).expect(400);
  });

  it('a feed whose Page was disconnected reads nothing and says why', async () => {
    const feedId = await addPagePostsFeed('2002', '2001', ['broadcast']);
    await alice.agent.delete(`/api/pages/${workspace.pageIds['2002']}`).set(alice.csrf).expect(204);
    await simulator.control.createPost('2002', 'Posted while disconnected');
    expect(await poll(feedId)).toMatchObject({
      ok: false,
      problem: expect.stringMatching(/whose posts are read is not connected/),
    });
    expect((await itemsOf(feedId)).map((item) => item.title)).not.toContain('Posted while disconnected');
  });

  it('a Page of another workspace is refused as a source, like one that does not exist', async () => {
    const other = await connectWorkspace(app);
    const refused = await post('/api/autoposting/feeds', {
      name: 'Not ours',
      sourcePage: other.pageIds['2001'],
      page: workspace.pageIds['2001'],
      targets: ['broadcast'],
    }).expect(400);
    expect(refused.body).toMatchObject({ detail: 'No such connected Page.' });
  });
});
