import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';
import { pageHealthEvent, pageIdsReceived } from './page-health-probe';

describe('done when: an admin connects two Pages, invites an agent, who sees only what sharing allows', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let carol: LoggedInUser;
  let pageA: string;
  let pageB: string;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
    app = await startTestApp({ simulator });
    alice = await app.login('1001');
    const connected = await alice.agent
      .post('/api/pages')
      .set(alice.csrf)
      .send({ fbPageIds: ['2001', '2002'] });
    const byFbId = new Map(
      connected.body.data.map((page: { fbPageId: string; id: string }) => [page.fbPageId, page.id]),
    );
    pageA = byFbId.get('2001') as string;
    pageB = byFbId.get('2002') as string;
    const shared = await alice.agent.patch(`/api/pages/${pageB}`).set(alice.csrf).send({ scope: 'private' });
    expect(shared.status).toBe(200);
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
    expect(invitation.status).toBe(201);
    carol = await app.login('1003', { invitationUrl: invitation.body.url });
  });
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  it('the invited agent joins the admin’s workspace as an agent', async () => {
    const [adminMe, agentMe] = await Promise.all([alice.agent.get('/api/me'), carol.agent.get('/api/me')]);
    expect(agentMe.body).toMatchObject({ role: 'agent', workspace: { id: adminMe.body.workspace.id } });
  });

  it('an invitation link works once', async () => {
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
    await app.login('1004', { invitationUrl: invitation.body.url });
    await expect(app.login('1002', { invitationUrl: invitation.body.url })).rejects.toThrow(/403/);
  });

  it('over REST the agent sees the workspace-shared Page and not the private one', async () => {
    const pages = await carol.agent.get('/api/pages');
    expect(pages.body.data.map((page: { id: string }) => page.id)).toEqual([pageA]);
    expect((await carol.agent.get(`/api/pages/${pageB}`)).status).toBe(404);
    const adminPages = await alice.agent.get('/api/pages');
    expect(adminPages.body.data).toHaveLength(2);
  });

  it('the agent may not connect, share or disconnect Pages, nor invite', async () => {
    expect(
      (await carol.agent.patch(`/api/pages/${pageA}`).set(carol.csrf).send({ scope: 'private' })).status,
    ).toBe(403);
    expect((await carol.agent.delete(`/api/pages/${pageA}`).set(carol.csrf)).status).toBe(403);
    expect((await carol.agent.post('/api/invitations').set(carol.csrf).send({ role: 'admin' })).status).toBe(
      403,
    );
  });

  it('over socket.io the agent receives events of Page A and never of Page B', async () => {
    const socket = await app.socketFor(carol);
    const received = pageIdsReceived(socket);
    const realtime = app.server().accounts.realtime;
    realtime.emitToPage(pageB, 'page:health', pageHealthEvent(pageB));
    realtime.emitToPage(pageA, 'page:health', pageHealthEvent(pageA));
    expect(await received).toEqual([pageA]);
    socket.disconnect();
  });

  it('sharing Page B with the workspace lets the connected agent’s socket receive its events at once', async () => {
    const socket = await app.socketFor(carol);
    await alice.agent.patch(`/api/pages/${pageB}`).set(alice.csrf).send({ scope: 'workspace' }).expect(200);
    const received = pageIdsReceived(socket);
    app.server().accounts.realtime.emitToPage(pageB, 'page:health', pageHealthEvent(pageB));
    expect(await received).toHaveLength(1);
    await alice.agent.patch(`/api/pages/${pageB}`).set(alice.csrf).send({ scope: 'private' }).expect(200);
    socket.disconnect();
  });

  it('a socket without a session is refused', async () => {
    await expect(app.socketFor({ cookie: '' })).rejects.toThrow(/unauthorized/);
    await expect(app.socketFor({ cookie: 'pagewire.sid=s%3Aforged.forged' })).rejects.toThrow(/unauthorized/);
  });

  it('logging out closes the session’s sockets', async () => {
    const dave = await app.login('1004');
    const socket = await app.socketFor(dave);
    const closed = new Promise((resolve) => socket.once('disconnect', resolve));
    await dave.agent.post('/auth/logout').set(dave.csrf).expect(204);
    await expect(closed).resolves.toBeDefined();
  });
});
