import type { Request } from 'express';
import type { XContext } from './context';
import { XProblem } from './problems';
import type { XToken, XUser } from './state';

export interface XCaller {
  token: XToken;
  user: XUser;
}

/** The user behind `Authorization: Bearer <access token>`; 401 for a missing, unknown, expired or revoked one. */
export function authenticateBearer(ctx: XContext, req: Request, requiredScopes: readonly string[]): XCaller {
  const match = /^Bearer (.+)$/.exec(req.get('authorization') ?? '');
  const token = match ? ctx.state.tokens.get(match[1] ?? '') : undefined;
  if (!token || token.kind !== 'access' || token.endedAt !== null) throw XProblem.unauthorized();
  if (token.expiresAt !== null && ctx.clock.now() >= token.expiresAt) throw XProblem.unauthorized();
  const user = ctx.state.users.get(token.userId);
  if (!user) throw XProblem.unauthorized();
  const missing = requiredScopes.filter((scope) => !token.scopes.includes(scope));
  // UNCONFIRMED wording: X answers 403 when the token lacks a scope the endpoint needs.
  if (missing.length > 0) throw XProblem.forbidden(`Missing scopes: ${missing.join(', ')}`);
  return { token, user };
}
