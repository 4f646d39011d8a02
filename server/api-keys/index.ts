import type { RequestHandler, Router } from 'express';
import type { AuditTrail } from '../accounts/audit';
import type { Clock } from '../platform/clock';
import type { MountedRoute } from '../platform/http/route-inventory';
import type { SharedRedis } from '../platform/redis';
import { createKeyOrSessionAuthentication } from './authentication';
import { createApiKeysRouter } from './routes';
import { createApiKeyService } from './service';

export interface ApiKeysFeatureDeps {
  clock: Clock;
  audit: AuditTrail;
  redis: SharedRedis | undefined;
  /** express-session, which requests without a key run. */
  sessionMiddleware: RequestHandler;
  rateLimitPerMinute: number;
  apiRoutes(): MountedRoute[];
}

/** Workspace API keys: the admins' routes, and the middleware that lets a key request in instead of a session. */
export function createApiKeysFeature(deps: ApiKeysFeatureDeps): {
  routers: { path: string; router: Router }[];
  keyOrSession: RequestHandler;
} {
  const keys = createApiKeyService(deps);
  return {
    routers: [{ path: '/api/api-keys', router: createApiKeysRouter(keys) }],
    keyOrSession: createKeyOrSessionAuthentication({
      keys,
      session: deps.sessionMiddleware,
      rateLimit: deps.rateLimitPerMinute,
      redis: deps.redis,
      apiRoutes: deps.apiRoutes,
    }),
  };
}
