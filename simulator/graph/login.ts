import { Router } from 'express';
import type { SimContext } from '../context';
import { newOpaqueToken } from '../ids';
import type { Caller } from './auth';
import { authenticate, resolveToken } from './auth';
import { GraphError } from './errors';
import { graphRoute } from './handler';
import { requireString, stringParam, type Params } from './params';

/** Meta's answer for user tokens: about 60 days. */
const LONG_LIVED_SECONDS = 5_183_944;
const CODE_LIFETIME_MS = 10 * 60_000;

/** Facebook Login: token exchange, the current user, permissions and debug_token. */
export function loginRoutes(ctx: SimContext): Router {
  const router = Router();
  // passport-oauth2 posts the code exchange; the Graph docs show it as a GET.
  const exchange = graphRoute(ctx, 'other', (_req, _res, params) => accessToken(ctx, params));
  router.get('/oauth/access_token', exchange);
  router.post('/oauth/access_token', exchange);
  router.get(
    '/me/permissions',
    graphRoute(ctx, 'other', (req, _res, params) => permissions(authenticate(ctx, req, params))),
  );
  router.get(
    '/debug_token',
    graphRoute(ctx, 'other', (req, _res, params) => {
      authenticate(ctx, req, params);
      return { data: debugToken(ctx, requireString(params, 'input_token')) };
    }),
  );
  return router;
}

function accessToken(ctx: SimContext, params: Params) {
  if (stringParam(params, 'client_id') !== ctx.settings.appId) throw GraphError.of('invalidClientId');
  if (stringParam(params, 'client_secret') !== ctx.settings.appSecret)
    throw GraphError.of('invalidClientSecret');
  const grantType = stringParam(params, 'grant_type');
  if (grantType === 'client_credentials') {
    return { access_token: `${ctx.settings.appId}|${ctx.settings.appSecret}`, token_type: 'bearer' };
  }
  const grant = grantType === 'fb_exchange_token' ? 'fb_exchange_token' : 'code';
  const userId = grant === 'fb_exchange_token' ? exchangedUser(ctx, params) : redeemCode(ctx, params);
  const user = ctx.state.users.get(userId);
  if (!user) throw GraphError.of('invalidToken');
  const token = ctx.state.userTokenFor(user, grant, ctx.clock.now() + LONG_LIVED_SECONDS * 1000);
  return { access_token: token.value, token_type: 'bearer', expires_in: LONG_LIVED_SECONDS };
}

function exchangedUser(ctx: SimContext, params: Params): string {
  const caller = resolveToken(ctx, requireString(params, 'fb_exchange_token'));
  if (caller.kind !== 'user') throw GraphError.invalid('fb_exchange_token must be a user access token');
  return caller.user.id;
}

function redeemCode(ctx: SimContext, params: Params): string {
  const code = ctx.state.oauthCodes.get(requireString(params, 'code'));
  if (!code) throw GraphError.of('codeInvalid');
  if (code.used) throw GraphError.of('codeUsed');
  if (ctx.clock.now() - code.createdAt > CODE_LIFETIME_MS) throw GraphError.of('codeExpired');
  if (stringParam(params, 'redirect_uri') !== code.redirectUri) throw GraphError.of('redirectMismatch');
  code.used = true;
  return code.userId;
}

function permissions(caller: Caller) {
  if (caller.kind !== 'user') throw GraphError.invalid('This endpoint needs a user access token');
  const granted = [...caller.scopes].map((permission) => ({ permission, status: 'granted' }));
  const declined = [...caller.user.declinedPermissions].map((permission) => ({
    permission,
    status: 'declined',
  }));
  return { data: [...granted, ...declined] };
}

function debugToken(ctx: SimContext, inputToken: string) {
  const base = { app_id: ctx.settings.appId, application: ctx.settings.appName };
  let caller: Caller;
  try {
    caller = resolveToken(ctx, inputToken);
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    const detail = {
      code: error.code,
      message: error.message,
      ...(error.subcode ? { subcode: error.subcode } : {}),
    };
    return { ...base, is_valid: false, scopes: [], error: detail };
  }
  if (caller.kind === 'app') return { ...base, type: 'APP', is_valid: true, scopes: [] };
  const { record } = caller;
  return {
    ...base,
    type: caller.kind === 'page' ? 'PAGE' : 'USER',
    is_valid: true,
    issued_at: Math.floor(record.issuedAt / 1000),
    expires_at: record.expiresAt === null ? 0 : Math.floor(record.expiresAt / 1000),
    data_access_expires_at: Math.floor((ctx.clock.now() + 90 * 86_400_000) / 1000),
    scopes: [...caller.scopes],
    user_id:
      caller.kind === 'page' ? (record.viaUserId ?? caller.page.adminUserIds[0] ?? '') : caller.user.id,
    ...(caller.kind === 'page' ? { profile_id: caller.page.id } : {}),
  };
}

export function newOAuthCode(ctx: SimContext, userId: string, clientId: string, redirectUri: string): string {
  const code = `AQ${newOpaqueToken()}`;
  ctx.state.oauthCodes.set(code, {
    code,
    userId,
    clientId,
    redirectUri,
    createdAt: ctx.clock.now(),
    used: false,
  });
  return code;
}
