import { createHmac, randomBytes } from 'node:crypto';
import mongoose, { Types } from 'mongoose';
import { rotateTokenKeysJobName } from '../../../server/pages/rotate-token-keys-job';
import { eventually, useLiveChatWorld } from '../livechat/livechat-world';
import { startWebhookReceiver, type WebhookReceiver } from '../outgoing-webhooks/webhook-receiver';

describe('rotating TOKEN_ENCRYPTION_KEYS', () => {
  const world = useLiveChatWorld({ config: { OUTGOING_WEBHOOKS_ALLOW_PRIVATE: 'true' } });
  let hook: WebhookReceiver;
  beforeAll(async () => (hook = await startWebhookReceiver()));
  afterAll(() => hook.stop());

  it('after the rotation job, the old key can be removed: the user token, Page token and webhook signing secret still open', async () => {
    const created = await world.alice.agent
      .post('/api/webhook-endpoints')
      .set(world.alice.csrf)
      .send({ url: hook.url, events: ['message.received'] })
      .expect(201);
    const secret = created.body.secret as string;
    const [oldKey] = world.app.config.TOKEN_ENCRYPTION_KEYS;
    const newKey = { id: 'k2', key: randomBytes(32) };

    await world.app.restart({ TOKEN_ENCRYPTION_KEYS: [newKey, oldKey!] });
    const run = await world.app.server().jobs.agenda.now(rotateTokenKeysJobName, {});
    const jobs = mongoose.connection.db!.collection('agendaJobs');
    // A one-time job's document goes once it has succeeded (a failed one stays).
    await eventually(
      async () => (await jobs.countDocuments({ _id: new Types.ObjectId(String(run.attrs._id)) })) === 0,
      15_000,
    );
    await world.app.restart({ TOKEN_ENCRYPTION_KEYS: [newKey] });

    // The user token lists Alice's Pages on Facebook.
    await world.alice.agent.get('/api/pages/available').expect(200);
    // The signing secret signs a delivery, and it is still the one Alice was shown.
    await world.simulator.control.sendText('p1', '2001', 'after the rotation');
    const [delivery] = await eventually(async () => hook.received.length > 0 && hook.received, 15_000);
    const signature = Object.fromEntries(
      String(delivery!.headers['pagewire-signature'])
        .split(',')
        .map((part) => part.split('=') as [string, string]),
    );
    expect(signature.v1).toBe(
      createHmac('sha256', secret).update(`${signature.t}.${delivery!.body}`).digest('hex'),
    );
    // The Page token sends an agent's reply.
    const conversation = await eventually(async () => {
      const listed = await world.alice.agent.get(`/api/conversations?pageId=${world.shoesPageId}`);
      return (listed.body.data as { id: string }[])[0];
    });
    const reply = await world.alice.agent
      .post(`/api/conversations/${conversation.id}/messages`)
      .set(world.alice.csrf)
      .send({ type: 'text', text: 'sent with the new key' })
      .expect(201);
    expect(reply.body.status).toBe('sent');
  });
});
