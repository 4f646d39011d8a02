import request from 'supertest';
import axios from 'axios';
import { XAdsAuthorizationModel } from '../../../models/x-ads-authorization';
import { XAdsConnectionModel } from '../../../models/x-ads-connection';
import { XAdsMetricModel } from '../../../models/x-ads-metric';
import { startSimulator, type Simulator } from '../../../simulator/index';
import { startTestApp, type LoggedInUser, type TestApp } from '../../support/app-harness';
import { useTestDatabase } from '../../support/database';
import { approveOnXAds, connectXAds } from '../../support/simulator-login';
import { tenancySeed } from '../../support/tenancy-seed';

const ACCOUNT = '18ce54d4x5t';
const AD_MANAGER = '7002';
const TWEET_COMPOSER = '7003';

describe('X Ads connections, roles, privacy and the pacer', () => {
  useTestDatabase();
  let simulator: Simulator;
  let app: TestApp;
  let alice: LoggedInUser;
  let carol: LoggedInUser;
  let dave: LoggedInUser;

  const invitedAgent = async (facebookUserId: string) => {
    const invitation = await alice.agent.post('/api/invitations').set(alice.csrf).send({ role: 'agent' });
    return app.login(facebookUserId, { invitationUrl: invitation.body.url });
  };

  beforeAll(async () => {
    simulator = await startSimulator({ seed: tenancySeed });
    app = await startTestApp({ simulator });
    alice = await app.login('1001');
    carol = await invitedAgent('1003');
    dave = await invitedAgent('1004');
    const carolId = (await carol.agent.get('/api/me')).body.user.id as string;
    await alice.agent
      .patch(`/api/members/${carolId}`)
      .set(alice.csrf)
      .send({ teamIds: ['ads-team'] })
      .expect(204);
  }, 30_000);
  afterAll(async () => {
    await app.stop();
    await simulator.stop();
  });

  it('an Ad Manager is offered and sees campaign and account metrics; a Tweet Composer sees none', async () => {
    const manager = await connectXAds(alice, AD_MANAGER, { name: 'Mo on X' });
    const composer = await connectXAds(alice, TWEET_COMPOSER, { name: 'Tess on X' });

    const managerView = (await alice.agent.get(`/api/x-ads/connections/${manager}`).expect(200)).body;
    expect(managerView).toMatchObject({
      name: 'Mo on X',
      status: 'active',
      xUser: { screenName: 'mo_manager' },
      accounts: [{ accountId: ACCOUNT, roles: ['Ad Manager'], metricsOffered: ['campaign', 'account'] }],
    });
    const pulled = (
      await alice.agent.post(`/api/x-ads/connections/${manager}/pull`).set(alice.csrf).expect(200)
    ).body;
    expect(pulled.data[0].account).toHaveLength(7);
    expect(pulled.data[0].account[0].impressions).toBeGreaterThan(0);
    expect(pulled.data[0].campaigns.map((c: { name: string }) => c.name).sort()).toEqual([
      'Sourdough launch',
      'Weekend brunch',
    ]);

    const composerView = (await alice.agent.get(`/api/x-ads/connections/${composer}`).expect(200)).body;
    expect(composerView.accounts[0]).toMatchObject({ roles: ['Tweet Composer'], metricsOffered: [] });
    const none = (
      await alice.agent.post(`/api/x-ads/connections/${composer}/pull`).set(alice.csrf).expect(200)
    ).body;
    expect(none.data[0]).toMatchObject({ metricsOffered: [], account: [], campaigns: [] });
    expect(await XAdsMetricModel.countDocuments({ connection: composer })).toBe(0);
    const { data: tally } = await axios.get(`${simulator.url}/_sim/x-ads/rate-tally`);
    expect(tally.refused).toBe(0);
  });

  it('a role taken away on X stops the pulls of that account at the next pull', async () => {
    const connection = await connectXAds(alice, AD_MANAGER, { name: 'Demoted' });
    await axios.put(`${simulator.url}/_sim/x-ads/access`, {
      accountId: ACCOUNT,
      userId: AD_MANAGER,
      permissions: ['TWEET_COMPOSER'],
    });
    try {
      const after = (
        await alice.agent.post(`/api/x-ads/connections/${connection}/pull`).set(alice.csrf).expect(200)
      ).body;
      expect(after.data[0]).toMatchObject({ roles: ['Tweet Composer'], metricsOffered: [], account: [] });
    } finally {
      await axios.put(`${simulator.url}/_sim/x-ads/access`, {
        accountId: ACCOUNT,
        userId: AD_MANAGER,
        permissions: ['AD_MANAGER'],
      });
    }
  });

  it('privacy as Pages: a private connection is its owner’s and the admins’, a team one its team’s', async () => {
    const privateOne = await connectXAds(alice, AD_MANAGER, {
      name: 'Private',
      sharing: { scope: 'private' },
    });
    const teamOne = await connectXAds(alice, AD_MANAGER, {
      name: 'Team',
      sharing: { scope: 'team', teamId: 'ads-team' },
    });
    const idsSeenBy = async (user: LoggedInUser) =>
      ((await user.agent.get('/api/x-ads/connections').expect(200)).body.data as { id: string }[]).map(
        (c) => c.id,
      );

    expect(await idsSeenBy(alice)).toEqual(expect.arrayContaining([privateOne, teamOne]));
    expect(await idsSeenBy(carol)).toContain(teamOne);
    expect(await idsSeenBy(carol)).not.toContain(privateOne);
    expect(await idsSeenBy(dave)).not.toContain(teamOne);
    expect(await idsSeenBy(dave)).not.toContain(privateOne);
    await dave.agent.get(`/api/x-ads/connections/${teamOne}/metrics`).expect(404);
    await carol.agent.get(`/api/x-ads/connections/${privateOne}`).expect(404);
    const asCarol = (await carol.agent.get('/api/x-ads/connections').expect(200)).body;
    expect(asCarol.can).toEqual({ connect: false, pull: false });
    expect(asCarol.data.find((c: { id: string }) => c.id === teamOne).mayChange).toBe(false);
    const asAlice = (await alice.agent.get('/api/x-ads/connections').expect(200)).body;
    expect(asAlice.can).toEqual({ connect: true, pull: true });
    expect(asAlice.data.find((c: { id: string }) => c.id === teamOne).mayChange).toBe(true);
    await carol.agent.delete(`/api/x-ads/connections/${teamOne}`).set(carol.csrf).expect(403);
    await carol.agent.post('/api/x-ads/connections').set(carol.csrf).send({ name: 'x' }).expect(403);
  });

  it('tokens are sealed at rest and never answered or logged', async () => {
    const connection = await connectXAds(alice, AD_MANAGER, { name: 'Sealed' });
    const raw = await XAdsConnectionModel.collection.findOne({ name: 'Sealed' });
    const view = await alice.agent.get(`/api/x-ads/connections/${connection}`).expect(200);
    const tokenPrefix = `${AD_MANAGER}-`;
    expect(raw?.accessToken?.ciphertext).toEqual(expect.any(String));
    expect(JSON.stringify(raw)).not.toContain(tokenPrefix);
    expect(JSON.stringify(view.body)).not.toContain(tokenPrefix);
    expect(app.logs()).not.toContain(tokenPrefix);
  });

  it('bad input is a 4xx: an unknown field, a bad id', async () => {
    await alice.agent
      .post('/api/x-ads/connections')
      .set(alice.csrf)
      .send({ name: 'x', extra: 1 })
      .expect(400);
    await alice.agent.get('/api/x-ads/connections/not-an-id').expect(400);
  });

  /** Where the callback sent the person, and the error the X Ads screen is given to show. */
  const landing = async (path: string) => {
    const back = await alice.agent.get(path).expect(303);
    const location = new URL(String(back.headers.location), 'http://pagewire');
    return { path: location.pathname, error: location.searchParams.get('error') };
  };

  it('a callback that fails sends the person back to the X Ads screen with what went wrong, never raw JSON', async () => {
    // Forged or replayed, or no answer X would send.
    expect(await landing('/api/x-ads/callback?oauth_token=forged&oauth_verifier=x')).toEqual({
      path: '/x-ads',
      error: expect.stringMatching(/unknown, expired or was already used: connect again/),
    });
    expect(await landing('/api/x-ads/callback')).toEqual({
      path: '/x-ads',
      error: expect.stringMatching(/unknown, expired/),
    });
    expect(await landing('/api/x-ads/callback?oauth_token=a&oauth_token=b')).toEqual({
      path: '/x-ads',
      error: expect.stringMatching(/cannot read/),
    });

    // The person cancels on X: X sends back `denied`, and the pending authorization is forgotten.
    const started = await alice.agent
      .post('/api/x-ads/connections')
      .set(alice.csrf)
      .send({ name: 'Cancelled' });
    const authorizeUrl = new URL(started.body.authorizeUrl as string);
    const requestToken = authorizeUrl.searchParams.get('oauth_token') ?? '';
    const cancelled = await fetch(new URL('authorize', authorizeUrl), {
      method: 'POST',
      body: new URLSearchParams({ oauth_token: requestToken, cancel: '1' }),
      redirect: 'manual',
    });
    const deniedPath = new URL(cancelled.headers.get('location') ?? '');
    expect(deniedPath.searchParams.get('denied')).toBe(requestToken);
    expect(await landing(`${deniedPath.pathname}${deniedPath.search}`)).toEqual({
      path: '/x-ads',
      error: 'You cancelled on X: nothing was connected.',
    });
    expect(await XAdsAuthorizationModel.countDocuments({ requestToken })).toBe(0);

    // A verifier X does not accept (expired, tampered with): X answers 401.
    const { returnPath } = await approveOnXAds(alice, AD_MANAGER, { name: 'Tampered' });
    expect(await landing(returnPath.replace(/oauth_verifier=[^&]+/, 'oauth_verifier=tampered'))).toEqual({
      path: '/x-ads',
      error: expect.stringMatching(/X did not accept the authorization/),
    });
    expect(await XAdsConnectionModel.countDocuments({ name: { $in: ['Cancelled', 'Tampered'] } })).toBe(0);

    // The Pagewire session ended while the person was on X: back on the screen, told to log in.
    const sessionless = await request(app.url)
      .get('/api/x-ads/callback?oauth_token=t&oauth_verifier=v')
      .expect(303);
    const location = new URL(String(sessionless.headers.location), 'http://pagewire');
    expect(location.pathname).toBe('/x-ads');
    expect(location.searchParams.get('error')).toMatch(/session ended before you came back: log in/);
  });

  it('X unreachable at the callback: back on the X Ads screen, told to try again', async () => {
    const { returnPath } = await approveOnXAds(alice, AD_MANAGER, { name: 'Unreachable' });
    const oauthUrl = app.config.X_ADS_OAUTH_URL;
    await app.restart({ X_ADS_OAUTH_URL: 'http://127.0.0.1:9', X_ADS_MAX_RETRIES: 0 });
    try {
      expect(await landing(returnPath)).toEqual({
        path: '/x-ads',
        error: 'X could not be reached: try again in a moment.',
      });
    } finally {
      await app.restart({ X_ADS_OAUTH_URL: oauthUrl, X_ADS_MAX_RETRIES: app.config.X_ADS_MAX_RETRIES });
    }
  });

  it('1,000 pulls against a small limit slow down before it and none is refused with 429', async () => {
    await axios.put(`${simulator.url}/_sim/x-ads/rate-limit`, { limit: 100, windowMs: 1_000 });
    const { data: token } = await axios.post(`${simulator.url}/_sim/x-ads/tokens`, { userId: AD_MANAGER });
    const credentials = { token: token.oauthToken as string, tokenSecret: token.oauthTokenSecret as string };
    const { client, pacer } = app.server().xAds.services;
    const waitsBefore = pacer.waits();
    // The scheduled pull may call X beside the test's pulls: counted from here, by difference.
    const { data: before } = await axios.get(`${simulator.url}/_sim/x-ads/rate-tally`);
    const today = Math.floor(Date.now() / 86_400_000) * 86_400_000;
    let next = 0;
    const pullAll = async () => {
      while (next < 1_000) {
        next += 1;
        await client().dailyStats(credentials, ACCOUNT, {
          entity: 'ACCOUNT',
          entityIds: [ACCOUNT],
          startTime: new Date(today - 86_400_000),
          endTime: new Date(today),
        });
      }
    };
    // Eight pulls in flight at once, as several workers or processes would make them.
    await Promise.all(Array.from({ length: 8 }, pullAll));

    const { data: tally } = await axios.get(`${simulator.url}/_sim/x-ads/rate-tally`);
    expect(tally.served - before.served).toBeGreaterThanOrEqual(1_000);
    expect(tally.refused - before.refused).toBe(0);
    expect(tally.lowestRemaining).toBeGreaterThan(0);
    expect(pacer.waits() - waitsBefore).toBeGreaterThan(0);
  }, 120_000);
});
