import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';

/** FEATURE_SPONSORED_MESSAGES on: a paid message built through the simulator's Marketing API, read back, paused. */
describe('sponsored messages', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let pageId: string;

  beforeAll(async () => {
    simulator = await startSimulator({
      seed: {
        ...tenancySeed,
        people: [{ id: 'pia', firstName: 'Pia', lastName: 'Customer' }],
        adAccounts: [{ id: '7001', name: 'Alice ads', userIds: ['1001'] }],
      },
    });
    app = await startTestApp({ simulator, config: { FEATURE_SPONSORED_MESSAGES: 'true' } });
    alice = await app.login('1001');
    const connected = await alice.agent
      .post('/api/pages')
      .set(alice.csrf)
      .send({ fbPageIds: ['2001'] });
    pageId = (connected.body.data as { id: string; fbPageId: string }[]).find(
      (page) => page.fbPageId === '2001',
    )?.id as string;
  });
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  const draft = (extra: Record<string, unknown> = {}) => ({
    pageId,
    adAccountId: 'act_7001',
    name: 'Spring menu',
    text: 'Our spring menu is here',
    budget: { kind: 'daily', amount: 500 },
    startTime: new Date(Date.now() - 60_000).toISOString(),
    ...extra,
  });

  it('lists the ad accounts the member manages', async () => {
    const res = await alice.agent.get('/api/sponsored-messages/ad-accounts');
    expect(res.status).toBe(200);
    expect(res.body.data).toEqual([{ id: 'act_7001', name: 'Alice ads', currency: 'USD' }]);
  });

  it('creates it at Meta, pulls status and results, and pauses it', async () => {
    await simulator.control.sendText('pia', '2001', 'Hello');
    const created = await alice.agent.post('/api/sponsored-messages').set(alice.csrf).send(draft());
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    const stored = await alice.agent.get(`/api/sponsored-messages/${id}`);
    expect(stored.body).toMatchObject({
      state: 'active',
      budget: { kind: 'daily', amount: 500, currency: 'USD' },
    });

    const refreshed = await alice.agent.post(`/api/sponsored-messages/${id}/refresh`).set(alice.csrf);
    expect(refreshed.status).toBe(200);
    expect(refreshed.body).toMatchObject({
      effectiveStatus: 'ACTIVE',
      results: { reach: 1, impressions: 1, spend: 1 },
    });

    const paused = await alice.agent.post(`/api/sponsored-messages/${id}/pause`).set(alice.csrf);
    expect(paused.status).toBe(200);
    expect(paused.body).toMatchObject({ state: 'paused', effectiveStatus: 'CAMPAIGN_PAUSED' });

    const list = await alice.agent.get('/api/sponsored-messages');
    expect(list.body.data.map((message: { id: string }) => message.id)).toContain(id);
  });

  it('the pull job reads the results of running sponsored messages into their records', async () => {
    const created = await alice.agent
      .post('/api/sponsored-messages')
      .set(alice.csrf)
      .send(draft({ name: 'Pulled by the job' }));
    expect(created.body.results).toBeNull();
    await app.server().jobs.agenda.now('sponsored-messages:pull-results', {});
    const start = Date.now();
    for (;;) {
      const read = await alice.agent.get(`/api/sponsored-messages/${created.body.id as string}`);
      if (read.body.results) {
        expect(read.body).toMatchObject({ effectiveStatus: 'ACTIVE', results: { reach: 1 } });
        break;
      }
      if (Date.now() - start > 20_000) throw new Error('the pull job did not read the results');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });

  it('refuses a budget Meta finds too low, with Meta’s reason', async () => {
    const res = await alice.agent
      .post('/api/sponsored-messages')
      .set(alice.csrf)
      .send(draft({ budget: { kind: 'daily', amount: 10 } }));
    expect(res.status).toBe(400);
    expect(res.body.detail ?? res.body.title).toMatch(/budget is too low/i);
  });

  it('refuses with a clear 403 when the member’s grant lacks ads_management', async () => {
    await simulator.control.revokePermission({ userId: '1001' }, 'ads_management');
    const res = await alice.agent.post('/api/sponsored-messages').set(alice.csrf).send(draft());
    expect(res.status).toBe(403);
    expect(JSON.stringify(res.body)).toContain('ads_management');
    await simulator.control.grantPermission({ userId: '1001' }, 'ads_management');
  });

  it('refuses a lifetime budget without an end time before asking Meta', async () => {
    const res = await alice.agent
      .post('/api/sponsored-messages')
      .set(alice.csrf)
      .send(draft({ budget: { kind: 'lifetime', amount: 5000 } }));
    expect(res.status).toBe(400);
  });
});
