import { createHash, randomBytes } from 'node:crypto';
import { Router, type Request, type Response } from 'express';
import type { XContext } from './context';
import { OAuthError } from './problems';
import { X_SCOPES } from './settings';
import type { XToken } from './state';

/**
 * X's OAuth 2.0 authorization code flow with PKCE (docs/x-platform.md §1): the consent page at /i/oauth2/authorize,
 * the token endpoint (authorization_code and refresh_token grants, refresh tokens rotated on use) and revocation.
 */
export function xOAuthRoutes(ctx: XContext): Router {
  const router = Router();
  router.get('/i/oauth2/authorize', (req, res) => showConsent(ctx, req, res));
  router.post('/i/oauth2/authorize', (req, res) => decide(ctx, req, res));
  router.post('/2/oauth2/token', (req, res) => {
    authenticateClient(ctx, req);
    const grantType = field(req.body, 'grant_type');
    if (grantType === 'authorization_code') return res.json(redeemCode(ctx, req));
    if (grantType === 'refresh_token') return res.json(refresh(ctx, req));
    throw new OAuthError('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  });
  router.post('/2/oauth2/revoke', (req, res) => {
    authenticateClient(ctx, req);
    const token = ctx.state.tokens.get(field(req.body, 'token') ?? '');
    if (token && token.endedAt === null) {
      token.endedAt = ctx.clock.now();
      token.endedBy = 'revoked';
    }
    // RFC 7009: an unknown token is answered the same way.
    res.json({ revoked: true });
  });
  return router;
}

function field(source: unknown, name: string): string | undefined {
  const value = (source as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

interface AuthorizeRequest {
  clientId: string;
  redirectUri: string;
  state: string;
  scopes: string[];
  codeChallenge: string;
  codeChallengeMethod: 'S256' | 'plain';
}

/** The query of /i/oauth2/authorize (or the same fields echoed by the consent form), or why it is refused. */
function authorizeRequest(ctx: XContext, source: unknown): AuthorizeRequest | string {
  const clientId = field(source, 'client_id');
  const redirectUri = field(source, 'redirect_uri');
  const state = field(source, 'state');
  const codeChallenge = field(source, 'code_challenge');
  const method = field(source, 'code_challenge_method') ?? 'plain';
  const scopes = (field(source, 'scope') ?? '').split(' ').filter(Boolean);
  if (field(source, 'response_type') !== 'code') return 'response_type must be code.';
  if (clientId !== ctx.settings.clientId) return 'Unknown client_id.';
  if (!redirectUri) return 'redirect_uri is required.';
  if (!state) return 'state is required.';
  if (!codeChallenge) return 'code_challenge is required (PKCE).';
  if (method !== 'S256' && method !== 'plain') return 'code_challenge_method must be S256 or plain.';
  const unknown = scopes.filter((scope) => !(X_SCOPES as readonly string[]).includes(scope));
  if (scopes.length === 0 || unknown.length > 0) return `Invalid scope: ${unknown.join(' ') || '(none)'}.`;
  return { clientId, redirectUri, state, scopes, codeChallenge, codeChallengeMethod: method };
}

function showConsent(ctx: XContext, req: Request, res: Response): void {
  const request = authorizeRequest(ctx, req.query);
  if (typeof request === 'string') {
    res
      .status(400)
      .type('html')
      .send(page('Something went wrong', `<p>${escape(request)}</p>`));
    return;
  }
  const echoed: Record<string, string> = {
    response_type: 'code',
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    state: request.state,
    scope: request.scopes.join(' '),
    code_challenge: request.codeChallenge,
    code_challenge_method: request.codeChallengeMethod,
  };
  const users = [...ctx.state.users.values()];
  const body = `
<main>
<h1>An app wants to access your X account</h1>
<p>It will be able to:</p>
<ul>${request.scopes.map((scope) => `<li>${escape(scope)}</li>`).join('')}</ul>
<form method="post" action="/x/i/oauth2/authorize">
${Object.entries(echoed)
  .map(([name, value]) => `<input type="hidden" name="${name}" value="${escape(value)}">`)
  .join('\n')}
<label>Log in as <select name="user_id">
${users.map((user) => `<option value="${escape(user.id)}">@${escape(user.username)} (${escape(user.name)})</option>`).join('\n')}
</select></label>
<button type="submit" name="decision" value="authorize">Authorize app</button>
<button type="submit" name="decision" value="cancel">Cancel</button>
</form>
</main>`;
  res.type('html').send(page('Authorize app – X', body));
}

function decide(ctx: XContext, req: Request, res: Response): void {
  const request = authorizeRequest(ctx, req.body);
  const user = ctx.state.users.get(field(req.body, 'user_id') ?? '');
  if (typeof request === 'string' || !user) {
    res.status(400).type('html').send(page('Something went wrong', '<p>Invalid authorization request.</p>'));
    return;
  }
  const target = new URL(request.redirectUri);
  target.searchParams.set('state', request.state);
  if (field(req.body, 'decision') !== 'authorize') {
    target.searchParams.set('error', 'access_denied');
    res.redirect(302, target.toString());
    return;
  }
  const code = randomBytes(32).toString('base64url');
  ctx.state.codes.set(code, {
    code,
    userId: user.id,
    clientId: request.clientId,
    redirectUri: request.redirectUri,
    scopes: request.scopes,
    codeChallenge: request.codeChallenge,
    codeChallengeMethod: request.codeChallengeMethod,
    createdAt: ctx.clock.now(),
    used: false,
  });
  target.searchParams.set('code', code);
  res.redirect(302, target.toString());
}

/** Basic auth for a confidential client; a public client names itself with client_id in the body. */
function authenticateClient(ctx: XContext, req: Request): void {
  const basic = /^Basic (.+)$/.exec(req.get('authorization') ?? '');
  if (basic) {
    const [id, secret] = Buffer.from(basic[1] ?? '', 'base64')
      .toString('utf8')
      .split(':');
    if (id !== ctx.settings.clientId || secret !== ctx.settings.clientSecret) {
      throw new OAuthError('invalid_client', 'Missing valid authorization header', 401);
    }
    return;
  }
  if (field(req.body, 'client_id') !== ctx.settings.clientId) {
    throw new OAuthError('invalid_client', 'Missing valid authorization header', 401);
  }
}

function isVerifierValid(verifier: string, challenge: string, method: 'S256' | 'plain'): boolean {
  if (method === 'plain') return verifier === challenge;
  return createHash('sha256').update(verifier).digest('base64url') === challenge;
}

function redeemCode(ctx: XContext, req: Request) {
  const invalid = () =>
    new OAuthError('invalid_request', 'Value passed for the authorization code was invalid.');
  const code = ctx.state.codes.get(field(req.body, 'code') ?? '');
  if (!code || code.used) throw invalid();
  if (ctx.clock.now() - code.createdAt > ctx.settings.authorizationCodeSeconds * 1000) throw invalid();
  if (field(req.body, 'redirect_uri') !== code.redirectUri) throw invalid();
  const verifier = field(req.body, 'code_verifier');
  if (!verifier || !isVerifierValid(verifier, code.codeChallenge, code.codeChallengeMethod)) throw invalid();
  code.used = true;
  return tokenAnswer(ctx, code.userId, code.clientId, code.scopes);
}

function refresh(ctx: XContext, req: Request) {
  const token = ctx.state.tokens.get(field(req.body, 'refresh_token') ?? '');
  if (!token || token.kind !== 'refresh' || token.endedAt !== null) {
    throw new OAuthError('invalid_request', 'Value passed for the token was invalid.');
  }
  token.endedAt = ctx.clock.now();
  token.endedBy = 'rotated';
  return tokenAnswer(ctx, token.userId, token.clientId, token.scopes);
}

function tokenAnswer(ctx: XContext, userId: string, clientId: string, scopes: string[]) {
  const now = ctx.clock.now();
  const grant = { userId, clientId, scopes, issuedAt: now };
  const access: XToken = ctx.state.issueToken('access', {
    ...grant,
    expiresAt: now + ctx.settings.accessTokenSeconds * 1000,
  });
  // Only offline.access earns a refresh token.
  const refreshToken = scopes.includes('offline.access')
    ? ctx.state.issueToken('refresh', { ...grant, expiresAt: null })
    : undefined;
  return {
    token_type: 'bearer',
    expires_in: ctx.settings.accessTokenSeconds,
    access_token: access.value,
    scope: scopes.join(' '),
    ...(refreshToken ? { refresh_token: refreshToken.value } : {}),
  };
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(title)}</title></head><body>${body}</body></html>`;
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
