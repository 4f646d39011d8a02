import { useTestDatabase } from '../support/database';
import { fuzzWebhooks, settleWebhookProcessing } from '../support/webhook-fuzz';
import { startLiveChatWorld, type LiveChatWorld } from '../server/livechat/livechat-world';

/**
 * `npm run fuzz:webhooks` runs the same with 10,000 bodies and prints the figures. About 0.1 s a body on a quiet
 * 2-core machine; the timeout leaves room for a busy one.
 */
describe('2,000 generated signed webhook bodies against the real app and database', () => {
  useTestDatabase();
  let world: LiveChatWorld;

  beforeAll(async () => {
    world = await startLiveChatWorld();
  }, 30_000);
  afterAll(() => world.stop());

  it('never answer 5xx, /healthz answers throughout, and every stored event is whole and processed', async () => {
    const people = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
    const figures = await fuzzWebhooks(
      {
        url: world.app.url,
        appSecret: world.simulator.appSecret,
        pages: ['2001', '2002'],
        psids: await Promise.all(people.map((person) => world.simulator.control.psidFor(person, '2001'))),
        settle: () => settleWebhookProcessing(world.app.server().webhooks.processor),
        logs: world.app.logs,
      },
      2_000,
    );
    expect(figures).toMatchObject({
      bodies: 2_000,
      serverErrors: 0,
      healthFailures: 0,
      missingKeys: [],
      unreadableStored: [],
      failedEvents: [],
      halfStored: 0,
    });
    expect(figures.healthChecks).toBeGreaterThan(0);
    expect(figures.eventsStored).toBeGreaterThan(0);
    expect(Object.keys(figures.droppedByReason).length).toBeGreaterThan(0);
  }, 900_000);
});
