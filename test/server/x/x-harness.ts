import type { LoggedInUser } from '../../support/app-harness';

/**
 * Connects a member's X account as a person does: Pagewire answers X's consent page, the person approves it as the
 * X user, X redirects back to /auth/x/callback. Answers where the callback sent the browser.
 */
export async function connectXAccount(
  user: LoggedInUser,
  xUserId: string,
  options: { decision?: 'authorize' | 'cancel'; tamperState?: boolean } = {},
): Promise<URL> {
  const started = await user.agent.post('/api/x/accounts/connect').set(user.csrf).expect(200);
  const consentUrl = new URL(started.body.authorizeUrl as string);
  const consent = await fetch(consentUrl);
  if (!consent.ok) throw new Error(`X's consent page answered ${consent.status}`);
  const form = new URLSearchParams(consentUrl.searchParams);
  form.set('user_id', xUserId);
  form.set('decision', options.decision ?? 'authorize');
  const decided = await fetch(consentUrl.origin + consentUrl.pathname, {
    method: 'POST',
    body: form,
    redirect: 'manual',
  });
  const callback = new URL(decided.headers.get('location') ?? '');
  if (options.tamperState) callback.searchParams.set('state', 'forged-state');
  const back = await user.agent.get(`${callback.pathname}${callback.search}`);
  if (back.status !== 302) throw new Error(`callback answered ${back.status} ${back.text}`);
  return new URL(back.headers.location as string, 'http://dashboard');
}

/** Connects and answers the new account's id. */
export async function connectedAccountId(user: LoggedInUser, xUserId: string): Promise<string> {
  const landed = await connectXAccount(user, xUserId);
  if (!landed.searchParams.get('connected')) throw new Error(`not connected: ${landed.toString()}`);
  const accounts = await user.agent.get('/api/x/accounts').expect(200);
  const account = (accounts.body.data as { id: string; xUserId: string }[]).find(
    (a) => a.xUserId === xUserId,
  );
  if (!account) throw new Error('the connected account is not listed');
  return account.id;
}

/** Polls until `check` answers something, for work a job does. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
