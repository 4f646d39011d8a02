import { fuzzWebhooks, settleWebhookProcessing, type FuzzTarget } from '../support/webhook-fuzz';
import { useLiveChatWorld } from '../server/livechat/livechat-world';

/**
 * `npm run fuzz:webhooks` runs 10,000 bodies, every one processed, and prints the figures. Here 200 bodies go through
 * the whole path (stored, then processed by the handlers, which must take every stored event without a failure),
 * then 1,800 more only through the receiver (no 5xx, nothing half-stored, every stored event readable), which keeps
 * the suite's time bounded on a busy machine: processing is what costs, about 0.1 s a body.
 */
describe('2,000 generated signed webhook bodies against the real app and database', () => {
  const world = useLiveChatWorld();
  let target: FuzzTarget;

  beforeAll(async () => {
    const people = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
    target = {
      url: world.app.url,
      appSecret: world.simulator.appSecret,
      pages: ['2001', '2002'],
      psids: await Promise.all(people.map((person) => world.simulator.control.psidFor(person, '2001'))),
      logs: world.app.logs,
    };
  });

  const clean = {
    serverErrors: 0,
    healthFailures: 0,
    missingKeys: [],
    unreadableStored: [],
    failedEvents: [],
    halfStored: 0,
  };

  it('200 of them, stored and processed: never 5xx, /healthz throughout, every stored event whole and processed', async () => {
    const processor = world.app.server().webhooks.processor;
    const figures = await fuzzWebhooks({ ...target, settle: () => settleWebhookProcessing(processor) }, 200);
    expect(figures).toMatchObject({ bodies: 200, ...clean });
    expect(figures.eventsStored).toBeGreaterThan(0);
  }, 600_000);

  it('1,800 more through the receiver: never 5xx, /healthz throughout, nothing half-stored or unreadable', async () => {
    await world.app.server().webhooks.processor.stop();
    const figures = await fuzzWebhooks(target, 1_800);
    expect(figures).toMatchObject({ bodies: 1_800, ...clean });
    expect(figures.healthChecks).toBeGreaterThan(0);
    expect(Object.keys(figures.droppedByReason).length).toBeGreaterThan(0);
  }, 600_000);
});
