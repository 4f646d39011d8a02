import mongoose from 'mongoose';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { tenancySeed } from '../../support/tenancy-seed';

describe('Facebook Login', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
    app = await startTestApp({ simulator });
  });
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  it('sends the browser to the Login dialog asking for exactly the permissions we explain', async () => {
    const permissions = (await fetch(`${app.url}/api/permissions`).then((res) => res.json())) as {
      data: { name: string }[];
    };
    const start = await fetch(`${app.url}/auth/facebook`, { redirect: 'manual' });
    const dialog = new URL(start.headers.get('location') ?? '');
    expect(`${dialog.origin}${dialog.pathname}`).toBe(`${simulator.url}/dialog/oauth`);
    expect(dialog.searchParams.get('scope')?.split(',').sort()).toEqual(
      permissions.data.map((permission) => permission.name).sort(),
    );
    expect(dialog.searchParams.get('state')).toBeTruthy();
  });

  it('a first login creates a workspace with the user as its admin', async () => {
    const alice = await app.login('1001');
    const me = await alice.agent.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      user: { name: 'Alice Admin', email: 'alice@example.com' },
      role: 'admin',
    });
  });

  it('logging in again lands in the same workspace', async () => {
    const first = await (await app.login('1002')).agent.get('/api/me');
    const second = await (await app.login('1002')).agent.get('/api/me');
    expect(second.body.workspace.id).toBe(first.body.workspace.id);
  });

  it('sets the session cookie httpOnly and SameSite=Lax', async () => {
    const start = await fetch(`${app.url}/auth/facebook`, { redirect: 'manual' });
    const cookie = start.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/pagewire\.sid=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });

  it('a callback without the state the login started with is refused', async () => {
    const res = await fetch(`${app.url}/auth/facebook/callback?code=forged&state=forged`, {
      redirect: 'manual',
    });
    expect(res.status).toBe(401);
  });

  it('the session survives a restart of the app', async () => {
    const alice = await app.login('1001');
    await app.restart();
    const me = await alice.agent.get('/api/me');
    expect(me.status).toBe(200);
    expect(me.body.user.name).toBe('Alice Admin');
  });

  it('a session stored as a bare JSON string, as before sessions kept their user beside it, still reads', async () => {
    const alice = await app.login('1001');
    const sessions = mongoose.connection.db?.collection('sessions');
    const stored = await sessions?.findOne(
      { 'session.userId': { $exists: true } },
      { sort: { expires: -1 } },
    );
    if (!stored) throw new Error('no stored session');
    await sessions?.updateOne({ _id: stored._id }, { $set: { session: stored.session.json as string } });
    expect((await alice.agent.get('/api/me')).body.user.name).toBe('Alice Admin');
  });

  it('logout needs the CSRF token, then ends the session', async () => {
    const alice = await app.login('1001');
    expect((await alice.agent.post('/auth/logout')).status).toBe(403);
    expect((await alice.agent.post('/auth/logout').set(alice.csrf)).status).toBe(204);
    expect((await alice.agent.get('/api/me')).status).toBe(401);
  });

  it('rate limits /auth', async () => {
    const limited = await startTestApp({ simulator, config: { LOGIN_RATE_LIMIT: '2' } });
    try {
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 3; attempt += 1) {
        statuses.push((await fetch(`${limited.url}/auth/facebook`, { redirect: 'manual' })).status);
      }
      expect(statuses).toEqual([302, 302, 429]);
    } finally {
      await limited.stop();
    }
  });
});
