import request from 'supertest';
import type TestAgent from 'supertest/lib/agent';

export interface LoggedInUser {
  agent: TestAgent;
  /** `{ 'x-csrf-token': ... }`, to `.set()` on every state-changing request. */
  csrf: Record<string, string>;
  /** The raw session cookie, e.g. for socket.io or a second agent. */
  cookie: string;
}

export interface SimulatorLogin {
  appUrl: string;
  simulatorUrl: string;
  facebookUserId: string;
  /** An invitation link to follow before logging in. */
  invitationUrl?: string;
}

/**
 * Facebook Login as a person does it: Pagewire redirects to the simulator's OAuth dialog, the user confirms, the
 * dialog redirects back with a code. Works against any running Pagewire (in-process or a child process).
 */
export async function loginThroughSimulator({
  appUrl,
  simulatorUrl,
  facebookUserId,
  invitationUrl,
}: SimulatorLogin): Promise<LoggedInUser> {
  const agent = request.agent(appUrl);
  const entry = invitationUrl ? new URL(invitationUrl).pathname : '/auth/facebook';
  let response = await agent.get(entry);
  if (response.headers.location?.startsWith('/auth/facebook')) response = await agent.get('/auth/facebook');
  const dialog = new URL(response.headers.location as string);
  const page = await fetch(dialog);
  if (!page.ok) throw new Error(`the simulator's dialog answered ${page.status}`);
  const form = new URLSearchParams({
    client_id: dialog.searchParams.get('client_id') ?? '',
    redirect_uri: dialog.searchParams.get('redirect_uri') ?? '',
    state: dialog.searchParams.get('state') ?? '',
    scope: dialog.searchParams.get('scope') ?? '',
    user_id: facebookUserId,
  });
  const confirmed = await fetch(`${simulatorUrl}/dialog/oauth/confirm`, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const callback = new URL(confirmed.headers.get('location') ?? '');
  const loggedIn = await agent.get(`${callback.pathname}${callback.search}`);
  if (loggedIn.status !== 302) throw new Error(`login failed: ${loggedIn.status} ${loggedIn.text}`);
  const cookie = String(loggedIn.headers['set-cookie']?.[0] ?? '').split(';')[0] ?? '';
  const { csrfToken } = (await agent.get('/api/csrf-token')).body as { csrfToken: string };
  return { agent, cookie, csrf: { 'x-csrf-token': csrfToken } };
}

/** Logs in through the simulator and connects Pages over REST; answers the user and the connect response. */
export async function loginAndConnectPages(login: SimulatorLogin, fbPageIds: string[]) {
  const user = await loginThroughSimulator(login);
  const connected = await user.agent.post('/api/pages').set(user.csrf).send({ fbPageIds });
  return { user, connected };
}

/**
 * X Ads' 3-legged OAuth as a person does it: Pagewire asks X for a request token, the person approves as X user
 * `xUserId` on the simulator's authorize page, X sends them back. `returnPath` is where X sends them (Pagewire's
 * callback with `oauth_token` and `oauth_verifier`), not yet visited.
 */
export async function approveOnXAds(
  user: LoggedInUser,
  xUserId: string,
  draft: Record<string, unknown>,
): Promise<{ returnPath: string }> {
  const started = await user.agent.post('/api/x-ads/connections').set(user.csrf).send(draft);
  if (started.status !== 201) throw new Error(`X Ads connect failed: ${started.status} ${started.text}`);
  const authorizeUrl = new URL(started.body.authorizeUrl as string);
  const approved = await fetch(new URL('authorize', authorizeUrl), {
    method: 'POST',
    body: new URLSearchParams({
      oauth_token: authorizeUrl.searchParams.get('oauth_token') ?? '',
      user_id: xUserId,
    }),
    redirect: 'manual',
  });
  if (approved.status !== 302) throw new Error(`X's authorize page answered ${approved.status}`);
  const callback = new URL(approved.headers.get('location') ?? '');
  return { returnPath: `${callback.pathname}${callback.search}` };
}

/** Connects X Ads through the whole flow; answers the new connection's id. */
export async function connectXAds(
  user: LoggedInUser,
  xUserId: string,
  draft: Record<string, unknown>,
): Promise<string> {
  const { returnPath } = await approveOnXAds(user, xUserId, draft);
  const back = await user.agent.get(returnPath);
  const connected = new URL(String(back.headers.location), 'http://pagewire').searchParams.get('connected');
  if (back.status !== 303 || !connected) throw new Error(`X Ads callback: ${back.status} ${back.text}`);
  return connected;
}
