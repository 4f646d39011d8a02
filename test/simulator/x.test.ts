import { createHash, randomBytes } from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import { startSimulator, type Simulator } from '../../simulator';

const ADA = { id: '1600000000000000101', username: 'ada_bakes', name: 'Ada Bakes', followersCount: 4321 };
const REDIRECT = 'http://127.0.0.1:1/auth/x/callback';
const SCOPES = 'tweet.read tweet.write users.read offline.access';

let sim: Simulator;
let x: AxiosInstance;

beforeAll(async () => {
  sim = await startSimulator({ x: { users: [ADA] } });
  x = axios.create({ baseURL: `${sim.url}/x`, validateStatus: () => true });
});
afterAll(() => sim.stop());
afterEach(() => sim.control.reset());

const basic = () => `Basic ${Buffer.from(`${sim.x.clientId}:${sim.x.clientSecret}`).toString('base64')}`;
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/** Opens the consent page as a browser would, then submits its form with the given decision. */
async function authorize(options: { verifier: string; scope?: string; decision?: string }) {
  const challenge = createHash('sha256').update(options.verifier).digest('base64url');
  const query = {
    response_type: 'code',
    client_id: sim.x.clientId,
    redirect_uri: REDIRECT,
    scope: options.scope ?? SCOPES,
    state: 'state-123',
    code_challenge: challenge,
    code_challenge_method: 'S256',
  };
  const consent = await x.get('/i/oauth2/authorize', { params: query });
  expect(consent.status).toBe(200);
  expect(consent.data).toContain(`<li>${query.scope.split(' ')[0]}</li>`);
  const decided = await x.post(
    '/i/oauth2/authorize',
    form({ ...query, user_id: ADA.id, decision: options.decision ?? 'authorize' }),
    { maxRedirects: 0 },
  );
  expect(decided.status).toBe(302);
  return new URL(decided.headers.location as string);
}

async function exchange(code: string, verifier: string) {
  return x.post(
    '/2/oauth2/token',
    form({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }),
    { headers: { authorization: basic() } },
  );
}

async function connect(scope = SCOPES) {
  const verifier = randomBytes(32).toString('base64url');
  const callback = await authorize({ verifier, scope });
  const tokens = await exchange(callback.searchParams.get('code') ?? '', verifier);
  expect(tokens.status).toBe(200);
  return tokens.data as { access_token: string; refresh_token?: string; expires_in: number; scope: string };
}

const bearer = (token: string) => ({ headers: { authorization: `Bearer ${token}` } });

describe('the X simulator: OAuth 2.0 with PKCE', () => {
  it('an approved consent redirects with the state and a code that the right verifier exchanges once', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const callback = await authorize({ verifier });
    expect(callback.searchParams.get('state')).toBe('state-123');
    const code = callback.searchParams.get('code') ?? '';
    expect((await exchange(code, 'a-different-verifier-of-enough-length-000')).data).toEqual({
      error: 'invalid_request',
      error_description: 'Value passed for the authorization code was invalid.',
    });
    const tokens = await exchange(code, verifier);
    expect(tokens.data).toMatchObject({ token_type: 'bearer', expires_in: 7200, scope: SCOPES });
    expect(tokens.data.refresh_token).toEqual(expect.any(String));
    expect((await exchange(code, verifier)).status).toBe(400);
  });

  it('a cancelled consent redirects with access_denied and no code', async () => {
    const callback = await authorize({ verifier: 'v'.repeat(43), decision: 'cancel' });
    expect(callback.searchParams.get('error')).toBe('access_denied');
    expect(callback.searchParams.get('code')).toBeNull();
  });

  it('a code is refused after 30 seconds', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const callback = await authorize({ verifier });
    await sim.control.advanceTime(31_000);
    expect((await exchange(callback.searchParams.get('code') ?? '', verifier)).status).toBe(400);
  });

  it('a refresh token is rotated: the new pair works, the old refresh token is refused', async () => {
    const first = await connect();
    const refresh = (token: string) =>
      x.post('/2/oauth2/token', form({ grant_type: 'refresh_token', refresh_token: token }), {
        headers: { authorization: basic() },
      });
    const second = await refresh(first.refresh_token ?? '');
    expect(second.status).toBe(200);
    expect(second.data.refresh_token).not.toBe(first.refresh_token);
    expect((await refresh(first.refresh_token ?? '')).status).toBe(400);
    expect((await x.get('/2/users/me', bearer(second.data.access_token))).status).toBe(200);
  });

  it('an access token expires after two hours and a revoked one is refused at once', async () => {
    const tokens = await connect();
    await sim.control.advanceTime(7_200_000);
    expect((await x.get('/2/users/me', bearer(tokens.access_token))).status).toBe(401);
    const fresh = await connect();
    const revoked = await x.post('/2/oauth2/revoke', form({ token: fresh.access_token }), {
      headers: { authorization: basic() },
    });
    expect(revoked.data).toEqual({ revoked: true });
    expect((await x.get('/2/users/me', bearer(fresh.access_token))).status).toBe(401);
  });

  it('a wrong client secret is refused with invalid_client', async () => {
    const res = await x.post('/2/oauth2/token', form({ grant_type: 'refresh_token', refresh_token: 'x' }), {
      headers: { authorization: `Basic ${Buffer.from(`${sim.x.clientId}:wrong`).toString('base64')}` },
    });
    expect(res.status).toBe(401);
    expect(res.data.error).toBe('invalid_client');
  });

  it('without offline.access there is no refresh token', async () => {
    expect((await connect('tweet.read users.read')).refresh_token).toBeUndefined();
  });
});

