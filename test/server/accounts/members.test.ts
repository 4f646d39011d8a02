import { roles } from '../../../models/membership';
import { startSimulator, type Simulator } from '../../../simulator/index';
import type { PageHealthEvent } from '../../../server/realtime/events';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';

describe('members and roles', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let carol: LoggedInUser;
  let carolId: string;
  let aliceId: string;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
    app = await startTestApp({ simulator });
    alice = await app.login('1001');
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
    carol = await app.login('1003', { invitationUrl: invitation.body.url });
    carolId = (await carol.agent.get('/api/me')).body.user.id;
    aliceId = (await alice.agent.get('/api/me')).body.user.id;
  });
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  it('lists the workspace’s members with their roles, and the roles there are', async () => {
    const members = await carol.agent.get('/api/members');
    expect(members.body.data.map((member: { role: string }) => member.role).sort()).toEqual([
      'admin',
      'agent',
    ]);
    expect(members.body.roles).toEqual(roles);
  });

  it('an expired invitation link is refused', async () => {
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
    app.clock.advance(73 * 60 * 60 * 1000);
    await expect(app.login('1004', { invitationUrl: invitation.body.url })).rejects.toThrow(/403/);
  });

  it('promoting an agent takes effect at once, over REST and in their socket’s rooms', async () => {
    const socket = await app.socketFor(carol);
    const res = await alice.agent.patch(`/api/members/${carolId}`).set(alice.csrf).send({ role: 'admin' });
    expect(res.status).toBe(204);
    expect((await carol.agent.get('/api/me')).body.role).toBe('admin');
    const told = new Promise<PageHealthEvent>((resolve) => socket.once('page:health', resolve));
    const workspaceId = (await alice.agent.get('/api/me')).body.workspace.id;
    app.server().accounts.realtime.emitToAdmins(workspaceId, 'page:health', {
      pageId: 'p',
      fbPageId: '1',
      status: 'ok',
      at: new Date().toISOString(),
      automatedSendsPaused: false,
      pauseReasons: [],
    });
    await expect(told).resolves.toMatchObject({ pageId: 'p' });
  });

  it('the last admin cannot be demoted, to agent or to marketer', async () => {
    await alice.agent.patch(`/api/members/${carolId}`).set(alice.csrf).send({ role: 'agent' }).expect(204);
    for (const role of ['agent', 'marketer']) {
      const res = await alice.agent.patch(`/api/members/${aliceId}`).set(alice.csrf).send({ role });
      expect(res.status).toBe(409);
    }
    expect((await alice.agent.get('/api/me')).body.role).toBe('admin');
  });

  it('a marketer joins through an invitation and may automate and broadcast; an agent may neither', async () => {
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'marketer' });
    expect(invitation.status).toBe(201);
    const dave = await app.login('1004', { invitationUrl: invitation.body.url });
    expect((await dave.agent.get('/api/me')).body).toMatchObject({
      role: 'marketer',
      can: { automate: true, broadcast: true },
    });
    expect((await carol.agent.get('/api/me')).body).toMatchObject({
      role: 'agent',
      can: { automate: false, broadcast: false },
    });
    expect((await alice.agent.get('/api/me')).body).toMatchObject({
      can: { automate: true, broadcast: true },
    });
  });

  it('the workspace’s teams are the ones its members are in, with their sizes; no other workspace’s', async () => {
    expect((await carol.agent.get('/api/teams').expect(200)).body.data).toEqual([]);
    const bob = await app.login('1002');
    const bobId = (await bob.agent.get('/api/me')).body.user.id;
    await bob.agent
      .patch(`/api/members/${bobId}`)
      .set(bob.csrf)
      .send({ teamIds: ['bikes'] })
      .expect(204);
    await alice.agent
      .patch(`/api/members/${aliceId}`)
      .set(alice.csrf)
      .send({ teamIds: ['night-shift', 'hats'] })
      .expect(204);
    await alice.agent
      .patch(`/api/members/${carolId}`)
      .set(alice.csrf)
      .send({ teamIds: ['hats'] })
      .expect(204);
    expect((await carol.agent.get('/api/teams')).body.data).toEqual([
      { id: 'hats', memberCount: 2 },
      { id: 'night-shift', memberCount: 1 },
    ]);
    expect((await bob.agent.get('/api/teams')).body.data).toEqual([{ id: 'bikes', memberCount: 1 }]);
  });

  it('an admin reads which Pages a member sees, by the rule that decides what they may open', async () => {
    const connected = await alice.agent
      .post('/api/pages')
      .set(alice.csrf)
      .send({ fbPageIds: ['2001', '2002'] })
      .expect(201);
    const pageId = new Map<string, string>(
      (connected.body.data as { id: string; fbPageId: string }[]).map((page) => [page.fbPageId, page.id]),
    );
    await alice.agent
      .patch(`/api/pages/${pageId.get('2001')}`)
      .set(alice.csrf)
      .send({ scope: 'private' });
    await alice.agent
      .patch(`/api/pages/${pageId.get('2002')}`)
      .set(alice.csrf)
      .send({ scope: 'team', teamId: 'hats' });
    const seenBy = async (userId: string) =>
      (await alice.agent.get(`/api/members/${userId}/pages`).expect(200)).body.data;
    const putCarolIn = (teamIds: string[]) =>
      alice.agent.patch(`/api/members/${carolId}`).set(alice.csrf).send({ teamIds }).expect(204);

    await putCarolIn([]);
    expect(await seenBy(carolId)).toEqual([]);
    expect((await carol.agent.get('/api/pages')).body.data).toEqual([]);
    await putCarolIn(['hats', ' hats ']);
    const hats = { id: pageId.get('2002'), name: 'Alice Hats', sharing: { scope: 'team', teamId: 'hats' } };
    expect(await seenBy(carolId)).toEqual([hats]);
    expect((await carol.agent.get('/api/pages')).body.data.map((page: { id: string }) => page.id)).toEqual([
      hats.id,
    ]);
    expect((await carol.agent.get('/api/me')).body.teamIds).toEqual(['hats']);
    expect((await seenBy(aliceId)).map((page: { name: string }) => page.name)).toEqual([
      'Alice Hats',
      'Alice Shoes',
    ]);
  });

  it('which Pages a member sees is for the admins of their workspace only', async () => {
    expect((await carol.agent.get(`/api/members/${aliceId}/pages`)).status).toBe(403);
    const bob = await app.login('1002');
    expect((await bob.agent.get(`/api/members/${carolId}/pages`)).status).toBe(404);
    expect((await alice.agent.get('/api/members/nobody/pages')).status).toBe(400);
  });

  it('refuses unknown fields in a member change', async () => {
    const res = await alice.agent.patch(`/api/members/${carolId}`).set(alice.csrf).send({ role: 'owner' });
    expect(res.status).toBe(400);
  });
});
