import { Socket } from 'node:net';
import type { GraphClient } from '../../../server/facebook/graph-client';
import type { PageCredentials } from '../../../server/facebook/graph-types';
import { startSimulator, type Simulator } from '../../../simulator';
import { capturingLogger, clientFor, personWhoWrote, retriesLogged } from './graph-harness';

const userToken = 'EAAUserTokenOfMaria';
const maria = { id: '5550001', name: 'Maria Admin', email: 'maria@example.com', accessToken: userToken };
const shop: PageCredentials = { pageId: '800100001', accessToken: 'EAAShopPageToken' };
const inboxAppId = '263902037430900';
const seed = {
  users: [maria],
  pages: [{ id: shop.pageId, name: 'The Shop', accessToken: shop.accessToken, adminUserIds: [maria.id] }],
  people: [{ id: 'ana', firstName: 'Ana', lastName: 'Lima' }],
};

describe('the typed Graph calls against the simulator', () => {
  let sim: Simulator;
  let graph: GraphClient;
  let log: ReturnType<typeof capturingLogger>;

  beforeAll(async () => {
    sim = await startSimulator({ seed, requireAppSecretProof: true });
  });
  afterAll(() => sim.stop());
  beforeEach(async () => {
    await sim.control.reset();
    log = capturingLogger();
    graph = clientFor(sim, log.logger);
  });

  test('a profile is read for a person who wrote to the Page', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    expect(await graph.getUserProfile(shop, psid, ['first_name', 'last_name'])).toMatchObject({
      first_name: 'Ana',
      last_name: 'Lima',
    });
  });

  test('a read that times out is tried again, because reading twice is harmless', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    await sim.control.setFaults({ next: ['timeout'], timeoutHoldMs: 1000, appliesTo: 'all' });
    const impatient = clientFor(sim, log.logger, { timeoutMs: 200 });
    await expect(impatient.getUserProfile(shop, psid, ['first_name'])).resolves.toMatchObject({
      first_name: 'Ana',
    });
    expect(retriesLogged(log.lines)).toBe(1);
  });

  test('calls in turn share one kept-open connection, its TCP keep-alive asked for with one delay', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    // Node makes a system call whenever the delay asked for differs from the socket's last one.
    const keepAlive = jest.spyOn(Socket.prototype, 'setKeepAlive');
    try {
      for (let call = 0; call < 4; call += 1) await graph.getUserProfile(shop, psid, ['first_name']);
      // Only the client's sockets to the simulator: anything else in this worker may open a socket meanwhile.
      const simulatorPort = Number(new URL(sim.url).port);
      const toGraph = keepAlive.mock.calls.flatMap(([, delayMs], call) => {
        const socket = keepAlive.mock.contexts[call] as Socket;
        return socket.remotePort === simulatorPort ? [{ socket, delayMs }] : [];
      });
      const asked = toGraph.map(({ delayMs }) => delayMs);
      const sockets = new Set(toGraph.map(({ socket }) => socket));
      expect(sockets.size).toBe(1);
      expect(asked.length).toBeGreaterThanOrEqual(4);
      expect(new Set(asked).size).toBe(1);
    } finally {
      keepAlive.mockRestore();
    }
  });

  test('the Messenger Profile is set, read and deleted', async () => {
    await graph.setMessengerProfile(shop, {
      get_started: { payload: 'GET_STARTED' },
      greeting: [{ locale: 'default', text: 'Hi {{user_first_name}}!' }],
    });
    expect(await graph.getMessengerProfile(shop, ['get_started', 'greeting'])).toEqual({
      get_started: { payload: 'GET_STARTED' },
      greeting: [{ locale: 'default', text: 'Hi {{user_first_name}}!' }],
    });
    await graph.deleteMessengerProfile(shop, ['greeting']);
    expect(await graph.getMessengerProfile(shop, ['greeting'])).toEqual({});
  });

  test('a post is published, a comment on it answered in public and hidden', async () => {
    const { id: postId } = await graph.publishPost(shop, {
      message: 'Autumn sale',
      link: 'https://shop.example/sale',
    });
    expect(postId).toMatch(new RegExp(`^${shop.pageId}_`));
    const { commentId } = await sim.control.comment('ana', postId, 'Price?');
    const reply = await graph.replyToComment(shop, commentId, 'It is 20 EUR');
    expect(reply.id).toEqual(expect.any(String));
    await graph.hideComment(shop, commentId, true);
    const { comments } = await sim.control.page(shop.pageId);
    expect(comments.find((comment) => comment.id === commentId)).toMatchObject({ hidden: true });
  });

  test('media is uploaded once for reuse by attachment id', async () => {
    const upload = await graph.uploadAttachment(shop, {
      type: 'image',
      url: 'https://shop.example/shoe.png',
    });
    expect(upload).toEqual({ attachmentId: expect.any(String) });
  });

  test('thread control is passed to the Page Inbox, read, and taken back', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    await graph.passThreadControl(shop, psid, inboxAppId, 'agent needed');
    expect(await graph.getThreadOwner(shop, psid)).toEqual({ appId: inboxAppId });
    await graph.takeThreadControl(shop, psid);
    expect(await graph.getThreadOwner(shop, psid)).toEqual({ appId: sim.appId });
  });

  test('the app is installed on the Page, listed and removed', async () => {
    await graph.subscribeApp(shop, ['messages', 'messaging_postbacks', 'feed']);
    expect(await graph.getSubscribedApps(shop)).toEqual([
      {
        id: sim.appId,
        name: expect.any(String),
        subscribedFields: ['messages', 'messaging_postbacks', 'feed'],
      },
    ]);
    await graph.unsubscribeApp(shop);
    expect(await graph.getSubscribedApps(shop)).toEqual([]);
  });

  test('a login code is exchanged for a user token, then for a long-lived one', async () => {
    const redirectUri = 'http://127.0.0.1/auth/facebook/callback';
    const confirm = await fetch(`${sim.url}/dialog/oauth/confirm`, {
      method: 'POST',
      redirect: 'manual',
      body: new URLSearchParams({ client_id: sim.appId, redirect_uri: redirectUri, user_id: maria.id }),
    });
    const code = new URL(confirm.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const shortLived = await graph.exchangeCode({ code, redirectUri });
    expect(shortLived.accessToken).toEqual(expect.any(String));
    const longLived = await graph.exchangeForLongLivedToken(shortLived.accessToken);
    expect(longLived).toMatchObject({ tokenType: 'bearer', expiresIn: expect.any(Number) });
  });

  test('the user, their permissions and every Page they manage are read, across paging', async () => {
    for (let i = 1; i <= 30; i += 1) {
      await sim.control.addPage({
        id: `8002000${String(i).padStart(2, '0')}`,
        name: `Branch ${i}`,
        adminUserIds: [maria.id],
      });
    }
    expect(await graph.getMe(userToken)).toMatchObject({ id: maria.id, name: maria.name });
    expect(await graph.getPermissions(userToken)).toContainEqual({
      permission: 'pages_messaging',
      status: 'granted',
    });
    const pages = await graph.getMyPages(userToken);
    expect(pages).toHaveLength(31);
    expect(pages[0]).toEqual({
      id: shop.pageId,
      name: 'The Shop',
      accessToken: expect.any(String),
      category: expect.any(String),
      tasks: expect.arrayContaining(['MESSAGING']),
    });
  });

  test('a token is inspected with the app token, and a Page is read with a user token', async () => {
    expect(await graph.debugToken(shop.accessToken)).toMatchObject({
      isValid: true,
      type: 'PAGE',
      profileId: shop.pageId,
    });
    await sim.control.revokePageToken(shop.pageId);
    expect(await graph.debugToken(shop.accessToken)).toMatchObject({ isValid: false });
    expect(await graph.getPage(shop.pageId, userToken, ['id', 'name'])).toMatchObject({
      id: shop.pageId,
      name: 'The Shop',
    });
  });
});
