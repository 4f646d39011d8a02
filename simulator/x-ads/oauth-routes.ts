import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { requireOAuth1 } from './authentication';
import { sendAdsError } from './errors';
import type { XAdsSettings } from './settings';
import type { XAdsWorld } from './world';

const escape = (value: string) => value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const formBody = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

/**
 * X's 3-legged OAuth 1.0a: POST oauth/request_token (signed by the app, with oauth_callback), the person approves
 * (or cancels: back to the callback with `denied`) at GET oauth/authorize, and POST oauth/access_token trades the request token and oauth_verifier for the person's
 * access token and secret. Answers are form-encoded, as X's are.
 */
export function xAdsOAuthRoutes(settings: XAdsSettings, world: XAdsWorld): Router {
  const router = Router();

  router.post('/oauth/request_token', requireOAuth1(settings, world, 'none'), (_req, res) => {
    const callback = res.locals.xAdsOAuth?.get('oauth_callback');
    if (!callback) return sendAdsError(res, 400, 'INVALID_PARAMETER', 'oauth_callback is required.');
    const { token, secret } = world.issueRequestToken(callback);
    res
      .type('application/x-www-form-urlencoded')
      .send(formBody({ oauth_token: token, oauth_token_secret: secret, oauth_callback_confirmed: 'true' }));
  });

  router.get('/oauth/authorize', (req, res) => {
    const token = typeof req.query.oauth_token === 'string' ? req.query.oauth_token : '';
    if (!world.requestTokens.has(token)) {
      res
        .status(400)
        .type('html')
        .send('<!doctype html><title>X</title><p>This authorization link has expired.</p>');
      return;
    }
    const options = [...world.users.values()]
      .map(
        (user) =>
          `<option value="${escape(user.id)}">@${escape(user.screenName)} (${escape(user.name)})</option>`,
      )
      .join('');
    res.type('html')
      .send(`<!doctype html><html lang="en"><head><title>Authorize app - X</title></head><body><main>
<h1>Authorize the app to use your account?</h1>
<p>It will be able to read your ads accounts, campaigns and their statistics.</p>
<form method="post" action="${escape(req.baseUrl)}/oauth/authorize">
<input type="hidden" name="oauth_token" value="${escape(token)}">
<label>Sign in as <select name="user_id">${options}</select></label>
<button type="submit">Authorize app</button>
<button type="submit" name="cancel" value="1">Cancel</button>
</form></main></body></html>`);
  });

  router.post('/oauth/authorize', (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const token = typeof body.oauth_token === 'string' ? body.oauth_token : '';
    const userId = typeof body.user_id === 'string' ? body.user_id : '';
    const request = world.requestTokens.get(token);
    // Cancelling sends the person back with `denied` (the request token) and no verifier; the token is spent.
    if (request && body.cancel === '1') {
      world.requestTokens.delete(token);
      const target = new URL(request.callback);
      target.searchParams.set('denied', token);
      return res.redirect(302, target.toString());
    }
    if (!request || !world.users.has(userId)) {
      return sendAdsError(res, 400, 'INVALID_PARAMETER', 'Unknown request token or user.');
    }
    request.approvedBy = userId;
    request.verifier = randomBytes(12).toString('base64url');
    const target = new URL(request.callback);
    target.searchParams.set('oauth_token', token);
    target.searchParams.set('oauth_verifier', request.verifier);
    res.redirect(302, target.toString());
  });

  router.post('/oauth/access_token', requireOAuth1(settings, world, 'request'), (req, res) => {
    const token = res.locals.xAdsToken ?? '';
    const request = world.requestTokens.get(token);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const verifier = res.locals.xAdsOAuth?.get('oauth_verifier') ?? body.oauth_verifier;
    if (!request?.approvedBy || !request.verifier || verifier !== request.verifier) {
      return sendAdsError(
        res,
        401,
        'UNAUTHORIZED_ACCESS',
        'The oauth_verifier does not match this request token.',
      );
    }
    world.requestTokens.delete(token);
    const user = world.users.get(request.approvedBy)!;
    const access = world.issueAccessToken(user.id);
    res.type('application/x-www-form-urlencoded').send(
      formBody({
        oauth_token: access.token,
        oauth_token_secret: access.secret,
        user_id: user.id,
        screen_name: user.screenName,
      }),
    );
  });

  return router;
}
