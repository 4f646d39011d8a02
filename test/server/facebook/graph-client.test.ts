import http from 'node:http';
import type { GraphClient } from '../../../server/facebook/graph-client';
import type { GraphOutcome } from '../../../server/facebook/graph-outcomes';
import type { PageCredentials } from '../../../server/facebook/graph-types';
import { startSimulator, type Simulator } from '../../../simulator';
import { listenOnLoopback } from '../../support/loopback';
import { capturingLogger, clientFor, personWhoWrote, retriesLogged, textTo } from './graph-harness';

const pageToken = 'EAAPageTokenOfTheShop';
const shop: PageCredentials = { pageId: '100200300', accessToken: pageToken };
const seed = {
  pages: [
    { id: shop.pageId, name: 'The Shop', category: 'Retail', accessToken: pageToken, adminUserIds: [] },
  ],
  people: [
    { id: 'ana', firstName: 'Ana', lastName: 'Lima' },
    { id: 'ben', firstName: 'Ben', lastName: 'Okafor' },
  ],
};

describe('the Graph client against the simulator', () => {
  let sim: Simulator;
  let graph: GraphClient;
  let log: ReturnType<typeof capturingLogger>;
  let authProblems: [string, GraphOutcome][];

  beforeAll(async () => {
    sim = await startSimulator({ seed, requireAppSecretProof: true });
  });
  afterAll(() => sim.stop());

  beforeEach(async () => {
    await sim.control.reset();
    log = capturingLogger();
    authProblems = [];
    graph = clientFor(sim, log.logger, {
      onAuthProblem: (pageId, outcome) => authProblems.push([pageId, outcome]),
    });
  });

  const sendFails = (request: Parameters<GraphClient['sendMessage']>[1], page = shop) =>
    graph.sendMessage(page, request).then(
      () => {
        throw new Error('the send was expected to fail');
      },
      (error: unknown) => error,
    );

  test('a reply inside the window is sent with appsecret_proof and answers the message id', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    const sent = await graph.sendMessage(shop, textTo(psid));
    expect(sent).toEqual({ recipientId: psid, messageId: expect.any(String) });
    expect(await sim.control.sentMessages({ pageId: shop.pageId })).toHaveLength(1);
  });

  test('a client with the wrong app secret sends a proof Meta refuses, as our bug', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    const wrong = clientFor(sim, log.logger, { appSecret: 'not-the-secret' });
    await expect(wrong.sendMessage(shop, textTo(psid))).rejects.toMatchObject({
      outcome: { kind: 'bad_request' },
      code: 100,
    });
  });

  test('a reply after the 24-hour window is outside the window', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    await sim.control.advanceTime(25 * 3_600_000);
    expect(await sendFails(textTo(psid))).toMatchObject({
      outcome: { kind: 'outside_window' },
      code: 10,
      subcode: 2018278,
    });
  });

  test('a person who blocked the Page is unavailable', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    await sim.control.blockPage('ana', shop.pageId);
    expect(await sendFails(textTo(psid))).toMatchObject({ outcome: { kind: 'user_unavailable' }, code: 551 });
  });

  test('a second private reply to the same comment is already replied', async () => {
    const { postId } = await sim.control.createPost(shop.pageId, 'New autumn collection');
    const { commentId } = await sim.control.comment('ben', postId, 'Price?');
    const privateReply = {
      recipient: { comment_id: commentId },
      messaging_type: 'RESPONSE',
      message: { text: 'Sent you the price' },
    } as const;
    await graph.sendMessage(shop, privateReply);
    expect(await sendFails(privateReply)).toMatchObject({
      outcome: { kind: 'already_replied' },
      code: 10900,
    });
  });

  test('a revoked Page token is token invalid and the Page is reported for re-authentication', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    await sim.control.revokePageToken(shop.pageId);
    expect(await sendFails(textTo(psid))).toMatchObject({ outcome: { kind: 'token_invalid' }, code: 190 });
    expect(authProblems).toEqual([[shop.pageId, { kind: 'token_invalid' }]]);
  });

  test('a Page that withdrew pages_messaging is permission missing and is reported', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    await sim.control.revokePermission({ pageId: shop.pageId }, 'pages_messaging');
    expect(await sendFails(textTo(psid))).toMatchObject({ outcome: { kind: 'permission_missing' } });
    expect(authProblems).toEqual([[shop.pageId, { kind: 'permission_missing' }]]);
  });

  test('a thread controlled by the Page Inbox is owned by another app', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    await sim.control.setThreadOwner(shop.pageId, psid, '263902037430900');
    expect(await sendFails(textTo(psid))).toMatchObject({
      outcome: { kind: 'thread_owned_by_other_app' },
      code: 10,
      subcode: 2018300,
    });
  });

  test('text over 2000 characters is a bad request and is not retried', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    expect(await sendFails(textTo(psid, 'x'.repeat(2001)))).toMatchObject({
      outcome: { kind: 'bad_request' },
      code: 100,
    });
    expect(retriesLogged(log.lines)).toBe(0);
  });

  test('sending faster than the Page limit is rate limited with the regain time Meta announces', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    await sim.control.setRateLimits({ pageId: shop.pageId, textPerSecond: 2 });
    await graph.sendMessage(shop, textTo(psid));
    await graph.sendMessage(shop, textTo(psid));
    const error = await sendFails(textTo(psid));
    // The simulator, like Meta, announces the wait in whole minutes.
    expect(error).toMatchObject({ outcome: { kind: 'rate_limited', waitMs: 60_000 }, code: 613 });
    expect(retriesLogged(log.lines)).toBe(0);
    expect(graph.lastUsage(shop.pageId)).toMatchObject({ highestPercent: 100, regainAccessMs: 60_000 });
  });

  test('a 500 and a temporary error are retried and the send then succeeds once', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    await sim.control.setFaults({ next: ['server_error', 'temporary'] });
    await expect(graph.sendMessage(shop, textTo(psid))).resolves.toMatchObject({ recipientId: psid });
    expect(retriesLogged(log.lines)).toBe(2);
    expect(await sim.control.sentMessages({ pageId: shop.pageId })).toHaveLength(1);
  });

  test('retries stop at the bound and the caller is told to retry later', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    await sim.control.setFaults({
      next: ['server_error', 'server_error', 'server_error', 'server_error', 'server_error'],
    });
    const error = await sendFails(textTo(psid));
    expect(error).toMatchObject({ outcome: { kind: 'retry_later', waitMs: expect.any(Number) } });
    // One attempt and three retries took four of the five queued faults.
    expect((await sim.control.setFaults({})).next).toHaveLength(1);
    expect(retriesLogged(log.lines)).toBe(3);
  });

  test('a send whose answer times out is an unknown outcome and is never repeated', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    await sim.control.setFaults({ next: ['timeout'], timeoutHoldMs: 1000, timeoutAfterAccept: true });
    const impatient = clientFor(sim, log.logger, { timeoutMs: 200 });
    expect(await impatient.sendMessage(shop, textTo(psid)).catch((error: unknown) => error)).toMatchObject({
      outcome: { kind: 'unknown_outcome' },
    });
    const sent = await sim.control.sentMessages({ pageId: shop.pageId });
    expect(sent).toHaveLength(1);
    expect(sent[0]?.responseDropped).toBe(true);
    expect(retriesLogged(log.lines)).toBe(0);
  });

  test('usage reported with each answer reaches onUsage and lastUsage', async () => {
    const usages: [string, number][] = [];
    const observed = clientFor(sim, log.logger, {
      onUsage: (pageId, usage) => usages.push([pageId, usage.highestPercent]),
    });
    const psid = await personWhoWrote(sim, 'ana', shop);
    await observed.sendMessage(shop, textTo(psid));
    expect(usages).toEqual([[shop.pageId, expect.any(Number)]]);
    expect(observed.lastUsage(shop.pageId)?.businessUseCases[0]).toMatchObject({
      type: 'messenger',
      regainAccessMs: 0,
    });
  });

  test('no token ever reaches a log line', async () => {
    const psid = await personWhoWrote(sim, 'ana', shop);
    await sim.control.setFaults({ next: ['server_error'] });
    await graph.sendMessage(shop, textTo(psid));
    await sim.control.revokePageToken(shop.pageId);
    await sendFails(textTo(psid));
    expect(log.lines.length).toBeGreaterThan(0);
    expect(log.lines.join('\n')).not.toContain(pageToken);
  });

  test('a redirect is not followed: the message goes nowhere else, and the send fails as our bug', async () => {
    const elsewhere: string[] = [];
    const listen = async (handler: http.RequestListener) => {
      const server = http.createServer(handler);
      return { server, url: await listenOnLoopback(server) };
    };
    const other = await listen((req, res) => {
      elsewhere.push(`${req.method} ${req.url}`);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ recipient_id: 'psid', message_id: 'm_elsewhere' }));
    });
    // 307 keeps the method and the body: followed, the message itself would be sent to the other address.
    const redirecting = await listen((req, res) => {
      res.writeHead(307, { location: `${other.url}${req.url}` });
      res.end();
    });
    try {
      const redirected = clientFor(sim, log.logger, { baseUrl: redirecting.url });
      await expect(redirected.sendMessage(shop, textTo('psid'))).rejects.toMatchObject({
        outcome: { kind: 'bad_request' },
      });
      expect(elsewhere).toEqual([]);
    } finally {
      other.server.close();
      redirecting.server.close();
    }
  });
});
