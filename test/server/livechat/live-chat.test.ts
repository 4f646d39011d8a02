import { createHmac } from 'node:crypto';
import { ConversationModel } from '../../../models/conversation';
import { MessageModel } from '../../../models/message';
import { SubscriberModel } from '../../../models/subscriber';
import { WebhookEvent } from '../../../models/webhook-event';
import { eventually, nextEvent, useLiveChatWorld } from './livechat-world';

const HOUR = 60 * 60 * 1000;

describe('webhooks into live chat, end to end through the simulator', () => {
  const world = useLiveChatWorld();

  const sim = () => world.simulator.control;
  const conversationOf = async (personId: string) => {
    const psid = await sim().psidFor(personId, '2001');
    return eventually(() => ConversationModel.findOne({ psid }).lean());
  };

  it('a person writes and the agent’s socket receives the message, with a subscriber and their name', async () => {
    const socket = await world.app.socketFor(world.alice);
    const received = nextEvent(socket, 'message:new', (event) => event.message.text === 'hello shoes');
    await sim().sendText('p1', '2001', 'hello shoes');
    const event = await received;
    expect(event.pageId).toBe(world.shoesPageId);
    expect(event.message).toMatchObject({ direction: 'inbound', sender: 'subscriber', kind: 'text' });
    const conversation = await eventually(async () => {
      const found = await ConversationModel.findOne({ _id: event.conversationId }).lean();
      return found?.subscriberName === 'Pia Person' ? found : null;
    });
    expect(conversation).toMatchObject({ status: 'open', unreadCount: 1 });
    const subscriber = await SubscriberModel.findById(conversation.subscriber).lean();
    expect(subscriber).toMatchObject({ status: 'subscribed', optIn: { source: 'message' } });
  });

  it('the agent replies: Meta gets one RESPONSE message, and its echo does not make a second copy', async () => {
    const conversation = await conversationOf('p1');
    const reply = await world.alice.agent
      .post(`/api/conversations/${String(conversation._id)}/messages`)
      .set(world.alice.csrf)
      .send({ type: 'text', text: 'How can we help?' });
    expect(reply.status).toBe(201);
    expect(reply.body.message).toMatchObject({ status: 'sent', delivery: { messagingType: 'RESPONSE' } });
    const sent = (await sim().sentMessages({ pageId: '2001', psid: conversation.psid })).filter(
      (message) => message.message?.text === 'How can we help?',
    );
    expect(sent).toHaveLength(1);
    expect(sent[0]?.messagingType).toBe('RESPONSE');
    await sim().waitForWebhookIdle();
    await world.app.server().webhooks.processor.idle();
    const copies = await eventually(async () => {
      const found = await MessageModel.find({
        conversation: conversation._id,
        text: 'How can we help?',
      }).lean();
      return found[0]?.mid === sent[0]?.mid ? found : null;
    });
    expect(copies).toHaveLength(1);
  });

  it('a read receipt marks the reply read and tells the agents', async () => {
    const conversation = await conversationOf('p1');
    const socket = await world.app.socketFor(world.alice);
    const status = nextEvent(socket, 'message:status', (event) => event.status === 'read');
    await sim().read('p1', '2001');
    expect((await status).conversationId).toBe(String(conversation._id));
    const reply = await MessageModel.findOne({
      conversation: conversation._id,
      direction: 'outbound',
    }).lean();
    expect(reply?.status).toBe('read');
  });

  it('the same webhook delivered three times makes one message', async () => {
    await sim().setWebhook({ duplicateDeliveries: 2 });
    try {
      await sim().sendText('p2', '2001', 'said once');
      await sim().waitForWebhookIdle();
      const conversation = await conversationOf('p2');
      await eventually(() => MessageModel.exists({ conversation: conversation._id, text: 'said once' }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await MessageModel.countDocuments({ text: 'said once' })).toBe(1);
      expect((await ConversationModel.findById(conversation._id).lean())?.unreadCount).toBe(1);
    } finally {
      await sim().setWebhook({ duplicateDeliveries: 0 });
    }
  });

  it('a batch with three entries makes three messages', async () => {
    await sim().setWebhook({ batchEntries: { maxEntries: 3, windowMs: 2_000 } });
    try {
      await sim().sendText('p3', '2001', 'batch one');
      await sim().sendText('p3', '2001', 'batch two');
      await sim().sendText('p3', '2001', 'batch three');
      await sim().waitForWebhookIdle();
      await eventually(async () => (await MessageModel.countDocuments({ text: /^batch / })) === 3);
    } finally {
      await sim().setWebhook({ batchEntries: false });
    }
  });

  it('a forged signature is refused with 401 and nothing is stored', async () => {
    const before = await WebhookEvent.countDocuments();
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: '2001',
          time: 1,
          messaging: [{ sender: { id: 'x' }, message: { mid: 'm_forged', text: 'x' } }],
        },
      ],
    });
    const forged = createHmac('sha256', 'not-the-app-secret').update(body).digest('hex');
    const res = await fetch(`${world.app.url}/webhooks/facebook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-hub-signature-256': `sha256=${forged}` },
      body,
    });
    expect(res.status).toBe(401);
    expect(await WebhookEvent.countDocuments()).toBe(before);
    expect(await MessageModel.exists({ mid: 'm_forged' })).toBeNull();
  });

  it('STOP unsubscribes the person at once and confirms it once', async () => {
    await sim().sendText('p4', '2001', 'Stop');
    const psid = await sim().psidFor('p4', '2001');
    const subscriber = await eventually(async () => {
      const found = await SubscriberModel.findOne({ psid }).lean();
      return found?.status === 'unsubscribed' ? found : null;
    });
    expect(subscriber.unsubscribed?.reason).toMatch(/Stop/);
    await eventually(async () => (await sim().sentMessages({ pageId: '2001', psid })).length === 1);
  });

  it('two simultaneous first messages make one subscriber', async () => {
    await Promise.all([sim().sendText('p5', '2001', 'first a'), sim().sendText('p5', '2001', 'first b')]);
    await sim().waitForWebhookIdle();
    const psid = await sim().psidFor('p5', '2001');
    await eventually(async () => (await MessageModel.countDocuments({ text: /^first [ab]$/ })) === 2);
    expect(await SubscriberModel.countDocuments({ psid })).toBe(1);
    expect(await ConversationModel.countDocuments({ psid })).toBe(1);
  });

  it('an agent of another workspace sees nothing: no conversation by REST, no event on the socket', async () => {
    const bob = await world.app.login('1002');
    const conversation = await conversationOf('p1');
    expect((await bob.agent.get(`/api/conversations/${String(conversation._id)}`)).status).toBe(404);
    expect((await bob.agent.get('/api/conversations')).body.data).toEqual([]);
    const reply = await bob.agent
      .post(`/api/conversations/${String(conversation._id)}/messages`)
      .set(bob.csrf)
      .send({ type: 'text', text: 'not mine' });
    expect(reply.status).toBe(404);
    const socket = await world.app.socketFor(bob);
    const leaked: unknown[] = [];
    socket.on('message:new', (event) => leaked.push(event));
    const aliceSocket = await world.app.socketFor(world.alice);
    const seen = nextEvent(aliceSocket, 'message:new', (event) => event.message.text === 'only for alice');
    await sim().sendText('p1', '2001', 'only for alice');
    await seen;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(leaked).toEqual([]);
  });

  it('the inbox lists conversations newest first, pages with a cursor and finds by name or text', async () => {
    const first = await world.alice.agent.get('/api/conversations?limit=2');
    expect(first.status).toBe(200);
    expect(first.body.data).toHaveLength(2);
    const rest = await world.alice.agent.get(`/api/conversations?limit=50&cursor=${first.body.nextCursor}`);
    const ids = [...first.body.data, ...rest.body.data].map((c: { id: string }) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(await ConversationModel.countDocuments());
    const byName = await world.alice.agent.get('/api/conversations?q=pia');
    expect(byName.body.data.map((c: { subscriberName: string }) => c.subscriberName)).toEqual(['Pia Person']);
    const byText = await world.alice.agent.get(`/api/conversations?q=${encodeURIComponent('said once')}`);
    expect(byText.body.data).toHaveLength(1);
    expect((await world.alice.agent.get('/api/conversations?q=(')).status).toBe(200);
  });

  it('Messenger refusing "seen" answers 202 with the reason, and the conversation is still read', async () => {
    await sim().sendText('p8', '2001', 'is anyone there?');
    // Named: the profile lookup, a Graph call too, is done before the fault is queued for the next one.
    const conversation = await eventually(async () => {
      const found = await conversationOf('p8');
      return found && found.unreadCount > 0 && found.subscriberName === 'Quinn Seen' ? found : null;
    });
    await sim().setFaults({ next: ['send_failure'], appliesTo: 'all' });
    try {
      const url = `/api/conversations/${String(conversation._id)}/sender-actions`;
      const seen = await world.alice.agent.post(url).set(world.alice.csrf).send({ action: 'mark_seen' });
      expect(seen.status).toBe(202);
      expect(seen.body).toMatchObject({ delivered: false, reason: expect.any(String) });
      expect((await ConversationModel.findById(conversation._id).lean())?.unreadCount).toBe(0);
      const typing = await world.alice.agent.post(url).set(world.alice.csrf).send({ action: 'typing_on' });
      expect(typing.status).toBe(204);
    } finally {
      await sim().setFaults({ next: [], appliesTo: 'messages' });
    }
  });

  it('claiming sets the human-active time', async () => {
    const conversation = await conversationOf('p2');
    const url = `/api/conversations/${String(conversation._id)}/claim`;
    expect((await world.alice.agent.post(url).set(world.alice.csrf)).status).toBe(200);
    const claimed = await ConversationModel.findById(conversation._id).lean();
    expect(claimed?.humanActiveUntil).not.toBeNull();
  });

  it('while one agent holds the claim, anyone else’s reply is refused with a 409 and nothing reaches Meta', async () => {
    const invitation = await world.alice.agent
      .post('/api/invitations')
      .set(world.alice.csrf)
      .send({ role: 'agent' });
    const carol = await world.app.login('1003', { invitationUrl: invitation.body.url });
    const carolId = (await carol.agent.get('/api/me')).body.user.id as string;
    await sim().sendText('p7', '2001', 'can someone help?');
    const conversation = await conversationOf('p7');
    const url = (action: string) => `/api/conversations/${String(conversation._id)}/${action}`;
    const reply = (user: typeof carol, text: string) =>
      user.agent.post(url('messages')).set(user.csrf).send({ type: 'text', text });
    const sentTexts = async () =>
      (await sim().sentMessages({ pageId: '2001', psid: conversation.psid })).map((m) => m.message?.text);

    expect((await carol.agent.post(url('claim')).set(carol.csrf)).status).toBe(200);
    const refused = await reply(world.alice, 'alice jumps in');
    expect(refused.status).toBe(409);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.body).toMatchObject({ claimedById: carolId });
    expect((await reply(carol, 'carol answers')).status).toBe(201);
    expect(await sentTexts()).toEqual(['carol answers']);

    // An admin takes over in the open, by claiming; then the agent can neither claim nor reply.
    const aliceId = (await world.alice.agent.get('/api/me')).body.user.id as string;
    const takeover = await world.alice.agent.post(url('claim')).set(world.alice.csrf);
    expect(takeover.body.conversation).toMatchObject({ claimedById: aliceId });
    expect((await carol.agent.post(url('claim')).set(carol.csrf)).status).toBe(409);
    expect((await reply(carol, 'carol again')).status).toBe(409);
    expect((await reply(world.alice, 'alice takes over')).status).toBe(201);
    expect(await sentTexts()).toEqual(['carol answers', 'alice takes over']);
  });

  it('a note stays internal and is never sent to Facebook', async () => {
    const conversation = await conversationOf('p2');
    const before = (await sim().sentMessages({ pageId: '2001' })).length;
    const note = await world.alice.agent
      .post(`/api/conversations/${String(conversation._id)}/notes`)
      .set(world.alice.csrf)
      .send({ text: 'VIP customer' });
    expect(note.status).toBe(201);
    expect(note.body.message).toMatchObject({ direction: 'internal', kind: 'note' });
    expect((await sim().sentMessages({ pageId: '2001' })).length).toBe(before);
  });

  it('30 hours later a typed reply goes with HUMAN_AGENT; 8 days later it is refused and nothing is sent', async () => {
    await sim().sendText('p6', '2001', 'are you there?');
    const conversation = await conversationOf('p6');
    const url = `/api/conversations/${String(conversation._id)}/messages`;
    await sim().advanceTime(30 * HOUR);
    world.app.clock.advance(30 * HOUR);
    const late = await world.alice.agent
      .post(url)
      .set(world.alice.csrf)
      .send({ type: 'text', text: 'sorry, yes' });
    expect(late.status).toBe(201);
    const sent = await sim().sentMessages({ pageId: '2001', psid: conversation.psid });
    expect(sent.at(-1)).toMatchObject({ messagingType: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });

    const window = await world.alice.agent.get(`/api/conversations/${String(conversation._id)}`);
    expect(new Date(window.body.humanAgentWindowClosesAt).getTime()).toBeGreaterThan(Date.now());

    await sim().advanceTime(7 * 24 * HOUR);
    world.app.clock.advance(7 * 24 * HOUR);
    const refused = await world.alice.agent
      .post(url)
      .set(world.alice.csrf)
      .send({ type: 'text', text: 'hello?' });
    expect(refused.status).toBe(422);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
    expect(refused.body.closedAt).toBeTruthy();
    expect(await sim().sentMessages({ pageId: '2001', psid: conversation.psid })).toHaveLength(sent.length);
  });
});