describe('the X simulator: users and posts', () => {
  it('users/me reports the follower count the control API sets', async () => {
    const { access_token } = await connect();
    const me = await x.get('/2/users/me?user.fields=public_metrics', bearer(access_token));
    expect(me.data.data).toMatchObject({ id: ADA.id, username: ADA.username });
    expect(me.data.data.public_metrics.followers_count).toBe(4321);
    await sim.x.control.setFollowers(ADA.id, 5000);
    const later = await x.get('/2/users/me?user.fields=public_metrics', bearer(access_token));
    expect(later.data.data.public_metrics.followers_count).toBe(5000);
  });

  it('a post is created, read with public_metrics, refused as a duplicate, and deleted', async () => {
    const { access_token } = await connect();
    const created = await x.post('/2/tweets', { text: 'Fresh bread at 7' }, bearer(access_token));
    expect(created.status).toBe(201);
    const id = created.data.data.id as string;
    await sim.x.control.setPostMetrics(id, { impression_count: 99 });
    const read = await x.get(`/2/tweets/${id}?tweet.fields=public_metrics`, bearer(access_token));
    expect(read.data.data.public_metrics).toMatchObject({ impression_count: 99, like_count: 0 });
    const again = await x.post('/2/tweets', { text: 'fresh  bread at 7 ' }, bearer(access_token));
    expect(again.status).toBe(403);
    expect(again.data.detail).toBe('You are not allowed to create a Tweet with duplicate content.');
    expect((await x.delete(`/2/tweets/${id}`, bearer(access_token))).data).toEqual({
      data: { deleted: true },
    });
    expect((await sim.x.control.posts())[0]?.deletedAt).toEqual(expect.any(Number));
  });

  it('a token without tweet.write may not post', async () => {
    const { access_token } = await connect('tweet.read users.read');
    expect((await x.post('/2/tweets', { text: 'Hi' }, bearer(access_token))).status).toBe(403);
  });

  it('every answer carries the rate-limit headers, and the call past the limit is a 429 until the reset', async () => {
    await sim.x.control.setRateLimits({ 'GET /2/users/me': { limit: 2, windowSeconds: 60 } });
    const { access_token } = await connect();
    const first = await x.get('/2/users/me', bearer(access_token));
    expect(first.headers['x-rate-limit-limit']).toBe('2');
    expect(first.headers['x-rate-limit-remaining']).toBe('1');
    expect(Number(first.headers['x-rate-limit-reset'])).toBeGreaterThan(0);
    expect((await x.get('/2/users/me', bearer(access_token))).headers['x-rate-limit-remaining']).toBe('0');
    const refused = await x.get('/2/users/me', bearer(access_token));
    expect(refused.status).toBe(429);
    expect(refused.headers['x-rate-limit-remaining']).toBe('0');
    await sim.control.advanceTime(60_000);
    expect((await x.get('/2/users/me', bearer(access_token))).status).toBe(200);
  });
});
