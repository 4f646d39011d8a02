import request from 'supertest';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import {
  broadcastAppConfig,
  broadcastSeed,
  loginAndConnect,
  waitForState,
  type Workspace,
} from './broadcast-harness';

interface Totals {
  sent: number;
  delivered: number;
  read: number;
  clicked: number;
  skipped: number;
}
interface RecipientRow {
  id: string;
  psid: string;
  name: string | null;
  status: string;
  code: string | null;
}

/**
 * What a marketer reads after a broadcast: six people wrote to Alice Shoes; Zoe has since blocked the Page, so Meta
 * answers 551 for her. Of the five it reached, Ada and Ben got it, Ada read it, and Cleo tapped its link.
 */
describe('a broadcast’s results: over time, what failed and why, and each recipient', () => {
  useTestDatabase();
  let sim: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let workspace: Workspace;
  let broadcastId: string;
  const people = ['Ada', 'Ben', 'Cleo', 'Dev', 'Eve', 'Zoe'];
  const psids: Record<string, string> = {};

  const settle = async () => {
    await sim.control.waitForWebhookIdle();
    await app.server().webhooks.processor.idle();
  };

  beforeAll(async () => {
    sim = await startSimulator({
      seed: {
        ...broadcastSeed,
        people: people.map((name) => ({ id: name.toLowerCase(), firstName: name, lastName: 'Results' })),
      },
      rateLimits: { textPerSecond: 1000 },
    });
    app = await startTestApp({ simulator: sim, config: broadcastAppConfig });
    await sim.control.setWebhook({ callbackUrl: `${app.url}/webhooks/facebook`, retryDelaysMs: [50, 100] });
    ({ alice, workspace } = await loginAndConnect(app));
    for (const name of people)
      psids[name] = (await sim.control.sendText(name.toLowerCase(), '2001', 'hi')).psid;
    await settle();
    await sim.control.blockPage('zoe', '2001');
    const created = await alice.agent
      .post('/api/broadcasts')
      .set(alice.csrf)
      .send({
        name: 'Results',
        pages: [workspace.pageIds['2001']],
        content: {
          type: 'buttons',
          text: 'New boots are in.',
          buttons: [{ type: 'web_url', title: 'Shop', url: 'https://shop.example.com/boots' }],
        },
        purpose: 'promotional',
      })
      .expect(201);
    broadcastId = created.body._id;
    await alice.agent.post(`/api/broadcasts/${broadcastId}/send`).set(alice.csrf).expect(200);
    await waitForState(workspace, broadcastId, ['completed']);
    // Watermarks on the app's clock: the simulator's stands still in tests.
    const watermark = app.clock.now().getTime() + 1_000;
    await sim.control.deliver('ada', '2001', { watermark });
    await sim.control.deliver('ben', '2001', { watermark });
    await sim.control.read('ada', '2001', watermark);
    const [toCleo] = await sim.control.sentMessages({ pageId: '2001', psid: psids.Cleo });
    const { payload } = toCleo?.message?.attachment as { payload: { buttons: { url: string }[] } };
    const link = payload.buttons[0]!.url;
    await request(app.url).get(new URL(link).pathname).expect(302);
    await settle();
  }, 60_000);
  afterAll(async () => {
    await app.stop();
    await sim.stop();
  });

  const get = (path: string) => alice.agent.get(`/api/broadcasts/${broadcastId}${path}`).expect(200);

  it('the timeline adds up to the totals: sent, delivered, read and clicked, in buckets from the first send', async () => {
    const totals = (await get('')).body.totals as Totals;
    expect(totals).toMatchObject({ sent: 5, delivered: 3, read: 2, clicked: 1, skipped: 1 });
    const { timeline } = (await get('/results')).body as {
      timeline: { bucketSeconds: number; buckets: ({ at: string } & Totals)[] };
    };
    const sum = (kind: keyof Totals) => timeline.buckets.reduce((total, bucket) => total + bucket[kind], 0);
    expect({
      sent: sum('sent'),
      delivered: sum('delivered'),
      read: sum('read'),
      clicked: sum('clicked'),
    }).toEqual({
      sent: 5,
      delivered: 3,
      read: 2,
      clicked: 1,
    });
    expect(timeline.buckets.length).toBeGreaterThan(0);
    const starts = timeline.buckets.map((bucket) => Date.parse(bucket.at));
    for (const [i, at] of starts.entries()) {
      expect(at % (timeline.bucketSeconds * 1000)).toBe(0);
      if (i > 0) expect(at - starts[i - 1]!).toBe(timeline.bucketSeconds * 1000);
    }
  });

  it('failures are grouped by what happened, with Meta’s code and the reason in plain words', async () => {
    const { failures } = (await get('/results')).body;
    expect(failures).toEqual([
      { status: 'skipped', code: 'user_unavailable (551)', reason: expect.any(String), count: 1 },
    ]);
    expect(failures[0].reason.length).toBeGreaterThan(10);
  });

  it('the recipients, two at a time by cursor: everyone once, with names, outcomes and codes', async () => {
    const seen: RecipientRow[] = [];
    let cursor: string | null = null;
    do {
      const page = await get(`/recipients?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.body.data.length).toBeLessThanOrEqual(2);
      seen.push(...(page.body.data as RecipientRow[]));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen.map((row) => row.psid).sort()).toEqual(Object.values(psids).sort());
    expect(new Set(seen.map((row) => row.id)).size).toBe(people.length);
    const byName = new Map(seen.map((row) => [row.name, row]));
    expect(byName.get('Ada Results')).toMatchObject({ status: 'read', code: null });
    expect(byName.get('Cleo Results')).toMatchObject({ status: 'clicked' });
    expect(byName.get('Zoe Results')).toMatchObject({ status: 'skipped', code: 'user_unavailable (551)' });
  });

  it('the recipients are searched by part of a name or by PSID, and filtered by outcome', async () => {
    const rows = async (query: string) =>
      ((await get(`/recipients?${query}`)).body.data as RecipientRow[]).map((row) => row.name);
    expect(await rows('q=cle')).toEqual(['Cleo Results']);
    expect(await rows(`q=${psids.Ben}`)).toEqual(['Ben Results']);
    expect(await rows('q=results&status=skipped')).toEqual(['Zoe Results']);
    expect(await rows('q=nobody')).toEqual([]);
    expect(await rows('q=.*')).toEqual([]);
  });

  it('the list shows each broadcast with its totals and a sparkline of what it had sent over its run', async () => {
    const list = await alice.agent.get('/api/broadcasts').expect(200);
    const row = (list.body.data as { _id: string; totals: Totals; sparkline: number[] }[]).find(
      (broadcast) => broadcast._id === broadcastId,
    );
    expect(row?.totals).toMatchObject({ sent: 5, delivered: 3, read: 2, clicked: 1 });
    // Sent so far, from the start to the end of the run: 0, never falling, 5.
    const line = row?.sparkline ?? [];
    expect([line[0], line.at(-1)]).toEqual([0, 5]);
    expect(line.every((sent, i) => i === 0 || sent >= line[i - 1]!)).toBe(true);
    expect(row).not.toHaveProperty('content');
  });

  it('the list pages newest first by cursor', async () => {
    const post = (name: string) =>
      alice.agent
        .post('/api/broadcasts')
        .set(alice.csrf)
        .send({
          name,
          pages: [workspace.pageIds['2001']],
          content: { type: 'text', text: name },
          purpose: 'promotional',
        })
        .expect(201);
    await post('Second');
    await post('Third');
    const first = await alice.agent.get('/api/broadcasts?limit=2').expect(200);
    expect(first.body.data.map((b: { name: string }) => b.name)).toEqual(['Third', 'Second']);
    const rest = await alice.agent.get(`/api/broadcasts?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(rest.body.data.map((b: { name: string }) => b.name)).toEqual(['Results']);
    expect(rest.body.nextCursor).toBeNull();
  });
});
