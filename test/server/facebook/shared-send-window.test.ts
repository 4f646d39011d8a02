import { testRedisUrl } from '../../support/redis';
import { randomBytes } from 'node:crypto';
import { createSendGovernor, type SendGovernor } from '../../../server/facebook/send-governor';
import { createSharedSendWindow, type SharedSendWindow } from '../../../server/facebook/shared-send-window';
import { createLogger } from '../../../server/platform/logger';
import { connectSharedRedis, type SharedRedis } from '../../../server/platform/redis';

const logger = createLogger({ level: 'silent' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The most sends that started within any one second. */
function busiestSecond(starts: number[]): number {
  const sorted = [...starts].sort((a, b) => a - b);
  let most = 0;
  for (let i = 0; i < sorted.length; i++) {
    const first = sorted[i] as number;
    most = Math.max(most, sorted.filter((at) => at >= first && at < first + 1000).length);
  }
  return most;
}

describe("a Page's send window shared by two processes through Redis", () => {
  const connections: SharedRedis[] = [];
  let processA: SharedSendWindow;
  let processB: SharedSendWindow;

  beforeAll(async () => {
    const prefix = `window-test-${randomBytes(4).toString('hex')}`;
    const url = testRedisUrl();
    for (let n = 0; n < 2; n++) connections.push(await connectSharedRedis(url, prefix, logger));
    [processA, processB] = connections.map((redis) =>
      createSharedSendWindow(redis, { inFlightMs: 1_500, logger }),
    ) as [SharedSendWindow, SharedSendWindow];
  });
  afterAll(async () => {
    await Promise.all(connections.map((redis) => redis.close()));
  });

  it('lets the two together start no more sends in any second than the rate, as each alone would', async () => {
    const starts: number[] = [];
    await Promise.all(
      Array.from({ length: 12 }, async (_, n) => {
        const place = await (n % 2 === 0 ? processA : processB).take('page-1', 'text', 3);
        starts.push(Date.now());
        place.ended(true);
      }),
    );
    // A send counts until a second after its answer: at 3/s, twelve sends need at least three seconds.
    expect(busiestSecond(starts)).toBe(3);
    expect(Math.max(...starts) - Math.min(...starts)).toBeGreaterThanOrEqual(2_900);
  });

  it('counts Pages and classes apart', async () => {
    const started = Date.now();
    const places = await Promise.all([
      processA.take('page-2', 'text', 1),
      processB.take('page-3', 'text', 1),
      processA.take('page-2', 'media', 1),
    ]);
    expect(Date.now() - started).toBeLessThan(900);
    for (const place of places) place.ended(true);
  });

  it('frees the place of a send never answered (its process died) once it could no longer be in flight', async () => {
    await processA.take('page-4', 'text', 1);
    const started = Date.now();
    const place = await processB.take('page-4', 'text', 1);
    place.ended(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
  });

  it('holds the place of a call that got no answer (a timeout) well past a second: Meta may receive it late', async () => {
    const place = await processA.take('page-6', 'text', 1);
    place.ended(false);
    const next = processB.take('page-6', 'text', 1).then((taken) => {
      taken.ended(true);
      return 'taken';
    });
    // Answered, it would free a second after; unanswered it counts `unansweredCountsMs` (10 s).
    expect(await Promise.race([next, sleep(2_500).then(() => 'still waiting')])).toBe('still waiting');
  });

  it("holds a call's place from the call, not from the turn's slower work before it (a broadcast's intent write)", async () => {
    const [governorA, governorB] = [processA, processB].map((sharedWindow) =>
      createSendGovernor({ defaultRatePerSecond: 1, sharedWindow, logger }),
    ) as [SendGovernor, SendGovernor];
    const calls: number[] = [];
    const call = async () => void calls.push(Date.now());
    try {
      // A's work before its call outlasts how long a place may count in flight (1.5 s here); B's send comes meanwhile.
      const slowTurn = governorA.run('page-5', 'broadcast', call, {
        prepare: () => sleep(2_000).then(() => true),
      });
      await sleep(1_600);
      await Promise.all([slowTurn, governorB.run('page-5', 'broadcast', call)]);
    } finally {
      governorA.close();
      governorB.close();
    }
    expect(calls).toHaveLength(2);
    expect(busiestSecond(calls)).toBe(1);
  });
});
