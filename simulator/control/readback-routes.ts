import { Router } from 'express';
import { z } from 'zod';
import type { SimContext } from '../context';
import { pageOf } from '../people/lookup';
import type { PageRecord } from '../records';
import { controlRoute, parse } from './route-helpers';
import type { ControlHooks } from './routes';

const filterSchema = z.object({ pageId: z.string().optional(), psid: z.string().optional() });
const deliveriesSchema = z.object({ bodies: z.enum(['true', 'false']).optional() });

function matches(filter: z.infer<typeof filterSchema>, item: { pageId: string | null; psid: string | null }) {
  return (
    (filter.pageId === undefined || item.pageId === filter.pageId) &&
    (filter.psid === undefined || item.psid === filter.psid)
  );
}

/** What tests read back: sends, refusals, webhook attempts and the state of a Page. */
export function readbackRoutes(ctx: SimContext, hooks: ControlHooks): Router {
  const router = Router();
  const { state } = ctx;
  router.get(
    '/sent-messages',
    controlRoute((req) => state.sentMessages.filter((sent) => matches(parse(filterSchema, req.query), sent))),
  );
  router.get(
    '/violations',
    controlRoute((req) =>
      state.violations.filter((violation) => matches(parse(filterSchema, req.query), violation)),
    ),
  );
  router.get(
    '/webhook-deliveries',
    controlRoute((req) => {
      if (parse(deliveriesSchema, req.query).bodies !== 'false') return ctx.delivery.attempts;
      // Timings only: a long run's bodies and signatures are tens of megabytes.
      return ctx.delivery.attempts.map(
        ({ body: _body, signature256: _s256, signature1: _s1, ...timing }) => timing,
      );
    }),
  );
  router.get(
    '/webhook-events',
    controlRoute((req) =>
      ctx.webhooks.events.filter((event) => matches(parse(filterSchema, req.query), event)),
    ),
  );
  router.get(
    '/pages/:pageId',
    controlRoute<{ pageId: string }>((req) => pageSnapshot(ctx, pageOf(ctx, req.params.pageId))),
  );
  router.get(
    '/info',
    controlRoute(() => info(ctx, hooks)),
  );
  return router;
}

function pageSnapshot(ctx: SimContext, page: PageRecord) {
  const posts = [...ctx.state.posts.values()].filter((post) => post.pageId === page.id);
  const postIds = new Set(posts.map((post) => post.id));
  return {
    id: page.id,
    name: page.name,
    accessToken: ctx.state.pageTokenFor(page.id, null).value,
    subscribedFields: page.subscribedFields,
    revokedPermissions: [...page.revokedPermissions],
    rateLimits: page.rateLimits,
    messengerProfile: page.messengerProfile,
    posts,
    comments: [...ctx.state.comments.values()].filter((comment) => postIds.has(comment.postId)),
    threads: [...ctx.state.threads.values()].filter((thread) => thread.pageId === page.id),
  };
}

function info(ctx: SimContext, hooks: ControlHooks) {
  const { settings, state } = ctx;
  return {
    url: hooks.url(),
    apiVersion: settings.apiVersion,
    appId: settings.appId,
    now: ctx.clock.now(),
    clock: ctx.clock.mode,
    webhook: { callbackUrl: settings.webhook.callbackUrl },
    pages: [...state.pages.values()].map((page) => ({
      id: page.id,
      name: page.name,
      accessToken: state.pageTokenFor(page.id, null).value,
      subscribedFields: page.subscribedFields,
      adminUserIds: page.adminUserIds,
    })),
    users: [...state.users.values()].map((user) => ({
      id: user.id,
      name: user.name,
      email: user.email,
      grantedPermissions: [...user.grantedPermissions],
    })),
    people: [...state.people.values()].map((person) => ({
      ...person,
      psids: Object.fromEntries(
        [...state.pages.keys()].map((pageId) => [pageId, state.psidFor(person.id, pageId)]),
      ),
    })),
  };
}
