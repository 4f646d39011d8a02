import { createHmac } from 'node:crypto';
import axios, { type AxiosResponse } from 'axios';
import OAuth from 'oauth-1.0a';
import { startSimulator, type Simulator } from '../../simulator';

let sim: Simulator;
const ACCOUNT = '18ce54d4x5t';
const ADMIN = '7001';
const COMPOSER = '7003';

beforeAll(async () => {
  sim = await startSimulator({ xAds: { rateLimit: { limit: 5, windowMs: 60_000 } } });
});
afterAll(() => sim.stop());
beforeEach(() => axios.post(`${sim.url}/_sim/reset`));

const oauthFor = (consumerSecret = sim.xAds.consumerSecret) =>
  new OAuth({
    consumer: { key: sim.xAds.consumerKey, secret: consumerSecret },
    signature_method: 'HMAC-SHA1',
    hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
  });

async function tokenFor(userId: string): Promise<OAuth.Token> {
  const { data } = await axios.post<{ oauthToken: string; oauthTokenSecret: string }>(
    `${sim.url}/_sim/x-ads/tokens`,
    { userId },
  );
  return { key: data.oauthToken, secret: data.oauthTokenSecret };
}

function signedGet(path: string, token: OAuth.Token, oauth = oauthFor()): Promise<AxiosResponse> {
  const url = `${sim.xAds.baseUrl}${path}`;
  const header = oauth.toHeader(oauth.authorize({ url, method: 'GET' }, token));
  return axios.get(url, { headers: { ...header }, validateStatus: () => true });
}

