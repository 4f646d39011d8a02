import pino from 'pino';
import type { PageCredentials } from '../../../server/facebook/graph-types';
import type { MessengerGateway } from '../../../server/facebook/messenger-gateway';
import type { SendGovernor, SendGovernorOptions } from '../../../server/facebook/send-governor';
import { startSimulator, type Simulator } from '../../../simulator';
import { gatewayFor, personWhoWrote, textTo } from './graph-harness';

const logger = pino({ level: 'silent' });

async function waitFor(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
const shop: PageCredentials = { pageId: '700100001', accessToken: 'EAAShopToken' };
const cafe: PageCredentials = { pageId: '700100002', accessToken: 'EAACafeToken' };
const seed = {
  pages: [shop, cafe].map((page) => ({
    id: page.pageId,
    name: `Page ${page.pageId}`,
    accessToken: page.accessToken,
    adminUserIds: [],
  })),
  people: [{ id: 'ana', firstName: 'Ana', lastName: 'Lima' }],
};

describe('the send governor in front of the simulator', () => {
  let sim: Simulator;
  let gateway: MessengerGateway;

  beforeAll(async () => {
    sim = await startSimulator({ seed });
  });
  afterAll(() => sim.stop());
  beforeEach(() => sim.control.reset());
  afterEach(() => gateway.governor.close());

  function connect(
    governor: Omit<SendGovernorOptions, 'logger'>,
    graph: { minuteMs?: number } = {},
  ): MessengerGateway {
    gateway = gatewayFor(sim, logger, governor, graph);
    return gateway;
  }

  function sendThrough(page: PageCredentials, priority: 'live' | 'broadcast', psid: string, text = 'News') {
    return gateway.governor.run(page.pageId, priority, () =>
      gateway.graph.sendMessage(page, textTo(psid, text)),
    );
  }

  /** Ten seconds' worth of broadcast sends to one person at `rate`; the rate achieved from first start to last. */
  async function sendForTenSeconds(governor: SendGovernor, psid: string, rate: number): Promise<number> {
    const sentAt: number[] = [];
    const sends = Array.from({ length: rate * 10 }, () =>
      governor.run(shop.pageId, 'broadcast', async () => {
        sentAt.push(Date.now());
        return gateway.graph.sendMessage(shop, textTo(psid));
      }),
    );
    await Promise.all(sends);
    const seconds = ((sentAt.at(-1) ?? 0) - (sentAt[0] ?? 0)) / 1000;
    return (sentAt.length - 1) / seconds;
  }

  // How close to the rate a Page gets is a speed, measured by `npm run bench:broadcast`; a test holds what must be
  // true however busy the machine is: never above the rate, everything sent, nothing refused.
  test('never sends a Page faster than its rate over 10 seconds, and sends everything', async () => {
    const rate = 100;
    const { governor } = connect({ defaultRatePerSecond: rate });
    const psid = await personWhoWrote(sim, 'ana', shop);
    const achievedRate = await sendForTenSeconds(governor, psid, rate);
    expect(achievedRate).toBeLessThan(rate * 1.05);
    expect(await sim.control.sentMessages({ pageId: shop.pageId })).toHaveLength(rate * 10);
    expect(await sim.control.violations()).toEqual([]);
  }, 20_000);

  test("sends a Page at Meta's own limit for 10 seconds without a single 613", async () => {
    // Governor and simulator at the same 100/s: Meta's usage sits near 100 % the whole time.
    const rate = 100;
    const { governor } = connect({ defaultRatePerSecond: rate });
    await sim.control.setRateLimits({ pageId: shop.pageId, textPerSecond: rate });
    const psid = await personWhoWrote(sim, 'ana', shop);
    const achievedRate = await sendForTenSeconds(governor, psid, rate);
    expect(await sim.control.violations({ pageId: shop.pageId })).toEqual([]);
    expect(achievedRate).toBeLessThan(rate * 1.05);
    expect(await sim.control.sentMessages({ pageId: shop.pageId })).toHaveLength(rate * 10);
  }, 20_000);

  test('backs off after a 613 and then completes every task', async () => {
    const { governor } = connect({
      defaultRatePerSecond: 100,
      rateLimitWait: { baseDelayMs: 500, maxDelayMs: 1500 },
    });
    await sim.control.setRateLimits({ pageId: shop.pageId, textPerSecond: 20, cooldownMs: 1000 });
    const psid = await personWhoWrote(sim, 'ana', shop);
    const startedAt: number[] = [];
    const refusedAt: number[] = [];
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        governor.run(shop.pageId, 'broadcast', async () => {
          startedAt.push(Date.now());
          return gateway.graph.sendMessage(shop, textTo(psid, `#${i}`)).catch((error: unknown) => {
            refusedAt.push(Date.now());
            throw error;
          });
        }),
      ),
    );
    expect(results).toHaveLength(50);
    const sent = await sim.control.sentMessages({ pageId: shop.pageId });
    expect(sent.map((message) => message.message?.text).sort()).toEqual(
      results.map((_, i) => `#${i}`).sort(),
    );
    const refusals = await sim.control.violations({ pageId: shop.pageId });
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.every((refusal) => refusal.code === 613)).toBe(true);
    // After a refusal the Page is held for the backoff (at least half of its 500 ms base, by its jitter): no send
    // starts in that time, however slow the machine. Sends already in flight may still be refused.
    const startedDuringHold = refusedAt.flatMap((refused) =>
      startedAt.filter((started) => started > refused && started < refused + 250 - 5),
    );
    expect(startedDuringHold).toEqual([]);
    expect(governor.stats(shop.pageId).sent).toBe(50);
  }, 20_000);

  test("after a 613 the Page waits the estimated_time_to_regain_access Meta announced, in Meta's minutes", async () => {
    // The simulator announces its 1-second cooldown as Meta does, rounded up to whole minutes: "1". A minute of
    // 1.5 s stands in for Meta's 60 s, and the backoff alone (50 ms) would try again far sooner.
    const minuteMs = 1500;
    const { governor } = connect(
      { defaultRatePerSecond: 100, rateLimitWait: { baseDelayMs: 50, maxDelayMs: 10_000 } },
      { minuteMs },
    );
    await sim.control.setRateLimits({ pageId: shop.pageId, textPerSecond: 10, cooldownMs: 1000 });
    const psid = await personWhoWrote(sim, 'ana', shop);
    const refusedAt: number[] = [];
    const startedAt: number[] = [];
    await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        governor.run(shop.pageId, 'broadcast', async () => {
          startedAt.push(Date.now());
          return gateway.graph.sendMessage(shop, textTo(psid, `#${i}`)).catch((error: unknown) => {
            refusedAt.push(Date.now());
            throw error;
          });
        }),
      ),
    );
    const firstRefusal = Math.min(...refusedAt);
    const firstAfterRefusal = Math.min(...startedAt.filter((at) => at > firstRefusal));
    expect(firstAfterRefusal - firstRefusal).toBeGreaterThanOrEqual(minuteMs - 5);
    // Not a second minute: the backoff alone never waits that long here, however late the timers fire.
    expect(firstAfterRefusal - firstRefusal).toBeLessThan(2 * minuteMs);
    // Sends already on their way when the limit hit are refused too; after the wait, none is.
    const refusals = await sim.control.violations({ pageId: shop.pageId });
    expect(refusals.every((refusal) => refusal.code === 613)).toBe(true);
    expect(refusedAt.every((at) => at < firstAfterRefusal)).toBe(true);
    expect(await sim.control.sentMessages({ pageId: shop.pageId })).toHaveLength(15);
  });

  test("an agent's reply held behind a rate-limit wait fails as not sent in time, and Meta never gets it", async () => {
    const { governor } = connect({ defaultRatePerSecond: 100, liveDeadlineMs: 300 });
    await sim.control.setRateLimits({ pageId: shop.pageId, textPerSecond: 3, cooldownMs: 1000 });
    const psid = await personWhoWrote(sim, 'ana', shop);
    // The fourth send is refused with Meta's "1 minute": the Page holds its sends for that minute.
    const broadcast = Array.from({ length: 4 }, (_, i) => sendThrough(shop, 'broadcast', psid, `#${i}`));
    broadcast.forEach((send) => send.catch(() => undefined));
    await waitFor(() => governor.stats(shop.pageId).pausedUntil !== undefined);
    const started = Date.now();
    await expect(sendThrough(shop, 'live', psid, 'agent reply')).rejects.toMatchObject({
      outcome: { kind: 'not_sent_in_time' },
    });
    // At its 300 ms deadline, not after Meta's minute (however late the timers fire).
    expect(Date.now() - started).toBeLessThan(20_000);
    const texts = (await sim.control.sentMessages({ pageId: shop.pageId })).map((sent) => sent.message?.text);
    expect(texts).not.toContain('agent reply');
  });

  test('live replies overtake broadcast sends already queued', async () => {
    connect({ defaultRatePerSecond: 20 });
    const psid = await personWhoWrote(sim, 'ana', shop);
    const broadcast = Array.from({ length: 10 }, (_, i) =>
      sendThrough(shop, 'broadcast', psid, `broadcast ${i}`),
    );
    const reply = sendThrough(shop, 'live', psid, 'agent reply');
    await Promise.all([...broadcast, reply]);
    const order = (await sim.control.sentMessages({ pageId: shop.pageId })).map((sent) => sent.message?.text);
    expect(order.indexOf('agent reply')).toBeLessThanOrEqual(1);
  });

  test('two Pages do not slow each other', async () => {
    const { governor } = connect({
      defaultRatePerSecond: 100,
      rateLimitWait: { baseDelayMs: 5000, maxDelayMs: 5000 },
    });
    await sim.control.setRateLimits({ pageId: shop.pageId, textPerSecond: 5 });
    const shopPsid = await personWhoWrote(sim, 'ana', shop);
    const cafePsid = await personWhoWrote(sim, 'ana', cafe);
    const shopSends = Array.from({ length: 20 }, () => sendThrough(shop, 'broadcast', shopPsid));
    shopSends.forEach((send) => send.catch(() => undefined));
    const started = Date.now();
    await Promise.all(Array.from({ length: 100 }, () => sendThrough(cafe, 'broadcast', cafePsid)));
    // 100 sends at 100/s take about a second; the shop's 5-second hold after its 613 did not touch the cafe.
    expect(governor.stats(cafe.pageId).pausedUntil).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(governor.stats(shop.pageId).pausedUntil).toBeInstanceOf(Date);
    expect(governor.stats(cafe.pageId)).toMatchObject({ sent: 100, pausedUntil: undefined });
  });
});
