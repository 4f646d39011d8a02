import mongoose from 'mongoose';
import request from 'supertest';
import { XPostLinkModel } from '../../../models/x-post';
import { useTestDatabase } from '../../support/database';
import { loadContract } from '../../support/openapi-contract';
import { connectedAccountId, eventually } from './x-harness';
import { ALICE_X, startXWorld, type XWorld } from './x-world';

useTestDatabase();
let world: XWorld;
let accountId: string;
let aliceUserId: string;

beforeAll(async () => {
  world = await startXWorld();
  accountId = await connectedAccountId(world.alice, ALICE_X.id);
  await world.alice.agent
    .patch(`/api/x/accounts/${accountId}`)
    .set(world.alice.csrf)
    .send({ scope: 'workspace' })
    .expect(200);
  aliceUserId = (await world.alice.agent.get('/api/me')).body.user.id as string;
}, 60_000);
afterAll(() => world.stop());

let serial = 0;
/** Texts far apart, so the duplicate guard lets each test's first post through. */
const fresh = (words: string) =>
  `${words} ${['red', 'blue', 'green', 'gold', 'teal', 'pink', 'grey', 'navy'][serial++ % 8]} ${serial}`;

const share = (text: string, scheduledFor?: Date) =>
  world.alice.agent
    .post(`/api/x/accounts/${accountId}/posts`)
    .set(world.alice.csrf)
    .send({ text, ...(scheduledFor ? { scheduledFor: scheduledFor.toISOString() } : {}) });

const postsOnX = async (text: string) =>
  (await world.simulator.x.control.posts()).filter((post) => post.text.includes(text));

