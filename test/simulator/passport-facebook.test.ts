import { Strategy as FacebookStrategy, type Profile } from 'passport-facebook';
import { ADMIN_ID, startWorld, type World } from './harness';

interface OAuth2Client {
  getOAuthAccessToken(code: string, params: object, done: (error: unknown, token: string) => void): void;
}

const CALLBACK = 'http://127.0.0.1:9/auth/facebook/callback';

describe('passport-facebook against the simulator', () => {
  let world: World;

  beforeAll(async () => {
    world = await startWorld();
  });
  afterAll(() => world.sim.stop());

  it('exchanges the dialog code and loads the profile with the strategy configured with simulator URLs', async () => {
    const graphBase = `${world.sim.url}/${world.sim.apiVersion}`;
    const strategy = new FacebookStrategy(
      {
        clientID: world.sim.appId,
        clientSecret: world.sim.appSecret,
        callbackURL: CALLBACK,
        authorizationURL: `${world.sim.url}/dialog/oauth`,
        tokenURL: `${graphBase}/oauth/access_token`,
        profileURL: `${graphBase}/me`,
        profileFields: ['id', 'displayName', 'emails'],
        enableProof: true,
      },
      () => undefined,
    );
    const form = new URLSearchParams({
      client_id: world.sim.appId,
      redirect_uri: CALLBACK,
      scope: 'email',
      user_id: ADMIN_ID,
    });
    const confirm = await world.graph.post(`${world.sim.url}/dialog/oauth/confirm`, form, {
      maxRedirects: 0,
    });
    const code = new URL(String(confirm.headers.location)).searchParams.get('code') ?? '';
    const oauth2 = (strategy as unknown as { _oauth2: OAuth2Client })._oauth2;
    const accessToken = await new Promise<string>((resolve, reject) =>
      oauth2.getOAuthAccessToken(
        code,
        { grant_type: 'authorization_code', redirect_uri: CALLBACK },
        (error: unknown, token: string) => (error ? reject(error) : resolve(token)),
      ),
    );
    const profile = await new Promise<Profile>((resolve, reject) =>
      strategy.userProfile(accessToken, (error, user) => (error ? reject(error) : resolve(user as Profile))),
    );
    expect(profile).toMatchObject({
      id: ADMIN_ID,
      displayName: 'Ada Admin',
      emails: [{ value: 'ada@example.com' }],
    });
  });
});
