import { createHmac } from 'node:crypto';
import mongoose from 'mongoose';
import request from 'supertest';
import { WebhookEvent, WebhookPayload } from '../../models/webhook-event';
import { forgetProcessedEventsJobName } from '../../webhooks/forget-processed-job';
import { useTestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';

const hour = 3_600_000;

describe('processed webhook events are forgotten after the retention', () => {
  useTestDatabase();
  let server: TestServer;
  const handled: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    server.webhooks.handlers.on('message', async (event) => void handled.push(event.key));
  });
  afterAll(() => server.stop());

  const deliver = (mid: string, text = mid) => {
    const now = server.clock.now().getTime();
    const body = JSON.stringify({
      object: 'page',
      entry: [
        {
          id: 'p1',
          time: now,
          messaging: [
            { sender: { id: 'u1' }, recipient: { id: 'p1' }, timestamp: now, message: { mid, text } },
          ],
        },
      ],
    });
    const signature = createHmac('sha256', server.config.FB_APP_SECRET).update(body).digest('hex');
    return request(server.url)
      .post('/webhooks/facebook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', `sha256=${signature}`)
      .send(body)
      .expect(200);
  };
  const processed = async (mid: string) => {
    for (const until = Date.now() + 5_000; Date.now() < until;) {
      if (await WebhookEvent.exists({ key: `message:${mid}`, status: 'processed' })) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`message ${mid} was not processed`);
  };
  const keys = async () => (await WebhookEvent.find().select({ key: 1 }).lean()).map((e) => e.key).sort();

  it('runs hourly; an event processed 48 hours ago is deleted (its large payload too), a newer one still drops its redelivery', async () => {
    const schedule = await mongoose.connection
      .db!.collection('agendaJobs')
      .findOne({ name: forgetProcessedEventsJobName });
    expect(schedule?.repeatInterval).toBe('1 hour');

    await deliver('m_old', 'x'.repeat(20_000));
    await processed('m_old');
    expect(await WebhookPayload.exists({ _id: 'message:m_old' })).toBeTruthy();
    server.clock.advance(47 * hour);
    await deliver('m_recent');
    await processed('m_recent');
    await WebhookEvent.create({
      key: 'message:m_dead',
      source: 'messaging',
      kind: 'message',
      fbPageId: 'p1',
      conversationKey: 'p1:u2',
      occurredAt: new Date(0),
      sequence: 0,
      payload: {},
      status: 'dead',
      nextAttemptAt: new Date(0),
    });
    server.clock.advance(1 * hour + 1_000);

    await server.jobs.agenda.now(forgetProcessedEventsJobName, {});
    for (const until = Date.now() + 10_000; (await keys()).includes('message:m_old');) {
      if (Date.now() > until) throw new Error('the old event was not forgotten');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await keys()).toEqual(['message:m_dead', 'message:m_recent']);
    expect(await WebhookPayload.exists({ _id: 'message:m_old' })).toBeNull();

    await deliver('m_recent');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(handled).toEqual(['message:m_old', 'message:m_recent']);
  });
});
