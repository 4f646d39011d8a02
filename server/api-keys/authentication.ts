import type { Request, RequestHandler } from 'express';
import { rateLimit } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import type { Member } from '../accounts/authorization';
import { Forbidden, Unauthorized } from '../platform/errors';
import { problem, sendProblem } from '../platform/http/problem-details';
import type { MountedRoute } from '../platform/http/route-inventory';
import { createRouteMatcher } from '../platform/http/route-inventory';
import type { SharedRedis } from '../platform/redis';
import { keyAccessTo } from './key-scopes';
import type { ApiKeyService, KeyPrincipal } from './service';

declare module 'express-serve-static-core' {
  interface Request {
    /** The key a request carried, once resolved; only key requests have one. */
    apiKey?: KeyPrincipal;
  }
}

export interface KeyOrSessionDeps {
  keys: ApiKeyService;
  /** express-session: what every request without a key runs. */
  session: RequestHandler;
  /** Requests per minute per key. */
  rateLimit: number;
  /** Shares the counts across processes; without it each process counts alone. */
  redis: SharedRedis | undefined;
  /** The app's /api routes in mounting order, read once the app is built. */
  apiRoutes(): MountedRoute[];
}

const bearerScheme = /^Bearer(?:\s+(\S*))?\s*$/iu;

/** The token of an `Authorization: Bearer` header, '' for a Bearer header without one, undefined without Bearer. */
function bearerTokenOf(req: Request): string | undefined {
  const match = bearerScheme.exec(req.get('authorization') ?? '');
  return match ? (match[1] ?? '') : undefined;
}

function refuse(res: Parameters<RequestHandler>[1], error: Unauthorized | Forbidden, challenge = 'Bearer') {
  res.set('WWW-Authenticate', challenge);
  return error;
}

/**
 * A request with `Authorization: Bearer` is a key request: it never opens or reads a session (so it gets no cookie
 * and needs no CSRF token), is rate limited per key, and reaches only what key-scopes.ts opens to its scopes. Every
 * other request runs the session. On success the key acts as an admin of its workspace would (`req.member`).
 */
export function createKeyOrSessionAuthentication(deps: KeyOrSessionDeps): RequestHandler {
  const { redis } = deps;
  const limiter = rateLimit({
    windowMs: 60_000,
    limit: deps.rateLimit,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    identifier: 'api-key',
    keyGenerator: (req) => req.apiKey?.keyId ?? '',
    ...(redis
      ? {
          store: new RedisStore({
            prefix: `${redis.prefix}:api-key-rate:`,
            sendCommand: (command: string, ...args: string[]) =>
              redis.commands.call(command, ...args) as Promise<string | number>,
          }),
        }
      : {}),
    handler: (_req, res) =>
      sendProblem(res, problem(429, 'Too many requests with this API key; try again in a minute.')),
  });
  let matchRoute: ReturnType<typeof createRouteMatcher> | undefined;

  async function authenticateKey(req: Request, res: Parameters<RequestHandler>[1], token: string) {
    if (!/^\/api(\/|$)/u.test(req.path))
      throw refuse(res, new Unauthorized('API keys work only on /api routes.'));
    const principal = token ? await deps.keys.resolve(token) : undefined;
    if (!principal) {
      throw refuse(res, new Unauthorized('Unknown or revoked API key.'), 'Bearer error="invalid_token"');
    }
    req.apiKey = principal;
    let limited: unknown = 'answered 429';
    await limiter(req, res, (error?: unknown) => {
      limited = error ?? 'within limit';
    });
    if (limited === 'answered 429') return false;
    if (limited !== 'within limit') throw limited;
    matchRoute ??= createRouteMatcher(deps.apiRoutes());
    const route = matchRoute(req.method, req.path);
    // No such route: the 404 follows.
    if (!route) return true;
    const access = keyAccessTo(`${route.method} ${route.path}`, principal.scopes);
    if (access === 'session-only') {
      throw refuse(res, new Unauthorized('This route needs a signed-in session; an API key cannot use it.'));
    }
    if (access === 'missing-scope') {
      throw refuse(
        res,
        new Forbidden('This API key’s scopes do not include this route.', { scopes: principal.scopes }),
        'Bearer error="insufficient_scope"',
      );
    }
    const member: Member = {
      userId: principal.createdBy,
      workspaceId: principal.workspaceId,
      role: 'admin',
      teamIds: [],
      apiKeyId: principal.keyId,
    };
    req.member = member;
    return true;
  }

  return async (req, res, next) => {
    const token = bearerTokenOf(req);
    if (token === undefined) return deps.session(req, res, next);
    if (await authenticateKey(req, res, token)) next();
  };
}