describe('X Ads API in the simulator', () => {
  it('a request signed with the right secrets lists the ads accounts the user may use', async () => {
    const response = await signedGet('/12/accounts', await tokenFor(ADMIN));
    expect(response.status).toBe(200);
    expect(response.data.data).toEqual([expect.objectContaining({ id: ACCOUNT, name: 'Bakery Ads' })]);
    expect(response.headers['x-rate-limit-limit']).toBe('5');
  });

  it('a forged OAuth signature is refused with 401', async () => {
    const token = await tokenFor(ADMIN);
    const forged = await signedGet('/12/accounts', token, oauthFor('not-the-consumer-secret'));
    expect(forged.status).toBe(401);
    expect(forged.data.errors[0].code).toBe('UNAUTHORIZED_ACCESS');
    const wrongTokenSecret = await signedGet('/12/accounts', { key: token.key, secret: 'guessed' });
    expect(wrongTokenSecret.status).toBe(401);
    const unsigned = await axios.get(`${sim.xAds.baseUrl}/12/accounts`, { validateStatus: () => true });
    expect(unsigned.status).toBe(401);
  });

  it('a query parameter changed after signing is refused', async () => {
    const token = await tokenFor(ADMIN);
    const oauth = oauthFor();
    const signedUrl = `${sim.xAds.baseUrl}/12/accounts/${ACCOUNT}/campaigns?count=10`;
    const header = oauth.toHeader(oauth.authorize({ url: signedUrl, method: 'GET' }, token));
    const tampered = await axios.get(signedUrl.replace('count=10', 'count=11'), {
      headers: { ...header },
      validateStatus: () => true,
    });
    expect(tampered.status).toBe(401);
  });

  it("reports each user's permissions on the ads account in X's names", async () => {
    const admin = await signedGet(`/12/accounts/${ACCOUNT}/authenticated_user_access`, await tokenFor(ADMIN));
    expect(admin.data.data.permissions).toEqual(['ACCOUNT_ADMIN', 'TWEET_COMPOSER']);
    const composer = await signedGet(
      `/12/accounts/${ACCOUNT}/authenticated_user_access`,
      await tokenFor(COMPOSER),
    );
    expect(composer.data.data.permissions).toEqual(['TWEET_COMPOSER']);
    // Counted per ads account and endpoint, whoever calls.
    expect(composer.headers['x-account-rate-limit-remaining']).toBe('3');
  });

  it('a Tweet Composer may not read campaigns or stats; an admin may', async () => {
    const query = `entity=ACCOUNT&entity_ids=${ACCOUNT}&start_time=2026-01-01T00:00:00Z&end_time=2026-01-03T00:00:00Z&granularity=DAY&metric_groups=ENGAGEMENT,BILLING&placement=ALL_ON_TWITTER`;
    const refused = await signedGet(`/12/stats/accounts/${ACCOUNT}?${query}`, await tokenFor(COMPOSER));
    expect(refused.status).toBe(403);
    const stats = await signedGet(`/12/stats/accounts/${ACCOUNT}?${query}`, await tokenFor(ADMIN));
    expect(stats.status).toBe(200);
    expect(stats.data.time_series_length).toBe(2);
    expect(stats.data.data[0].id_data[0].metrics.impressions).toHaveLength(2);
    expect(stats.data.data[0].id_data[0].metrics.billed_charge_local_micro).toHaveLength(2);
  });

  it('past the limit it answers 429 with no calls left until the window resets', async () => {
    const token = await tokenFor(ADMIN);
    const answers = [];
    for (let i = 0; i < 6; i += 1) answers.push(await signedGet(`/12/accounts/${ACCOUNT}/campaigns`, token));
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200, 200, 200, 429]);
    expect(answers[4]!.headers['x-account-rate-limit-remaining']).toBe('0');
    expect(Number(answers[5]!.headers['x-account-rate-limit-reset'])).toBeGreaterThan(Date.now() / 1000 - 1);
    const { data: tally } = await axios.get(`${sim.url}/_sim/x-ads/rate-tally`);
    expect(tally).toMatchObject({ served: 5, refused: 1 });
  });

  it('the 3-legged flow hands the approving user an access token that works', async () => {
    const oauth = oauthFor();
    const callback = 'http://127.0.0.1:1/x-ads/callback';
    const requestUrl = `${sim.xAds.baseUrl}/oauth/request_token`;
    const requestHeader = oauth.toHeader(
      oauth.authorize({ url: requestUrl, method: 'POST', data: { oauth_callback: callback } }),
    );
    const requested = await axios.post(requestUrl, '', { headers: { ...requestHeader } });
    const request = new URLSearchParams(requested.data as string);
    expect(request.get('oauth_callback_confirmed')).toBe('true');

    const approved = await axios.post(
      `${sim.xAds.baseUrl}/oauth/authorize`,
      new URLSearchParams({ oauth_token: request.get('oauth_token')!, user_id: '7002' }),
      { maxRedirects: 0, validateStatus: (status) => status === 302 },
    );
    const redirect = new URL(approved.headers.location as string);
    const accessUrl = `${sim.xAds.baseUrl}/oauth/access_token`;
    const verifier = redirect.searchParams.get('oauth_verifier')!;
    const accessHeader = oauth.toHeader(
      oauth.authorize(
        { url: accessUrl, method: 'POST', data: { oauth_verifier: verifier } },
        { key: request.get('oauth_token')!, secret: request.get('oauth_token_secret')! },
      ),
    );
    // oauth-1.0a puts the oauth_* data it signed into the header.
    const exchanged = await axios.post(accessUrl, '', {
      headers: { ...accessHeader },
    });
    const access = new URLSearchParams(exchanged.data as string);
    expect(access.get('user_id')).toBe('7002');
    const token = { key: access.get('oauth_token')!, secret: access.get('oauth_token_secret')! };
    const permissions = await signedGet(`/12/accounts/${ACCOUNT}/authenticated_user_access`, token);
    expect(permissions.data.data.permissions).toEqual(['AD_MANAGER']);
  });

  it('cancelling on the authorize page sends the person back with denied and spends the request token', async () => {
    const oauth = oauthFor();
    const callback = 'http://127.0.0.1:1/x-ads/callback';
    const requestUrl = `${sim.xAds.baseUrl}/oauth/request_token`;
    const requestHeader = oauth.toHeader(
      oauth.authorize({ url: requestUrl, method: 'POST', data: { oauth_callback: callback } }),
    );
    const requested = await axios.post(requestUrl, '', { headers: { ...requestHeader } });
    const requestToken = new URLSearchParams(requested.data as string).get('oauth_token') ?? '';

    const cancelled = await axios.post(
      `${sim.xAds.baseUrl}/oauth/authorize`,
      new URLSearchParams({ oauth_token: requestToken, cancel: '1' }),
      { maxRedirects: 0, validateStatus: (status) => status === 302 },
    );
    const redirect = new URL(cancelled.headers.location as string);
    expect(`${redirect.origin}${redirect.pathname}`).toBe(callback);
    expect([...redirect.searchParams]).toEqual([['denied', requestToken]]);
    const again = await axios.get(`${sim.xAds.baseUrl}/oauth/authorize`, {
      params: { oauth_token: requestToken },
      validateStatus: () => true,
    });
    expect(again.status).toBe(400);
  });
});
