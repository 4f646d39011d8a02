import mongoose from 'mongoose';
import { startSimulator, type Simulator } from '../../../simulator/index';
import type { PageHealthEvent } from '../../../server/realtime/events';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';

describe('connection health', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let workspaceId: string;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
    app = await startTestApp({ simulator });
    alice = await app.login('1001');
    workspaceId = (await alice.agent.get('/api/me')).body.workspace.id;
  });
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  async function connect(fbPageId: string): Promise<string> {
    const res = await alice.agent
      .post('/api/pages')
      .set(alice.csrf)
      .send({ fbPageIds: [fbPageId] });
    return res.body.data[0].id as string;
  }

  const storedPage = (pageId: string) =>
    mongoose.connection.db?.collection('pages').findOne({ _id: new mongoose.Types.ObjectId(pageId) });

  it('connecting a Page schedules its repeating health check once', async () => {
    const pageId = await connect('2001');
    await connect('2001');
    const jobs = await mongoose.connection.db
      ?.collection('agendaJobs')
      .find({ name: 'pages:check-health', 'data.pageId': pageId })
      .toArray();
    expect(jobs).toHaveLength(1);
    expect(jobs?.[0]?.repeatInterval).toBeDefined();
  });

  it('a healthy Page stays ok and sending stays allowed', async () => {
    const pageId = await connect('2001');
    await app.server().accounts.services.checkHealth(pageId);
    const page = await storedPage(pageId);
    expect(page?.health.status).toBe('ok');
    expect(app.server().accounts.services.pageAccess.isSendingAllowed(page as never)).toBe(true);
  });

  it('a revoked token flips the Page to needs_reauth within one health cycle, pauses sends and tells admins live', async () => {
    const pageId = await connect('2001');
    const socket = await app.socketFor(alice);
    const told = new Promise<PageHealthEvent>((resolve) => socket.once('page:health', resolve));
    await simulator.control.revokePageToken('2001');

    await app.server().accounts.services.checkHealth(pageId);

    const page = await storedPage(pageId);
    expect(page).toMatchObject({
      health: { status: 'needs_reauth' },
      automationPauses: { needs_reauth: {} },
    });
    expect(app.server().accounts.services.pageAccess.isSendingAllowed(page as never)).toBe(false);
    await expect(told).resolves.toMatchObject({
      pageId,
      status: 'needs_reauth',
      automatedSendsPaused: true,
      pauseReasons: ['needs_reauth'],
    });
    const audit = await mongoose.connection.db
      ?.collection('auditlogs')
      .findOne({ 'object.id': pageId, action: 'page.health.needs_reauth' });
    expect(audit).toMatchObject({ actor: { kind: 'job' } });
    const listed = await alice.agent.get(`/api/pages/${pageId}`);
    expect(listed.body).toMatchObject({
      health: { status: 'needs_reauth' },
      automatedSendsPaused: true,
      automationPauses: [{ reason: 'needs_reauth' }],
    });
  });

  it('a 190 from any Graph call made with the Page token flips the Page too', async () => {
    const pageId = await connect('2002');
    await simulator.control.revokePageToken('2002');
    const credentials = await app
      .server()
      .accounts.services.pageAccess.getSendCredentials(workspaceId, pageId);
    await expect(app.server().messenger.graph.getSubscribedApps(credentials)).rejects.toThrow();
    await waitFor(async () => (await storedPage(pageId))?.health.status === 'needs_reauth');
    expect((await storedPage(pageId))?.automationPauses).toHaveProperty('needs_reauth');
  });

  it('a missing permission flips the Page to permission_missing', async () => {
    await simulator.control.reset();
    alice = await app.login('1001');
    const pageId = await connect('2001');
    await simulator.control.revokePermission({ pageId: '2001' }, 'pages_messaging');
    await app
      .server()
      .accounts.services.checkHealth(pageId)
      .catch(() => undefined);
    await waitFor(async () => (await storedPage(pageId))?.health.status === 'permission_missing');
  });

  it('reconnecting a Page after a revocation makes it healthy again', async () => {
    await simulator.control.reset();
    alice = await app.login('1001');
    const pageId = await connect('2001');
    const page = await storedPage(pageId);
    expect(page?.health.status).toBe('ok');
    expect(page?.automationPauses ?? {}).toEqual({});
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 3_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
