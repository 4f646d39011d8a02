import axios from 'axios';
import { startSimulator } from '../../simulator/index';
import {
  ADMIN_ID,
  ALL_FIELDS,
  DAY,
  OTHER_PAGE_ID,
  PAGE_ID,
  Receiver,
  startWorld,
  type World,
} from './harness';

const REDIRECT = 'http://127.0.0.1:9/auth/facebook/callback';

describe('Facebook Login and Pages', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(() => world.sim.stop());
  beforeEach(() => world.sim.control.reset());

  async function logIn(scope: string, declined: string[] = []): Promise<string> {
    const dialog = await world.graph.get(`${world.sim.url}/dialog/oauth`, {
      params: {
        client_id: world.sim.appId,
        redirect_uri: REDIRECT,
        scope,
        state: 'xyz',
        response_type: 'code',
      },
    });
    expect(dialog.status).toBe(200);
    for (const permission of scope.split(',')) expect(dialog.data).toContain(`<li>${permission} `);
    expect(dialog.data).toContain('Continue as Ada Admin');
    const form = new URLSearchParams({
      client_id: world.sim.appId,
      redirect_uri: REDIRECT,
      state: 'xyz',
      scope,
      user_id: ADMIN_ID,
    });
    for (const permission of declined) form.append('declined', permission);
    const confirm = await world.graph.post(`${world.sim.url}/dialog/oauth/confirm`, form, {
      maxRedirects: 0,
    });
    expect(confirm.status).toBe(302);
    const location = new URL(String(confirm.headers.location));
    expect(`${location.origin}${location.pathname}`).toBe(REDIRECT);
    expect(location.searchParams.get('state')).toBe('xyz');
    const exchange = await world.graph.get('/oauth/access_token', {
      params: {
        client_id: world.sim.appId,
        client_secret: world.sim.appSecret,
        redirect_uri: REDIRECT,
        code: location.searchParams.get('code'),
      },
    });
    expect(exchange.data).toMatchObject({ token_type: 'bearer', expires_in: expect.any(Number) });
    return exchange.data.access_token as string;
  }

  it('logs a user in through the dialog, a code and a token, then reads /me', async () => {
    const token = await logIn('email,pages_show_list,pages_messaging');
    const me = await world.graph.get('/me', { params: { access_token: token, fields: 'id,name,email' } });
    expect(me.data).toEqual({ id: ADMIN_ID, name: 'Ada Admin', email: 'ada@example.com' });
  });

  it('refuses a code used twice or with another redirect_uri', async () => {
    const dialog = new URLSearchParams({
      client_id: world.sim.appId,
      redirect_uri: REDIRECT,
      scope: 'email',
      user_id: ADMIN_ID,
    });
    const confirm = await world.graph.post(`${world.sim.url}/dialog/oauth/confirm`, dialog, {
      maxRedirects: 0,
    });
    const code = new URL(String(confirm.headers.location)).searchParams.get('code');
    const exchange = (redirectUri: string) =>
      world.graph.get('/oauth/access_token', {
        params: {
          client_id: world.sim.appId,
          client_secret: world.sim.appSecret,
          redirect_uri: redirectUri,
          code,
        },
      });
    expect((await exchange('http://elsewhere/cb')).data.error).toMatchObject({
      code: 100,
      error_subcode: 36008,
    });
    expect((await exchange(REDIRECT)).status).toBe(200);
    expect((await exchange(REDIRECT)).data.error).toMatchObject({ code: 100, error_subcode: 36009 });
  });

  it('a declined permission is missing from /me/permissions and from the Page token', async () => {
    const token = await logIn('email,pages_show_list,pages_messaging', ['pages_messaging']);
    const permissions = await world.graph.get('/me/permissions', { params: { access_token: token } });
    expect(permissions.data.data).toEqual(
      expect.arrayContaining([
        { permission: 'pages_show_list', status: 'granted' },
        { permission: 'pages_messaging', status: 'declined' },
      ]),
    );
    const accounts = await world.graph.get('/me/accounts', { params: { access_token: token } });
    const pageToken = accounts.data.data[0].access_token as string;
    const { psid } = await world.sim.control.sendText('alice', PAGE_ID, 'hi');
    const refused = await world.graph.post(
      `/${PAGE_ID}/messages`,
      { recipient: { id: psid }, messaging_type: 'RESPONSE', message: { text: 'x' } },
      { params: { access_token: pageToken } },
    );
    expect(refused.data.error.code).toBe(200);
  });

  it('lists the Pages a user administers with tokens, tasks and paging cursors', async () => {
    const token = await logIn('pages_show_list,pages_messaging');
    const accounts = await world.graph.get('/me/accounts', { params: { access_token: token } });
    expect(accounts.data.data).toEqual([
      {
        access_token: expect.stringMatching(/^EAA/),
        category: expect.any(String),
        category_list: [expect.objectContaining({ id: expect.any(String), name: expect.any(String) })],
        name: 'Test Bakery',
        id: PAGE_ID,
        tasks: expect.arrayContaining(['MESSAGING', 'MODERATE']),
      },
    ]);
    expect(accounts.data.paging.cursors).toEqual({ before: expect.any(String), after: expect.any(String) });
    expect(accounts.data.data.map((page: { id: string }) => page.id)).not.toContain(OTHER_PAGE_ID);
  });

  it('exchanges a token for a long-lived one and describes it through debug_token', async () => {
    const token = await logIn('email');
    const longLived = await world.graph.get('/oauth/access_token', {
      params: {
        grant_type: 'fb_exchange_token',
        client_id: world.sim.appId,
        client_secret: world.sim.appSecret,
        fb_exchange_token: token,
      },
    });
    expect(longLived.data).toMatchObject({ token_type: 'bearer', expires_in: 5183944 });
    const appToken = `${world.sim.appId}|${world.sim.appSecret}`;
    const debug = await world.graph.get('/debug_token', {
      params: { input_token: longLived.data.access_token, access_token: appToken },
    });
    expect(debug.data.data).toMatchObject({
      app_id: world.sim.appId,
      type: 'USER',
      is_valid: true,
      user_id: ADMIN_ID,
    });
    await world.sim.control.revokeUserToken(ADMIN_ID, 'app_removed');
    const revoked = await world.graph.get('/debug_token', {
      params: { input_token: token, access_token: appToken },
    });
    expect(revoked.data.data).toMatchObject({ is_valid: false, error: { code: 190, subcode: 458 } });
    const me = await world.graph.get('/me', { params: { access_token: token } });
    expect(me.data.error).toMatchObject({ code: 190, error_subcode: 458 });
  });

  it('reads Page fields and gives an admin the Page access token', async () => {
    const token = await logIn('pages_show_list');
    const page = await world.graph.get(`/${PAGE_ID}`, {
      params: { access_token: token, fields: 'id,name,access_token,fan_count' },
    });
    expect(page.data).toEqual({
      id: PAGE_ID,
      name: 'Test Bakery',
      access_token: expect.stringMatching(/^EAA/),
      fan_count: 0,
    });
  });

  it('installs the app on a Page through subscribed_apps and uninstalls it', async () => {
    const params = { access_token: world.pageToken };
    const otherToken = (await world.sim.control.info()).pages.find(
      (page) => page.id === OTHER_PAGE_ID,
    )?.accessToken;
    const path = `/${OTHER_PAGE_ID}/subscribed_apps`;
    expect((await world.graph.get(path, { params: { access_token: otherToken } })).data).toEqual({
      data: [],
    });
    const installed = await world.graph.post(path, null, {
      params: { access_token: otherToken, subscribed_fields: 'messages,feed' },
    });
    expect(installed.data).toEqual({ success: true });
    const listed = await world.graph.get(path, { params: { access_token: otherToken } });
    expect(listed.data.data[0]).toMatchObject({
      id: world.sim.appId,
      subscribed_fields: ['messages', 'feed'],
    });
    expect((await world.graph.post(path, null, { params })).data.error.code).toBe(100);
    expect(
      (await world.graph.post(path, null, { params: { access_token: otherToken } })).data.error.message,
    ).toMatch(/subscribed_fields/);
    expect((await world.graph.delete(path, { params: { access_token: otherToken } })).data).toEqual({
      success: true,
    });
    expect((await world.sim.control.page(OTHER_PAGE_ID)).subscribedFields).toBeNull();
  });

  it('sets the callback URL through /{app-id}/subscriptions only when the callback echoes the challenge', async () => {
    const receiver = await new Receiver().start();
    try {
      const appToken = `${world.sim.appId}|${world.sim.appSecret}`;
      const subscribe = (verifyToken: string) =>
        world.graph.post(`/${world.sim.appId}/subscriptions`, null, {
          params: {
            access_token: appToken,
            object: 'page',
            callback_url: receiver.url,
            verify_token: verifyToken,
            fields: ALL_FIELDS.join(','),
          },
        });
      expect((await subscribe('wrong')).data.error.code).toBe(2200);
      expect((await subscribe('verify-me')).data).toEqual({ success: true });
      await world.sim.control.sendText('alice', PAGE_ID, 'now you hear me');
      await world.sim.control.waitForWebhookIdle();
      expect(receiver.events()).toHaveLength(1);
      const withPageToken = await world.graph.post(`/${world.sim.appId}/subscriptions`, null, {
        params: { access_token: world.pageToken },
      });
      expect(withPageToken.data.error.code).toBe(15);
    } finally {
      await receiver.stop();
    }
  });
});

