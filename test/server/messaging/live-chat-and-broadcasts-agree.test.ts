import { BroadcastRecipientModel } from '../../../models/broadcast-recipient';
import { ConversationModel } from '../../../models/conversation';
import { MessageModel } from '../../../models/message';
import { SubscriberModel } from '../../../models/subscriber';
import { adminOf, createOverHttp, waitForState } from '../broadcasts/broadcast-harness';
import { eventually, useLiveChatWorld } from '../livechat/livechat-world';

/** A live-chat reply and a broadcast message are the same kind of thing to Meta: its rules apply to both alike. */
describe('live chat and broadcasts apply the same receipt and 551 rules', () => {
  const world = useLiveChatWorld();

  const sim = () => world.simulator.control;
  const settle = async () => {
    await sim().waitForWebhookIdle();
    await world.app.server().webhooks.processor.idle();
  };

  /** The person writes, so they are a subscriber with an open window; answers their conversation and PSID. */
  async function writes(personId: string) {
    const { psid } = await sim().sendText(personId, '2001', 'hello');
    const conversation = await eventually(() => ConversationModel.findOne({ psid }).lean());
    return { psid, conversation };
  }

  const reply = (conversationId: unknown, text: string) =>
    world.alice.agent
      .post(`/api/conversations/${String(conversationId)}/messages`)
      .set(world.alice.csrf)
      .send({ type: 'text', text });

  /** A broadcast to the one subscriber tagged `tag`, sent over HTTP and waited for until it completes. */
  async function broadcastTo(subscriberId: unknown, tag: string) {
    await world.alice.agent
      .put(`/api/subscribers/${String(subscriberId)}/tags`)
      .set(world.alice.csrf)
      .send({ tags: [tag] })
      .expect(200);
    const id = await createOverHttp(
      world.alice,
      { pageIds: { '2001': world.shoesPageId } },
      { audience: { tags: [tag] }, content: { type: 'text', text: `Sale for ${tag}!` } },
    );
    await world.alice.agent.post(`/api/broadcasts/${id}/send`).set(world.alice.csrf).expect(200);
    const workspaceId = (await world.alice.agent.get('/api/me').expect(200)).body.workspace.id as string;
    const service = () => world.app.server().broadcasts.service;
    await waitForState({ member: adminOf(workspaceId), service }, id, ['completed']);
    return id;
  }

  it('one watermark moves a live-chat reply and a broadcast message alike: read implies delivered, never back', async () => {
    const { conversation } = await writes('p3');
    expect((await reply(conversation._id, 'Your shoes are ready.')).status).toBe(201);
    const broadcastId = await broadcastTo(conversation.subscriber, 'receipts');
    await settle();
    const states = async () => {
      const [message, recipient] = await Promise.all([
        MessageModel.findOne({ conversation: conversation._id, text: 'Your shoes are ready.' }).lean(),
        BroadcastRecipientModel.findOne({ broadcast: broadcastId }).lean(),
      ]);
      return { message: message?.status, recipient: recipient?.status, recipientTimes: recipient };
    };
    expect(await states()).toMatchObject({ message: 'sent', recipient: 'sent' });

    // Before either was sent: nothing moves.
    await sim().deliver('p3', '2001', { watermark: Date.now() - 3_600_000 });
    await settle();
    expect(await states()).toMatchObject({ message: 'sent', recipient: 'sent' });

    const readAt = Date.now() + 1_000;
    await sim().read('p3', '2001', readAt);
    await settle();
    const read = await states();
    expect(read).toMatchObject({ message: 'read', recipient: 'read' });
    expect(read.recipientTimes).toMatchObject({ deliveredAt: new Date(readAt), readAt: new Date(readAt) });

    // A delivery receipt that arrives after the read moves neither back.
    await sim().deliver('p3', '2001', { watermark: readAt + 1_000 });
    await settle();
    expect(await states()).toMatchObject({ message: 'read', recipient: 'read' });
  }, 40_000);

  it('551 from a live-chat reply and from a broadcast leave the subscriber in the same state', async () => {
    const inLiveChat = await writes('p1');
    const inBroadcast = await writes('p2');
    await sim().blockPage('p1', '2001');
    await sim().blockPage('p2', '2001');

    const refused = await reply(inLiveChat.conversation._id, 'Are you still there?');
    expect(refused.body).toMatchObject({ status: 'failed', outcome: 'user_unavailable' });
    const broadcastId = await broadcastTo(inBroadcast.conversation.subscriber, 'blocked');
    expect(await BroadcastRecipientModel.findOne({ broadcast: broadcastId }).lean()).toMatchObject({
      status: 'skipped',
    });

    const stateOf = async (subscriberId: unknown) => {
      const subscriber = await SubscriberModel.findById(subscriberId).lean();
      return {
        status: subscriber?.status,
        cause: subscriber?.unsubscribed?.cause,
        reason: subscriber?.unsubscribed?.reason,
      };
    };
    const afterLiveChat = await stateOf(inLiveChat.conversation.subscriber);
    expect(afterLiveChat).toMatchObject({ status: 'unsubscribed', cause: 'unreachable' });
    expect(await stateOf(inBroadcast.conversation.subscriber)).toEqual(afterLiveChat);
  }, 40_000);
});
