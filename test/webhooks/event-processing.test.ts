import { createHmac } from 'node:crypto';
import mongoose from 'mongoose';
import request from 'supertest';
import { WebhookEvent, WebhookPayload } from '../../models/webhook-event';
import { useTestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';

const sign = (body: string, secret: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function envelope(pageId: string, psid: string, messages: { mid: string; text: string; at: number }[]) {
  return JSON.stringify({
    object: 'page',
    entry: [
      {
        id: pageId,
        time: Date.now(),
        messaging: messages.map(({ mid, text, at }) => ({
          sender: { id: psid },
          recipient: { id: pageId },
          timestamp: at,
          message: { mid, text },
        })),
      },
    ],
  });
}

async function deliver(server: TestServer, body: string) {
  const res = await request(server.url)
    .post('/webhooks/facebook')
    .set('content-type', 'application/json')
    .set('x-hub-signature-256', sign(body, server.config.FB_APP_SECRET))
    .send(body);
  expect(res.status).toBe(200);
}

async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits until `count` events are marked processed. */
const untilProcessed = (count: number, timeoutMs?: number) =>
  eventually(async () => (await WebhookEvent.countDocuments({ status: 'processed' })) === count, timeoutMs);

/** Holds a database command back: the query goes to the database only once `released` resolves. */
function runOnceReleased<Result>(query: { exec(): Promise<Result> }, released: Promise<void>): void {
  const exec = query.exec.bind(query);
  query.exec = async () => {
    await released;
    return exec();
  };
}

/** A person's message event as the receiver stores it, due since it occurred; callers add its status and holder. */
function storedMessage(psid: string, mid: string, at: number, text?: string) {
  return {
    key: `message:${mid}`,
    source: 'messaging' as const,
    kind: 'message',
    fbPageId: 'p1',
    conversationKey: `p1:${psid}`,
    occurredAt: new Date(at),
    sequence: at * 1000,
    payload: {
      sender: { id: psid },
      recipient: { id: 'p1' },
      timestamp: at,
      message: { mid, ...(text === undefined ? {} : { text }) },
    },
    nextAttemptAt: new Date(at),
  };
}

/** The texts of the messages the server handles, in order, each handler waiting until `open` is called. */
function textsHandledOnceOpen(server: TestServer) {
  const handled: string[] = [];
  let open = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  server.webhooks.handlers.on('message', async (event) => {
    await gate;
    handled.push((event.payload.message as { text: string }).text);
  });
  return { handled, open };
}

/** Held by a worker that is not this process, under a lease ending 30 s after `at`. */
const heldBy = (worker: string, at: number) => ({
  status: 'processing' as const,
  lockedBy: worker,
  lockedUntil: new Date(at + 30_000),
});

describe('webhook event processing', () => {
  useTestDatabase();
  beforeEach(() => Promise.all([WebhookEvent.deleteMany({}), WebhookPayload.deleteMany({})]));

  it('processes an event stored before a crash once, after the restart', async () => {
    const crashed = await startTestServer({ tuning: { processWebhooks: false } });
    await deliver(crashed, envelope('p1', 'u1', [{ mid: 'm_crash', text: 'hello', at: Date.now() }]));
    await crashed.stop();
    expect(await WebhookEvent.countDocuments({ status: 'pending' })).toBe(1);

    const restarted = await startTestServer({ config: crashed.config });
    const seen: string[] = [];
    restarted.webhooks.handlers.on('message', async (event) => void seen.push(event.key));
    await untilProcessed(1);
    await restarted.stop();
    expect(seen).toEqual(['message:m_crash']);
  });

  it('keeps a large payload beside its event and hands it whole to the handlers, on arrival and after a restart', async () => {
    const large = 'ä'.repeat(20_000);
    const stopped = await startTestServer({ tuning: { processWebhooks: false } });
    await deliver(stopped, envelope('p1', 'u-large', [{ mid: 'm_large_1', text: large, at: Date.now() }]));
    await stopped.stop();
    const running = await startTestServer({ config: stopped.config });
    const texts: string[] = [];
    running.webhooks.handlers.on('message', async (event) => {
      texts.push((event.payload.message as { text: string }).text);
    });
    await deliver(
      running,
      envelope('p1', 'u-large', [{ mid: 'm_large_2', text: `${large}!`, at: Date.now() }]),
    );
    await untilProcessed(2);
    await running.stop();
    expect(texts).toEqual([large, `${large}!`]);
    const events = await WebhookEvent.find({}).lean();
    expect(events.map((event) => [event.payloadApart, event.payload])).toEqual([
      [true, undefined],
      [true, undefined],
    ]);
    expect(
      await WebhookPayload.countDocuments({ _id: { $in: ['message:m_large_1', 'message:m_large_2'] } }),
    ).toBe(2);
  });

  it('takes over an event left processing by a dead worker once its lease runs out, and not before', async () => {
    const server = await startTestServer({
      tuning: { webhookProcessor: { leaseMs: 30_000, sweepEveryMs: 50, leaseCheckEveryMs: 50 } },
    });
    const now = server.clock.now().getTime();
    // A worker claimed the first event and died; the second arrived behind it.
    await WebhookEvent.create([
      { ...storedMessage('u-lease', 'm_leased', now - 2, 'claimed'), ...heldBy('a-worker-that-died', now) },
      { ...storedMessage('u-lease', 'm_behind', now - 1, 'behind'), status: 'pending' as const },
    ]);
    const seen: string[] = [];
    server.webhooks.handlers.on('message', async (event) => void seen.push(event.key));
    server.webhooks.processor.kick();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).toEqual([]);

    server.clock.advance(30_001);
    await untilProcessed(2);
    await server.stop();
    expect(seen).toEqual(['message:m_leased', 'message:m_behind']);
  });

  it('looks for run-out leases only at its lease check, not at every sweep', async () => {
    const server = await startTestServer({
      tuning: { webhookProcessor: { leaseMs: 30_000, sweepEveryMs: 50, leaseCheckEveryMs: 60_000 } },
    });
    const now = server.clock.now().getTime();
    await WebhookEvent.create({
      ...storedMessage('u-unchecked', 'm_unchecked', now, 'waits for the lease check'),
      ...heldBy('a-worker-that-died', now),
    });
    const seen: string[] = [];
    server.webhooks.handlers.on('message', async (event) => void seen.push(event.key));

    // The lease runs out on the test's clock; sweeps for due events keep running every 50 ms meanwhile.
    server.clock.advance(30_001);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await server.stop();
    expect(seen).toEqual([]);
    expect(await WebhookEvent.findOne({ key: 'message:m_unchecked' }).lean()).toMatchObject({
      status: 'processing',
      lockedBy: 'a-worker-that-died',
    });
  });

  it('holds a new arrival behind an earlier event of its conversation that another worker holds', async () => {
    const server = await startTestServer({
      tuning: { webhookProcessor: { leaseMs: 30_000, sweepEveryMs: 50 } },
    });
    const at = server.clock.now().getTime() - 5;
    await WebhookEvent.create({
      ...storedMessage('u-held', 'm_elsewhere', at),
      ...heldBy('another-process', at),
    });
    const seen: string[] = [];
    server.webhooks.handlers.on('message', async (event) => void seen.push(event.key));
    await deliver(server, envelope('p1', 'u-held', [{ mid: 'm_arrival', text: 'later', at: at + 1 }]));
    await deliver(server, envelope('p1', 'u-other', [{ mid: 'm_unrelated', text: 'free', at: at + 1 }]));
    await eventually(async () => seen.includes('message:m_unrelated'));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen).toEqual(['message:m_unrelated']);

    await WebhookEvent.updateOne(
      { key: 'message:m_elsewhere' },
      { $set: { status: 'processed', lockedBy: null } },
    );
    await eventually(async () => seen.includes('message:m_arrival'));
    await server.stop();
    expect(await WebhookEvent.findOne({ key: 'message:m_arrival' }).lean()).toMatchObject({
      status: 'processed',
    });
  });

  it('goes on past an event of its own that was being handled when it read, once its processed mark lands', async () => {
    // No sweep but the one the test asks for.
    const server = await startTestServer({ tuning: { webhookProcessor: { sweepEveryMs: 600_000 } } });
    await server.webhooks.processor.idle();
    const seen: string[] = [];
    let finishSecond = () => {};
    const secondHeld = new Promise<void>((resolve) => (finishSecond = resolve));
    server.webhooks.handlers.on('message', async (event) => {
      seen.push(event.key);
      if (event.key === 'message:m_second') await secondHeld;
    });
    // The first event's processed mark is held back until the test lets it go: the event is handled, its mark on the
    // way, while the sweep reads.
    let letMarkGo = () => {};
    const markHeld = new Promise<void>((resolve) => (letMarkGo = resolve));
    const updateMany = WebhookEvent.updateMany.bind(WebhookEvent);
    let marks = 0;
    const later = ['m_second', 'm_third', 'm_fourth', 'm_fifth'];
    const spy = jest.spyOn(WebhookEvent, 'updateMany').mockImplementation(((
      ...args: Parameters<typeof WebhookEvent.updateMany>
    ) => {
      const query = updateMany(...args);
      if (marks++ === 0) runOnceReleased(query, markHeld);
      return query;
    }) as unknown as typeof WebhookEvent.updateMany);
    try {
      const at = server.clock.now().getTime() - 100;
      await deliver(server, envelope('p1', 'u-mark', [{ mid: 'm_first', text: 'first', at }]));
      await eventually(async () => seen.includes('message:m_first'));
      // Later events of the conversation stored by another process's receiver, for the sweep: more than twice what a
      // pass stopped after the second would have handled, so that no second pass follows it at once.
      await WebhookEvent.insertMany(
        later.map((mid, n) => ({
          ...storedMessage('u-mark', mid, at + 1 + n),
          status: 'pending',
        })),
      );
      server.webhooks.processor.kick();
      await eventually(async () => seen.includes('message:m_second'));
      // While the sweep handles the second, the first's mark lands.
      letMarkGo();
      await eventually(
        async () => (await WebhookEvent.findOne({ key: 'message:m_first' }).lean())?.status === 'processed',
      );
      finishSecond();
      // The rest are not behind the first, which this worker finished: the same pass handles them.
      await eventually(async () => seen.includes('message:m_fifth'), 5_000);
    } finally {
      letMarkGo();
      finishSecond();
      spy.mockRestore();
      await server.stop();
    }
    expect(seen).toEqual(['m_first', ...later].map((mid) => `message:${mid}`));
  });

  it('sweeps a backlog larger than one read in order, where more than a read share one moment', async () => {
    const at = Date.now() - 1_000;
    const earlier = Array.from({ length: 20 }, (_, n) => ({
      ...storedMessage('u-tie', `m_early${n}`, at - 20 + n, `early${n}`),
      status: 'pending' as const,
    }));
    // 250 events of one moment, told apart by their sequence alone, stored in another order.
    const tied = Array.from({ length: 250 }, (_, n) => ({
      ...storedMessage('u-tie', `m_tie${n}`, at, `tie${n}`),
      sequence: at * 1000 + n,
      status: 'pending' as const,
    }));
    const shuffled = tied.map((event, n) => tied[(n * 97) % tied.length] ?? event);
    // Stored before the server starts, as after a restart: a sweep reading while they are being inserted would see
    // only some of them, and no order can be kept with events that are not there yet.
    await WebhookEvent.insertMany([...shuffled, ...earlier]);
    const server = await startTestServer({ tuning: { webhookProcessor: { sweepEveryMs: 50 } } });
    const seen: string[] = [];
    server.webhooks.handlers.on('message', async (event) => {
      seen.push((event.payload.message as { text: string }).text);
    });
    try {
      await untilProcessed(270, 30_000);
    } finally {
      await server.stop();
    }
    expect(seen).toEqual([...earlier, ...tied].map((event) => event.payload.message.text));
  });

  it('retries a failing handler with backoff and dead-letters it, visibly, after the last attempt', async () => {
    const server = await startTestServer({
      tuning: { webhookProcessor: { maxAttempts: 3, retryBaseMs: 20, retryMaxMs: 50, sweepEveryMs: 50 } },
    });
    let calls = 0;
    server.webhooks.handlers.on('message', async () => {
      calls += 1;
      throw new Error('profile service down');
    });
    await deliver(server, envelope('p1', 'u1', [{ mid: 'm_fail', text: 'x', at: Date.now() }]));
    await eventually(async () => (await WebhookEvent.countDocuments({ status: 'dead' })) === 1);
    await server.stop();
    const dead = await WebhookEvent.findOne({ key: 'message:m_fail' }).lean();
    expect(calls).toBe(3);
    expect(dead).toMatchObject({ status: 'dead', attempts: 3, lastError: 'profile service down' });
  });

  it('dead-letters a stored event its handlers cannot read at once, with the reason, without calling them', async () => {
    const server = await startTestServer({ tuning: { processWebhooks: false } });
    // As an older version, which stored items unread, would have left it.
    await WebhookEvent.create({
      key: 'message:m_unreadable',
      source: 'messaging',
      kind: 'message',
      fbPageId: 'p1',
      conversationKey: 'p1:u1',
      occurredAt: new Date(),
      sequence: 1,
      payload: { sender: { id: 'u1' }, message: { mid: 'm_unreadable', text: { nested: ['x'] } } },
      nextAttemptAt: new Date(),
    });
    await server.stop();
    const restarted = await startTestServer({ config: server.config });
    let calls = 0;
    restarted.webhooks.handlers.on('message', async () => void (calls += 1));
    try {
      await eventually(async () => (await WebhookEvent.countDocuments({ status: 'dead' })) === 1);
    } finally {
      await restarted.stop();
    }
    expect(calls).toBe(0);
    expect(await WebhookEvent.findOne({ key: 'message:m_unreadable' }).lean()).toMatchObject({
      status: 'dead',
      attempts: 1,
      lastError: expect.stringContaining('unreadable payload: message.text'),
    });
  });

  it('keeps the order of one conversation while a retry holds an earlier event back', async () => {
    const server = await startTestServer({
      tuning: { webhookProcessor: { retryBaseMs: 100, sweepEveryMs: 50 } },
    });
    const order: string[] = [];
    let failFirstOnce = true;
    server.webhooks.handlers.on('message', async (event) => {
      const text = (event.payload.message as { text: string }).text;
      if (text === 'first' && failFirstOnce) {
        failFirstOnce = false;
        throw new Error('transient');
      }
      order.push(text);
    });
    const t = Date.now();
    await deliver(
      server,
      envelope('p1', 'u9', [
        { mid: 'm_o1', text: 'first', at: t },
        { mid: 'm_o2', text: 'second', at: t + 1 },
        { mid: 'm_o3', text: 'third', at: t + 2 },
      ]),
    );
    await untilProcessed(3);
    await server.stop();
    expect(order).toEqual(['first', 'second', 'third']);
  });

  it('keeps processing wide while it keeps up; gives way to the acknowledgements once it falls behind; widens again once the webhooks stop', async () => {
    // A target no store can meet: only the backlog decides whether processing narrows.
    const server = await startTestServer({ tuning: { webhookProcessor: { ackTargetMs: 0 } } });
    let running = 0;
    const widestWhile = { keepingUp: 0, behind: 0, quiet: 0 };
    let phase: keyof typeof widestWhile = 'keepingUp';
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    server.webhooks.handlers.on('message', async () => {
      running += 1;
      widestWhile[phase] = Math.max(widestWhile[phase], running);
      await gate;
      await new Promise((resolve) => setTimeout(resolve, 20));
      running -= 1;
    });
    const t = Date.now();
    const post = (person: number, round: number) =>
      deliver(
        server,
        envelope('p1', `pace${person}`, [{ mid: `m_pace_${round}_${person}`, text: 'x', at: t + round }]),
      );

    try {
      // Eight conversations, fewer than the full width of 16: all of them side by side, however slow storing is.
      for (let person = 0; person < 8; person++) await post(person, 0);
      await eventually(async () => running === 8);

      // Thirty more while those are held: the backlog passes the width and every arrival narrows, down to one.
      for (let person = 8; person < 38; person++) await post(person, 0);
      phase = 'behind';
      open();
      for (let person = 0; person < 38; person++) await post(person, 1);

      phase = 'quiet';
      await untilProcessed(76, 30_000);
    } finally {
      open();
      await server.stop();
    }
    expect(widestWhile.keepingUp).toBeGreaterThanOrEqual(8);
    expect(widestWhile.behind).toBeLessThanOrEqual(2);
    // With no webhook to answer, the backlog goes back to the full width.
    expect(widestWhile.quiet).toBeGreaterThan(4);
  });

  it('widens again once it has caught up, while the webhooks keep coming', async () => {
    const server = await startTestServer({ tuning: { webhookProcessor: { ackTargetMs: 0 } } });
    let open = () => {};
    let gate: Promise<void> | null = new Promise<void>((resolve) => (open = resolve));
    let heldInBurst = 0;
    server.webhooks.handlers.on('message', async (event) => {
      const held = gate;
      if (!held) return;
      const inBurst = event.key.includes('m_burst_');
      if (inBurst) heldInBurst += 1;
      await held;
      if (inBurst) heldInBurst -= 1;
    });
    const t = Date.now();
    const post = (psid: string, mid: string) =>
      deliver(server, envelope('p1', psid, [{ mid, text: 'x', at: t }]));
    const processed = () => WebhookEvent.countDocuments({ status: 'processed' });

    // A steady trickle of webhooks, so the processor never sees the quiet that would widen it anyway.
    let ticking = true;
    let ticks = 0;
    const trickle = (async () => {
      while (ticking) {
        await post(`tick${ticks}`, `m_tick_${ticks}`);
        ticks += 1;
        await new Promise((resolve) => setTimeout(resolve, 40));
      }
    })();
    try {
      // Thirty conversations held: the backlog passes the width of 16 and processing narrows to one.
      for (let person = 0; person < 30; person++) await post(`behind${person}`, `m_behind_${person}`);
      gate = null;
      open();
      // Caught up: the backlog handled, and a dozen more webhooks come while nothing waits.
      await eventually(async () => (await processed()) >= 30 + ticks, 30_000);
      const caughtUpAt = ticks;
      await eventually(async () => ticks >= caughtUpAt + 12, 30_000);

      gate = new Promise<void>((resolve) => (open = resolve));
      for (let person = 0; person < 8; person++) await post(`burst${person}`, `m_burst_${person}`);
      // Eight new conversations side by side, not one after another.
      await eventually(async () => heldInBurst === 8);
    } finally {
      ticking = false;
      open();
      await trickle;
      await server.stop();
    }
  });

  it("takes a new conversation's message at the next turn but one, ahead of other conversations' bursts", async () => {
    // One conversation at a time, so the order of turns is the whole story.
    const server = await startTestServer({ tuning: { webhookProcessor: { parallelConversations: 1 } } });
    const handled: string[] = [];
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    server.webhooks.handlers.on('message', async (event) => {
      handled.push(event.key);
      if (handled.length === 1) await gate;
    });
    // The order check of the last arrival (the one read by conversation): once it has answered, every arrival is in
    // its lane, the earlier ones having been taken on before it.
    let lastChecked = false;
    const find = WebhookEvent.find.bind(WebhookEvent);
    const spy = jest.spyOn(WebhookEvent, 'find').mockImplementation(((filter?: Record<string, unknown>) => {
      const query = find(filter);
      if (filter && JSON.stringify(filter).includes('p1:newcomer')) {
        const exec = query.exec.bind(query);
        query.exec = async () => {
          const unfinished = await exec();
          lastChecked = true;
          return unfinished;
        };
      }
      return query;
    }) as unknown as typeof WebhookEvent.find);
    try {
      const t = Date.now();
      // Ten people each send three messages at once; the first is held while the rest queue up.
      for (let person = 0; person < 10; person++) {
        const burst = [0, 1, 2].map((n) => ({ mid: `m_burst_${person}_${n}`, text: 'x', at: t + n }));
        await deliver(server, envelope('p1', `burster${person}`, burst));
      }
      await deliver(server, envelope('p1', 'newcomer', [{ mid: 'm_newcomer', text: 'hi', at: t + 5 }]));
      await eventually(async () => lastChecked);
      open();
      await eventually(async () => handled.length === 31, 30_000);
    } finally {
      open();
      spy.mockRestore();
      await server.stop();
    }
    // The held event, one turn of the backlog, then the newcomer; taking turns round the lanes alone made it
    // wait for every bursting conversation's first.
    expect(handled.indexOf('message:m_newcomer')).toBe(2);
    // Each conversation's messages still in the order they were sent.
    for (let person = 0; person < 10; person++) {
      const own = handled.filter((key) => key.startsWith(`message:m_burst_${person}_`));
      expect(own).toEqual([0, 1, 2].map((n) => `message:m_burst_${person}_${n}`));
    }
  });

  it('marks the events handled in a stream processed together, one write per interval, all of them by idle', async () => {
    const server = await startTestServer({ tuning: { webhookProcessor: { markEveryMs: 60_000 } } });
    const seen: string[] = [];
    server.webhooks.handlers.on('message', async (event) => void seen.push(event.key));
    let markingWrites = 0;
    mongoose.set('debug', (collection: string, method: string) => {
      if (collection === 'webhookevents' && method === 'updateMany') markingWrites += 1;
    });
    try {
      const t = Date.now();
      for (let person = 0; person < 5; person++) {
        await deliver(
          server,
          envelope('p1', `mark${person}`, [{ mid: `m_mark_${person}`, text: 'x', at: t }]),
        );
        await eventually(async () => seen.length === person + 1);
      }
      await untilProcessed(1);
      // The first is marked at once; the four after it wait for the interval, still this worker's.
      expect(await WebhookEvent.countDocuments({ status: 'processing' })).toBe(4);
      expect(markingWrites).toBe(1);

      await server.webhooks.processor.idle();
      expect(await WebhookEvent.countDocuments({ status: 'processed' })).toBe(5);
      expect(markingWrites).toBe(2);
    } finally {
      mongoose.set('debug', false);
      await server.stop();
    }
  });

  it('holds at most maxHeldEvents in memory; the rest wait in the database and are handled once each, in order; a new conversation still goes first', async () => {
    const server = await startTestServer({ tuning: { webhookProcessor: { maxHeldEvents: 5 } } });
    const { handled, open } = textsHandledOnceOpen(server);
    const t = Date.now();
    const sent = new Map<string, string[]>();
    let order = 0;
    /** `count` more messages from `person`, ten to a webhook, each later than every message before it. */
    const write = async (person: string, count: number) => {
      const texts = sent.get(person) ?? [];
      sent.set(person, texts);
      const from = texts.length;
      for (let n = from; n < from + count; n++) texts.push(`${person}${n}`);
      for (let first = from; first < from + count; first += 10) {
        const messages = texts.slice(first, Math.min(first + 10, from + count)).map((text) => ({
          mid: `m_cap_${text}`,
          text,
          at: t + (order += 1),
        }));
        await deliver(server, envelope('p1', `held-${person}`, messages));
      }
    };
    const statusOf = async (person: string, n: number) =>
      (await WebhookEvent.findOne({ key: `message:m_cap_${person}${n}` }).lean())?.status;
    try {
      // While every handler waits: five from one person fill the lanes; two more people write a hundred each and
      // one more from the first, so that more than a sweep reads at once (200) waits in the database.
      await write('a', 5);
      await write('b', 100);
      await write('c', 100);
      await write('a', 10);
      // Beyond the five, only each conversation's first: the lanes hold a0-a4, b0 and c0.
      await new Promise((resolve) => setTimeout(resolve, 600));
      expect(await WebhookEvent.countDocuments({ status: 'processing' })).toBe(7);
      expect(await WebhookEvent.countDocuments({ status: 'pending', lockedBy: null })).toBe(208);

      // A person who was not writing before: their message is taken on at once, not put behind the backlog.
      await write('d', 1);
      await eventually(async () => (await statusOf('d', 0)) === 'processing', 2_000);
      expect(handled).toEqual([]);

      open();
      await untilProcessed(216, 30_000);
    } finally {
      open();
      await server.stop();
    }
    expect(handled).toHaveLength(216);
    for (const [person, texts] of sent) {
      expect(handled.filter((text) => text.startsWith(person))).toEqual(texts);
    }
    expect(handled.indexOf('d0')).toBeLessThan(handled.indexOf('a5'));
  });

  it("a lane takes its conversation's waiting events back from the database itself, in order, with no sweep pass", async () => {
    // No sweep in the test's time: only the lane can take the waiting events back.
    const server = await startTestServer({
      tuning: { webhookProcessor: { maxHeldEvents: 2, sweepEveryMs: 600_000 } },
    });
    // The pass every processor makes as it starts is over before the events come.
    await server.webhooks.processor.idle();
    const { handled, open } = textsHandledOnceOpen(server);
    const find = WebhookEvent.find.bind(WebhookEvent);
    let sweepReads = 0;
    const spy = jest.spyOn(WebhookEvent, 'find').mockImplementation(((filter?: Record<string, unknown>) => {
      if (filter && 'nextAttemptAt' in filter) sweepReads += 1;
      return find(filter);
    }) as unknown as typeof WebhookEvent.find);
    const t = Date.now();
    const texts = Array.from({ length: 25 }, (_, n) => `r${n}`);
    try {
      // The lanes hold two; the other 23 wait in the database.
      await deliver(
        server,
        envelope(
          'p1',
          'refill',
          texts.map((text, n) => ({ mid: `m_refill_${n}`, text, at: t + n })),
        ),
      );
      await eventually(async () => (await WebhookEvent.countDocuments({ status: 'pending' })) === 23);
      sweepReads = 0;
      open();
      await untilProcessed(25);
      expect(sweepReads).toBe(0);
    } finally {
      open();
      spy.mockRestore();
      await server.stop();
    }
    expect(handled).toEqual(texts);
  });

  it('answers the webhook once its events are stored, not after the order check, and handles them after it', async () => {
    const server = await startTestServer();
    const seen: string[] = [];
    server.webhooks.handlers.on('message', async (event) => void seen.push(event.key));
    // The order check (the one read by conversation) is held back until the test lets it go.
    let letGo = () => {};
    const held = new Promise<void>((resolve) => (letGo = resolve));
    const find = WebhookEvent.find.bind(WebhookEvent);
    const spy = jest.spyOn(WebhookEvent, 'find').mockImplementation(((filter?: Record<string, unknown>) => {
      const query = find(filter);
      if (filter && 'conversationKey' in filter) runOnceReleased(query, held);
      return query;
    }) as unknown as typeof WebhookEvent.find);
    try {
      await deliver(server, envelope('p1', 'u-held', [{ mid: 'm_held', text: 'hello', at: Date.now() }]));
      expect(await WebhookEvent.countDocuments({ key: 'message:m_held' })).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(seen).toEqual([]);

      letGo();
      await eventually(async () => seen.length === 1);
      expect(seen).toEqual(['message:m_held']);
    } finally {
      letGo();
      spy.mockRestore();
      await server.stop();
    }
  });
});
