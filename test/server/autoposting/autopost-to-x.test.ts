import { useTestDatabase } from '../../support/database';
import { loadContract } from '../../support/openapi-contract';
import { connectedAccountId, eventually } from '../x/x-harness';
import { ALICE_X, CAROL_X, startXWorld, type XWorld } from '../x/x-world';
import { rss, startFeedServer, type FeedServer } from './feed-server';

/** Autoposting through X connections as they are: the simulator plays X, nothing in between is replaced. */
describe('autoposting to X on the owner’s standing consent', () => {
  useTestDatabase();
  let world: XWorld;
  let feeds: FeedServer;
  let accountId: string;

  beforeAll(async () => {
    world = await startXWorld({ AUTOPOSTING_ALLOW_PRIVATE_FEEDS: 'true', AUTOPOSTING_FETCH_RETRIES: '0' });
    feeds = await startFeedServer();
    accountId = await connectedAccountId(world.alice, ALICE_X.id);
  }, 60_000);
  afterAll(async () => {
    await feeds.stop();
    await world.stop();
  });

  const as = (user: XWorld['alice']) => ({
    post: (path: string, body: object = {}) => user.agent.post(path).set(user.csrf).send(body),
    put: (path: string, body: object) => user.agent.put(path).set(user.csrf).send(body),
    delete: (path: string) => user.agent.delete(path).set(user.csrf),
  });
  const alice = () => as(world.alice);
  const postsOnX = async () =>
    (await world.simulator.x.control.posts()).filter((post) => post.authorId === ALICE_X.id);

  /** A feed of Alice's Page sharing to her X account on her standing consent, its first item (Before) already seen. */
  const feedSharedToX = async (name: string, path: string) => {
    const connected = await alice()
      .post('/api/pages', { fbPageIds: ['2001'] })
      .expect((res) => expect([200, 201]).toContain(res.status));
    const page = (connected.body.data as { id: string }[])[0]!.id;
    feeds.serve(path, { body: rss([{ guid: 'before', title: 'Before' }]) });
    const feed = await alice()
      .post('/api/autoposting/feeds', { name, url: `${feeds.url}${path}`, page, targets: ['x_share'] })
      .expect(201);
    const feedId = feed.body.id as string;
    await alice().post(`/api/autoposting/feeds/${feedId}/poll`).expect(200);
    await alice()
      .put(`/api/autoposting/feeds/${feedId}/x-consent`, { xAccountId: accountId, agreed: true })
      .expect(200);
    return feedId;
  };

  it('posts each new item once on the owner’s account, with a tracked link, and stops when the consent is revoked', async () => {
    const connected = await alice()
      .post('/api/pages', { fbPageIds: ['2001'] })
      .expect(201);
    const page = (connected.body.data as { id: string }[])[0]!.id;
    feeds.serve('/news.xml', { body: rss([{ guid: 'old', title: 'Old news' }]) });
    const feed = await alice()
      .post('/api/autoposting/feeds', {
        name: 'Shop news',
        url: `${feeds.url}/news.xml`,
        page,
        targets: ['x_share'],
      })
      .expect(201);
    const feedId = feed.body.id as string;
    await alice().post(`/api/autoposting/feeds/${feedId}/poll`).expect(200);

    // Carol, an agent, owns another X account: she may not consent for Alice's.
    const carolAccount = await connectedAccountId(world.carol, CAROL_X.id);
    await alice()
      .put(`/api/autoposting/feeds/${feedId}/x-consent`, { xAccountId: carolAccount, agreed: true })
      .expect(403);
    const granted = await alice()
      .put(`/api/autoposting/feeds/${feedId}/x-consent`, { xAccountId: accountId, agreed: true })
      .expect(200);
    expect(granted.body).toMatchObject({ xAccountId: accountId, xUsername: ALICE_X.username });
    const listed = await world.alice.agent.get('/api/autoposting/feeds').expect(200);
    const contract = await loadContract(world.app.url);
    contract.expectDocumented('PUT /api/autoposting/feeds/:id/x-consent', granted);
    contract.expectDocumented('GET /api/autoposting/feeds', listed);
    expect(listed.body.data).toEqual([
      expect.objectContaining({
        id: feedId,
        xConsent: expect.objectContaining({ xUsername: ALICE_X.username }),
      }),
    ]);

    feeds.serve('/news.xml', {
      body: rss([
        { guid: 'new-1', title: 'Spring boots are in', link: 'https://shop.example.com/spring' },
        { guid: 'old', title: 'Old news' },
      ]),
    });
    await alice().post(`/api/autoposting/feeds/${feedId}/poll`).expect(200);
    await alice().post(`/api/autoposting/feeds/${feedId}/poll`).expect(200);
    const posted = await eventually(async () => {
      const posts = await postsOnX();
      return posts.length > 0 ? posts : undefined;
    });
    expect(posted).toHaveLength(1);
    expect(posted[0]!.text).toMatch(/^Spring boots are in https?:\/\/\S+\/r\/x\//);
    const history = await world.alice.agent.get(`/api/x/posts?accountId=${accountId}`).expect(200);
    expect(history.body.data).toEqual([
      expect.objectContaining({ status: 'posted', reach: ALICE_X.followersCount }),
    ]);
    const items = await world.alice.agent.get(`/api/autoposting/feeds/${feedId}/items`).expect(200);
    expect(items.body.data[0].deliveries).toEqual([
      expect.objectContaining({
        status: 'sent',
        basis: expect.stringContaining(`Standing consent of the owner of @${ALICE_X.username} (X account`),
      }),
    ]);

    await alice().delete(`/api/autoposting/feeds/${feedId}/x-consent`).expect(204);
    feeds.serve('/news.xml', { body: rss([{ guid: 'new-2', title: 'Summer sandals are in' }]) });
    await alice().post(`/api/autoposting/feeds/${feedId}/poll`).expect(200);
    expect(await postsOnX()).toHaveLength(1);
  });

  it('an item with only a link is shared as the link alone; one with no title, text or link is not shared, and says why', async () => {
    const feedId = await feedSharedToX('Bare', '/bare.xml');
    const before = (await postsOnX()).length;

    feeds.serve('/bare.xml', {
      body: rss([
        { guid: 'only-a-link', title: '', link: 'https://shop.example.com/bare' },
        { guid: 'nothing-at-all', title: '' },
      ]),
    });
    await alice().post(`/api/autoposting/feeds/${feedId}/poll`).expect(200);
    const items = await eventually(async () => {
      const listed = await world.alice.agent.get(`/api/autoposting/feeds/${feedId}/items`).expect(200);
      const data = listed.body.data as {
        key: string;
        deliveries: { status: string; detail: string | null }[];
      }[];
      return data.filter((item) => item.deliveries.some((d) => d.status !== 'sending')).length === 2
        ? data
        : undefined;
    });
    const posts = await postsOnX();
    expect(posts).toHaveLength(before + 1);
    expect(posts.at(-1)!.text).toMatch(/^https?:\/\/\S+\/r\/x\/\S+$/);
    expect(items.find((item) => item.key === 'nothing-at-all')!.deliveries).toEqual([
      expect.objectContaining({ status: 'skipped', detail: expect.stringMatching(/no title, text or link/) }),
    ]);
  });

  it('an item X refuses for its rate limit is accepted and waits: the delivery says so, and shows the share go once after the reset', async () => {
    const feedId = await feedSharedToX('Limited news', '/limited.xml');
    await world.simulator.x.control.setRateLimits({ 'POST /2/tweets': { limit: 0, windowSeconds: 900 } });
    feeds.serve('/limited.xml', {
      body: rss([
        { guid: 'waits', title: 'Autumn coats are in, in every size' },
        { guid: 'before', title: 'Before' },
      ]),
    });
    await alice().post(`/api/autoposting/feeds/${feedId}/poll`).expect(200);
    const delivery = async () => {
      const items = await world.alice.agent.get(`/api/autoposting/feeds/${feedId}/items`).expect(200);
      return (items.body.data as { key: string; deliveries: Record<string, unknown>[] }[]).find(
        (item) => item.key === 'waits',
      )!.deliveries[0] as { status: string; detail: string; xShare: Record<string, unknown> };
    };
    const waiting = await delivery();
    expect(waiting).toMatchObject({
      status: 'accepted',
      xShare: { status: 'scheduled', waitingUntil: expect.any(String) },
    });
    expect(waiting.detail).toMatch(/X's rate limit is used up: the share waits until/);
    expect(waiting.xShare.reason).toMatch(/^Waiting for X's rate limit until/);
    const coats = async () => (await postsOnX()).filter((post) => post.text.startsWith('Autumn coats'));
    expect(await coats()).toEqual([]);
    const share = await world.alice.agent.get(`/api/x/posts/${waiting.xShare.id as string}`).expect(200);
    expect(share.body.consent.action).toBe('standing_consent');

    await world.simulator.x.control.setRateLimits({ 'POST /2/tweets': { limit: 100, windowSeconds: 900 } });
    await world.simulator.control.advanceTime(900_000);
    world.app.clock.advance(900_000);
    await world.app.server().jobs.agenda.now('x:publish-post', { postId: waiting.xShare.id });
    const settled = await eventually(async () => {
      const now = await delivery();
      return now.xShare.status === 'posted' ? now : undefined;
    });
    // The delivery keeps what it was when handed over; the share's live status says it went.
    expect(settled).toMatchObject({ status: 'accepted', xShare: { status: 'posted', waitingUntil: null } });
    expect(await coats()).toHaveLength(1);
    const contract = await loadContract(world.app.url);
    contract.expectDocumented(
      'GET /api/autoposting/feeds/:id/items',
      await world.alice.agent.get(`/api/autoposting/feeds/${feedId}/items`).expect(200),
    );
  });
});
