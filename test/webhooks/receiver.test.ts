import { createHmac } from 'node:crypto';
import mongoose from 'mongoose';
import request from 'supertest';
import { WebhookEvent } from '../../models/webhook-event';
import type { StoredPageEvent } from '../../webhooks/handler-registry';
import { useTestDatabase } from '../support/database';
import { startTestServer, type TestServer } from '../support/server';
import { isWebhookSweepRead } from '../support/webhook-sweep';

const sign = (body: string, secret: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

function messageEntry(pageId: string, psid: string, mid: string, text: string) {
  return {
    id: pageId,
    time: Date.now(),
    messaging: [
      { sender: { id: psid }, recipient: { id: pageId }, timestamp: Date.now(), message: { mid, text } },
    ],
  };
}

/** The echo Meta sends back of a message the Page sent, with the message's own fields (`app_id`, `metadata`). */
function echoEntry(mid: string, message: Record<string, unknown>) {
  return {
    id: 'p1',
    time: Date.now(),
    messaging: [
      {
        sender: { id: 'p1' },
        recipient: { id: 'u1' },
        timestamp: Date.now(),
        message: { mid, is_echo: true, text: 'hi', ...message },
      },
    ],
  };
}

describe('the webhook receiver', () => {
  useTestDatabase();
  let server: TestServer;
  const handled: StoredPageEvent[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    server.webhooks.handlers.on('message', async (event) => void handled.push(event));
  });
  afterAll(() => server.stop());
  beforeEach(async () => {
    handled.length = 0;
    await WebhookEvent.deleteMany({});
  });

  const post = (body: string, signature = sign(body, server.config.FB_APP_SECRET)) =>
    request(server.url)
      .post('/webhooks/facebook')
      .set('content-type', 'application/json')
      .set('x-hub-signature-256', signature)
      .send(body);

  it('answers the verification handshake with the raw challenge, and 403 to a wrong token', async () => {
    const ok = await request(server.url).get('/webhooks/facebook').query({
      'hub.mode': 'subscribe',
      'hub.verify_token': server.config.FB_VERIFY_TOKEN,
      'hub.challenge': '1158201444',
    });
    expect(ok.status).toBe(200);
    expect(ok.text).toBe('1158201444');
    const wrong = await request(server.url)
      .get('/webhooks/facebook')
      .query({ 'hub.mode': 'subscribe', 'hub.verify_token': 'nope', 'hub.challenge': '1' });
    expect(wrong.status).toBe(403);
  });

  it('acknowledges without storing the echo of a send no conversation recorded (a broadcast’s); keeps every other echo', async () => {
    const appId = server.config.FB_APP_ID;
    const body = JSON.stringify({
      object: 'page',
      entry: [
        echoEntry('m_broadcast_echo', { app_id: Number(appId) }),
        echoEntry('m_reply_echo', { app_id: appId, metadata: 'pagewire:reply' }),
        echoEntry('m_inbox_echo', { app_id: '263902037430900' }),
        echoEntry('m_no_app_echo', {}),
      ],
    });
    expect((await post(body)).status).toBe(200);
    const stored = await WebhookEvent.find({}).lean();
    expect(stored.map((event) => event.key).sort()).toEqual([
      'message:m_inbox_echo',
      'message:m_no_app_echo',
      'message:m_reply_echo',
    ]);
  });

  it('acknowledges a webhook of broadcast echoes alone without a single database command', async () => {
    const echoes = ['m_echo_1', 'm_echo_2'].map((mid) =>
      echoEntry(mid, { app_id: Number(server.config.FB_APP_ID) }),
    );
    const body = JSON.stringify({ object: 'page', entry: echoes });
    // The earlier tests' events are marked processed by a write of their own, up to 50 ms later: not this webhook's.
    await server.webhooks.processor.idle();
    const commands: string[] = [];
    mongoose.set('debug', (collection: string, method: string, query: unknown) => {
      if (collection === 'webhookevents' && !isWebhookSweepRead(collection, method, query))
        commands.push(method);
    });
    try {
      expect((await post(body)).status).toBe(200);
    } finally {
      mongoose.set('debug', false);
    }
    expect(commands).toEqual([]);
  });

  it('refuses a forged or missing signature with 401 and stores nothing', async () => {
    const body = JSON.stringify({ object: 'page', entry: [messageEntry('p1', 'u1', 'm_forged', 'hi')] });
    expect((await post(body, sign(body, 'not-the-app-secret'))).status).toBe(401);
    expect(
      (
        await request(server.url)
          .post('/webhooks/facebook')
          .set('content-type', 'application/json')
          .send(body)
      ).status,
    ).toBe(401);
    expect(await WebhookEvent.countDocuments()).toBe(0);
  });

  it('verifies the signature over the exact bytes, escaped non-ASCII included', async () => {
    const body = JSON.stringify({
      object: 'page',
      entry: [messageEntry('p1', 'u1', 'm_umlaut', 'h\u00e4llo')],
    }).replace('ä', '\\u00e4');
    expect((await post(body)).status).toBe(200);
    await server.webhooks.processor.idle();
    expect(handled.map((event) => (event.payload.message as { text: string }).text)).toEqual(['hällo']);
  });

  it('stores the same event delivered three times once, and processes it once', async () => {
    const body = JSON.stringify({ object: 'page', entry: [messageEntry('p1', 'u1', 'm_dup', 'again')] });
    for (let i = 0; i < 3; i++) expect((await post(body)).status).toBe(200);
    await server.webhooks.processor.idle();
    expect(await WebhookEvent.countDocuments({ key: 'message:m_dup' })).toBe(1);
    expect(handled).toHaveLength(1);
  });

  it('handles every entry of a batch', async () => {
    const body = JSON.stringify({
      object: 'page',
      entry: [
        messageEntry('p1', 'u1', 'm_a', 'one'),
        messageEntry('p1', 'u2', 'm_b', 'two'),
        messageEntry('p2', 'u3', 'm_c', 'three'),
      ],
    });
    expect((await post(body)).status).toBe(200);
    await server.webhooks.processor.idle();
    expect(handled.map((event) => event.key).sort()).toEqual(['message:m_a', 'message:m_b', 'message:m_c']);
  });

  it('refuses a signed body that is not a webhook envelope with a clear 400', async () => {
    const res = await post(JSON.stringify({ hello: 'world' }));
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/problem\+json/);
  });
});
