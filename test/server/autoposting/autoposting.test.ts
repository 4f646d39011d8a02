import mongoose from 'mongoose';
import { AuditLogModel } from '../../../models/audit-log';
import { AutopostDeliveryModel } from '../../../models/autopost-delivery';
import { AutopostFeedModel } from '../../../models/autopost-feed';
import { AutopostItemModel } from '../../../models/autopost-item';
import { BroadcastRecipientModel } from '../../../models/broadcast-recipient';
import type { XStandingShare, XStandingShareRequest } from '../../../server/autoposting/x-standing-share';
import { pollDueFeedsJobName } from '../../../server/autoposting/poll-due-feeds-job';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { loadContract } from '../../support/openapi-contract';
import {
  addSubscriber,
  broadcastSeed,
  loginAndConnect,
  sentPsids,
  waitForState,
  type Workspace,
} from '../broadcasts/broadcast-harness';
import { eventually } from '../livechat/livechat-world';
import { atom, rss, startFeedServer, type Entry, type FeedServer } from './feed-server';

/** X connections' side, as the seam will be filled: Alice owns the X account `x-alice`; each post is recorded. */
function recordingXShare(owner: () => string) {
  const posts: XStandingShareRequest[] = [];
  const share: XStandingShare = {
    isOwnedBy: (_workspaceId, userId, xAccountId) =>
      Promise.resolve(userId === owner() && xAccountId === 'x-alice'),
    usernamesOf: (_workspaceId, xAccountIds) =>
      Promise.resolve(new Map(xAccountIds.filter((id) => id === 'x-alice').map((id) => [id, 'alice_on_x']))),
    post(request) {
      posts.push(request);
      return Promise.resolve({
        shareId: `share-${posts.length}`,
        xPostId: `x-post-${posts.length}`,
        username: 'alice_on_x',
        waitingUntil: null,
      });
    },
    sharesOf: () => Promise.resolve(new Map()),
  };
  return { posts, share };
}

interface FeedView {
  id: string;
  lastError: string | null;
  baselineAt: string | null;
  nextPollAt: string;
  itemsSeen: number;
  deliveries: Record<string, Record<string, number>>;
  xConsent: { id: string } | null;
}
interface ItemView {
  key: string;
  baseline: boolean;
  deliveries: { target: string; status: string; externalId: string | null; detail: string | null }[];
}

