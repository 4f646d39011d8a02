import { testRedisUrl } from '../support/redis';
import { MongoClient } from 'mongodb';
import type { ServerToClientEvents } from '../../server/realtime/events';
import { startSimulator, type Simulator } from '../../simulator/index';
import { connectAgentSocket, type PagewireSocket } from '../support/app-harness';
import { freshDatabaseName, testDatabaseUri } from '../support/database';
import {
  sharedDeploymentEnvironment,
  startDeploymentProcesses,
  type PagewireProcess,
} from '../support/pagewire-process';
import { loginAndConnectPages, loginThroughSimulator, type LoggedInUser } from '../support/simulator-login';
import { tenancySeed } from '../support/tenancy-seed';

type Received<E extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[E]>[0];

/** Everything of one kind a socket receives, from now on. */
function record<E extends keyof ServerToClientEvents>(socket: PagewireSocket, event: E): Received<E>[] {
  const received: Received<E>[] = [];
  (socket.on as (name: string, listener: (payload: Received<E>) => void) => void)(event, (payload) =>
    received.push(payload),
  );
  return received;
}

async function eventually(check: () => void | Promise<void>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

describe('two Pagewire processes on one database and one Redis', () => {
  const databaseName = freshDatabaseName();
  let simulator: Simulator;
  let a: PagewireProcess;
  let b: PagewireProcess;
  let alice: LoggedInUser;
  let carol: LoggedInUser;
  let bob: LoggedInUser;
  const sockets: PagewireSocket[] = [];

  async function socketOn(process: PagewireProcess, user: LoggedInUser): Promise<PagewireSocket> {
    const { socket, connected } = connectAgentSocket(process.url, user.cookie);
    sockets.push(socket);
    return connected;
  }

  beforeAll(async () => {
    simulator = await startSimulator({
      seed: {
        ...tenancySeed,
        people: ['p1', 'p2', 'p3'].map((id) => ({
          id,
          name: `Person ${id}`,
          firstName: 'Person',
          lastName: id,
        })),
      },
    });
    const shared = sharedDeploymentEnvironment(
      { databaseUri: testDatabaseUri(), databaseName, simulator },
      { url: testRedisUrl(), keyPrefix: databaseName },
    );
    [a, b] = (await startDeploymentProcesses(shared, 2)) as [PagewireProcess, PagewireProcess];
    const login = (facebookUserId: string, on: PagewireProcess, invitationUrl?: string) =>
      loginThroughSimulator({
        appUrl: on.url,
        simulatorUrl: simulator.url,
        facebookUserId,
        ...(invitationUrl ? { invitationUrl } : {}),
      });
    ({ user: alice } = await loginAndConnectPages(
      { appUrl: b.url, simulatorUrl: simulator.url, facebookUserId: '1001' },
      ['2001'],
    ));
    ({ user: bob } = await loginAndConnectPages(
      { appUrl: a.url, simulatorUrl: simulator.url, facebookUserId: '1002' },
      ['3001'],
    ));
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
    carol = await login('1003', a, invitation.body.url);
    // Meta posts every webhook to process A only.
    await simulator.control.setWebhook({ callbackUrl: `${a.url}/webhooks/facebook` });
  }, 120_000);

  afterAll(async () => {
    for (const socket of sockets) socket.disconnect();
    await Promise.all([a?.stop(), b?.stop()]);
    await simulator?.stop();
    const client = await MongoClient.connect(testDatabaseUri());
    await client.db(databaseName).dropDatabase();
    await client.close();
  });

  it("an agent on B receives, in order and once, every message whose webhook reached A; another workspace's agent none", async () => {
    const aliceOnB = record(await socketOn(b, alice), 'message:new');
    const bobOnB = record(await socketOn(b, bob), 'message:new');
    const bobOnA = record(await socketOn(a, bob), 'message:new');
    const sent: Record<string, string[]> = { p1: [], p2: [], p3: [] };
    for (let n = 0; n < 30; n++) {
      const person = `p${(n % 3) + 1}`;
      const text = `${person} message ${n}`;
      sent[person]?.push(text);
      await simulator.control.sendText(person, '2001', text);
    }
    await simulator.control.waitForWebhookIdle();
    await eventually(() => expect(aliceOnB).toHaveLength(30));
    // A moment more: a second copy of anything would arrive now.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(aliceOnB).toHaveLength(30);
    for (const [person, texts] of Object.entries(sent)) {
      const ofPerson = aliceOnB.filter((event) => event.message.text?.startsWith(`${person} `));
      expect(ofPerson.map((event) => event.message.text)).toEqual(texts);
    }
    expect(bobOnB).toEqual([]);
    expect(bobOnA).toEqual([]);
  });

  it('presence and typing reach agents on the other process, and who is viewing is one answer for both', async () => {
    const conversations = await alice.agent.get('/api/conversations');
    const conversation = conversations.body.data[0] as { id: string };
    const carolOnA = await socketOn(a, carol);
    const presence = record(carolOnA, 'conversation:presence');
    const typing = record(carolOnA, 'conversation:typing');
    const aliceId = (await alice.agent.get('/api/me')).body.user.id as string;
    const carolId = (await carol.agent.get('/api/me')).body.user.id as string;

    const viewedOnB = await alice.agent
      .post(`/api/conversations/${conversation.id}/presence`)
      .set(alice.csrf)
      .send({ viewing: true });
    expect(viewedOnB.body.userIds).toEqual([aliceId]);
    await eventually(() =>
      expect(presence.at(-1)).toMatchObject({ conversationId: conversation.id, userIds: [aliceId] }),
    );
    const viewedOnA = await carol.agent
      .post(`/api/conversations/${conversation.id}/presence`)
      .set(carol.csrf)
      .send({ viewing: true });
    expect([...viewedOnA.body.userIds].sort()).toEqual([aliceId, carolId].sort());

    await alice.agent
      .post(`/api/conversations/${conversation.id}/sender-actions`)
      .set(alice.csrf)
      .send({ action: 'typing_on' });
    await eventually(() =>
      expect(typing).toContainEqual(
        expect.objectContaining({ conversationId: conversation.id, userId: aliceId, typing: true }),
      ),
    );
  });

  it('a bot rule saved through B answers the next message on A at once, though A keeps the rules it read', async () => {
    const pages = await alice.agent.get('/api/pages');
    const pageId = (pages.body.data as { id: string; fbPageId: string }[]).find(
      (page) => page.fbPageId === '2001',
    )?.id as string;
    const repliesTo = async (personId: string) => {
      const psid = await simulator.control.psidFor(personId, '2001');
      return (await simulator.control.sentMessages({ pageId: '2001', psid }))
        .map((sent) => sent.message?.text)
        .filter(Boolean);
    };
    // A reads the Page's (no) rules for this message and keeps them for two seconds.
    await simulator.control.sendText('p3', '2001', 'nothing to answer yet');
    await simulator.control.waitForWebhookIdle();
    const block = await alice.agent
      .post('/api/bot/blocks')
      .set(alice.csrf)
      .send({ page: pageId, name: 'Hours', content: { text: 'Open 9 to 6.' } });
    expect(block.status).toBe(201);
    const rule = await alice.agent
      .post('/api/bot/rules')
      .set(alice.csrf)
      .send({
        page: pageId,
        kind: 'keyword',
        keywordMode: 'exact',
        keywords: ['hours'],
        block: block.body._id,
      });
    expect(rule.status).toBe(201);
    await simulator.control.sendText('p3', '2001', 'hours');
    await eventually(async () => expect(await repliesTo('p3')).toContain('Open 9 to 6.'));
  });
});
