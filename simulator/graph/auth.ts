import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import type { SimContext } from '../context';
import type { PageRecord, TokenRecord, UserRecord } from '../records';
import { GraphError, type GraphErrorName } from './errors';
import { stringParam, type Params } from './params';

export type Caller =
  | { kind: 'app'; token: string; scopes: Set<string> }
  | { kind: 'page'; token: string; record: TokenRecord; page: PageRecord; scopes: Set<string> }
  | { kind: 'user'; token: string; record: TokenRecord; user: UserRecord; scopes: Set<string> };

const REVOCATION_ERRORS: Record<NonNullable<TokenRecord['revoked']>, GraphErrorName> = {
  invalidated: 'tokenInvalidated',
  expired: 'tokenExpired',
  password_changed: 'tokenPasswordChanged',
  app_removed: 'tokenAppRemoved',
};

export function accessTokenOf(req: Request, params: Params): string | undefined {
  const header = req.get('authorization');
  const bearer = header?.match(/^(?:Bearer|OAuth)\s+(.+)$/i)?.[1];
  return stringParam(params, 'access_token') ?? bearer;
}

export function authenticate(ctx: SimContext, req: Request, params: Params): Caller {
  const token = accessTokenOf(req, params);
  if (!token) throw GraphError.of('accessTokenRequired');
  const caller = resolveToken(ctx, token);
  checkAppSecretProof(ctx, token, stringParam(params, 'appsecret_proof'));
  return caller;
}

/** Resolves a token or throws the 190 Meta would answer for it. */
export function resolveToken(ctx: SimContext, token: string): Caller {
  const { appId, appSecret } = ctx.settings;
  if (token.includes('|')) {
    if (token !== `${appId}|${appSecret}`) throw GraphError.of('invalidAppToken');
    return { kind: 'app', token, scopes: new Set() };
  }
  const record = ctx.state.tokens.get(token) ?? ctx.state.recoverToken(token);
  if (!record) throw GraphError.of('invalidToken');
  if (record.revoked) throw GraphError.of(REVOCATION_ERRORS[record.revoked]);
  if (record.expiresAt !== null && record.expiresAt <= ctx.clock.now()) throw GraphError.of('tokenExpired');
  if (record.kind === 'page') {
    const page = ctx.state.pages.get(record.subjectId);
    if (!page) throw GraphError.of('invalidToken');
    // A Page token obtained through a user carries that user's current grants.
    const viaUser = record.viaUserId ? ctx.state.users.get(record.viaUserId) : undefined;
    const scopes = new Set(
      [...record.scopes].filter(
        (scope) => !page.revokedPermissions.has(scope) && (!viaUser || viaUser.grantedPermissions.has(scope)),
      ),
    );
    return { kind: 'page', token, record, page, scopes };
  }
  const user = ctx.state.users.get(record.subjectId);
  if (!user) throw GraphError.of('invalidToken');
  const scopes = new Set([...record.scopes].filter((scope) => user.grantedPermissions.has(scope)));
  return { kind: 'user', token, record, user, scopes };
}

function checkAppSecretProof(ctx: SimContext, token: string, proof: string | undefined): void {
  if (proof === undefined) {
    if (ctx.settings.requireAppSecretProof) throw GraphError.of('proofRequired');
    return;
  }
  const expected = createHmac('sha256', ctx.settings.appSecret).update(token).digest('hex');
  const given = Buffer.from(proof.toLowerCase());
  if (given.length !== expected.length || !timingSafeEqual(given, Buffer.from(expected))) {
    throw GraphError.of('invalidProof');
  }
}

/** `me` is the Page for a Page token and the user for a user token. */
export function resolveId(caller: Caller, id: string): string {
  if (id !== 'me') return id;
  if (caller.kind === 'page') return caller.page.id;
  if (caller.kind === 'user') return caller.user.id;
  throw GraphError.invalid(
    'An active access token must be used to query information about the current user.',
    2500,
  );
}

export function requirePageToken(caller: Caller, pageId: string, method: string): PageRecord {
  if (caller.kind !== 'page') throw GraphError.of('pageTokenRequired');
  if (caller.page.id !== pageId) throw GraphError.unsupported(method, pageId);
  return caller.page;
}

export function requirePermission(ctx: SimContext, caller: Caller, permission: string): void {
  if (caller.kind === 'app' || caller.scopes.has(permission)) return;
  const code = ctx.settings.policy.missingPermissionCode;
  throw new GraphError(code, null, `(#${code}) Requires ${permission} permission to manage the object`);
}
