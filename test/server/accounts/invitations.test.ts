import mongoose from 'mongoose';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';

interface PendingInvitation {
  id: string;
  role: string;
  expiresAt: string;
  createdAt: string;
}

describe('invitations', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let bob: LoggedInUser;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
    app = await startTestApp({ simulator });
    alice = await app.login('1001');
    bob = await app.login('1002');
  });
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  const pending = async (user: LoggedInUser) =>
    (await user.agent.get('/api/invitations').expect(200)).body.data as PendingInvitation[];

  it('a new invitation is pending with its role and expiry, and only its link carries the token', async () => {
    const created = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'admin' });
    expect(created.status).toBe(201);
    expect(created.body.url).toMatch(new RegExp(`^${app.url}/auth/invitations/[\\w-]{40,}$`));
    const listed = (await pending(alice)).find((invitation) => invitation.id === created.body.id);
    expect(listed).toEqual({
      id: created.body.id,
      role: 'admin',
      expiresAt: created.body.expiresAt,
      createdAt: expect.any(String),
    });
    expect(Date.parse(created.body.expiresAt) - app.clock.now().getTime()).toBeGreaterThan(71 * 3_600_000);
    expect(JSON.stringify(await pending(alice))).not.toContain(created.body.url.split('/').at(-1));
  });

  it('a revoked link invites nobody, and leaves the list', async () => {
    const created = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
    await alice.agent.delete(`/api/invitations/${created.body.id}`).set(alice.csrf).expect(204);
    expect((await pending(alice)).map((invitation) => invitation.id)).not.toContain(created.body.id);
    await expect(app.login('1003', { invitationUrl: created.body.url })).rejects.toThrow(/403/);
    const audited = await mongoose.connection.db
      ?.collection('auditlogs')
      .findOne({ action: 'invitation.revoked', 'object.id': created.body.id });
    expect(audited).toMatchObject({ details: { role: 'agent' } });
  });

  it('an accepted invitation cannot be revoked, nor revoked twice', async () => {
    const created = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
    await app.login('1003', { invitationUrl: created.body.url });
    const res = await alice.agent.delete(`/api/invitations/${created.body.id}`).set(alice.csrf);
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe('No such pending invitation.');
  });

  it('another workspace’s invitations are neither listed nor revocable', async () => {
    const bobs = await bob.agent.post('/api/invitations').set(bob.csrf).send({ role: 'agent' });
    expect((await pending(alice)).map((invitation) => invitation.id)).not.toContain(bobs.body.id);
    expect((await alice.agent.delete(`/api/invitations/${bobs.body.id}`).set(alice.csrf)).status).toBe(404);
    expect((await pending(bob)).map((invitation) => invitation.id)).toContain(bobs.body.id);
  });

  it('refuses a bad id, a missing CSRF token and an unknown role with a 4xx', async () => {
    expect((await alice.agent.delete('/api/invitations/xyz').set(alice.csrf)).status).toBe(400);
    const created = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
    expect((await alice.agent.delete(`/api/invitations/${created.body.id}`)).status).toBe(403);
    const badRole = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'owner' });
    expect(badRole.status).toBe(400);
    expect(badRole.body.issues[0].path).toBe('role');
  });
});
