import { Strategy as FacebookStrategy, type Profile } from 'passport-facebook';
import type { GraphClient } from './graph-client';

/** Who Facebook says logged in, with the short-lived user token the dialog produced. */
export interface FacebookLogin {
  facebookUserId: string;
  name: string;
  email?: string;
  accessToken: string;
}

export interface LoginStrategyOptions {
  appId: string;
  appSecret: string;
  /** Where the Login dialog lives: https://www.facebook.com, or the simulator. */
  dialogUrl: string;
  /** The Graph API base URL: https://graph.facebook.com, or the simulator. */
  graphUrl: string;
  apiVersion: string;
  callbackUrl: string;
  scope: readonly string[];
  /** Redeems the dialog's code, so the exchange goes through the one Graph client (proof, timeout, retries). */
  graph: Pick<GraphClient, 'exchangeCode'>;
}

type TokenCallback = (error: unknown, accessToken?: string, refreshToken?: string, results?: unknown) => void;

/**
 * passport-oauth2 redeems the code with a form POST; Graph documents (and the simulator serves) a GET. The strategy's
 * OAuth2 helper is pointed at our Graph client's exchange instead.
 */
function redeemCodesWith(strategy: FacebookStrategy, graph: LoginStrategyOptions['graph']): void {
  const oauth2 = (strategy as unknown as { _oauth2: { getOAuthAccessToken: unknown } })._oauth2;
  oauth2.getOAuthAccessToken = (code: string, params: { redirect_uri?: string }, done: TokenCallback) => {
    graph
      .exchangeCode({ code, redirectUri: params.redirect_uri ?? '' })
      .then((token) => done(null, token.accessToken, undefined, {}))
      .catch((error: unknown) => done(error));
  };
}

export const facebookStrategyName = 'facebook';

function loginFrom(profile: Profile, accessToken: string): FacebookLogin {
  const email = profile.emails?.[0]?.value;
  return {
    facebookUserId: profile.id,
    name: profile.displayName || profile.id,
    ...(email ? { email } : {}),
    accessToken,
  };
}

/**
 * Facebook Login (OAuth 2.0 code flow) with every URL taken from configuration, so the same code logs in against
 * Facebook in production and against the simulator in tests. `state` guards the callback against login CSRF;
 * `enableProof` adds appsecret_proof to the profile read.
 */
export function createFacebookLoginStrategy(options: LoginStrategyOptions): FacebookStrategy {
  const graphBase = `${options.graphUrl.replace(/\/$/, '')}/${options.apiVersion}`;
  const strategy = new FacebookStrategy(
    {
      clientID: options.appId,
      clientSecret: options.appSecret,
      callbackURL: options.callbackUrl,
      authorizationURL: `${options.dialogUrl.replace(/\/$/, '')}/dialog/oauth`,
      tokenURL: `${graphBase}/oauth/access_token`,
      profileURL: `${graphBase}/me`,
      profileFields: ['id', 'displayName', 'emails'],
      scope: [...options.scope],
      enableProof: true,
      state: true,
    },
    (
      accessToken: string,
      _refreshToken: string,
      profile: Profile,
      done: (error: unknown, user?: FacebookLogin) => void,
    ) => done(null, loginFrom(profile, accessToken)),
  );
  redeemCodesWith(strategy, options.graph);
  return strategy;
}
