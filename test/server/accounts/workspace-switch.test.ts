import request from 'supertest';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';

interface WorkspaceView {
  id: string;
  name: string;
  role: string;
  current: boolean;
}

describe('a user in several workspaces switches between them', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let carol: LoggedInUser;
  let aliceWorkspace: string;
  let bobWorkspace: string;
  let daveWorkspace: string;

  const workspaceOf = async (user: LoggedInUser) => (await user.agent.get('/api/me')).body.workspace.id;
  /** A new session has a new CSRF token, as the dashboard reads it again after a switch. */
  const renewCsrfToken = async (user: LoggedInUser) => {
    user.csrf = { 'x-csrf-token': (await user.agent.get('/api/csrf-token')).body.csrfToken };
  };

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
    app = await startTestApp({ simulator });
    const [alice, bob, dave] = [await app.login('1001'), await app.login('1002'), await app.login('1004')];
    [aliceWorkspace, bobWorkspace, daveWorkspace] = await Promise.all([alice, bob, dave].map(workspaceOf));
    const invite = async (admin: LoggedInUser, role: string) =>
      (await admin.agent.post('/api/invitations').set(admin.csrf).send({ role })).body.url as string;
    await app.login('1003', { invitationUrl: await invite(alice, 'agent') });
    carol = await app.login('1003', { invitationUrl: await invite(bob, 'admin') });
  });
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  it('lists the workspaces the user belongs to, with their role in each and the current one', async () => {
    const res = await carol.agent.get('/api/workspaces').expect(200);
    expect(res.body.data).toEqual([
      { id: aliceWorkspace, name: 'Alice Admin’s workspace', role: 'agent', current: false },
      { id: bobWorkspace, name: 'Bob Other’s workspace', role: 'admin', current: true },
    ] satisfies WorkspaceView[]);
    expect(res.text).not.toContain(daveWorkspace);
  });

  it('switching starts a new session in the other workspace: the old cookie, its socket and its token are done', async () => {
    const oldCookie = carol.cookie;
    const socket = await app.socketFor(carol);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    const res = await carol.agent
      .post('/api/session/workspace')
      .set(carol.csrf)
      .send({ workspaceId: aliceWorkspace });
    expect(res.status).toBe(204);
    expect(String(res.headers['set-cookie'])).toMatch(/^pagewire\.sid=/);

    expect(await workspaceOf(carol)).toBe(aliceWorkspace);
    expect((await carol.agent.get('/api/me')).body.role).toBe('agent');
    await expect(closed).resolves.toBe('io server disconnect');
    expect((await request(app.url).get('/api/me').set('cookie', oldCookie)).status).toBe(401);
    const withOldToken = await carol.agent.post('/api/conversations/x/claim').set(carol.csrf);
    expect(withOldToken.status).toBe(403);
    await renewCsrfToken(carol);
    const back = await carol.agent
      .post('/api/session/workspace')
      .set(carol.csrf)
      .send({ workspaceId: bobWorkspace });
    expect(back.status).toBe(204);
    expect(await workspaceOf(carol)).toBe(bobWorkspace);
    await renewCsrfToken(carol);
  });

  it('a workspace the user is not in is refused, and the session stays where it was', async () => {
    const res = await carol.agent
      .post('/api/session/workspace')
      .set(carol.csrf)
      .send({ workspaceId: daveWorkspace });
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe('You are not a member of that workspace.');
    expect(await workspaceOf(carol)).toBe(bobWorkspace);
  });

  it('switching to the current workspace changes nothing', async () => {
    const before = (await carol.agent.get('/api/csrf-token')).body.csrfToken;
    await carol.agent
      .post('/api/session/workspace')
      .set(carol.csrf)
      .send({ workspaceId: bobWorkspace })
      .expect(204);
    expect((await carol.agent.get('/api/csrf-token')).body.csrfToken).toBe(before);
  });

  it('needs a session and the CSRF token, and refuses a malformed body', async () => {
    const path = '/api/session/workspace';
    const body = { workspaceId: aliceWorkspace };
    expect((await request(app.url).post(path).send(body)).status).toBe(401);
    expect((await carol.agent.post(path).send(body)).status).toBe(403);
    expect((await carol.agent.post(path).set(carol.csrf).send({ workspaceId: 'x' })).status).toBe(400);
    expect(
      (
        await carol.agent
          .post(path)
          .set(carol.csrf)
          .send({ ...body, role: 'admin' })
      ).status,
    ).toBe(400);
    expect(await workspaceOf(carol)).toBe(bobWorkspace);
  });
});
