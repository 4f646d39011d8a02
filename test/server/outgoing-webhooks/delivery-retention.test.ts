import mongoose, { Types } from 'mongoose';
import { OutgoingWebhookDeliveryModel } from '../../../models/outgoing-webhook-delivery';
import {
  expireDeliveriesJobName,
  settledBefore,
} from '../../../server/outgoing-webhooks/expire-deliveries-job';
import { eventually, useLiveChatWorld } from '../livechat/livechat-world';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver';

const day = 86_400_000;

interface Delivery {
  id: string;
  eventId: string;
  status: string;
  body: string;
}

describe('the outgoing webhook delivery log keeps OUTGOING_WEBHOOKS_LOG_RETENTION_DAYS (default 30)', () => {
  const world = useLiveChatWorld({
    config: { OUTGOING_WEBHOOKS_ALLOW_PRIVATE: 'true', OUTGOING_WEBHOOKS_MAX_ATTEMPTS: '1' },
  });
  const receivers: WebhookReceiver[] = [];
  afterAll(() => Promise.all(receivers.map((receiver) => receiver.stop())));

  const subscribe = async (answer: number) => {
    const hook = await startWebhookReceiver(() => ({ status: answer }));
    receivers.push(hook);
    const created = await world.alice.agent
      .post('/api/webhook-endpoints')
      .set(world.alice.csrf)
      .send({ url: hook.url, events: ['message.received'] })
      .expect(201);
    return created.body.endpoint.id as string;
  };
  const logOf = async (endpointId: string) =>
    (await world.alice.agent.get(`/api/webhook-endpoints/${endpointId}/deliveries`).expect(200)).body
      .data as Delivery[];
  const textOf = (delivery: Delivery) =>
    (JSON.parse(delivery.body) as { data: { message: { text: string } } }).data.message.text;
  const settledLog = async (endpointId: string, count: number) =>
    eventually(async () => {
      const log = await logOf(endpointId);
      return log.length === count && log.every((d) => d.status !== 'pending') && log;
    }, 15_000);

  it('runs hourly; deliveries settled more than 30 days ago go, newer, replayed and pending ones stay', async () => {
    const schedule = await mongoose.connection
      .db!.collection('agendaJobs')
      .findOne({ name: expireDeliveriesJobName });
    expect(schedule?.repeatInterval).toBe('1 hour');

    const answered = await subscribe(200);
    const refused = await subscribe(500);
    await world.simulator.control.sendText('p1', '2001', 'old');
    await world.simulator.control.sendText('p1', '2001', 'old, replayed');
    await settledLog(answered, 2);
    expect((await settledLog(refused, 2)).map((d) => d.status)).toEqual(['failed', 'failed']);

    world.app.clock.advance(29 * day);
    await world.simulator.control.sendText('p2', '2001', 'recent');
    await settledLog(answered, 3);
    await settledLog(refused, 3);
    const replayed = (await logOf(answered)).find((d) => textOf(d) === 'old, replayed')!;
    await world.alice.agent
      .post(`/api/webhook-deliveries/${replayed.id}/replay`)
      .set(world.alice.csrf)
      .send({})
      .expect(200);
    await settledLog(answered, 3);
    // Waiting for its retry since long ago (a receiver down for weeks): pending is never expired.
    const waiting = await OutgoingWebhookDeliveryModel.create({
      workspace: (await OutgoingWebhookDeliveryModel.findById(replayed.id).lean())!.workspace,
      endpoint: new Types.ObjectId(answered),
      eventId: 'evt_waiting',
      type: 'message.received',
      body: JSON.stringify({ data: { message: { text: 'waiting' } } }),
      status: 'pending',
      runAttempts: 3,
      nextAttemptAt: new Date(Date.now() + day),
      createdAt: new Date(world.app.clock.now().getTime() - 29 * day),
    });

    // Settled by a build that did not stamp settledAt: each goes by when it was created.
    const unstamped = (text: string, ageDays: number) =>
      OutgoingWebhookDeliveryModel.collection.insertOne({
        workspace: waiting.workspace,
        endpoint: new Types.ObjectId(answered),
        eventId: `evt_${text}`,
        type: 'message.received',
        body: JSON.stringify({ data: { message: { text } } }),
        status: 'delivered',
        runAttempts: 1,
        attempts: [],
        nextAttemptAt: null,
        deliveredAt: new Date(world.app.clock.now().getTime() - ageDays * day),
        createdAt: new Date(world.app.clock.now().getTime() - ageDays * day),
      });
    await unstamped('unstamped, old', 29);
    await unstamped('unstamped, recent', 1);

    world.app.clock.advance(2 * day);
    await world.app.server().jobs.agenda.now(expireDeliveriesJobName, {});
    await eventually(async () => !(await logOf(answered)).some((d) => textOf(d) === 'old'), 15_000);

    expect((await logOf(answered)).map(textOf).sort()).toEqual([
      'old, replayed',
      'recent',
      'unstamped, recent',
      'waiting',
    ]);
    expect((await logOf(refused)).map(textOf)).toEqual(['recent']);
    expect(await OutgoingWebhookDeliveryModel.exists({ _id: waiting._id, status: 'pending' })).toBeTruthy();
    const plan = await mongoose.connection.db!.command({
      explain: { find: 'outgoingwebhookdeliveries', filter: settledBefore(new Date()) },
      verbosity: 'queryPlanner',
    });
    expect(JSON.stringify(plan.queryPlanner)).toMatch(/IXSCAN|USING INDEX/);
  });
});
