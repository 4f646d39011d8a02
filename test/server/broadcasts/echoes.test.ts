import { startSimulator, type Simulator } from '../../../simulator/index';
import { useTestDatabase } from '../../support/database';
import type { LoggedInUser } from '../../support/app-harness';
import type { PagewireProcess } from '../../support/pagewire-process';
import {
  addAudience,
  broadcastSeed,
  createOverHttp,
  startBroadcastingProcess,
  type Workspace,
} from './broadcast-harness';

const audienceSize = 400;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Meta sends a `message_echoes` webhook back for every message a broadcast sends (the Page is subscribed to them):
 * the app takes in a steady stream of webhooks while it sends, on the same database.
 */
describe('a broadcast under the echoes of its own sends', () => {
  const database = useTestDatabase();
  let simulator: Simulator;
  let app: PagewireProcess | undefined;
  let alice: LoggedInUser;
  let workspace: Pick<Workspace, 'workspaceId' | 'pageIds'>;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: broadcastSeed, rateLimits: { textPerSecond: 300 } });
    // 200 a second: two seconds of sending on a quiet machine; the bound below is for a busy one.
    ({ app, alice, workspace } = await startBroadcastingProcess(simulator, database.name, 200));
    // The audience wrote before the webhooks were on, as if long ago; from here Meta sends every webhook.
    await addAudience(simulator, workspace, audienceSize, 'e');
    await simulator.control.setWebhook({ callbackUrl: `${app.url}/webhooks/facebook`, retryDelaysMs: [50] });
  }, 120_000);
  afterAll(async () => {
    await app?.stop();
    await simulator.stop();
  });

  it('completes, everyone sent exactly once, and every echo is answered', async () => {
    const id = await createOverHttp(alice, workspace);
    await alice.agent.post(`/api/broadcasts/${id}/send`).set(alice.csrf).expect(200);

    const deadline = Date.now() + 45_000;
    let broadcast = (await alice.agent.get(`/api/broadcasts/${id}`).expect(200)).body;
    while (broadcast.state === 'sending') {
      if (Date.now() > deadline) {
        const sent = (await simulator.control.sentMessages({ pageId: '2001' })).length;
        throw new Error(`still sending after 45 s, ${sent} sent:\n${app?.output().slice(-3_000)}`);
      }
      await sleep(250);
      broadcast = (await alice.agent.get(`/api/broadcasts/${id}`).expect(200)).body;
    }

    expect(broadcast.state).toBe('completed');
    expect(broadcast.totals).toMatchObject({ sent: audienceSize, failed: 0, unknown: 0, skipped: 0 });
    const messages = (await simulator.control.sentMessages({ pageId: '2001' })).filter(
      (message) => message.message?.text === 'Sale!',
    );
    expect(messages).toHaveLength(audienceSize);
    expect(new Set(messages.map((message) => message.psid)).size).toBe(audienceSize);
    // The echoes really went to the app, and it answered each.
    const echoes = await simulator.control.webhookEvents({ pageId: '2001' });
    expect(echoes.filter((e) => e.field === 'message_echoes' && e.key === 'messaging')).toHaveLength(
      audienceSize,
    );
    await simulator.control.waitForWebhookIdle(30_000);
    const attempts = await simulator.control.webhookDeliveries({ bodies: false });
    expect(attempts.filter((attempt) => attempt.status !== 200)).toEqual([]);
  }, 90_000);
});
