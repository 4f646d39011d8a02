import { Router, type ErrorRequestHandler } from 'express';
import { z } from 'zod';
import type { XAdsRateLimiter } from './rate-limits';
import { adsPermissions, type XAdsSettings } from './settings';
import type { XAdsWorld } from './world';

const tokenRequest = z.strictObject({ userId: z.string() });
const rateLimitChange = z.strictObject({
  limit: z.number().int().positive().optional(),
  windowMs: z.number().int().positive().optional(),
});
const accessChange = z.strictObject({
  accountId: z.string(),
  userId: z.string(),
  permissions: z.array(z.enum(adsPermissions)),
});

const controlErrors: ErrorRequestHandler = (error: unknown, _req, res, next) => {
  if (res.headersSent) return next(error);
  const status = error instanceof z.ZodError ? 400 : 500;
  res.status(status).json({ error: error instanceof z.ZodError ? z.prettifyError(error) : String(error) });
};

/**
 * `/_sim/x-ads`: what tests and the sandbox do as X: hand a user's access token out without the dialog, change a
 * user's permissions on an ads account, set the rate limit, and read back how many calls were served or refused.
 */
export function xAdsControlRoutes(
  settings: XAdsSettings,
  world: XAdsWorld,
  limiter: XAdsRateLimiter,
): Router {
  const router = Router();
  router.get('/', (_req, res) => {
    res.json({
      consumerKey: settings.consumerKey,
      version: settings.version,
      rateLimit: settings.rateLimit,
      users: [...world.users.values()],
      accounts: [...world.accounts.values()],
    });
  });
  router.post('/tokens', (req, res) => {
    const { userId } = tokenRequest.parse(req.body);
    const user = world.users.get(userId);
    if (!user) return res.status(404).json({ error: `No X user ${userId}` });
    const { token, secret } = world.issueAccessToken(userId);
    res
      .status(201)
      .json({ oauthToken: token, oauthTokenSecret: secret, userId, screenName: user.screenName });
  });
  router.put('/access', (req, res) => {
    const { accountId, userId, permissions } = accessChange.parse(req.body);
    const account = world.accounts.get(accountId);
    if (!account || !world.users.has(userId))
      return res.status(404).json({ error: 'No such account or user' });
    account.access[userId] = permissions;
    res.json({ accountId, userId, permissions });
  });
  router.put('/rate-limit', (req, res) => {
    Object.assign(settings.rateLimit, rateLimitChange.parse(req.body));
    limiter.reset();
    res.json(settings.rateLimit);
  });
  router.get('/rate-tally', (_req, res) => {
    res.json(limiter.tally);
  });
  router.use(controlErrors);
  return router;
}
