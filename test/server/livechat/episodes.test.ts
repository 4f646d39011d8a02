import { ConversationModel } from '../../../models/conversation';
import type { LoggedInUser } from '../../support/app-harness';
import { eventually, useLiveChatWorld } from './livechat-world';

interface Episode {
  openedAt: string;
  resolvedAt: string;
  resolvedById: string;
  resolvedByName: string;
  messageCount: number;
}

describe('a conversation’s episodes: each resolve ends one, kept for the contact panel', () => {
  const world = useLiveChatWorld();
  const sim = () => world.simulator.control;
  let carol: LoggedInUser;
  let aliceId: string;
  let carolId: string;

  beforeAll(async () => {
    const { alice } = world;
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
    carol = await world.app.login('1003', { invitationUrl: invitation.body.url });
    aliceId = (await alice.agent.get('/api/me')).body.user.id;
    carolId = (await carol.agent.get('/api/me')).body.user.id;
  });

  /** Waits until every webhook (the person's messages, the echoes of replies) has been taken in. */
  const settled = async () => {
    await sim().waitForWebhookIdle();
    await world.app.server().webhooks.processor.idle();
  };
  const conversationOf = async (personId: string) => {
    const psid = await sim().psidFor(personId, '2001');
    return String((await eventually(() => ConversationModel.findOne({ psid }).lean()))._id);
  };
  const act = (user: LoggedInUser, id: string, action: 'resolve' | 'reopen') =>
    user.agent.post(`/api/conversations/${id}/${action}`).set(user.csrf).expect(200);
  const episodesOf = async (id: string) =>
    (await world.alice.agent.get(`/api/conversations/${id}`).expect(200)).body.episodes as Episode[];

  it('resolve, reopen, resolve: two episodes, newest first, with their openings, resolvers and message counts', async () => {
    const { timestamp: firstMessageAt } = await sim().sendText('p1', '2001', 'Where is my parcel?');
    const id = await conversationOf('p1');
    const { alice } = world;
    await alice.agent
      .post(`/api/conversations/${id}/messages`)
      .set(alice.csrf)
      .send({ type: 'text', text: 'It left this morning.' })
      .expect(201);
    await settled();
    await act(alice, id, 'resolve');
    await act(alice, id, 'reopen');
    const reopenedAt = world.app.clock.now().getTime();
    await sim().sendText('p1', '2001', 'It has not arrived.');
    await settled();
    await alice.agent
      .post(`/api/conversations/${id}/notes`)
      .set(alice.csrf)
      .send({ text: 'Ask the courier' });
    const resolved = await act(carol, id, 'resolve');
    expect(resolved.body.conversation.status).toBe('resolved');

    const [second, first, ...none] = await episodesOf(id);
    expect(none).toEqual([]);
    expect(first).toMatchObject({
      openedAt: new Date(firstMessageAt).toISOString(),
      resolvedById: aliceId,
      resolvedByName: 'Alice Admin',
      messageCount: 2,
    });
    expect(second).toMatchObject({ resolvedById: carolId, resolvedByName: 'Carol Agent', messageCount: 1 });
    expect(Date.parse(second?.openedAt ?? '')).toBeGreaterThanOrEqual(reopenedAt - 1000);
    expect(Date.parse(second?.resolvedAt ?? '')).toBeGreaterThanOrEqual(Date.parse(first?.resolvedAt ?? ''));
  });

  it('a resolve of a conversation that is not open records nothing', async () => {
    await sim().sendText('p2', '2001', 'Thanks, all good');
    const id = await conversationOf('p2');
    await settled();
    await act(world.alice, id, 'resolve');
    await act(carol, id, 'resolve');
    await act(world.alice, id, 'resolve');
    expect(await episodesOf(id)).toEqual([
      expect.objectContaining({ resolvedByName: 'Alice Admin', messageCount: 1 }),
    ]);
  });

  it('the person writing again reopens it: the next episode begins at their message and counts from it', async () => {
    await sim().sendText('p3', '2001', 'Do you have size 42?');
    const id = await conversationOf('p3');
    await settled();
    await act(world.alice, id, 'resolve');
    const { timestamp } = await sim().sendText('p3', '2001', 'And in blue?');
    await sim().sendText('p3', '2001', 'Any colour is fine');
    await settled();
    expect((await ConversationModel.findById(id).lean())?.status).toBe('open');
    await act(world.alice, id, 'resolve');
    const [latest] = await episodesOf(id);
    expect(latest).toMatchObject({ openedAt: new Date(timestamp).toISOString(), messageCount: 2 });
  });

  it('keeps the newest 20 episodes', async () => {
    await sim().sendText('p4', '2001', 'Hello again');
    const id = await conversationOf('p4');
    await settled();
    for (let round = 0; round < 22; round += 1) {
      await act(world.alice, id, 'resolve');
      await act(world.alice, id, 'reopen');
    }
    await act(world.alice, id, 'resolve');
    const episodes = await episodesOf(id);
    expect(episodes).toHaveLength(20);
    // The first episode, the only one with a message, is among the three forgotten.
    expect(episodes.every((episode) => episode.messageCount === 0)).toBe(true);
  });
});
