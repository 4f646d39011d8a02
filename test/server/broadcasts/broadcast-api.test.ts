import { DateTime } from 'luxon';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import {
  addSubscriber,
  broadcastAppConfig,
  broadcastSeed,
  createOverHttp,
  loginAndConnect,
  waitForState,
  type Workspace,
} from './broadcast-harness';

const audienceSize = 40;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('broadcasts through REST: edit, schedule, send, pause, resume, cancel', () => {
  useTestDatabase();
  let sim: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let workspace: Workspace;

  beforeAll(async () => {
    sim = await startSimulator({ seed: broadcastSeed, rateLimits: { textPerSecond: 1000 } });
    app = await startTestApp({
      simulator: sim,
      config: { ...broadcastAppConfig, PAGE_SEND_RATE_PER_SECOND: '20' },
    });
    ({ alice, workspace } = await loginAndConnect(app));
    for (let i = 0; i < audienceSize; i++)
      await addSubscriber(sim, workspace, { id: `r${i}`, tags: i < 3 ? ['few'] : [] });
  }, 60_000);
  afterAll(async () => {
    await app.stop();
    await sim.stop();
  });

  const textsSent = async (text: string) =>
    (await sim.control.sentMessages({ pageId: '2001' })).filter((m) => m.message?.text === text);
  const post = (path: string, body: object = {}) => alice.agent.post(path).set(alice.csrf).send(body);
  /** A local time `seconds` from the product's now, in Tokyo. */
  const inTokyo = (seconds: number) => {
    const at = DateTime.fromJSDate(app.clock.now()).setZone('Asia/Tokyo').plus({ seconds });
    return { at, body: { localTime: at.toFormat("yyyy-MM-dd'T'HH:mm:ss"), timeZone: 'Asia/Tokyo' } };
  };
  const draft = (text: string) => ({
    name: 'Edited',
    pages: [workspace.pageIds['2001']],
    content: { type: 'text', text },
    audience: { tags: ['few'] },
    purpose: 'promotional',
  });

  it('a draft is edited through PUT, and the edited content is what goes out', async () => {
    const id = await createOverHttp(alice, workspace, draft('before the edit'));
    const edited = await alice.agent
      .put(`/api/broadcasts/${id}`)
      .set(alice.csrf)
      .send(draft('after the edit'))
      .expect(200);
    expect(edited.body).toMatchObject({ state: 'draft', content: { text: 'after the edit' } });
    await alice.agent.put(`/api/broadcasts/${id}`).set(alice.csrf).send(draft('after the edit')).expect(200);
    expect((await post(`/api/broadcasts/${id}/send`)).body.state).toBe('sending');
    await waitForState(workspace, id, ['completed']);
    expect(await textsSent('after the edit')).toHaveLength(3);
    expect(await textsSent('before the edit')).toHaveLength(0);
  });

  it('a scheduled broadcast edited back to draft and scheduled again does not start at the old time', async () => {
    const id = await createOverHttp(alice, workspace, draft('edit while scheduled'));
    const old = inTokyo(2);
    await post(`/api/broadcasts/${id}/schedule`, old.body).expect(200);
    const back = await alice.agent
      .put(`/api/broadcasts/${id}`)
      .set(alice.csrf)
      .send(draft('edit while scheduled'))
      .expect(200);
    expect(back.body.state).toBe('draft');
    const later = inTokyo(6);
    await post(`/api/broadcasts/${id}/schedule`, later.body).expect(200);
    await sleep(4_000);
    expect((await alice.agent.get(`/api/broadcasts/${id}`).expect(200)).body.state).toBe('scheduled');
    expect(await textsSent('edit while scheduled')).toHaveLength(0);
    const done = await waitForState(workspace, id, ['completed'], 15_000);
    expect(done.startedAt?.getTime()).toBeGreaterThanOrEqual(later.at.toMillis() - 1_000);
    expect(await textsSent('edit while scheduled')).toHaveLength(3);
  }, 30_000);

  it('a re-scheduled broadcast starts at the new time only', async () => {
    const id = await createOverHttp(alice, workspace, draft('moved'));
    await post(`/api/broadcasts/${id}/schedule`, inTokyo(2).body).expect(200);
    const later = inTokyo(6);
    const moved = await post(`/api/broadcasts/${id}/schedule`, later.body).expect(200);
    expect(moved.body.schedule).toMatchObject({ kind: 'at', localTime: later.body.localTime });
    await sleep(4_000);
    expect((await alice.agent.get(`/api/broadcasts/${id}`).expect(200)).body.state).toBe('scheduled');
    expect(await textsSent('moved')).toHaveLength(0);
    const done = await waitForState(workspace, id, ['completed'], 15_000);
    expect(done.startedAt?.getTime()).toBeGreaterThanOrEqual(later.at.toMillis() - 1_000);
    expect(await textsSent('moved')).toHaveLength(3);
  }, 30_000);

  it('POST send, pause and resume hold and finish a broadcast, each person getting one message; the pause reason goes with the pause', async () => {
    const id = await createOverHttp(alice, workspace, { content: { type: 'text', text: 'rest pause' } });
    expect((await post(`/api/broadcasts/${id}/send`).expect(200)).body.state).toBe('sending');
    while ((await textsSent('rest pause')).length < 5) await sleep(50);
    expect((await post(`/api/broadcasts/${id}/pause`).expect(200)).body.state).toBe('paused');
    await sleep(800);
    const whilePaused = (await textsSent('rest pause')).length;
    await sleep(800);
    expect(await textsSent('rest pause')).toHaveLength(whilePaused);
    expect(whilePaused).toBeLessThan(audienceSize);
    const paused = (await alice.agent.get(`/api/broadcasts/${id}`).expect(200)).body;
    expect(paused.totals.sent).toBe(whilePaused);
    expect(paused.stateReason).toBe('Paused from the dashboard.');
    const resumed = (await post(`/api/broadcasts/${id}/resume`).expect(200)).body;
    expect(resumed.state).toBe('sending');
    expect(resumed.stateReason).toBeUndefined();
    expect((await alice.agent.get(`/api/broadcasts/${id}`).expect(200)).body.stateReason).toBeUndefined();
    await waitForState(workspace, id, ['completed']);
    const messages = await textsSent('rest pause');
    expect(messages).toHaveLength(audienceSize);
    expect(new Set(messages.map((m) => m.psid)).size).toBe(audienceSize);
    const finished = (await alice.agent.get(`/api/broadcasts/${id}`).expect(200)).body;
    expect(finished).toMatchObject({ state: 'completed', totals: { sent: audienceSize, pending: 0 } });
    expect(finished.stateReason).toBeUndefined();
  }, 30_000);

  it('POST cancel stops a broadcast for good; resuming it is a conflict', async () => {
    const id = await createOverHttp(alice, workspace, { content: { type: 'text', text: 'rest cancel' } });
    await post(`/api/broadcasts/${id}/send`).expect(200);
    while ((await textsSent('rest cancel')).length < 5) await sleep(50);
    expect((await post(`/api/broadcasts/${id}/cancel`).expect(200)).body.state).toBe('cancelled');
    await sleep(800);
    const afterCancel = (await textsSent('rest cancel')).length;
    await sleep(800);
    expect(await textsSent('rest cancel')).toHaveLength(afterCancel);
    expect(afterCancel).toBeLessThan(audienceSize);
    expect((await post(`/api/broadcasts/${id}/resume`)).status).toBe(409);
    expect((await alice.agent.put(`/api/broadcasts/${id}`).set(alice.csrf).send(draft('x'))).status).toBe(
      409,
    );
  }, 20_000);
});
