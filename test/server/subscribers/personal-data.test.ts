import { ConversationModel } from '../../../models/conversation';
import { MessageModel } from '../../../models/message';
import { SubscriberModel } from '../../../models/subscriber';
import { SuppressionModel } from '../../../models/suppression';
import { useLiveChatWorld } from '../livechat/livechat-world';

describe("a person's data: exported whole, erased with only a suppression kept", () => {
  const world = useLiveChatWorld();

  const settled = async () => {
    await world.simulator.control.waitForWebhookIdle();
    await world.app.server().webhooks.processor.idle();
  };
  const subscriberOf = async (personId: string) => {
    const psid = await world.simulator.control.psidFor(personId, '2001');
    return SubscriberModel.findOne({ psid }).lean();
  };

  it('exports their record, messages and consent history; erases them; they come back opted out if they write again', async () => {
    const { alice, simulator } = world;
    await simulator.control.sendText('p5', '2001', 'my address is 12 Rue Haute');
    await simulator.control.sendText('p5', '2001', 'stop');
    await settled();
    const subscriber = await subscriberOf('p5');
    const id = String(subscriber?._id);

    const exported = await alice.agent.get(`/api/subscribers/${id}/export`).expect(200);
    expect(exported.headers['content-disposition']).toMatch(
      /attachment; filename="?subscriber-[0-9a-f]{24}\.json/,
    );
    expect(exported.body.subscriber).toMatchObject({ id, psid: subscriber?.psid, status: 'unsubscribed' });
    expect(exported.body.messages.map((message: { text?: string }) => message.text)).toEqual(
      expect.arrayContaining(['my address is 12 Rue Haute', 'stop']),
    );
    expect(exported.body.consentHistory.map((entry: { action: string }) => entry.action)).toEqual([
      'subscriber.opted_in',
      'subscriber.opted_out',
    ]);

    await alice.agent.delete(`/api/subscribers/${id}`).set(alice.csrf).expect(204);
    expect((await alice.agent.get(`/api/subscribers/${id}`)).status).toBe(404);
    expect(await MessageModel.countDocuments({ subscriber: subscriber?._id })).toBe(0);
    expect(await ConversationModel.countDocuments({ subscriber: subscriber?._id })).toBe(0);
    expect(await SuppressionModel.countDocuments({ page: subscriber?.page })).toBe(1);
    const audit = await alice.agent.get('/api/audit').query({ objectId: id });
    expect(audit.body.data[0]).toMatchObject({ action: 'subscriber.erased' });
    const inbox = await alice.agent.get('/api/conversations');
    expect(JSON.stringify(inbox.body)).not.toContain('Rue Haute');

    // Writing again, they are a person again, but opted out: no automated message until they opt in themselves.
    await simulator.control.sendText('p5', '2001', 'hello again');
    await settled();
    expect(await subscriberOf('p5')).toMatchObject({
      status: 'unsubscribed',
      unsubscribed: { cause: 'erased' },
    });
    await simulator.control.sendText('p5', '2001', 'start');
    await settled();
    expect(await subscriberOf('p5')).toMatchObject({ status: 'subscribed' });
  });

  it('is for admins of the Page only', async () => {
    const { alice, simulator, app } = world;
    await simulator.control.sendText('p6', '2001', 'hi');
    await settled();
    const id = String((await subscriberOf('p6'))?._id);
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
    const carol = await app.login('1003', { invitationUrl: invitation.body.url });
    expect((await carol.agent.get(`/api/subscribers/${id}/export`)).status).toBe(403);
    expect((await carol.agent.delete(`/api/subscribers/${id}`).set(carol.csrf)).status).toBe(403);
    const bob = await app.login('1002');
    expect((await bob.agent.get(`/api/subscribers/${id}/export`)).status).toBe(404);
    expect(await SubscriberModel.countDocuments({ _id: id })).toBe(1);
  });
});