describe('autoposting', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let feeds: FeedServer;
  let alice: LoggedInUser;
  let workspace: Workspace;
  const x = recordingXShare(() => workspace.member.userId);
  const config = {
    AUTOPOSTING_ALLOW_PRIVATE_FEEDS: 'true',
    AUTOPOSTING_FETCH_RETRIES: '0',
    AUTOPOSTING_MAX_FEED_BYTES: '50000',
    BROADCAST_LEASE_SECONDS: '4',
  };

  beforeAll(async () => {
    simulator = await startSimulator({ seed: broadcastSeed });
    app = await startTestApp({ simulator, config, xStandingShare: x.share });
    feeds = await startFeedServer();
    ({ alice, workspace } = await loginAndConnect(app));
  }, 30_000);
  afterAll(async () => {
    await app.stop();
    await feeds.stop();
    await simulator.stop();
  });

  /** Another Pagewire process of the same installation: the same keys open the same Page tokens. */
  const sameKeys = (variables: Record<string, string>) => ({
    ...variables,
    TOKEN_ENCRYPTION_KEYS: app.config.TOKEN_ENCRYPTION_KEYS.map(
      ({ id, key }) => `${id}:${key.toString('base64')}`,
    ).join(','),
  });
  const post = (path: string, body: object = {}) => alice.agent.post(path).set(alice.csrf).send(body);
  let feedCount = 0;
  /** A feed of Page 2001 served at a path of its own, already read once (what it held is the baseline). */
  async function addFeed(
    targets: string[],
    initial: Entry[] = [{ guid: 'old-1', title: 'Old news' }],
    fbPageId = '2001',
  ) {
    const path = `/feed-${++feedCount}.xml`;
    feeds.serve(path, { body: rss(initial) });
    const created = await post('/api/autoposting/feeds', {
      name: `Shop news ${feedCount}`,
      url: `${feeds.url}${path}`,
      page: workspace.pageIds[fbPageId],
      targets,
    }).expect(201);
    const feed = created.body as FeedView;
    const first = await post(`/api/autoposting/feeds/${feed.id}/poll`).expect(200);
    expect(first.body).toMatchObject({ ok: true, newItems: 0, baselineItems: initial.length });
    return { id: feed.id, path };
  }
  const poll = async (feedId: string) =>
    (await post(`/api/autoposting/feeds/${feedId}/poll`).expect(200)).body;
  const itemsOf = async (feedId: string) =>
    (await alice.agent.get(`/api/autoposting/feeds/${feedId}/items`).expect(200)).body.data as ItemView[];
  const feedOf = async (feedId: string) =>
    ((await alice.agent.get('/api/autoposting/feeds').expect(200)).body.data as FeedView[]).find(
      (feed) => feed.id === feedId,
    )!;
  const postsOnPage = async () =>
    (await simulator.control.page('2001')).posts.map((p) => ({ message: p.message, link: p.link }));

  it('the schedule reads a new feed once and marks what it already held as seen, sending nothing', async () => {
    const path = '/scheduled.xml';
    feeds.serve(path, { body: rss([{ guid: 'a', title: 'Already there' }]) });
    const created = await post('/api/autoposting/feeds', {
      name: 'Scheduled',
      url: `${feeds.url}${path}`,
      page: workspace.pageIds['2001'],
      targets: ['page_feed'],
    }).expect(201);
    const before = await postsOnPage();
    await app.server().jobs.agenda.now(pollDueFeedsJobName, {});
    const feed = await eventually(async () => {
      const found = await feedOf(created.body.id);
      return found.baselineAt ? found : undefined;
    }, 15_000);
    expect(feed.itemsSeen).toBe(1);
    expect((await itemsOf(feed.id))[0]).toMatchObject({ key: 'a', baseline: true, deliveries: [] });
    expect(await postsOnPage()).toEqual(before);
    // Claimed for its interval: a second run before then does not read it again.
    const reads = feeds.reads(path);
    await app.server().jobs.agenda.now(pollDueFeedsJobName, {});
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(feeds.reads(path)).toBe(reads);
  });

  it("an admin's read now is the period's read: the schedule reads the feed again only an interval later", async () => {
    const { id, path } = await addFeed(['page_feed']);
    const readAt = Date.now();
    const feed = await feedOf(id);
    expect(new Date(feed.nextPollAt).getTime()).toBeGreaterThanOrEqual(readAt + 14 * 60_000);
    const reads = feeds.reads(path);
    await app.server().jobs.agenda.now(pollDueFeedsJobName, {});
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    expect(feeds.reads(path)).toBe(reads);
  });

  it('a feed item appears once even when the feed is read twice or reordered', async () => {
    const { id, path } = await addFeed(['page_feed']);
    const entries: Entry[] = [
      { guid: 'g-2', title: 'Spring collection', link: 'https://shop.example/spring' },
      { guid: 'g-1', title: 'Summer sale', link: 'https://shop.example/summer' },
      { guid: 'old-1', title: 'Old news' },
    ];
    feeds.serve(path, { body: rss(entries) });
    expect(await poll(id)).toMatchObject({ ok: true, newItems: 2 });
    expect(await poll(id)).toMatchObject({ ok: true, newItems: 0 });
    feeds.serve(path, { body: rss([entries[2]!, entries[0]!, entries[1]!]) });
    expect(await poll(id)).toMatchObject({ ok: true, newItems: 0 });
    // The same items as Atom, ids unchanged: still nothing new.
    feeds.serve(path, { body: atom(entries), contentType: 'application/atom+xml' });
    expect(await poll(id)).toMatchObject({ ok: true, newItems: 0 });

    const posted = (await postsOnPage()).filter((p) => p.link?.startsWith('https://shop.example/'));
    expect(posted).toEqual([
      { message: 'Summer sale', link: 'https://shop.example/summer' },
      { message: 'Spring collection', link: 'https://shop.example/spring' },
    ]);
    const items = await itemsOf(id);
    expect(items.map((item) => [item.key, item.deliveries.map((d) => `${d.target}:${d.status}`)])).toEqual([
      ['g-2', ['page_feed:sent']],
      ['g-1', ['page_feed:sent']],
      ['old-1', []],
    ]);
    const audit = await AuditLogModel.find({ action: 'autoposting.page_post', 'details.feedId': id }).lean();
    expect(audit).toHaveLength(2);
    expect(audit[0]!.basis).toMatch(/a workspace admin chose at .* to publish the new items of the feed/);
  });

  it('an item without a guid is known by its link', async () => {
    const { id, path } = await addFeed(['page_feed']);
    feeds.serve(path, { body: rss([{ title: 'Linked', link: 'https://shop.example/linked' }]) });
    expect(await poll(id)).toMatchObject({ newItems: 1 });
    feeds.serve(path, { body: rss([{ title: 'Linked, retitled', link: 'https://shop.example/linked' }]) });
    expect(await poll(id)).toMatchObject({ newItems: 0 });
    expect((await itemsOf(id)).map((item) => item.key)).toContain('https://shop.example/linked');
  });

  it('an item whose poll died before sending it is sent by the next poll, once', async () => {
    const { id, path } = await addFeed(['page_feed']);
    // What a process killed between the item's insert and its sends leaves behind.
    await AutopostItemModel.create({
      workspace: workspace.workspaceId,
      feed: id,
      key: 'left-behind',
      title: 'Left behind',
      link: 'https://left.example/1',
      baseline: false,
      seenAt: new Date(),
    });
    feeds.serve(path, {
      body: rss([{ guid: 'left-behind', title: 'Left behind', link: 'https://left.example/1' }]),
    });
    expect(await poll(id)).toMatchObject({ ok: true, newItems: 0 });
    expect(await poll(id)).toMatchObject({ ok: true, newItems: 0 });
    const posted = (await postsOnPage()).filter((p) => p.link === 'https://left.example/1');
    expect(posted).toHaveLength(1);
    expect((await itemsOf(id))[0]?.deliveries.map((d) => `${d.target}:${d.status}`)).toEqual([
      'page_feed:sent',
    ]);
  });

  /** What a process killed mid-send leaves: the item, and its delivery claimed `minutesAgo` and still sending. */
  async function leftSending(
    feedId: string,
    key: string,
    minutesAgo: number,
    status: 'sending' | 'interrupted' = 'sending',
  ) {
    const item = await AutopostItemModel.create({
      workspace: workspace.workspaceId,
      feed: feedId,
      key,
      title: `Left ${key}`,
      link: `https://left.example/${key}`,
      baseline: false,
      seenAt: app.clock.now(),
    });
    const delivery = await AutopostDeliveryModel.create({
      workspace: workspace.workspaceId,
      feed: feedId,
      item: item._id,
      target: 'page_feed',
      status,
      at: new Date(app.clock.now().getTime() - minutesAgo * 60_000),
    });
    return String(delivery._id);
  }
  const deliveryOf = async (feedId: string, key: string) =>
    (await itemsOf(feedId)).find((item) => item.key === key)!.deliveries[0]!;
  const postsLinking = async (key: string) =>
    (await postsOnPage()).filter((p) => p.link === `https://left.example/${key}`);

  it('a delivery left sending by a stopped process becomes interrupted, on the schedule and at start, and is never sent again on its own', async () => {
    const { id, path } = await addFeed(['page_feed']);
    await leftSending(id, 'stale', 11);
    await leftSending(id, 'young', 1);
    feeds.serve(path, {
      body: rss([
        { guid: 'stale', title: 'Left stale', link: 'https://left.example/stale' },
        { guid: 'young', title: 'Left young', link: 'https://left.example/young' },
      ]),
    });
    await poll(id);
    await app.server().jobs.agenda.now(pollDueFeedsJobName, {});
    const interrupted = await eventually(async () => {
      const delivery = await deliveryOf(id, 'stale');
      return delivery.status === 'interrupted' ? delivery : undefined;
    }, 15_000);
    expect(interrupted.detail).toMatch(
      /^Pagewire stopped while sending this, so it may or may not have gone out: check the Page's feed/,
    );
    // Claimed a minute ago: still at work, for all anyone knows.
    expect(await deliveryOf(id, 'young')).toMatchObject({ status: 'sending' });

    await leftSending(id, 'at-restart', 30);
    await app.restart();
    expect(await deliveryOf(id, 'at-restart')).toMatchObject({ status: 'interrupted' });
    await poll(id);
    await poll(id);
    for (const key of ['stale', 'young', 'at-restart']) expect(await postsLinking(key)).toEqual([]);
    expect((await feedOf(id)).deliveries.page_feed).toMatchObject({ interrupted: 2, sending: 1 });
  });

  it('an admin’s Send again sends an interrupted delivery once, however many clicks race, and the audit names who chose', async () => {
    const { id } = await addFeed(['page_feed']);
    const deliveryId = await leftSending(id, 'resend', 30, 'interrupted');
    const clicks = await Promise.all(
      Array.from({ length: 6 }, () => post(`/api/autoposting/deliveries/${deliveryId}/send-again`)),
    );
    expect(clicks.map((res) => res.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const sent = clicks.find((res) => res.status === 200)!;
    expect(sent.body).toMatchObject({ id: deliveryId, target: 'page_feed', status: 'sent' });
    const contract = await loadContract(app.url);
    contract.expectDocumented('POST /api/autoposting/deliveries/:id/send-again', sent);
    expect(clicks.find((res) => res.status === 409)!.headers['content-type']).toMatch(/problem\+json/);
    expect(await postsLinking('resend')).toHaveLength(1);
    expect(await deliveryOf(id, 'resend')).toMatchObject({ status: 'sent' });
    await post(`/api/autoposting/deliveries/${deliveryId}/send-again`).expect(409);
    await post('/api/autoposting/deliveries/000000000000000000000000/send-again').expect(404);
    await post('/api/autoposting/deliveries/nonsense/send-again').expect(400);
    expect(await postsLinking('resend')).toHaveLength(1);
    const chosen = await AuditLogModel.find({
      action: 'autoposting.delivery_sent_again',
      'details.deliveryId': deliveryId,
    }).lean();
    expect(chosen).toHaveLength(1);
    expect(chosen[0]?.actor).toMatchObject({ kind: 'user', id: workspace.member.userId });
    const went = await AuditLogModel.find({
      action: 'autoposting.page_post',
      'details.sentAgainBy': workspace.member.userId,
    }).lean();
    expect(went).toHaveLength(1);
  });

  it('two pollers in two servers at once post each new item once', async () => {
    const second = await startTestApp({ simulator, config: sameKeys(config), xStandingShare: x.share });
    try {
      const { id, path } = await addFeed(['page_feed']);
      const fresh = Array.from({ length: 8 }, (_, n) => ({
        guid: `race-${n}`,
        title: `Race ${n}`,
        link: `https://race.example/${n}`,
      }));
      feeds.serve(path, { body: rss(fresh) });
      const results = await Promise.all(
        [app, second, app, second].map((server) => server.server().autoposting.poll(id)),
      );
      expect(results.reduce((total, result) => total + result.newItems, 0)).toBe(fresh.length);
      const posted = (await postsOnPage()).filter((p) => p.link?.startsWith('https://race.example/'));
      expect(posted.map((p) => p.link).sort()).toEqual(fresh.map((entry) => entry.link).sort());
    } finally {
      await second.stop();
    }
  });

  it('autoposting to Messenger reaches only people inside their 24-hour window', async () => {
    const inside = await addSubscriber(simulator, workspace, { id: 'auto-in', hoursAgo: 2 });
    const outside = await addSubscriber(simulator, workspace, { id: 'auto-out', hoursAgo: 30, wrote: false });
    const optedOut = await addSubscriber(simulator, workspace, { id: 'auto-no', status: 'unsubscribed' });
    const { id, path } = await addFeed(['broadcast']);
    feeds.serve(path, {
      body: rss([{ guid: 'b-1', title: 'New arrivals', link: 'https://shop.example/new' }]),
    });
    expect(await poll(id)).toMatchObject({ newItems: 1 });
    const [item] = await itemsOf(id);
    const delivery = item!.deliveries[0]!;
    expect(delivery).toMatchObject({ target: 'broadcast', status: 'sent' });
    const finished = await waitForState(workspace, delivery.externalId!, ['completed']);
    // Nobody outside the window was even tried: not refused by Meta, never a recipient.
    const recipients = await BroadcastRecipientModel.find({ broadcast: delivery.externalId }).lean();
    expect(recipients.map((recipient) => recipient.psid)).not.toContain(outside);
    expect(recipients.map((recipient) => recipient.psid)).not.toContain(optedOut);
    expect(finished.totals).toMatchObject({ failed: 0 });
    const sent = await sentPsids(simulator);
    expect(sent).toContain(inside);
    expect(sent).not.toContain(outside);
    expect(await simulator.control.violations()).toEqual([]);
    const audit = await AuditLogModel.findOne({
      action: 'autoposting.broadcast',
      'details.feedId': id,
    }).lean();
    expect(audit?.basis).toMatch(/only people who interacted with the Page in the last 24 h/);
  });

  it('revoking the standing consent stops X sharing at once', async () => {
    const { id, path } = await addFeed(['x_share']);
    // Only the account's owner consents, and only to their own account.
    await alice.agent
      .put(`/api/autoposting/feeds/${id}/x-consent`)
      .set(alice.csrf)
      .send({ xAccountId: 'x-someone-else', agreed: true })
      .expect(403);
    await alice.agent
      .put(`/api/autoposting/feeds/${id}/x-consent`)
      .set(alice.csrf)
      .send({ xAccountId: 'x-alice' })
      .expect(400);
    // Without consent, nothing is shared.
    feeds.serve(path, { body: rss([{ guid: 'x-0', title: 'Before consent' }]) });
    await poll(id);
    expect(x.posts).toHaveLength(0);

    const granted = await alice.agent
      .put(`/api/autoposting/feeds/${id}/x-consent`)
      .set(alice.csrf)
      .send({ xAccountId: 'x-alice', agreed: true })
      .expect(200);
    expect(granted.body).toMatchObject({ xAccountId: 'x-alice', grantedBy: workspace.member.userId });
    feeds.serve(path, {
      body: rss([{ guid: 'x-1', title: 'Shared on X', link: 'https://shop.example/x1' }]),
    });
    await poll(id);
    expect(x.posts.map((p) => [p.xAccountId, p.text, p.consentId])).toEqual([
      ['x-alice', 'Shared on X', granted.body.id],
    ]);
    const audit = await AuditLogModel.findOne({ action: 'autoposting.x_share', 'details.feedId': id }).lean();
    expect(audit?.basis).toMatch(
      /Standing consent of the owner of @alice_on_x \(X account x-alice, user .* not revoked/,
    );

    await alice.agent.delete(`/api/autoposting/feeds/${id}/x-consent`).set(alice.csrf).expect(204);
    expect((await feedOf(id)).xConsent).toBeNull();
    feeds.serve(path, { body: rss([{ guid: 'x-2', title: 'After revocation' }]) });
    expect(await poll(id)).toMatchObject({ newItems: 1 });
    expect(x.posts).toHaveLength(1);
    const [latest] = await itemsOf(id);
    expect(latest!.deliveries).toEqual([
      expect.objectContaining({
        target: 'x_share',
        status: 'skipped',
        detail: expect.stringMatching(/revoked/),
      }),
    ]);
    expect(await AuditLogModel.countDocuments({ action: 'autoposting.x_consent_revoked' })).toBeGreaterThan(
      0,
    );
  });

  it("a disconnected Page's feed sends nothing anywhere, X included, and says why", async () => {
    const { id, path } = await addFeed(['page_feed', 'x_share'], undefined, '2002');
    await alice.agent
      .put(`/api/autoposting/feeds/${id}/x-consent`)
      .set(alice.csrf)
      .send({ xAccountId: 'x-alice', agreed: true })
      .expect(200);
    const shared = x.posts.length;
    await alice.agent.delete(`/api/pages/${workspace.pageIds['2002']}`).set(alice.csrf).expect(204);
    feeds.serve(path, { body: rss([{ guid: 'while-away', title: 'While the Page was away' }]) });
    expect(await poll(id)).toMatchObject({ ok: false, problem: expect.stringMatching(/not connected/) });
    expect(x.posts).toHaveLength(shared);
    expect(await feedOf(id)).toMatchObject({ lastError: expect.stringMatching(/not connected/) });
  });

  it('bad feeds answer a clear problem, are kept on the feed, and crash nothing', async () => {
    const { id, path } = await addFeed(['page_feed']);
    const problems: [string, { status?: number; body: string }, RegExp][] = [
      ['malformed XML', { body: '<rss><channel><item><title>cut' }, /Not an RSS, Atom or JSON feed/],
      ['not a feed at all', { body: '<html><body>Hello</body></html>' }, /Not an RSS, Atom or JSON feed/],
      ['a huge body', { body: rss([{ guid: 'big', title: 'x'.repeat(80_000) }]) }, /larger than 50000 bytes/],
      ['a server error', { status: 503, body: 'down' }, /answered 503/],
    ];
    for (const [what, served, problem] of problems) {
      feeds.serve(path, served);
      const answer = await poll(id);
      expect({ what, ok: answer.ok, problem: answer.problem }).toEqual({
        what,
        ok: false,
        problem: expect.stringMatching(problem),
      });
      expect((await feedOf(id)).lastError).toMatch(problem);
    }
    feeds.serve(path, { body: rss([{ guid: 'good', title: 'Good again' }]) });
    expect(await poll(id)).toMatchObject({ ok: true, newItems: 1 });
    expect((await feedOf(id)).lastError).toBeNull();

    // Bad requests are 400s naming the field.
    const page = workspace.pageIds['2001'];
    for (const body of [
      { name: 'No URL', url: 'not a url', page, targets: ['page_feed'] },
      { name: 'FTP', url: 'ftp://shop.example/feed', page, targets: ['page_feed'] },
      { name: 'No target', url: `${feeds.url}/x.xml`, page, targets: [] },
      { name: 'Odd target', url: `${feeds.url}/x.xml`, page, targets: ['email'] },
      { name: 'Too often', url: `${feeds.url}/x.xml`, page, targets: ['page_feed'], pollEveryMinutes: 1 },
      { name: 'Extra', url: `${feeds.url}/x.xml`, page, targets: ['page_feed'], extra: true },
    ]) {
      const res = await post('/api/autoposting/feeds', body);
      expect({ name: body.name, status: res.status }).toEqual({ name: body.name, status: 400 });
    }
    await alice.agent.get('/api/autoposting/feeds/not-an-id/items').expect(400);
    await alice.agent
      .get(`/api/autoposting/feeds/${new mongoose.Types.ObjectId().toString()}/items`)
      .expect(404);
    await alice.agent.get('/healthz').expect(200);
  });

  it('private addresses are refused unless allowed, before and at the connection', async () => {
    const guarded = await startTestApp({ simulator, config: sameKeys({}) });
    try {
      const admin = await guarded.login('1001');
      const page = (await admin.agent.get('/api/pages').expect(200)).body.data[0]?.id as string;
      const add = (url: string) =>
        admin.agent
          .post('/api/autoposting/feeds')
          .set(admin.csrf)
          .send({ name: 'Private', url, page, targets: ['page_feed'] });
      const literal = await add(`${feeds.url}/feed-1.xml`).expect(400);
      expect(literal.body.detail).toMatch(/127\.0\.0\.1 is not a public address/);
      await add('http://[::1]/feed.xml').expect(400);
      await add('http://169.254.169.254/latest/meta-data').expect(400);
      // A name that resolves to a private address is refused when the connection is made.
      const named = await add(feeds.url.replace('127.0.0.1', 'localhost') + '/feed-1.xml').expect(201);
      const read = await admin.agent
        .post(`/api/autoposting/feeds/${named.body.id}/poll`)
        .set(admin.csrf)
        .expect(200);
      expect(read.body).toMatchObject({
        ok: false,
        problem: expect.stringMatching(/Refused: localhost resolves to/),
      });
      await AutopostFeedModel.deleteOne({ _id: named.body.id });
    } finally {
      await guarded.stop();
    }
  });
});
