import request from 'supertest';
import { ConversationModel } from '../../../models/conversation';
import { startTestApp } from '../../support/app-harness';
import { eventually, useLiveChatWorld } from '../livechat/livechat-world';

const metricsToken = 'metrics-token-for-the-tests';

/** The value of one sample line (`name{labels} value`) in a scrape, 0 when absent. */
function sample(scrape: string, name: string, labels: Record<string, string> = {}): number {
  const wanted = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const line = scrape
    .split('\n')
    .find(
      (candidate) =>
        (candidate.startsWith(`${name}{`) || candidate.startsWith(`${name} `)) &&
        wanted.every((pair) => candidate.includes(pair)),
    );
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
}

describe('GET /metrics', () => {
  const world = useLiveChatWorld({ config: { METRICS_TOKEN: metricsToken } });

  const scrape = async () => {
    const answer = await request(world.app.url)
      .get('/metrics')
      .set('Authorization', `Bearer ${metricsToken}`);
    expect(answer.status).toBe(200);
    expect(answer.type).toBe('text/plain');
    return answer.text;
  };

  it('answers 401 without the token or with another one', async () => {
    const none = await request(world.app.url).get('/metrics');
    expect(none.status).toBe(401);
    expect(none.type).toBe('application/problem+json');
    const wrong = await request(world.app.url)
      .get('/metrics')
      .set('Authorization', 'Bearer not-the-token-at-all');
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('pagewire_');
  });

  it('a webhook moves the ack histogram and the processed events; a reply moves the Graph calls', async () => {
    const before = await scrape();
    await world.simulator.control.sendText('p1', '2001', 'count me');
    await world.simulator.control.waitForWebhookIdle();
    await world.app.server().webhooks.processor.idle();
    const psid = await world.simulator.control.psidFor('p1', '2001');
    const conversation = await eventually(() => ConversationModel.findOne({ psid }).lean());
    const reply = await world.alice.agent
      .post(`/api/conversations/${String(conversation._id)}/messages`)
      .set(world.alice.csrf)
      .send({ type: 'text', text: 'Counted.' });
    expect(reply.status).toBe(201);
    const after = await scrape();

    const acks = (text: string) => sample(text, 'pagewire_webhook_ack_seconds_count', { status: '200' });
    expect(acks(after)).toBeGreaterThan(acks(before));
    const processed = (text: string) =>
      sample(text, 'pagewire_webhook_events_processed_total', { kind: 'message' });
    expect(processed(after)).toBeGreaterThan(processed(before));
    const graphOk = (text: string) => sample(text, 'pagewire_graph_calls_total', { outcome: 'ok' });
    expect(graphOk(after)).toBeGreaterThan(graphOk(before));
    expect(after).toContain('pagewire_send_rate_per_second{fb_page_id="2001"}');
    expect(after).toMatch(/^pagewire_send_queue_depth\{fb_page_id="2001",priority="live"\} \d+$/m);
    expect(after).toMatch(/^nodejs_eventloop_lag_p99_seconds \d/m);
    expect(after).toMatch(/^process_resident_memory_bytes \d+$/m);
  });

  it('counts a dashboard socket while it is connected', async () => {
    const before = sample(await scrape(), 'pagewire_socket_connections');
    const socket = await world.app.socketFor(world.alice);
    expect(sample(await scrape(), 'pagewire_socket_connections')).toBe(before + 1);
    socket.disconnect();
    await eventually(async () => sample(await scrape(), 'pagewire_socket_connections') === before);
  });

  it('does not exist without METRICS_TOKEN: 404 even with a token', async () => {
    const app = await startTestApp({ simulator: world.simulator });
    try {
      const answer = await request(app.url).get('/metrics').set('Authorization', `Bearer ${metricsToken}`);
      expect(answer.status).toBe(404);
      expect(answer.type).toBe('application/problem+json');
    } finally {
      await app.stop();
    }
  });
});
