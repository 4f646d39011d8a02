import { createHmac } from 'node:crypto';
import mongoose from 'mongoose';
import { AuditLogModel } from '../../../models/audit-log';
import { eventually, nextEvent, useLiveChatWorld } from '../livechat/livechat-world';
import { startWebhookReceiver, type ReceivedRequest, type WebhookReceiver } from './webhook-receiver';

/** How a receiver checks a delivery, as the README tells them. */
function verifies(request: ReceivedRequest, secret: string): boolean {
  const header = String(request.headers['pagewire-signature'] ?? '');
  const parts = Object.fromEntries(header.split(',').map((part) => part.split('=') as [string, string]));
  const expected = createHmac('sha256', secret).update(`${parts.t}.${request.body}`).digest('hex');
  return parts.v1 === expected && Math.abs(Date.now() / 1000 - Number(parts.t)) < 300;
}

const body = (request: ReceivedRequest) =>
  JSON.parse(request.body) as {
    id: string;
    type: string;
    createdAt: string;
    workspaceId: string;
    data: {
      message?: { text?: string; sender?: string };
      broadcastId?: string;
      totals?: { recipients: number; sent: number; skipped: number; failed: number; unknown: number };
    };
  };

describe('outgoing webhooks', () => {
  const world = useLiveChatWorld({
    config: {
      OUTGOING_WEBHOOKS_ALLOW_PRIVATE: 'true',
      OUTGOING_WEBHOOKS_RETRY_BASE_SECONDS: '0.05',
      OUTGOING_WEBHOOKS_MAX_ATTEMPTS: '3',
    },
  });
  const receivers: WebhookReceiver[] = [];
  afterAll(() => Promise.all(receivers.map((receiver) => receiver.stop())));
  const receiver = async (...args: Parameters<typeof startWebhookReceiver>) => {
    const started = await startWebhookReceiver(...args);
    receivers.push(started);
    return started;
  };
  const post = (path: string, payload: object) =>
    world.alice.agent.post(path).set(world.alice.csrf).send(payload);
  async function subscribe(url: string, events: string[]) {
    const created = await post('/api/webhook-endpoints', { url, events }).expect(201);
    return created.body as { endpoint: { id: string }; secret: string };
  }
  const deliveriesOf = async (endpointId: string) =>
    (await world.alice.agent.get(`/api/webhook-endpoints/${endpointId}/deliveries`).expect(200)).body
      .data as { id: string; status: string; eventId: string; attempts: { statusCode: number | null }[] }[];

  it('a person writes: message.received arrives signed with the secret and the timestamp', async () => {
    const hook = await receiver();
    const { endpoint, secret } = await subscribe(hook.url, ['message.received']);
    expect(secret).toMatch(/^whsec_/);
    const listed = await world.alice.agent.get('/api/webhook-endpoints').expect(200);
    expect(JSON.stringify(listed.body)).not.toContain(secret);

    await world.simulator.control.sendText('p1', '2001', 'signed hello');
    const [request] = await eventually(
      async () => hook.ofType('message.received').length > 0 && hook.received,
    );
    const event = body(request!);
    expect(event).toMatchObject({ type: 'message.received', data: { message: { text: 'signed hello' } } });
    expect(request!.headers['pagewire-event-id']).toBe(event.id);
    expect(verifies(request!, secret)).toBe(true);
    expect(verifies(request!, `${secret}x`)).toBe(false);
    expect(verifies({ ...request!, body: request!.body.replace('signed', 'forged') }, secret)).toBe(false);

    // A rotated secret signs the next delivery; the old one no longer verifies.
    const rotated = await post(`/api/webhook-endpoints/${endpoint.id}/rotate-secret`, {}).expect(200);
    await world.simulator.control.sendText('p1', '2001', 'after rotation');
    const next = await eventually(async () =>
      hook.received.find((r) => body(r).data.message?.text === 'after rotation'),
    );
    expect(verifies(next, rotated.body.secret)).toBe(true);
    expect(verifies(next, secret)).toBe(false);
    await world.alice.agent.delete(`/api/webhook-endpoints/${endpoint.id}`).set(world.alice.csrf).expect(204);
  });

  it('a 500 then a 200: retried, and delivered exactly once by its id', async () => {
    const hook = await receiver((n) => ({ status: n === 0 ? 500 : 200 }));
    const { endpoint } = await subscribe(hook.url, ['message.received']);
    await world.simulator.control.sendText('p2', '2001', 'retry me');
    const [delivery] = await eventually(async () => {
      const found = await deliveriesOf(endpoint.id);
      return found[0]?.status === 'delivered' && found;
    }, 15_000);
    expect(delivery!.attempts.map((attempt) => attempt.statusCode)).toEqual([500, 200]);
    expect(hook.received.map((r) => r.headers['pagewire-event-id'])).toEqual([
      delivery!.eventId,
      delivery!.eventId,
    ]);
    expect(hook.received.filter((r) => r.status === 200)).toHaveLength(1);
    // Each attempt's Agenda job goes once it ends: the delivery is the record.
    const jobs = mongoose.connection.db!.collection('agendaJobs');
    await eventually(async () => (await jobs.countDocuments({ 'data.deliveryId': delivery!.id })) === 0);

    // A replay sends the same event again, under the same id, so the receiver can tell it has it.
    await post(`/api/webhook-deliveries/${delivery!.id}/replay`, {}).expect(200);
    await eventually(async () => hook.received.length === 3);
    expect(hook.received[2]!.headers['pagewire-event-id']).toBe(delivery!.eventId);
    await world.alice.agent.delete(`/api/webhook-endpoints/${endpoint.id}`).set(world.alice.csrf).expect(204);
  });

  it('a redirect to a private address is refused, not followed', async () => {
    const inside = await receiver();
    const hook = await receiver(() => ({ status: 307, headers: { location: 'http://127.0.0.1:1/' } }));
    const outside = await receiver(() => ({ status: 302, headers: { location: inside.url } }));
    const { endpoint } = await subscribe(outside.url, ['message.received']);
    await world.simulator.control.sendText('p3', '2001', 'redirect me');
    const [delivery] = await eventually(async () => {
      const found = await deliveriesOf(endpoint.id);
      return found[0]?.status === 'failed' && found;
    }, 15_000);
    expect(delivery!.attempts).toHaveLength(3);
    expect(JSON.stringify(delivery!.attempts)).toContain('Redirects are not followed');
    expect(inside.received).toHaveLength(0);
    expect(hook.received).toHaveLength(0);
    await world.alice.agent.delete(`/api/webhook-endpoints/${endpoint.id}`).set(world.alice.csrf).expect(204);
  });

  it("another workspace's events never reach this endpoint", async () => {
    const alices = await receiver();
    const bobs = await receiver();
    const { endpoint } = await subscribe(alices.url, ['message.received']);
    const bob = await world.app.login('1002');
    await bob.agent
      .post('/api/pages')
      .set(bob.csrf)
      .send({ fbPageIds: ['3001'] })
      .expect(201);
    await bob.agent
      .post('/api/webhook-endpoints')
      .set(bob.csrf)
      .send({ url: bobs.url, events: ['message.received'] })
      .expect(201);
    await world.simulator.control.sendText('p4', '3001', 'for bob only');
    await world.simulator.control.sendText('p4', '2001', 'for alice');
    await eventually(async () => bobs.received.length > 0 && alices.received.length > 0);
    await world.simulator.control.waitForWebhookIdle();
    await world.app.server().webhooks.processor.idle();
    expect(bobs.received.map((r) => body(r).data.message?.text)).toEqual(['for bob only']);
    expect(alices.received.map((r) => body(r).data.message?.text)).toEqual(['for alice']);
    // Nor can Bob see or change Alice's endpoint.
    await bob.agent.get(`/api/webhook-endpoints/${endpoint.id}/deliveries`).expect(404);
    await bob.agent.post(`/api/webhook-endpoints/${endpoint.id}/rotate-secret`).set(bob.csrf).expect(404);
    await world.alice.agent.delete(`/api/webhook-endpoints/${endpoint.id}`).set(world.alice.csrf).expect(204);
  });

  it('the events one may subscribe to come with what each means', async () => {
    const listed = await world.alice.agent.get('/api/webhook-endpoints').expect(200);
    const meaning = new Map(
      (listed.body.eventTypes as { type: string; description: string }[]).map((e) => [e.type, e.description]),
    );
    expect([...meaning.keys()]).toContain('capture.replied');
    expect(meaning.get('message.sent')).toContain('Broadcasts do not fire it');
    expect(meaning.get('broadcast.completed')).toContain('once per broadcast');
  });

  it('a broadcast fires one broadcast.completed with its totals, and no message.sent per recipient', async () => {
    const hook = await receiver();
    const { endpoint } = await subscribe(hook.url, ['broadcast.completed', 'message.sent']);
    await world.simulator.control.sendText('p5', '2001', 'any deals?');
    const draft = await post('/api/broadcasts', {
      name: 'Webhook sale',
      pages: [world.shoesPageId],
      content: { type: 'text', text: 'Half price today' },
      audience: {},
      purpose: 'promotional',
    }).expect(201);
    const id = draft.body._id as string;
    await post(`/api/broadcasts/${id}/send`, {}).expect(200);
    const [request] = await eventually(async () => {
      const found = hook.ofType('broadcast.completed');
      return found.length > 0 && found;
    }, 20_000);
    const { data } = body(request!);
    expect(data).toMatchObject({ broadcastId: id, name: 'Webhook sale' });
    // Everyone who wrote to the Page in this file's tests is in the audience.
    expect(data.totals!.sent).toBeGreaterThanOrEqual(2);
    expect(data.totals!.sent + data.totals!.skipped + data.totals!.failed + data.totals!.unknown).toBe(
      data.totals!.recipients,
    );
    expect((await deliveriesOf(endpoint.id)).map((delivery) => delivery.eventId)).toEqual([
      body(request!).id,
    ]);
    expect(hook.ofType('message.sent')).toEqual([]);
    expect(hook.ofType('broadcast.completed')).toHaveLength(1);
    await world.alice.agent.delete(`/api/webhook-endpoints/${endpoint.id}`).set(world.alice.csrf).expect(204);
  });

  it("an agent's reply, assignment and resolving, and a person's STOP and START fire their events", async () => {
    const hook = await receiver();
    const events = [
      'message.sent',
      'conversation.assigned',
      'conversation.resolved',
      'subscriber.opted_out',
      'subscriber.opted_in',
    ];
    const { endpoint } = await subscribe(hook.url, events);
    await world.simulator.control.sendText('p7', '2001', 'can someone help?');
    const conversation = await eventually(async () => {
      const res = await world.alice.agent.get(`/api/conversations?pageId=${world.shoesPageId}`);
      return (res.body.data as { id: string; psid: string; subscriberName: string }[]).find((c) =>
        c.subscriberName.startsWith('Polly'),
      );
    });
    const me = (await world.alice.agent.get('/api/me')).body as { user: { id: string } };
    await post(`/api/conversations/${conversation.id}/messages`, {
      type: 'text',
      text: 'Happy to help',
    }).expect(201);
    await post(`/api/conversations/${conversation.id}/assign`, { assigneeId: me.user.id }).expect(200);
    await post(`/api/conversations/${conversation.id}/resolve`, {}).expect(200);
    await world.simulator.control.sendText('p7', '2001', 'STOP');
    await world.simulator.control.sendText('p7', '2001', 'START');
    await eventually(async () => events.every((type) => hook.ofType(type).length > 0), 10_000);
    // Deliveries run side by side, so they may arrive in any order; the opt-out's confirmation is sent too.
    const reply = hook.ofType('message.sent').find((r) => body(r).data.message?.text === 'Happy to help');
    expect(body(reply!).data.message?.sender).toBe('agent');
    expect(body(hook.ofType('conversation.assigned')[0]!).data).toMatchObject({ assigneeId: me.user.id });
    expect(body(hook.ofType('subscriber.opted_out')[0]!).data).toMatchObject({ psid: conversation.psid });
    await world.alice.agent.delete(`/api/webhook-endpoints/${endpoint.id}`).set(world.alice.csrf).expect(204);
  });

  it('bad input is a 400 problem, and the events must be known ones', async () => {
    const bad = await post('/api/webhook-endpoints', {
      url: 'ftp://example.test/x',
      events: ['message.received'],
    });
    expect(bad.status).toBe(400);
    expect(bad.type).toBe('application/problem+json');
    await post('/api/webhook-endpoints', { url: 'http://127.0.0.1/x', events: ['message.eaten'] }).expect(
      400,
    );
    await post('/api/webhook-endpoints', { url: 'http://127.0.0.1/x', events: [] }).expect(400);
  });

  // Last: it moves the app's clock a day on.
  it('an endpoint that fails for a day straight is disabled, audited, and its admins told', async () => {
    const hook = await receiver(() => ({ status: 503 }));
    const { endpoint } = await subscribe(hook.url, ['message.received']);
    const socket = await world.app.socketFor(world.alice);
    await world.simulator.control.sendText('p6', '2001', 'first failure');
    await eventually(async () => {
      const listed = (await world.alice.agent.get('/api/webhook-endpoints')).body.data as {
        id: string;
        failingSince: string | null;
      }[];
      return listed.find((e) => e.id === endpoint.id)?.failingSince;
    }, 10_000);
    world.app.clock.advance(25 * 3_600_000);
    const told = nextEvent(socket, 'webhook-endpoint:disabled', (e) => e.endpointId === endpoint.id, 15_000);
    await world.simulator.control.sendText('p6', '2001', 'a day later');
    expect(await told).toMatchObject({ url: hook.url });
    const listed = (await world.alice.agent.get('/api/webhook-endpoints')).body.data as {
      id: string;
      active: boolean;
    }[];
    expect(listed.find((e) => e.id === endpoint.id)?.active).toBe(false);
    const audit = await eventually(() =>
      AuditLogModel.findOne({ action: 'outgoing_webhook.disabled', 'object.id': endpoint.id }).lean(),
    );
    expect(audit.actor?.kind).toBe('system');
    socket.disconnect();
  });
});
