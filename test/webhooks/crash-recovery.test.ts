import { ConversationModel } from '../../models/conversation';
import { MessageModel } from '../../models/message';
import { WebhookEvent } from '../../models/webhook-event';
import { findFreePort } from '../../server/platform/database/free-port';
import { startSimulator, type Simulator } from '../../simulator/index';
import { testDatabaseUri, useTestDatabase } from '../support/database';
import { loginAndConnectPages } from '../support/simulator-login';
import { eventually, livechatSeed } from '../server/livechat/livechat-world';
import {
  deploymentEnvironment,
  startPagewireProcess,
  type PagewireProcess,
} from '../support/pagewire-process';

describe('Pagewire killed between storing a webhook and processing it', () => {
  const database = useTestDatabase();
  let simulator: Simulator;
  let app: PagewireProcess | undefined;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: livechatSeed });
  });
  afterAll(async () => {
    await app?.stop();
    await simulator.stop();
  });

  it('after kill -9 and a restart, every stored message is in the conversation exactly once', async () => {
    const sim = simulator.control;
    const env = deploymentEnvironment({
      port: await findFreePort(),
      databaseUri: testDatabaseUri(),
      databaseName: database.name,
      simulator,
    });
    app = await startPagewireProcess(env);
    await sim.setWebhook({ callbackUrl: `${app.url}/webhooks/facebook`, retryDelaysMs: [50, 100, 200] });
    const { user: alice, connected } = await loginAndConnectPages(
      { appUrl: app.url, simulatorUrl: simulator.url, facebookUserId: '1001' },
      ['2001'],
    );
    expect(connected.status).toBe(201);

    // Meta answers the profile read slowly, so the worker is inside the first message's handler when it dies: the
    // message is stored and all three events are `processing` under the lease they were stored with (taken on arrival).
    await sim.setFaults({ slowMs: 10_000, appliesTo: 'all' });
    const mids: string[] = [];
    for (const text of ['one', 'two', 'three']) mids.push((await sim.sendText('p1', '2001', text)).mid ?? '');
    await sim.waitForWebhookIdle();
    const keys = mids.map((mid) => `message:${mid}`);
    const statuses = async () => {
      const events = await WebhookEvent.find({ key: { $in: keys } }).lean();
      return keys.map((key) => events.find((event) => event.key === key)?.status);
    };
    await eventually(() => MessageModel.exists({ mid: mids[0] }), 10_000);
    expect(await statuses()).toEqual(['processing', 'processing', 'processing']);

    await app.crash();
    await sim.setFaults({ slowMs: 0 });
    expect(await statuses()).toEqual(['processing', 'processing', 'processing']);
    // The dead worker's 30-second lease runs out (moved, not waited for: the new process reads the wall clock).
    await WebhookEvent.updateMany(
      { key: { $in: keys }, status: 'processing' },
      { $set: { lockedUntil: new Date(Date.now() - 1) } },
    );

    app = await startPagewireProcess(env);
    await eventually(async () => (await statuses()).every((status) => status === 'processed'), 15_000).catch(
      (error: Error) => {
        throw new Error(`${error.message}\n${app?.output() ?? ''}`);
      },
    );

    const inbox = await alice.agent.get('/api/conversations');
    expect(inbox.status).toBe(200);
    expect(inbox.body.data).toHaveLength(1);
    const [conversation] = inbox.body.data;
    expect(conversation).toMatchObject({
      subscriberName: 'Pia Person',
      unreadCount: 3,
      lastMessage: { preview: 'three' },
    });
    const thread = await alice.agent.get(`/api/conversations/${conversation.id}/messages?limit=50`);
    expect(thread.body.data.map((message: { text: string }) => message.text).reverse()).toEqual([
      'one',
      'two',
      'three',
    ]);
    expect(await MessageModel.countDocuments({ mid: { $in: mids } })).toBe(3);
    expect(await ConversationModel.countDocuments()).toBe(1);
  }, 60_000);
});