describe('Share to X', () => {
  it('nothing posts without the owner’s own action: another member, another workspace and an API key are refused', async () => {
    const text = fresh('Only Alice may share this');
    const asCarol = await world.carol.agent
      .post(`/api/x/accounts/${accountId}/posts`)
      .set(world.carol.csrf)
      .send({ text });
    expect(asCarol.status).toBe(403);
    const asBob = await world.bob.agent
      .post(`/api/x/accounts/${accountId}/posts`)
      .set(world.bob.csrf)
      .send({ text });
    expect(asBob.status).toBe(404);
    const key = await world.alice.agent
      .post('/api/api-keys')
      .set(world.alice.csrf)
      .send({ name: 'Shop', scopes: ['read', 'broadcasts', 'automation', 'conversations', 'subscribers'] });
    const withKey = await request(world.app.url)
      .post(`/api/x/accounts/${accountId}/posts`)
      .set('authorization', `Bearer ${key.body.key as string}`)
      .send({ text });
    expect(withKey.status).toBe(401);
    expect(await postsOnX('Only Alice')).toEqual([]);
  });

  it('the owner’s Share now posts once and records her action as the consent', async () => {
    const text = fresh('Warm croissants until noon');
    const res = await share(text).expect(201);
    expect(res.body).toMatchObject({ status: 'posted', username: ALICE_X.username, reason: null });
    expect(res.body.consent).toMatchObject({ givenBy: aliceUserId, action: 'share_now' });
    expect(res.body.consent.basis).toMatch(/pressed Share now/);
    const onX = await postsOnX(text);
    expect(onX).toHaveLength(1);
    expect(res.body.xPostId).toBe(onX[0]?.id);
    const audit = await mongoose.connection.db
      ?.collection('auditlogs')
      .find({ 'object.id': res.body.id as string })
      .toArray();
    expect(audit?.map((entry) => entry.action).sort()).toEqual(['x-post.posted', 'x-post.shared']);
  });

  it('reach is the follower count at the moment of posting, and stays what it was', async () => {
    await world.simulator.x.control.setFollowers(ALICE_X.id, 777);
    const first = await share(fresh('Sourdough Saturday')).expect(201);
    await world.simulator.x.control.setFollowers(ALICE_X.id, 1500);
    const second = await share(fresh('Rye bread Monday')).expect(201);
    expect(first.body.reach).toBe(777);
    expect(second.body.reach).toBe(1500);
    await world.simulator.x.control.setPostMetrics(first.body.xPostId as string, { impression_count: 640 });
    const report = (await world.alice.agent.get(`/api/x/posts/${first.body.id as string}`)).body;
    expect(report.reach).toBe(777);
    expect(report.metrics).toEqual({ impressions: 640, likes: 0, reposts: 0, replies: 0 });
    const account = (await world.alice.agent.get(`/api/x/accounts/${accountId}/report`).expect(200)).body;
    expect(account.lastReach).toBe(1500);
  });

  it('a duplicate or near-duplicate of a recent post is refused before X, with a reason', async () => {
    const text = 'Our new cinnamon rolls are out of the oven at 8 every morning this week';
    await share(text).expect(201);
    const same = await share(text);
    expect(same.status).toBe(422);
    expect(same.body.detail).toMatch(/Too similar \(100%\).*X forbids duplicate/);
    const near = await share('Our NEW cinnamon rolls are out of the oven at 8 every morning this week!!');
    expect(near.status).toBe(422);
    const check = await world.alice.agent
      .post('/api/x/compose/check')
      .set(world.alice.csrf)
      .send({ text: `${text} 🙂`, accountId })
      .expect(200);
    expect(check.body.duplicateReason).toMatch(/Too similar/);
    expect(await postsOnX('cinnamon rolls')).toHaveLength(1);
  });

  it('length is counted as X counts it: a long link is 23, over 280 is refused', async () => {
    const longLink = `https://example.com/${'a'.repeat(200)}`;
    const check = await world.alice.agent
      .post('/api/x/compose/check')
      .set(world.alice.csrf)
      .send({ text: `Menu ${longLink}` })
      .expect(200);
    expect(check.body).toMatchObject({ weightedLength: 5 + 23, maxLength: 280, isValid: true });
    const tooLong = await share('x'.repeat(281));
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.detail).toMatch(/281/);
  });

  it('links go through tracked links: each click counted once, nothing about who clicked, HEAD not counted', async () => {
    const res = await share(fresh('Order online at https://shop.example.com/bread today')).expect(201);
    const sent = res.body.sentText as string;
    const tracked = /http:\/\/127\.0\.0\.1:\d+(\/r\/x\/[0-9a-f]{24})/.exec(sent);
    expect(tracked).not.toBeNull();
    expect(await postsOnX(tracked?.[1] ?? 'none')).toHaveLength(1);
    const path = tracked?.[1] ?? '';
    for (let i = 0; i < 3; i += 1) {
      const click = await request(world.app.url).get(path).expect(302);
      expect(click.headers.location).toBe('https://shop.example.com/bread');
    }
    await request(world.app.url).head(path).expect(302);
    const view = (await world.alice.agent.get(`/api/x/posts/${res.body.id as string}`)).body;
    expect(view.clicks).toBe(3);
    expect(view.links).toEqual([{ url: 'https://shop.example.com/bread', clicks: 3 }]);
    const stored = await XPostLinkModel.findOne({ post: res.body.id as string }).lean();
    expect(Object.keys(stored ?? {}).sort()).toEqual(['__v', '_id', 'clicks', 'post', 'url', 'workspace']);
    await request(world.app.url).get('/r/x/000000000000000000000000').expect(404);
  });

  it('a scheduled share posts exactly once, even across a restart and a second run of its job', async () => {
    const text = fresh('Scheduled: baguettes at five');
    const res = await share(text, new Date(world.app.clock.now().getTime() + 1_500)).expect(201);
    expect(res.body).toMatchObject({ status: 'scheduled' });
    expect(res.body.consent.action).toBe('schedule');
    await world.app.restart();
    const posted = await eventually(async () => {
      const view = (await world.alice.agent.get(`/api/x/posts/${res.body.id as string}`)).body;
      return view.status === 'scheduled' || view.status === 'posting' ? undefined : view;
    });
    expect(posted).toMatchObject({ status: 'posted', reach: expect.any(Number) });
    await world.app.server().jobs.agenda.now('x:publish-post', { postId: res.body.id as string });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await postsOnX(text)).toHaveLength(1);
    const after = (await world.alice.agent.get(`/api/x/posts/${res.body.id as string}`)).body;
    expect(after).toMatchObject({ status: 'posted', xPostId: posted.xPostId, reason: null });
  });

  it('a cancelled scheduled share never posts; only its owner may cancel', async () => {
    const text = fresh('Cancelled: pretzels');
    const res = await share(text, new Date(world.app.clock.now().getTime() + 60 * 60_000)).expect(201);
    const id = res.body.id as string;
    await world.carol.agent.post(`/api/x/posts/${id}/cancel`).set(world.carol.csrf).expect(403);
    await world.alice.agent.post(`/api/x/posts/${id}/cancel`).set(world.alice.csrf).expect(200);
    await world.app.server().jobs.agenda.now('x:publish-post', { postId: id });
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await postsOnX(text)).toEqual([]);
  });

  describe('X’s rate limit', () => {
    const windowMs = 900_000;
    const jobs = () => mongoose.connection.db!.collection('agendaJobs');
    /** The post's `x:publish-post` job still to come, once it is armed. */
    const armedJob = (postId: string) =>
      eventually(async () => {
        const job = await jobs().findOne({
          name: 'x:publish-post',
          'data.postId': postId,
          nextRunAt: { $gt: new Date() },
        });
        return job ?? undefined;
      });
    /** Moves X's clock and Pagewire's on by X's window, so the window X counted in is over. */
    const nextWindow = async () => {
      await world.simulator.control.advanceTime(windowMs);
      world.app.clock.advance(windowMs);
    };
    /** Its time comes: Agenda runs the armed job itself. */
    const runArmedJob = async (postId: string) => {
      const job = await armedJob(postId);
      await jobs().updateOne({ _id: job._id }, { $set: { nextRunAt: new Date() } });
    };
    const view = async (id: string) =>
      (await world.alice.agent.get(`/api/x/posts/${id}`).expect(200)).body as {
        status: string;
        reason: string | null;
        rateLimitDeferrals: number;
        waitingUntil: string | null;
        xPostId: string | null;
        consent: { action: string };
      };
    afterEach(() =>
      world.simulator.x.control.setRateLimits({ 'POST /2/tweets': { limit: 100, windowSeconds: 900 } }),
    );

    it('a share X refuses for its rate limit waits for the reset, says so, and then posts exactly once', async () => {
      await world.simulator.x.control.setRateLimits({ 'POST /2/tweets': { limit: 1, windowSeconds: 900 } });
      await nextWindow();
      await share(fresh('Fills the window: muffins')).expect(201);
      const text = fresh('Waits for the window: eclairs');
      const res = await share(text).expect(201);
      const id = res.body.id as string;
      // Share now answers honestly: not posted, waiting for X's limit, on the owner's own consent.
      expect(res.body).toMatchObject({ status: 'scheduled', rateLimitDeferrals: 1, xPostId: null });
      expect(res.body.consent.action).toBe('share_now');
      expect(res.body.reason).toMatch(/^Waiting for X's rate limit until .+: X has not taken it yet/);
      expect(res.body.reason).toContain(res.body.waitingUntil as string);
      expect(await postsOnX(text)).toEqual([]);
      const job = await armedJob(id);
      expect(job.nextRunAt.getTime()).toBeGreaterThan(Date.now() + 60_000);
      const listed = (await world.alice.agent.get('/api/x/posts').expect(200)).body.data as { id: string }[];
      expect(listed.find((post) => post.id === id)).toMatchObject({
        status: 'scheduled',
        reason: res.body.reason,
      });

      await nextWindow();
      await runArmedJob(id);
      const posted = await eventually(async () => {
        const now = await view(id);
        return now.status === 'scheduled' || now.status === 'posting' ? undefined : now;
      });
      expect(posted).toMatchObject({
        status: 'posted',
        reason: null,
        rateLimitDeferrals: 1,
        waitingUntil: null,
      });
      expect(posted.consent.action).toBe('share_now');
      await world.app.server().jobs.agenda.now('x:publish-post', { postId: id });
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      const onX = await postsOnX(text);
      expect(onX).toHaveLength(1);
      expect(onX[0]?.id).toBe(posted.xPostId);
      const audit = await mongoose.connection.db
        ?.collection('auditlogs')
        .find({ 'object.id': id })
        .sort({ _id: 1 })
        .toArray();
      expect(audit?.map((entry) => entry.action)).toEqual([
        'x-post.shared',
        'x-post.waiting-for-rate-limit',
        'x-post.posted',
      ]);
      expect(audit?.[2]?.actor).toMatchObject({ kind: 'job', id: 'x:publish-post' });
    });

    it('after X_RATE_LIMIT_MAX_DEFERRALS waits it ends as failed with a reason, never posted, never a 5xx', async () => {
      await world.simulator.x.control.setRateLimits({ 'POST /2/tweets': { limit: 0, windowSeconds: 900 } });
      const text = fresh('Limited: scones');
      const res = await share(text).expect(201);
      const id = res.body.id as string;
      expect(res.body).toMatchObject({ status: 'scheduled', rateLimitDeferrals: 1 });
      for (let wait = 2; wait <= 4; wait += 1) {
        await nextWindow();
        await runArmedJob(id);
        await eventually(async () => {
          const now = await view(id);
          return now.status === 'failed' || (now.status === 'scheduled' && now.rateLimitDeferrals === wait)
            ? now
            : undefined;
        });
      }
      const failed = await view(id);
      expect(failed).toMatchObject({ status: 'failed', rateLimitDeferrals: 3, waitingUntil: null });
      expect(failed.reason).toMatch(/rate limit .* it already waited for it 3 times\. It was not posted/);
      expect(await postsOnX(text)).toEqual([]);
    });
  });

  it('answers are what the OpenAPI document says', async () => {
    const contract = await loadContract(world.app.url);
    const posted = await share(fresh('Documented: brioche')).expect(201);
    contract.expectDocumented('POST /api/x/accounts/:id/posts', posted);
    const id = posted.body.id as string;
    const read = (path: string) => world.alice.agent.get(path).expect(200);
    contract.expectDocumented('GET /api/x/posts/:id', await read(`/api/x/posts/${id}`));
    contract.expectDocumented('GET /api/x/posts', await read('/api/x/posts'));
    contract.expectDocumented('GET /api/x/accounts', await read('/api/x/accounts'));
    contract.expectDocumented('GET /api/x/accounts/:id', await read(`/api/x/accounts/${accountId}`));
    contract.expectDocumented(
      'GET /api/x/accounts/:id/report',
      await read(`/api/x/accounts/${accountId}/report`),
    );
    contract.expectDocumented('GET /api/x/scopes', await read('/api/x/scopes'));
    const check = await world.alice.agent
      .post('/api/x/compose/check')
      .set(world.alice.csrf)
      .send({ text: 'Hi' });
    contract.expectDocumented('POST /api/x/compose/check', check);
  });

  it('the history shows every share with reach and clicks to those who see the account', async () => {
    const asCarol = (await world.carol.agent.get('/api/x/posts').expect(200)).body.data as {
      status: string;
      reach: number | null;
    }[];
    expect(asCarol.some((post) => post.status === 'posted' && post.reach !== null)).toBe(true);
    expect((await world.bob.agent.get('/api/x/posts').expect(200)).body.data).toEqual([]);
  });
});
