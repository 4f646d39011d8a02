import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { eventually, livechatSeed } from './livechat-world';

interface ThreadMessage {
  mid: string;
  text?: string;
  direction: string;
  sender: string;
}

describe('one Facebook Page connected in two workspaces', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let bob: LoggedInUser;

  beforeAll(async () => {
    // Alice and Bob both administer the Page 2001 and each connects it to their own workspace.
    simulator = await startSimulator({
      seed: {
        ...livechatSeed,
        pages: [{ id: '2001', name: 'Shared Shoes', adminUserIds: ['1001', '1002'] }],
      },
    });
    app = await startTestApp({ simulator });
    await simulator.control.setWebhook({
      callbackUrl: `${app.url}/webhooks/facebook`,
      retryDelaysMs: [50, 100, 200],
    });
    [alice, bob] = await Promise.all([app.login('1001'), app.login('1002')]);
    for (const admin of [alice, bob]) {
      const connected = await admin.agent
        .post('/api/pages')
        .set(admin.csrf)
        .send({ fbPageIds: ['2001'] });
      expect(connected.status).toBe(201);
    }
    const [aliceMe, bobMe] = await Promise.all([alice.agent.get('/api/me'), bob.agent.get('/api/me')]);
    expect(aliceMe.body.workspace.id).not.toBe(bobMe.body.workspace.id);
  }, 30_000);
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  const sim = () => simulator.control;
  const threadOf = async (admin: LoggedInUser): Promise<{ id: string; messages: ThreadMessage[] }> => {
    const inbox = await admin.agent.get('/api/conversations');
    const [conversation] = inbox.body.data as { id: string }[];
    if (!conversation) return { id: '', messages: [] };
    const thread = await admin.agent.get(`/api/conversations/${conversation.id}/messages?limit=100`);
    return { id: conversation.id, messages: thread.body.data as ThreadMessage[] };
  };
  const settled = async () => {
    await sim().waitForWebhookIdle();
    await app.server().webhooks.processor.idle();
  };

  it('a person’s message appears once in each workspace’s inbox', async () => {
    const { mid } = await sim().sendText('p1', '2001', 'hello to both of you');
    await settled();
    for (const admin of [alice, bob]) {
      const { messages } = await eventually(async () => {
        const thread = await threadOf(admin);
        return thread.messages.length > 0 ? thread : null;
      });
      expect(messages.filter((message) => message.mid === mid)).toHaveLength(1);
    }
  });

  it('a reply from one workspace is matched to its echo there, and the Page Inbox’s echo reaches both', async () => {
    const { id } = await threadOf(alice);
    const reply = await alice.agent
      .post(`/api/conversations/${id}/messages`)
      .set(alice.csrf)
      .send({ type: 'text', text: 'Alice answers' });
    expect(reply.status).toBe(201);
    const psid = await sim().psidFor('p1', '2001');
    await sim().pageInboxSend('2001', psid, 'from the Page Inbox');
    await settled();

    const [sent] = (await sim().sentMessages({ pageId: '2001', psid })).filter(
      (message) => message.message?.text === 'Alice answers',
    );
    const replies = (await threadOf(alice)).messages.filter((message) => message.text === 'Alice answers');
    expect(replies).toEqual([expect.objectContaining({ mid: sent?.mid, sender: 'agent' })]);
    for (const admin of [alice, bob]) {
      const inbox = (await threadOf(admin)).messages.filter((m) => m.text === 'from the Page Inbox');
      expect(inbox).toEqual([expect.objectContaining({ sender: 'page_inbox', direction: 'outbound' })]);
    }
  });
});
