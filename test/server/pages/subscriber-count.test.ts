import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';

describe('a Page’s subscriber count is the number of people subscribed to it now', () => {
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let shoes: string;
  // Declared before useTestDatabase: jest runs afterAll hooks in order, and the app must stop while it is connected.
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });
  useTestDatabase();

  beforeAll(async () => {
    simulator = await startSimulator({
      seed: {
        ...tenancySeed,
        people: [
          { id: 'p1', firstName: 'Pia', lastName: 'One' },
          { id: 'p2', firstName: 'Paul', lastName: 'Two' },
          { id: 'p3', firstName: 'Petra', lastName: 'Three' },
        ],
      },
    });
    app = await startTestApp({ simulator });
    await simulator.control.setWebhook({ callbackUrl: `${app.url}/webhooks/facebook`, retryDelaysMs: [50] });
    alice = await app.login('1001');
    const connected = await alice.agent
      .post('/api/pages')
      .set(alice.csrf)
      .send({ fbPageIds: ['2001', '2002'] })
      .expect(201);
    shoes = (connected.body.data as { id: string; fbPageId: string }[]).find(
      (page) => page.fbPageId === '2001',
    )?.id as string;
  }, 30_000);

  const writes = async (person: string, fbPageId: string, text: string) => {
    await simulator.control.sendText(person, fbPageId, text);
    await simulator.control.waitForWebhookIdle();
    await app.server().webhooks.processor.idle();
  };
  const counts = async () => {
    const pages = (await alice.agent.get('/api/pages').expect(200)).body.data as {
      fbPageId: string;
      subscriberCount: number;
    }[];
    return Object.fromEntries(pages.map((page) => [page.fbPageId, page.subscriberCount]));
  };
  /** Webhooks are processed after the 200; the count follows within a moment. */
  const eventually = async (expected: Record<string, number>) => {
    const deadline = Date.now() + 5_000;
    while (JSON.stringify(await counts()) !== JSON.stringify(expected) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    expect(await counts()).toEqual(expected);
  };

  it('rises as people write to each Page, once per person however often they write', async () => {
    expect(await counts()).toEqual({ '2001': 0, '2002': 0 });
    await writes('p1', '2001', 'hello');
    await writes('p2', '2001', 'hi there');
    await writes('p1', '2001', 'me again');
    await writes('p3', '2002', 'hats?');
    await eventually({ '2001': 2, '2002': 1 });
    expect((await alice.agent.get(`/api/pages/${shoes}`)).body.subscriberCount).toBe(2);
  });

  it('falls when a person sends STOP, on that Page only', async () => {
    await writes('p2', '2001', 'STOP');
    await eventually({ '2001': 1, '2002': 1 });
  });
});
