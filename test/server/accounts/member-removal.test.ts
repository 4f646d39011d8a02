import mongoose from 'mongoose';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';

const idOf = async (user: LoggedInUser) => (await user.agent.get('/api/me')).body.user.id as string;

describe('removing a member', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let aliceId: string;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
    app = await startTestApp({ simulator });
    alice = await app.login('1001');
    aliceId = await idOf(alice);
  });
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  async function invite(facebookUserId: string, role = 'agent') {
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role }).expect(201);
    const member = await app.login(facebookUserId, { invitationUrl: invitation.body.url });
    return { member, userId: await idOf(member) };
  }

  it('ends their sessions at once: their next request is 401, their socket is closed, the store keeps none', async () => {
    const { member: carol, userId } = await invite('1003');
    const secondLogin = await app.login('1003');
    const socket = await app.socketFor(carol);
    const closed = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    const sessions = mongoose.connection.db?.collection('sessions');
    expect(await sessions?.countDocuments({ 'session.userId': userId })).toBe(2);

    await alice.agent.delete(`/api/members/${userId}`).set(alice.csrf).expect(204);

    await expect(closed).resolves.toBe('io server disconnect');
    expect((await carol.agent.get('/api/me')).status).toBe(401);
    expect((await secondLogin.agent.get('/api/conversations')).status).toBe(401);
    expect(await sessions?.countDocuments({ 'session.userId': userId })).toBe(0);
    const members = (await alice.agent.get('/api/members')).body.data as { userId: string }[];
    expect(members.map((member) => member.userId)).toEqual([aliceId]);
    await expect(app.socketFor(carol)).rejects.toThrow(/unauthorized/);
  });

  it('is audited with who removed whom', async () => {
    const { userId } = await invite('1004');
    await alice.agent.delete(`/api/members/${userId}`).set(alice.csrf).expect(204);
    const entry = await mongoose.connection.db
      ?.collection('auditlogs')
      .findOne({ action: 'member.removed', 'object.id': userId });
    expect(entry).toMatchObject({ actor: { kind: 'user', id: aliceId }, details: { role: 'agent' } });
  });

  it('keeps the sessions the user has in their other workspaces', async () => {
    const bob = await app.login('1002');
    const bobsInvitation = await bob.agent.post('/api/invitations').set(bob.csrf).send({ role: 'agent' });
    const { member: carol, userId } = await invite('1003');
    const carolAtBob = await app.login('1003', { invitationUrl: bobsInvitation.body.url });
    await alice.agent.delete(`/api/members/${userId}`).set(alice.csrf).expect(204);
    expect((await carol.agent.get('/api/me')).status).toBe(401);
    expect((await carolAtBob.agent.get('/api/me')).body.workspace.name).toBe('Bob Other’s workspace');
  });

  it('the last admin cannot be removed, and says so', async () => {
    const res = await alice.agent.delete(`/api/members/${aliceId}`).set(alice.csrf);
    expect(res.status).toBe(409);
    expect(res.body.detail).toBe('A workspace keeps at least one admin.');
    expect((await alice.agent.get('/api/me')).status).toBe(200);
  });

  it('an admin may leave when another admin stays', async () => {
    const { member: erin, userId } = await invite('1004', 'admin');
    await erin.agent.delete(`/api/members/${userId}`).set(erin.csrf).expect(204);
    expect((await erin.agent.get('/api/me')).status).toBe(401);
  });

  it('only an admin removes, with the CSRF token, a member of their own workspace', async () => {
    const { member: dave, userId } = await invite('1004');
    const bob = await app.login('1002');
    const bobId = await idOf(bob);
    expect((await dave.agent.delete(`/api/members/${aliceId}`).set(dave.csrf)).status).toBe(403);
    expect((await alice.agent.delete(`/api/members/${userId}`)).status).toBe(403);
    expect((await bob.agent.delete(`/api/members/${userId}`).set(bob.csrf)).status).toBe(404);
    expect((await alice.agent.delete(`/api/members/${bobId}`).set(alice.csrf)).status).toBe(404);
    expect((await alice.agent.delete('/api/members/not-an-id').set(alice.csrf)).status).toBe(400);
    expect((await dave.agent.get('/api/me')).status).toBe(200);
    expect((await bob.agent.get('/api/me')).status).toBe(200);
  });
});
