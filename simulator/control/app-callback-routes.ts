import { Router } from 'express';
import { z } from 'zod';
import type { SimContext } from '../context';
import { signedRequest } from '../webhook-sender/signed-request';
import { ControlError } from './errors';
import { revokeTokens } from './page-routes';
import { controlRoute, parse } from './route-helpers';

const appCallbackSchema = z.object({
  /** The app's callback URL, as set in its dashboard (Facebook Login settings). */
  url: z.url(),
  /** Test knobs: sign with another secret, or date the request this many seconds back. */
  forged: z.boolean().default(false),
  ageSeconds: z.number().int().min(0).default(0),
});

/**
 * Meta's app callbacks for one user: `remove-app` (the user removed the app: their tokens stop working, then the
 * deauthorize callback) and `data-deletion` (the user asked for their data to be deleted). Each answers the app's
 * status and body.
 */
export function appCallbackRoutes(ctx: SimContext): Router {
  const router = Router();

  async function post(userId: string, body: unknown) {
    if (!ctx.state.users.has(userId)) throw new ControlError(404, `unknown user ${userId}`);
    const { url, forged, ageSeconds } = parse(appCallbackSchema, body);
    const secret = forged ? `${ctx.settings.appSecret}-forged` : ctx.settings.appSecret;
    const issuedAt = Math.floor(ctx.clock.now() / 1000) - ageSeconds;
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        signed_request: signedRequest({ user_id: userId, issued_at: issuedAt }, secret),
      }).toString(),
      signal: AbortSignal.timeout(ctx.settings.webhook.timeoutMs),
    });
    const text = await response.text();
    let answer: unknown = text;
    try {
      answer = JSON.parse(text);
    } catch {
      // Not JSON: the text is the answer.
    }
    return { status: response.status, body: answer };
  }

  router.post(
    '/users/:userId/remove-app',
    controlRoute<{ userId: string }>(async (req) => {
      const forged = (req.body as { forged?: unknown } | undefined)?.forged === true;
      if (!forged && ctx.state.users.has(req.params.userId))
        revokeTokens(ctx, 'user', req.params.userId, 'app_removed');
      return post(req.params.userId, req.body);
    }),
  );
  router.post(
    '/users/:userId/data-deletion',
    controlRoute<{ userId: string }>((req) => post(req.params.userId, req.body)),
  );
  return router;
}
