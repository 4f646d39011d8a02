import { Router } from 'express';
import type { SimContext } from '../context';
import { createPost } from '../feed';
import { existingThread, pageOf } from '../people/lookup';
import { pageInboxSends, policyEnforcement } from '../people/page-events';
import type { TokenRevocation } from '../records';
import { changeThreadOwner } from '../threads';
import { ControlError } from './errors';
import { controlRoute, parse } from './route-helpers';
import {
  inboxMessageSchema,
  permissionSchema,
  policyEnforcementSchema,
  postSchema,
  revocationSchema,
  subscribeSchema,
  threadOwnerSchema,
} from './schemas';

type PageParams = { pageId: string };

/** Acting as Meta or as the Page's other tools: Page Inbox, posts, token and permission changes, handover. */
export function pageControlRoutes(ctx: SimContext): Router {
  const router = Router();
  const page = (path: string, act: (pageId: string, body: unknown) => unknown) =>
    router.post(
      `/pages/:pageId/${path}`,
      controlRoute<PageParams>((req) => act(req.params.pageId, req.body)),
    );

  page('inbox-messages', (pageId, body) => {
    const { psid, text } = parse(inboxMessageSchema, body);
    return pageInboxSends(ctx, pageId, psid, text);
  });
  page('posts', (pageId, body) => {
    const post = createPost(ctx, pageOf(ctx, pageId), parse(postSchema, body).message, null);
    return { postId: post.id };
  });
  page('policy-enforcement', (pageId, body) => {
    const { action, reason } = parse(policyEnforcementSchema, body);
    return policyEnforcement(ctx, pageId, action, reason);
  });
  page('revoke-tokens', (pageId, body) => {
    pageOf(ctx, pageId);
    revokeTokens(ctx, 'page', pageId, parse(revocationSchema, body).reason);
    return { accessToken: ctx.state.pageTokenFor(pageId, null).value };
  });
  page('subscribed-fields', (pageId, body) => {
    pageOf(ctx, pageId).subscribedFields = parse(subscribeSchema, body).fields;
  });
  router.post(
    '/users/:userId/revoke-tokens',
    controlRoute<{ userId: string }>((req) => {
      if (!ctx.state.users.has(req.params.userId))
        throw new ControlError(404, `unknown user ${req.params.userId}`);
      revokeTokens(ctx, 'user', req.params.userId, parse(revocationSchema, req.body).reason);
    }),
  );
  router.post(
    '/permissions/revoke',
    controlRoute((req) => changePermission(ctx, req.body, false)),
  );
  router.post(
    '/permissions/grant',
    controlRoute((req) => changePermission(ctx, req.body, true)),
  );
  router.put(
    '/thread-owner',
    controlRoute((req) => {
      const { pageId, psid, appId, metadata } = parse(threadOwnerSchema, req.body);
      changeThreadOwner(ctx, existingThread(ctx, pageId, psid), appId, metadata, 'another_app');
    }),
  );
  return router;
}

export function revokeTokens(
  ctx: SimContext,
  kind: 'page' | 'user',
  subjectId: string,
  reason: TokenRevocation,
): void {
  for (const token of ctx.state.tokens.values()) {
    const viaRevokedUser = kind === 'user' && token.viaUserId === subjectId && reason !== 'expired';
    if ((token.kind === kind && token.subjectId === subjectId) || viaRevokedUser) token.revoked ??= reason;
  }
}

function changePermission(ctx: SimContext, body: unknown, granted: boolean): void {
  const { pageId, userId, permission } = parse(permissionSchema, body);
  if (pageId !== undefined) {
    const revoked = pageOf(ctx, pageId).revokedPermissions;
    if (granted) revoked.delete(permission);
    else revoked.add(permission);
    return;
  }
  const user = userId === undefined ? undefined : ctx.state.users.get(userId);
  if (!user) throw new ControlError(404, `unknown user ${userId ?? ''}`);
  if (granted) {
    user.grantedPermissions.add(permission);
    user.declinedPermissions.delete(permission);
  } else {
    user.grantedPermissions.delete(permission);
    user.declinedPermissions.add(permission);
  }
}
