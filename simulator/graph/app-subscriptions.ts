import { randomInt } from 'node:crypto';
import { Router, type Request } from 'express';
import type { SimContext } from '../context';
import { authenticate } from './auth';
import { GraphError } from './errors';
import { graphRoute } from './handler';
import { listParam, pathParam, requireString, stringParam, type Params } from './params';
import { WEBHOOK_FIELDS } from './pages';

/**
 * `POST /{app-id}/subscriptions` sets the callback URL and verify token after Meta's GET handshake: the callback
 * must answer 200 with the raw hub.challenge (docs/messenger-platform.md §1.1).
 */
export function appSubscriptionRoutes(ctx: SimContext): Router {
  const router = Router();
  router.post(
    '/:id/subscriptions',
    graphRoute(ctx, 'other', (req, _res, params) => subscribe(ctx, req, params)),
  );
  router.get(
    '/:id/subscriptions',
    graphRoute(ctx, 'other', (req, _res, params) => {
      appCaller(ctx, req, params);
      const { callbackUrl } = ctx.settings.webhook;
      if (!callbackUrl) return { data: [] };
      const fields = (ctx.state.appSubscribedFields ?? WEBHOOK_FIELDS).map((name) => ({
        name,
        version: ctx.settings.apiVersion,
      }));
      return { data: [{ object: 'page', callback_url: callbackUrl, active: true, fields }] };
    }),
  );
  router.delete(
    '/:id/subscriptions',
    graphRoute(ctx, 'other', (req, _res, params) => {
      appCaller(ctx, req, params);
      ctx.settings.webhook.callbackUrl = null;
      ctx.state.appSubscribedFields = null;
      return { success: true };
    }),
  );
  return router;
}

function appCaller(ctx: SimContext, req: Request, params: Params): void {
  const caller = authenticate(ctx, req, params);
  if (caller.kind !== 'app') throw GraphError.of('appTokenRequired');
  if (pathParam(req, 'id') !== ctx.settings.appId)
    throw GraphError.unsupported(req.method, pathParam(req, 'id'));
}

async function subscribe(ctx: SimContext, req: Request, params: Params) {
  appCaller(ctx, req, params);
  if ((stringParam(params, 'object') ?? 'page') !== 'page')
    throw GraphError.invalid('Only object=page is simulated');
  const callbackUrl = requireString(params, 'callback_url');
  const verifyToken = requireString(params, 'verify_token');
  const fields = listParam(params, 'fields') ?? null;
  const unknown = fields?.find((field) => !WEBHOOK_FIELDS.includes(field));
  if (unknown) throw GraphError.invalid(`Invalid field "${unknown}"`);
  await verifyCallback(ctx, callbackUrl, verifyToken);
  ctx.settings.webhook.callbackUrl = callbackUrl;
  ctx.settings.webhook.verifyToken = verifyToken;
  ctx.state.appSubscribedFields = fields;
  return { success: true };
}

async function verifyCallback(ctx: SimContext, callbackUrl: string, verifyToken: string): Promise<void> {
  const challenge = String(randomInt(1, 2 ** 31 - 1));
  const url = new URL(callbackUrl);
  url.searchParams.set('hub.mode', 'subscribe');
  url.searchParams.set('hub.challenge', challenge);
  url.searchParams.set('hub.verify_token', verifyToken);
  let reason: string;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(ctx.settings.webhook.timeoutMs) });
    const body = await response.text();
    if (response.ok && body === challenge) return;
    reason = response.ok
      ? `The URL couldn't be validated. Response does not match challenge, expected value="${challenge}", received="${body.slice(0, 100)}"`
      : `The URL couldn't be validated. Callback verification failed with the following errors: HTTP Status Code = ${response.status}`;
  } catch (error) {
    reason = `The URL couldn't be validated. ${error instanceof Error ? error.message : String(error)}`;
  }
  throw GraphError.of('callbackVerificationFailed', { reason });
}
