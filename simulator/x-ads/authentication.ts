import type { Request, RequestHandler, Response } from 'express';
import { sendAdsError } from './errors';
import { isSignatureValid, parseOAuthHeader, type SignedRequest } from './oauth1';
import type { XAdsSettings } from './settings';
import type { XAdsWorld } from './world';

declare module 'express-serve-static-core' {
  interface Locals {
    xAdsUserId?: string;
    xAdsToken?: string;
    xAdsOAuth?: Map<string, string>;
  }
}

/** The request as the client signed it: the URL it called (this server's prefix included) and every parameter. */
function signedRequestOf(req: Request, oauth: Map<string, string>): SignedRequest {
  const [path, query = ''] = req.originalUrl.split('?', 2) as [string, string?];
  const params: [string, string][] = [...new URLSearchParams(query)];
  if (req.is('application/x-www-form-urlencoded') && req.body && typeof req.body === 'object') {
    for (const [key, value] of Object.entries(req.body as Record<string, unknown>)) {
      if (typeof value === 'string') params.push([key, value]);
    }
  }
  return { method: req.method, baseUrl: `${req.protocol}://${req.get('host')}${path}`, params, oauth };
}

const maxNonces = 50_000;

/**
 * OAuth 1.0a as X checks it: the app's consumer key, HMAC-SHA1 over the request with the consumer secret and the
 * token's secret, a timestamp near now and a nonce not seen before. `tokenKind` says whose secret signs: an access
 * token (API calls), a request token (exchanging the verifier) or none (asking for a request token).
 */
export function requireOAuth1(
  settings: XAdsSettings,
  world: XAdsWorld,
  tokenKind: 'access' | 'request' | 'none',
): RequestHandler {
  return (req, res, next) => {
    const refuse = (message: string) => sendAdsError(res, 401, 'UNAUTHORIZED_ACCESS', message);
    const oauth = parseOAuthHeader(req.get('authorization'));
    if (!oauth)
      return refuse('This request is not properly authenticated: an OAuth 1.0a header is required.');
    if (oauth.get('oauth_consumer_key') !== settings.consumerKey) return refuse('Unknown consumer key.');
    if (oauth.get('oauth_signature_method') !== 'HMAC-SHA1')
      return refuse('Only HMAC-SHA1 signatures are accepted.');
    const timestamp = Number(oauth.get('oauth_timestamp'));
    if (
      !Number.isFinite(timestamp) ||
      Math.abs(Date.now() / 1000 - timestamp) > settings.timestampSkewSeconds
    ) {
      return refuse('The oauth_timestamp is too far from now.');
    }
    const token = oauth.get('oauth_token') ?? '';
    let tokenSecret = '';
    if (tokenKind === 'access') {
      const access = world.accessTokens.get(token);
      if (!access) return refuse('Invalid or expired token.');
      tokenSecret = access.secret;
      res.locals.xAdsUserId = access.userId;
    } else if (tokenKind === 'request') {
      const request = world.requestTokens.get(token);
      if (!request) return refuse('Invalid or expired request token.');
      tokenSecret = request.secret;
    }
    if (!isSignatureValid(signedRequestOf(req, oauth), settings.consumerSecret, tokenSecret)) {
      return refuse('Could not authenticate you: the signature does not match.');
    }
    const nonce = `${token}:${oauth.get('oauth_nonce') ?? ''}:${timestamp}`;
    if (world.nonces.has(nonce)) return refuse('This nonce was already used.');
    if (world.nonces.size >= maxNonces) world.nonces.clear();
    world.nonces.add(nonce);
    res.locals.xAdsToken = token;
    res.locals.xAdsOAuth = oauth;
    next();
  };
}

export const userIdOf = (res: Response): string => res.locals.xAdsUserId ?? '';