describe('the sandbox across restarts', () => {
  type Sim = Awaited<ReturnType<typeof startSimulator>>;
  const graphOf = (sim: Sim) =>
    axios.create({ baseURL: `${sim.url}/${sim.apiVersion}`, validateStatus: () => true });

  /** Facebook Login as the app does it: the dialog's code, then the long-lived token. */
  async function logInAsAda(sim: Sim): Promise<string> {
    const form = new URLSearchParams({
      client_id: sim.appId,
      redirect_uri: REDIRECT,
      scope: 'pages_show_list',
      user_id: ADMIN_ID,
    });
    const confirm = await axios.post(`${sim.url}/dialog/oauth/confirm`, form, {
      maxRedirects: 0,
      validateStatus: () => true,
    });
    const code = new URL(String(confirm.headers.location)).searchParams.get('code');
    const credentials = { client_id: sim.appId, client_secret: sim.appSecret };
    const short = await graphOf(sim).get('/oauth/access_token', {
      params: { ...credentials, redirect_uri: REDIRECT, code },
    });
    const long = await graphOf(sim).get('/oauth/access_token', {
      params: { ...credentials, grant_type: 'fb_exchange_token', fb_exchange_token: short.data.access_token },
    });
    return long.data.access_token as string;
  }
  const whoIs = async (sim: Sim, token: string) => {
    const answer = await graphOf(sim).get('/me', { params: { access_token: token, fields: 'name' } });
    return answer.status === 200
      ? (answer.data.name as string)
      : `${answer.data.error?.code}/${answer.data.error?.error_subcode ?? '-'}`;
  };

  it('a user token from Facebook Login is known again after the simulator restarts, and still expires after 60 days', async () => {
    const options = {
      seed: { users: [{ id: ADMIN_ID, name: 'Ada Admin', email: 'ada@example.com' }] },
      startTime: Date.parse('2026-03-01T00:00:00Z'),
    };
    const first = await startSimulator(options);
    let token: string;
    try {
      token = await logInAsAda(first);
      expect(await whoIs(first, token)).toBe('Ada Admin');
    } finally {
      await first.stop();
    }

    const restarted = await startSimulator(options);
    try {
      expect(await whoIs(restarted, token)).toBe('Ada Admin');
      const listed = await graphOf(restarted).get('/me/accounts', { params: { access_token: token } });
      expect(listed.status).toBe(200);
      const forged = token.replace(/\d$/, (digit) => String((Number(digit) + 1) % 10));
      expect(await whoIs(restarted, forged)).toBe('190/-');
      await restarted.control.advanceTime(61 * DAY);
      expect(await whoIs(restarted, token)).toBe('190/463');
    } finally {
      await restarted.stop();
    }
  });

  it('after a revocation the next login gets another user token, and the revoked one stays refused', async () => {
    const sim = await startSimulator({
      seed: { users: [{ id: ADMIN_ID, name: 'Ada Admin', email: 'ada@example.com' }] },
    });
    try {
      const revoked = await logInAsAda(sim);
      await sim.control.revokeUserToken(ADMIN_ID, 'password_changed');
      const fresh = await logInAsAda(sim);
      expect(fresh).not.toBe(revoked);
      expect(await whoIs(sim, revoked)).toBe('190/460');
      expect(await whoIs(sim, fresh)).toBe('Ada Admin');
    } finally {
      await sim.stop();
    }
  });

  it('a Page token handed out through /me/accounts still works after the simulator restarts from the same seed', async () => {
    const seed = {
      appId: '900100200300400',
      appSecret: 'restart-secret',
      pages: [{ id: PAGE_ID, name: 'Test Bakery', adminUserIds: [ADMIN_ID], subscribedFields: ALL_FIELDS }],
      users: [{ id: ADMIN_ID, name: 'Ada Admin', email: 'ada@example.com', accessToken: 'ada-user-token' }],
    };
    const pageName = async (sim: Awaited<ReturnType<typeof startSimulator>>, token: string) => {
      const graph = axios.create({ baseURL: `${sim.url}/${sim.apiVersion}`, validateStatus: () => true });
      const answer = await graph.get(`/${PAGE_ID}`, { params: { access_token: token, fields: 'name' } });
      return answer.status === 200
        ? (answer.data.name as string)
        : `${answer.status} ${answer.data.error?.code}`;
    };

    const first = await startSimulator({ seed });
    let pageToken: string;
    try {
      const graph = axios.create({ baseURL: `${first.url}/${first.apiVersion}` });
      const accounts = await graph.get('/me/accounts', { params: { access_token: 'ada-user-token' } });
      pageToken = accounts.data.data[0].access_token as string;
      expect(await pageName(first, pageToken)).toBe('Test Bakery');
    } finally {
      await first.stop();
    }

    const restarted = await startSimulator({ seed });
    try {
      expect(await pageName(restarted, pageToken)).toBe('Test Bakery');
      expect(await pageName(restarted, `${pageToken}x`)).toBe('400 190');
    } finally {
      await restarted.stop();
    }
  });
});
