import { Router } from 'express';
import { z } from 'zod';
import type { SimContext } from '../context';
import type { WebhookSettings } from '../settings';
import { pageOf } from '../people/lookup';
import { adAccountSeedSchema, pageSeedSchema, personSeedSchema, userSeedSchema } from '../seed';
import { ControlError } from './errors';
import { controlRoute, parse } from './route-helpers';
import type { ControlHooks } from './routes';
import {
  advanceSchema,
  faultsSchema,
  policySchema,
  rateLimitsSchema,
  receiptsSchema,
  webhookSchema,
} from './schemas';

/** Fixtures, settings, the clock and the webhook queue. */
export function setupRoutes(ctx: SimContext, hooks: ControlHooks): Router {
  const router = Router();
  const { state, settings } = ctx;

  router.post(
    '/pages',
    controlRoute((req) => {
      const { page, accessToken } = state.addPage(parse(pageSeedSchema, req.body));
      return { id: page.id, accessToken };
    }),
  );
  router.post(
    '/users',
    controlRoute((req) => {
      const { user, accessToken } = state.addUser(parse(userSeedSchema, req.body));
      return { id: user.id, accessToken };
    }),
  );
  router.post(
    '/people',
    controlRoute((req) => ({ id: state.addPerson(parse(personSeedSchema, req.body)).id })),
  );
  router.post(
    '/ad-accounts',
    controlRoute((req) => ({ id: state.addAdAccount(parse(adAccountSeedSchema, req.body)).id })),
  );
  router.get(
    '/ads/:adId',
    controlRoute((req) => {
      const ad = state.ads.get(String(req.params.adId));
      if (!ad) throw new ControlError(404, `unknown ad ${String(req.params.adId)}`);
      return { ...ad, adSet: state.adSets.get(ad.adSetId), creative: state.adCreatives.get(ad.creativeId) };
    }),
  );
  router.get(
    '/psid',
    controlRoute((req) => {
      const { personId, pageId } = parse(z.object({ personId: z.string(), pageId: z.string() }), req.query);
      if (!state.people.has(personId)) throw new ControlError(404, `unknown person ${personId}`);
      pageOf(ctx, pageId);
      return { psid: state.psidFor(personId, pageId) };
    }),
  );

  router.put(
    '/faults',
    controlRoute((req) => Object.assign(settings.faults, parse(faultsSchema, req.body))),
  );
  router.put(
    '/webhook',
    controlRoute((req) => withoutSecrets(Object.assign(settings.webhook, parse(webhookSchema, req.body)))),
  );
  router.put(
    '/receipts',
    controlRoute((req) => Object.assign(settings.receipts, parse(receiptsSchema, req.body))),
  );
  router.put(
    '/policy',
    controlRoute((req) => Object.assign(settings.policy, parse(policySchema, req.body))),
  );
  router.put(
    '/rate-limits',
    controlRoute((req) => setRateLimits(ctx, req.body)),
  );

  router.get(
    '/clock',
    controlRoute(() => ({ now: ctx.clock.now(), mode: ctx.clock.mode })),
  );
  router.post(
    '/clock/advance',
    controlRoute((req) => ({ now: ctx.clock.advance(parse(advanceSchema, req.body).ms) })),
  );
  router.post(
    '/reset',
    controlRoute(() => hooks.reset()),
  );

  router.post(
    '/webhooks/flush',
    controlRoute(() => ctx.delivery.flushBatch()),
  );
  router.get(
    '/webhooks/idle',
    controlRoute(async (req) => {
      const { timeoutMs } = parse(
        z.object({ timeoutMs: z.coerce.number().int().positive().default(10_000) }),
        req.query,
      );
      const idle = await ctx.delivery.waitForIdle(timeoutMs);
      if (!idle) throw new ControlError(408, `webhook queue not idle after ${timeoutMs} ms`);
      return { idle };
    }),
  );
  return router;
}

function withoutSecrets(webhook: WebhookSettings) {
  const { verifyToken: _verifyToken, ...rest } = webhook;
  return rest;
}

function setRateLimits(ctx: SimContext, body: unknown) {
  const { pageId, textPerSecond, mediaPerSecond, ...rest } = parse(rateLimitsSchema, body);
  const perPage = {
    ...(textPerSecond !== undefined ? { textPerSecond } : {}),
    ...(mediaPerSecond !== undefined ? { mediaPerSecond } : {}),
  };
  Object.assign(ctx.settings.rateLimits, rest);
  if (pageId !== undefined) {
    Object.assign(pageOf(ctx, pageId).rateLimits, perPage);
    return pageOf(ctx, pageId).rateLimits;
  }
  Object.assign(ctx.settings.rateLimits, perPage);
  for (const page of ctx.state.pages.values()) Object.assign(page.rateLimits, perPage);
  return ctx.settings.rateLimits;
}
