/**
 * The sandbox API (/api/sandbox) on the whole product with SANDBOX=1: the dashboard acts as the simulator's people,
 * whose messages and comments reach the app as Meta's webhooks, and moves the simulator's clock and the app's
 * together.
 */
import net, { type AddressInfo } from 'node:net';
import request from 'supertest';
import { ConversationModel } from '../../../models/conversation';
import { MessageModel } from '../../../models/message';
import { SubscriberModel } from '../../../models/subscriber';
import { AdjustableClock } from '../../../server/platform/clock';
import { startTestApp } from '../../support/app-harness';
import { eventually, nextEvent, useLiveChatWorld } from '../livechat/livechat-world';

const HOUR = 3_600_000;

describe('the sandbox API', () => {
  const world = useLiveChatWorld({ config: { SANDBOX: '1' } });
  const simulator = () => world.simulator.control;

  const sandboxPost = (path: string, body: object) =>
    world.alice.agent.post(`/api/sandbox${path}`).set(world.alice.csrf).send(body);

  it('tells anyone that this is the sandbox, and where the simulator is, and nothing more', async () => {
    const res = await request(world.app.url).get('/api/sandbox');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ enabled: true, simulatorUrl: world.simulator.url });
  });

  it('shows a member the simulator’s people, Pages and posts, and the app’s time', async () => {
    const created = await sandboxPost('/posts', { pageId: '2001', message: 'Spring sale!' });
    expect(created.status).toBe(201);
    const appBefore = world.app.clock.now().getTime();
    const res = await world.alice.agent.get('/api/sandbox');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ enabled: true, simulatorUrl: world.simulator.url });
    expect(res.body.people).toEqual(
      expect.arrayContaining([
        { id: 'p1', name: 'Pia Person' },
        { id: 'p4', name: 'Pete Stopper' },
      ]),
    );
    expect(res.body.pages).toEqual(
      expect.arrayContaining([
        { id: '2001', name: 'Alice Shoes' },
        { id: '3001', name: 'Bob Bikes' },
      ]),
    );
    expect(res.body.posts).toEqual([
      { id: created.body.postId, pageId: '2001', message: 'Spring sale!', createdAt: expect.any(String) },
    ]);
    expect(Date.parse(res.body.now)).toBeGreaterThanOrEqual(appBefore);
    expect(Date.parse(res.body.now)).toBeLessThanOrEqual(world.app.clock.now().getTime());
    expect(res.text).not.toContain('accessToken');
  });

  it('a person’s message written in the sandbox reaches the agent’s inbox through the simulator', async () => {
    const socket = await world.app.socketFor(world.alice);
    const received = nextEvent(
      socket,
      'message:new',
      (event) => event.message.text === 'Do you have size 42?',
    );
    const res = await sandboxPost('/messages', {
      personId: 'p1',
      pageId: '2001',
      text: 'Do you have size 42?',
    });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({
      psid: expect.any(String),
      mid: expect.any(String),
      timestamp: expect.any(Number),
    });
    const event = await received;
    expect(event.message).toMatchObject({ direction: 'inbound', mid: res.body.mid });
    const conversation = await eventually(() => ConversationModel.findOne({ psid: res.body.psid }).lean());
    expect(conversation.status).toBe('open');
  });

  it('a tapped quick reply arrives with its payload', async () => {
    const res = await sandboxPost('/messages', {
      personId: 'p2',
      pageId: '2001',
      text: 'Size 42',
      quickReplyPayload: 'SIZE_42',
    });
    expect(res.status).toBe(202);
    const message = await eventually(() => MessageModel.findOne({ mid: res.body.mid }).lean());
    expect(message).toMatchObject({ kind: 'quick_reply', payload: 'SIZE_42', text: 'Size 42' });
  });

  it('STOP sent in the sandbox unsubscribes the person', async () => {
    const first = await sandboxPost('/messages', { personId: 'p4', pageId: '2001', text: 'hello' });
    await eventually(() => SubscriberModel.findOne({ psid: first.body.psid, status: 'subscribed' }).lean());
    const stop = await sandboxPost('/messages', { personId: 'p4', pageId: '2001', text: 'STOP' });
    expect(stop.status).toBe(202);
    await eventually(() => SubscriberModel.findOne({ psid: first.body.psid, status: 'unsubscribed' }).lean());
  });

  it('a comment on a post goes to the app as Meta’s feed webhook', async () => {
    const { postId } = await simulator().createPost('2001', 'New boots are in');
    const res = await sandboxPost('/comments', { personId: 'p1', postId, message: 'Price?' });
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ commentId: expect.any(String), postId });
    expect((await simulator().page('2001')).comments).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: res.body.commentId, message: 'Price?' })]),
    );
    await simulator().waitForWebhookIdle();
    const deliveries = await simulator().webhookDeliveries();
    const delivered = deliveries.filter((attempt) => attempt.body.includes(res.body.commentId));
    expect(delivered.map((attempt) => attempt.status)).toContain(200);
  });

  it('moves the simulator’s clock and the app’s together', async () => {
    const simulatorBefore = await simulator().now();
    const realBefore = Date.now();
    const appBefore = world.app.clock.now().getTime();
    const res = await sandboxPost('/clock/advance', { hours: 25 });
    expect(res.status).toBe(200);
    expect(await simulator().now()).toBe(simulatorBefore + 25 * HOUR);
    expect(Date.parse(res.body.simulatorNow)).toBe(simulatorBefore + 25 * HOUR);
    // The app's clock also runs with real time: 25 hours plus however long this took.
    const appMoved = world.app.clock.now().getTime() - appBefore;
    expect(appMoved).toBeGreaterThanOrEqual(25 * HOUR);
    expect(appMoved).toBeLessThanOrEqual(25 * HOUR + Date.now() - realBefore);
    expect(Date.parse(res.body.now)).toBeGreaterThanOrEqual(appBefore + 25 * HOUR);

    const byMs = await sandboxPost('/clock/advance', { ms: 1_000 });
    expect(byMs.status).toBe(200);
    expect(await simulator().now()).toBe(simulatorBefore + 25 * HOUR + 1_000);
  });

  it('an app started after the simulator’s clock moved starts at the simulator’s time', async () => {
    const simulatorNow = await simulator().advanceTime(48 * HOUR);
    const clock = new AdjustableClock();
    const realBefore = Date.now();
    const second = await startTestApp({ simulator: world.simulator, config: { SANDBOX: '1' }, clock });
    try {
      // The simulator's clock stands still in tests; the app's runs on from the simulator's time.
      const ahead = clock.now().getTime() - simulatorNow;
      expect(ahead).toBeGreaterThanOrEqual(0);
      expect(ahead).toBeLessThanOrEqual(Date.now() - realBefore);
    } finally {
      await second.stop();
    }
  });

  it.each([
    ['/messages', 'no fields', {}],
    ['/messages', 'no text', { personId: 'p1', pageId: '2001' }],
    ['/messages', 'empty text', { personId: 'p1', pageId: '2001', text: '' }],
    ['/messages', 'a path for a person id', { personId: '../_sim/reset', pageId: '2001', text: 'hi' }],
    ['/messages', '2,001 characters', { personId: 'p1', pageId: '2001', text: 'x'.repeat(2001) }],
    ['/messages', 'an unknown field', { personId: 'p1', pageId: '2001', text: 'hi', isAdmin: true }],
    ['/messages', 'a numeric payload', { personId: 'p1', pageId: '2001', text: 'hi', quickReplyPayload: 7 }],
    ['/comments', 'no post', { personId: 'p1', message: 'Price?' }],
    ['/comments', 'an operator for a post id', { personId: 'p1', postId: { $ne: null }, message: 'Price?' }],
    ['/posts', 'no message', { pageId: '2001' }],
    ['/clock/advance', 'nothing', {}],
    ['/clock/advance', 'both hours and ms', { hours: 1, ms: 1000 }],
    ['/clock/advance', 'negative hours', { hours: -1 }],
    ['/clock/advance', 'hours as a string', { hours: '25' }],
    ['/clock/advance', 'a fraction of a millisecond', { ms: 1.5 }],
    ['/clock/advance', 'a billion hours', { hours: 1e9 }],
  ])(
    'refuses POST /api/sandbox%s with %s: a 400 naming the problem, and nothing moves',
    async (path, _what, body) => {
      const simulatorBefore = await simulator().now();
      const res = await sandboxPost(path, body);
      expect(res.status).toBe(400);
      expect(res.headers['content-type']).toMatch(/problem\+json/);
      expect(res.body.issues.length).toBeGreaterThan(0);
      expect(await simulator().now()).toBe(simulatorBefore);
    },
  );

  it('answers 404 for a person or a Page the simulator does not know', async () => {
    const person = await sandboxPost('/messages', { personId: 'nobody', pageId: '2001', text: 'hi' });
    expect(person.status).toBe(404);
    expect(person.body.detail).toMatch(/unknown person nobody/);
    const page = await sandboxPost('/posts', { pageId: '9999', message: 'hi' });
    expect(page.status).toBe(404);
    expect(page.body.detail).toMatch(/unknown page 9999/);
  });

  it('acts only for a member, with the CSRF token', async () => {
    const anonymous = await request(world.app.url).post('/api/sandbox/messages').send({
      personId: 'p1',
      pageId: '2001',
      text: 'hi',
    });
    expect(anonymous.status).toBe(401);
    const withoutToken = await world.alice.agent.post('/api/sandbox/clock/advance').send({ hours: 1 });
    expect(withoutToken.status).toBe(403);
  });

  it('answers 503 when the simulator does not answer, and leaves the app’s clock alone', async () => {
    const clock = new AdjustableClock();
    // Where FB_GRAPH_URL points, a server that hangs up on every connection without a word. A port merely free when
    // the test began can be taken by the next server to start, which then answers (a 404 in one CI run).
    const silent = net.createServer((socket) => socket.destroy());
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    // The same sessions (database and secret) as the world's app.
    const unreachable = await startTestApp({
      simulator: world.simulator,
      config: {
        SANDBOX: '1',
        SESSION_SECRET: world.app.config.SESSION_SECRET,
        FB_GRAPH_URL: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`,
      },
      clock,
    });
    try {
      const realBefore = Date.now();
      const before = clock.now().getTime();
      const res = await request(unreachable.url)
        .post('/api/sandbox/clock/advance')
        .set('cookie', world.alice.cookie)
        .set(world.alice.csrf)
        .send({ hours: 1 });
      expect(res.status).toBe(503);
      expect(res.body.detail).toMatch(/did not answer/);
      expect(clock.now().getTime() - before).toBeLessThanOrEqual(Date.now() - realBefore);
      const described = await request(unreachable.url).get('/api/sandbox').set('cookie', world.alice.cookie);
      expect(described.status).toBe(503);
    } finally {
      await unreachable.stop();
      silent.close();
    }
  });
});
