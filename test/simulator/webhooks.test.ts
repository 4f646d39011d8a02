import { createServer, type Server } from 'node:http';
import { listenOnLoopback } from '../support/loopback';
import { hmacHex, PAGE_ID, Receiver, send, startWorld, textTo, type World } from './harness';

/** Listens on a free loopback port; the URL is the callback the simulator's webhooks go to. */
const callbackUrlOf = async (server: Server) => `${await listenOnLoopback(server)}/`;

describe('webhooks as Meta delivers them', () => {
  let world: World;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await new Receiver().start();
    world = await startWorld({ webhook: { callbackUrl: receiver.url, retryDelaysMs: [20, 40, 80] } });
  });
  afterAll(async () => {
    await world.sim.stop();
    await receiver.stop();
  });
  beforeEach(async () => {
    await world.sim.control.reset();
    receiver.received.length = 0;
    receiver.respond = () => 200;
  });

  it('signs the exact bytes, with non-ASCII escaped as lowercase \\uXXXX', async () => {
    const { mid } = await world.sim.control.sendText('bjorn', PAGE_ID, 'Hej! Går det bra? ❤ 😀');
    await world.sim.control.waitForWebhookIdle();
    const [post] = receiver.received;
    const raw = post?.raw ?? Buffer.alloc(0);
    expect(raw.toString('utf8')).toContain('G\\u00e5r det bra? \\u2764 \\ud83d\\ude00');
    expect([...raw].every((byte) => byte < 0x80)).toBe(true);
    expect(post?.headers['x-hub-signature-256']).toBe(
      `sha256=${hmacHex('sha256', world.sim.appSecret, raw)}`,
    );
    expect(post?.headers['x-hub-signature']).toBe(`sha1=${hmacHex('sha1', world.sim.appSecret, raw)}`);
    expect(post?.json).toMatchObject({
      object: 'page',
      entry: [
        {
          id: PAGE_ID,
          messaging: [{ recipient: { id: PAGE_ID }, message: { mid, text: 'Hej! Går det bra? ❤ 😀' } }],
        },
      ],
    });
  });

  it('retries a failing receiver with backoff: fails twice, then 200 makes 3 attempts', async () => {
    receiver.respond = (count) => (count <= 2 ? 500 : 200);
    await world.sim.control.sendText('alice', PAGE_ID, 'retry me');
    await world.sim.control.waitForWebhookIdle();
    const attempts = await world.sim.control.webhookDeliveries();
    expect(attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
      [1, 500],
      [2, 500],
      [3, 200],
    ]);
    expect(new Set(attempts.map((attempt) => attempt.body)).size).toBe(1);
  });

  it('gives up after the configured retries', async () => {
    receiver.respond = () => 503;
    await world.sim.control.sendText('alice', PAGE_ID, 'never lands');
    await world.sim.control.waitForWebhookIdle();
    const attempts = await world.sim.control.webhookDeliveries();
    expect(attempts).toHaveLength(4);
    expect(attempts.at(-1)?.gaveUp).toBe(true);
  });

  it('keeps per-conversation order while a delivery is being retried', async () => {
    receiver.respond = (count) => (count === 1 ? 500 : 200);
    await world.sim.control.sendText('alice', PAGE_ID, 'one');
    await world.sim.control.sendText('alice', PAGE_ID, 'two');
    await world.sim.control.sendText('alice', PAGE_ID, 'three');
    await world.sim.control.waitForWebhookIdle();
    const texts = receiver.events().map((event) => (event.message as { text: string }).text);
    expect(texts).toEqual(['one', 'one', 'two', 'three']);
  });

  it('delivers the same body again when duplicate delivery is on', async () => {
    await world.sim.control.setWebhook({ duplicateDeliveries: 2 });
    const { mid } = await world.sim.control.sendText('alice', PAGE_ID, 'dup');
    await world.sim.control.waitForWebhookIdle();
    expect(receiver.events().map((event) => (event.message as { mid: string }).mid)).toEqual([mid, mid, mid]);
  });

  it('batches several entries into one POST when batching is on', async () => {
    await world.sim.control.setWebhook({ batchEntries: { maxEntries: 10, windowMs: 60_000 } });
    await world.sim.control.sendText('alice', PAGE_ID, 'a');
    await world.sim.control.sendText('bjorn', PAGE_ID, 'b');
    await world.sim.control.sendText('alice', PAGE_ID, 'c');
    await world.sim.control.flushBatch();
    await world.sim.control.waitForWebhookIdle();
    expect(receiver.received).toHaveLength(1);
    expect(receiver.received[0]?.json.entry).toHaveLength(3);
  });

  it('sends nothing for fields the Page is not subscribed to', async () => {
    await world.sim.control.subscribePage(PAGE_ID, ['feed']);
    await world.sim.control.sendText('alice', PAGE_ID, 'unheard');
    await world.sim.control.waitForWebhookIdle();
    expect(receiver.received).toHaveLength(0);
    const [event] = await world.sim.control.webhookEvents({ pageId: PAGE_ID });
    expect(event).toMatchObject({ field: 'messages', skippedBecause: 'not_subscribed' });
  });

  it('echoes what the Page sends, with app_id and metadata', async () => {
    const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'hi');
    const response = await send(world, {
      ...textTo(psid),
      message: { text: 'Hello back', metadata: 'bot:welcome' },
    });
    await world.sim.control.waitForWebhookIdle();
    const echo = receiver.events().find((event) => (event.message as { is_echo?: boolean }).is_echo);
    expect(echo).toMatchObject({
      sender: { id: PAGE_ID },
      recipient: { id: psid },
      message: {
        is_echo: true,
        app_id: Number(world.sim.appId),
        metadata: 'bot:welcome',
        mid: response.data.message_id,
        text: 'Hello back',
      },
    });
  });

  it('sends delivery and read receipts after the configured delay', async () => {
    await world.sim.control.setReceipts({ deliveryDelayMs: 10, readDelayMs: 10 });
    const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'hi');
    const response = await send(world, textTo(psid));
    await new Promise((resolve) => setTimeout(resolve, 100));
    await world.sim.control.waitForWebhookIdle();
    const events = receiver.events();
    expect(events.find((event) => event.delivery)).toMatchObject({
      delivery: { mids: [response.data.message_id] },
    });
    expect(events.find((event) => event.read)).toMatchObject({ read: { watermark: expect.any(Number) } });
  });

  it('carries the m.me referral on Get Started for a new thread, and as a referral event afterwards', async () => {
    await world.graph.post(
      '/me/messenger_profile',
      { get_started: { payload: 'START' } },
      { params: { access_token: world.pageToken } },
    );
    const first = await world.sim.control.openLink('alice', PAGE_ID, { ref: 'spring_promo' });
    expect(first.deferredToGetStarted).toBe(true);
    await world.sim.control.getStarted('alice', PAGE_ID);
    await world.sim.control.openLink('alice', PAGE_ID, { ref: 'again' });
    await world.sim.control.waitForWebhookIdle();
    const [postback, referral] = receiver.events();
    expect(postback).toMatchObject({
      postback: {
        title: 'Get Started',
        payload: 'START',
        referral: { ref: 'spring_promo', source: 'SHORTLINK', type: 'OPEN_THREAD' },
      },
    });
    expect(referral).toMatchObject({ referral: { ref: 'again', source: 'SHORTLINK' } });
  });

  it('sends standby events while another app owns the thread, and a handover when control comes back', async () => {
    const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'agent');
    await world.sim.control.setThreadOwner(PAGE_ID, psid, '263902037430900');
    await world.sim.control.sendText('alice', PAGE_ID, 'still there?');
    await world.sim.control.pageInboxSend(PAGE_ID, psid, 'Yes, Maria here');
    await world.sim.control.setThreadOwner(PAGE_ID, psid, world.sim.appId, 'done');
    await world.sim.control.waitForWebhookIdle();
    expect(receiver.events('standby').map((event) => event.message)).toEqual([
      expect.objectContaining({ text: 'still there?' }),
      expect.objectContaining({ is_echo: true, app_id: 263902037430900, text: 'Yes, Maria here' }),
    ]);
    expect(receiver.events().at(-1)).toMatchObject({
      pass_thread_control: {
        previous_owner_app_id: '263902037430900',
        new_owner_app_id: world.sim.appId,
        metadata: 'done',
      },
    });
  });

  it('sends feed changes for comments with created_time in seconds', async () => {
    const { postId } = await world.sim.control.createPost(PAGE_ID, 'Hello world');
    const { commentId, fromId } = await world.sim.control.comment('alice', postId, 'Nice!');
    await world.sim.control.editComment(commentId, 'Very nice!');
    await world.sim.control.removeComment(commentId);
    await world.sim.control.waitForWebhookIdle();
    const changes = receiver.received.flatMap((post) =>
      post.json.entry.flatMap(
        (entry) => entry.changes as { field: string; value: Record<string, unknown> }[],
      ),
    );
    const now = await world.sim.control.now();
    expect(changes.map((change) => change.value.verb)).toEqual(['add', 'add', 'edited', 'remove']);
    expect(changes[1]?.value).toMatchObject({
      item: 'comment',
      comment_id: commentId,
      post_id: postId,
      parent_id: postId,
      from: { id: fromId, name: 'Alice Martin' },
      message: 'Nice!',
      created_time: Math.floor(now / 1000),
    });
    expect(changes[3]?.value).not.toHaveProperty('message');
  });

  it('treats a receiver that does not answer within the timeout as a failure and retries', async () => {
    const stalling = createServer(() => undefined);
    const callbackUrl = await callbackUrlOf(stalling);
    try {
      await world.sim.control.setWebhook({
        callbackUrl,
        timeoutMs: 100,
        retryDelaysMs: [10],
      });
      await world.sim.control.sendText('alice', PAGE_ID, 'slow');
      await world.sim.control.waitForWebhookIdle();
      const attempts = await world.sim.control.webhookDeliveries();
      expect(attempts.map((attempt) => [attempt.attempt, attempt.status])).toEqual([
        [1, null],
        [2, null],
      ]);
      expect(attempts[0]?.error).toBeTruthy();
    } finally {
      stalling.closeAllConnections();
      stalling.close();
    }
  });

  it('treats a redirect as a failed delivery: the body goes nowhere else, and the POST is tried again', async () => {
    const elsewhere: string[] = [];
    const other = createServer((req, res) => {
      elsewhere.push(`${req.method} ${req.url}`);
      res.end();
    });
    const otherUrl = await callbackUrlOf(other);
    const redirecting = createServer((_req, res) => {
      res.writeHead(307, { location: otherUrl }).end();
    });
    const callbackUrl = await callbackUrlOf(redirecting);
    try {
      await world.sim.control.setWebhook({ callbackUrl, retryDelaysMs: [10] });
      await world.sim.control.sendText('alice', PAGE_ID, 'moved?');
      await world.sim.control.waitForWebhookIdle();
      const attempts = await world.sim.control.webhookDeliveries();
      expect(attempts.map((attempt) => [attempt.attempt, attempt.status, attempt.gaveUp])).toEqual([
        [1, 307, false],
        [2, 307, true],
      ]);
      expect(elsewhere).toEqual([]);
    } finally {
      for (const server of [redirecting, other]) {
        server.closeAllConnections();
        server.close();
      }
    }
  });

  it('keeps at most maxConcurrentDeliveries POSTs in flight, and delivers the rest as those are answered', async () => {
    let inFlight = 0;
    let mostAtOnce = 0;
    let answered = 0;
    const slow = createServer((req, res) => {
      inFlight += 1;
      mostAtOnce = Math.max(mostAtOnce, inFlight);
      req.resume();
      setTimeout(() => {
        inFlight -= 1;
        answered += 1;
        res.end();
      }, 300);
    });
    const callbackUrl = await callbackUrlOf(slow);
    try {
      await world.sim.control.setWebhook({
        callbackUrl,
        maxConcurrentDeliveries: 3,
      });
      const people = Array.from({ length: 12 }, (_, i) => `concurrent${i}`);
      for (const id of people) await world.sim.control.addPerson({ id, firstName: id, lastName: 'Test' });
      // Twelve conversations: each its own lane, so only the bound keeps them from all going at once.
      await Promise.all(people.map((id) => world.sim.control.sendText(id, PAGE_ID, 'at once')));
      await world.sim.control.waitForWebhookIdle();
      expect(answered).toBe(12);
      expect(mostAtOnce).toBeLessThanOrEqual(3);
      expect(mostAtOnce).toBeGreaterThan(1);
      const attempts = await world.sim.control.webhookDeliveries();
      expect(attempts.every((attempt) => attempt.status === 200)).toBe(true);
    } finally {
      slow.closeAllConnections();
      slow.close();
    }
  });
});
