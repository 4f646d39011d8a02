import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import request from 'supertest';
import { XAccountModel } from '../../../models/x-account';
import { createTokenVault } from '../../../server/pages/token-vault';
import { xTokenBinding } from '../../../server/x/connections';
import { rotateSealedSecrets } from '../../../server/pages/rotate-token-keys-job';
import { useTestDatabase } from '../../support/database';
import { connectedAccountId, connectXAccount } from './x-harness';
import { ALICE_X, CAROL_X, startXWorld, type XWorld } from './x-world';

useTestDatabase();
let world: XWorld;
beforeAll(async () => {
  world = await startXWorld();
}, 60_000);
afterAll(() => world.stop());

const rawAccount = (xUserId: string) =>
  mongoose.connection.db?.collection('xaccounts').findOne({ xUserId }) ?? Promise.resolve(null);

describe('X connections', () => {
  it('the scope table is served before connecting: every X scope, used for something or not used', async () => {
    const res = await request(world.app.url).get('/api/x/scopes').expect(200);
    const rows = res.body.data as { scope: string; requested: boolean; use: string }[];
    expect(rows.filter((row) => row.requested).map((row) => row.scope)).toEqual([
      'tweet.write',
      'tweet.read',
      'users.read',
      'offline.access',
    ]);
    for (const row of rows) expect(row.use).toMatch(row.requested ? /^Used / : /^Not used/);
    expect(rows.map((row) => row.scope)).toContain('dm.read');
  });

  it('connecting asks X for exactly the requested scopes, with PKCE S256 and a state', async () => {
    const started = await world.alice.agent.post('/api/x/accounts/connect').set(world.alice.csrf).expect(200);
    const url = new URL(started.body.authorizeUrl as string);
    expect(url.searchParams.get('scope')).toBe('tweet.write tweet.read users.read offline.access');
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('state')?.length).toBeGreaterThanOrEqual(32);
  });

  it('a callback whose state is not the one this session started is refused, and nothing is connected', async () => {
    const landed = await connectXAccount(world.carol, CAROL_X.id, { tamperState: true });
    expect(landed.searchParams.get('error')).toMatch(/not started here/);
    expect(await rawAccount(CAROL_X.id)).toBeNull();
  });

  it('a person whose Pagewire session ended while on X lands on the X accounts screen, told to log in', async () => {
    const landed = await request(world.app.url).get('/auth/x/callback?code=c&state=s').expect(303);
    const location = new URL(String(landed.headers.location), 'http://pagewire');
    expect(location.pathname).toBe('/x-accounts');
    expect(location.searchParams.get('error')).toMatch(/session ended before you came back: log in/);
  });

  it('a consent cancelled on X connects nothing', async () => {
    const landed = await connectXAccount(world.carol, CAROL_X.id, { decision: 'cancel' });
    expect(landed.searchParams.get('error')).toMatch(/cancelled/);
    expect(await rawAccount(CAROL_X.id)).toBeNull();
  });

  it('a connected account keeps its tokens encrypted: no token X issued is stored or logged in clear', async () => {
    const id = await connectedAccountId(world.alice, ALICE_X.id);
    const view = (await world.alice.agent.get(`/api/x/accounts/${id}`).expect(200)).body;
    expect(view).toMatchObject({ username: ALICE_X.username, status: 'connected', isOwner: true });
    expect(view.sharing.scope).toBe('private');
    const stored = JSON.stringify(await rawAccount(ALICE_X.id));
    const issued = await world.simulator.x.control.tokens();
    expect(issued.length).toBeGreaterThan(0);
    for (const token of issued) {
      expect(stored).not.toContain(token.value);
      expect(world.app.logs()).not.toContain(token.value);
    }
    expect(stored).toContain('ciphertext');
    expect(JSON.stringify(view)).not.toContain('ciphertext');
  });

  it('connecting again revokes the tokens it replaces at X', async () => {
    const id = await connectedAccountId(world.alice, ALICE_X.id);
    const before = await XAccountModel.findById(id).select('+accessToken').lean();
    if (!before?.accessToken) throw new Error('no token');
    const vault = createTokenVault(world.app.config.TOKEN_ENCRYPTION_KEYS);
    const replaced = vault.decrypt(before.accessToken, xTokenBinding(id, 'access'));
    await connectedAccountId(world.alice, ALICE_X.id);
    const atX = await world.simulator.x.control.tokens();
    expect(atX.find((token) => token.value === replaced)?.endedBy).toBe('revoked');
  });

  it('privacy is the Pages’ rule: private to its owner, then shared with the workspace, then with a team', async () => {
    const id = await connectedAccountId(world.alice, ALICE_X.id);
    const carolSees = async () =>
      (await world.carol.agent.get('/api/x/accounts')).body.data.some((a: { id: string }) => a.id === id);
    expect(await carolSees()).toBe(false);
    await world.carol.agent.get(`/api/x/accounts/${id}`).expect(404);
    await world.alice.agent
      .patch(`/api/x/accounts/${id}`)
      .set(world.alice.csrf)
      .send({ scope: 'workspace' })
      .expect(200);
    expect(await carolSees()).toBe(true);
    await world.carol.agent
      .patch(`/api/x/accounts/${id}`)
      .set(world.carol.csrf)
      .send({ scope: 'private' })
      .expect(403);
    await world.carol.agent.delete(`/api/x/accounts/${id}`).set(world.carol.csrf).expect(403);
    await world.alice.agent
      .patch(`/api/x/accounts/${id}`)
      .set(world.alice.csrf)
      .send({ scope: 'team', teamId: 'not-carols-team' })
      .expect(200);
    expect(await carolSees()).toBe(false);
    await world.bob.agent.get(`/api/x/accounts/${id}`).expect(404);
  });

  it('the token is refreshed before it expires, and the used refresh token is spent', async () => {
    const id = await connectedAccountId(world.alice, ALICE_X.id);
    const before = await XAccountModel.findById(id).select('+refreshToken').lean();
    // Two hours less four minutes: inside the five-minute margin, still valid at X.
    const ms = 2 * 3_600_000 - 4 * 60_000;
    world.app.clock.advance(ms);
    await world.simulator.control.advanceTime(ms);
    const posted = await world.alice.agent
      .post(`/api/x/accounts/${id}/posts`)
      .set(world.alice.csrf)
      .send({ text: `Refreshed and posting ${randomBytes(4).toString('hex')}` })
      .expect(201);
    expect(posted.body).toMatchObject({ status: 'posted', reason: null });
    const after = await XAccountModel.findById(id).select('+refreshToken').lean();
    expect(after?.refreshToken?.ciphertext).not.toBe(before?.refreshToken?.ciphertext);
    const rotated = (await world.simulator.x.control.tokens()).filter((t) => t.endedBy === 'rotated');
    expect(rotated.length).toBeGreaterThan(0);
  });

  it('shares racing on an expiring token refresh it once: every one posts and the connection stays', async () => {
    const id = await connectedAccountId(world.alice, ALICE_X.id);
    const ms = 2 * 3_600_000 - 4 * 60_000;
    world.app.clock.advance(ms);
    await world.simulator.control.advanceTime(ms);
    const rotatedBefore = (await world.simulator.x.control.tokens()).filter((t) => t.endedBy === 'rotated');
    const shares = await Promise.all(
      ['apple', 'pear', 'plum', 'fig', 'kiwi', 'lime'].map((fruit) =>
        world.alice.agent
          .post(`/api/x/accounts/${id}/posts`)
          .set(world.alice.csrf)
          .send({ text: `Racing ${fruit} tarts ${randomBytes(3).toString('hex')}` }),
      ),
    );
    expect(shares.map((res) => res.body.status)).toEqual(Array(6).fill('posted'));
    const rotatedAfter = (await world.simulator.x.control.tokens()).filter((t) => t.endedBy === 'rotated');
    expect(rotatedAfter.length - rotatedBefore.length).toBe(1);
    expect((await world.alice.agent.get(`/api/x/accounts/${id}`)).body.status).toBe('connected');
  });

  it('revoking asks X to revoke both tokens, forgets them here, and the account can no longer post', async () => {
    const id = await connectedAccountId(world.alice, ALICE_X.id);
    const sealed = await XAccountModel.findById(id).select('+accessToken +refreshToken').lean();
    const view = await world.alice.agent.delete(`/api/x/accounts/${id}`).set(world.alice.csrf).expect(200);
    expect(view.body.status).toBe('revoked');
    const vault = createTokenVault(world.app.config.TOKEN_ENCRYPTION_KEYS);
    const held = [
      sealed?.accessToken && vault.decrypt(sealed.accessToken, xTokenBinding(id, 'access')),
      sealed?.refreshToken && vault.decrypt(sealed.refreshToken, xTokenBinding(id, 'refresh')),
    ];
    const atX = await world.simulator.x.control.tokens();
    expect(held.map((value) => atX.find((token) => token.value === value)?.endedBy)).toEqual([
      'revoked',
      'revoked',
    ]);
    const stored = await XAccountModel.findById(id).select('+accessToken +refreshToken').lean();
    expect(stored?.accessToken).toBeUndefined();
    expect(stored?.refreshToken).toBeUndefined();
    expect(sealed?.accessToken).toBeDefined();
    const refused = await world.alice.agent
      .post(`/api/x/accounts/${id}/posts`)
      .set(world.alice.csrf)
      .send({ text: 'After revoking' });
    expect(refused.status).toBe(409);
  });

  it('the daily key rotation re-encrypts X tokens with the newest key', async () => {
    const id = await connectedAccountId(world.alice, ALICE_X.id);
    const oldKeys = world.app.config.TOKEN_ENCRYPTION_KEYS;
    const newest = { id: 'k2', key: randomBytes(32) };
    const vault = createTokenVault([newest, ...oldKeys]);
    await rotateSealedSecrets(vault, 'k2');
    const stored = await XAccountModel.findById(id).select('+accessToken +refreshToken').lean();
    expect(stored?.accessToken?.keyId).toBe('k2');
    expect(stored?.refreshToken?.keyId).toBe('k2');
    if (!stored?.accessToken) throw new Error('no token');
    expect(vault.decrypt(stored.accessToken, xTokenBinding(id, 'access')).length).toBeGreaterThan(10);
    // Sealed back with the app's own key, so the rest of the file still posts.
    const appVault = createTokenVault(oldKeys);
    await rotateSealedSecrets(createTokenVault([...oldKeys, newest]), oldKeys[0]?.id ?? '');
    const back = await XAccountModel.findById(id).select('+accessToken').lean();
    if (!back?.accessToken) throw new Error('no token');
    expect(appVault.decrypt(back.accessToken, xTokenBinding(id, 'access')).length).toBeGreaterThan(10);
  });
});
