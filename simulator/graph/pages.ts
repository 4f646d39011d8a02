import { Router, type Request } from 'express';
import type { SimContext } from '../context';
import type { PageRecord } from '../records';
import { authenticate, requirePageToken, requirePermission, resolveId, type Caller } from './auth';
import { GraphError } from './errors';
import { graphRoute, localsOf } from './handler';
import { listParam, pathParam, stringParam, type Params } from './params';

export const WEBHOOK_FIELDS = [
  'messages',
  'message_echoes',
  'message_deliveries',
  'message_reads',
  'message_reactions',
  'message_edits',
  'messaging_postbacks',
  'messaging_optins',
  'messaging_referrals',
  'messaging_handovers',
  'standby',
  'messaging_policy_enforcement',
  'messaging_account_linking',
  'feed',
];

const CATEGORY_LIST = [{ id: '200600219953504', name: 'Shopping & retail' }];

/** Pages a user manages, and installing the app on a Page (`subscribed_apps`). */
export function pageRoutes(ctx: SimContext): Router {
  const router = Router();
  router.get(
    '/me/accounts',
    graphRoute(ctx, 'other', (req, _res, params) => accounts(ctx, req, params)),
  );
  router.get(
    '/:id/subscribed_apps',
    graphRoute(ctx, 'other', (req, res, params) => {
      const page = installTarget(ctx, req, params);
      localsOf(res).pageId = page.id;
      return { data: page.subscribedFields ? [subscribedApp(ctx, page)] : [] };
    }),
  );
  router.post(
    '/:id/subscribed_apps',
    graphRoute(ctx, 'other', (req, res, params) => {
      const page = installTarget(ctx, req, params);
      localsOf(res).pageId = page.id;
      page.subscribedFields = subscribedFieldsOf(params);
      return { success: true };
    }),
  );
  router.delete(
    '/:id/subscribed_apps',
    graphRoute(ctx, 'other', (req, res, params) => {
      const page = installTarget(ctx, req, params);
      localsOf(res).pageId = page.id;
      page.subscribedFields = null;
      return { success: true };
    }),
  );
  return router;
}

function accounts(ctx: SimContext, req: Request, params: Params) {
  const caller = authenticate(ctx, req, params);
  if (caller.kind !== 'user') throw GraphError.invalid('This endpoint needs a user access token');
  const user = caller.user;
  // Without pages_show_list Meta answers an empty list rather than an error.
  const managed = caller.scopes.has('pages_show_list')
    ? [...ctx.state.pages.values()].filter((page) => page.adminUserIds.includes(user.id))
    : [];
  const limit = Number(stringParam(params, 'limit') ?? 25);
  const after = stringParam(params, 'after');
  const start = after ? Number(Buffer.from(after, 'base64url').toString()) + 1 : 0;
  const slice = managed.slice(start, start + limit);
  const cursor = (index: number) => Buffer.from(String(index)).toString('base64url');
  const data = slice.map((page) => ({
    access_token: ctx.state.pageTokenFor(page.id, user).value,
    category: page.category,
    category_list: CATEGORY_LIST,
    name: page.name,
    id: page.id,
    tasks: page.tasks,
  }));
  const paging =
    slice.length === 0
      ? undefined
      : {
          cursors: { before: cursor(start), after: cursor(start + slice.length - 1) },
          ...(start + slice.length < managed.length
            ? { next: nextUrl(req, cursor(start + slice.length - 1)) }
            : {}),
        };
  return { data, ...(paging ? { paging } : {}) };
}

function nextUrl(req: Request, after: string): string {
  const url = new URL(req.originalUrl, `http://${req.get('host') ?? 'localhost'}`);
  url.searchParams.set('after', after);
  return url.toString();
}

function installTarget(ctx: SimContext, req: Request, params: Params): PageRecord {
  const caller = authenticate(ctx, req, params);
  const pageId = resolveId(caller, pathParam(req, 'id'));
  const page = requirePageToken(caller, pageId, req.method);
  requirePermission(ctx, caller, 'pages_manage_metadata');
  return page;
}

function subscribedFieldsOf(params: Params): string[] {
  const fields = listParam(params, 'subscribed_fields');
  if (!fields || fields.length === 0)
    throw GraphError.invalid('The parameter subscribed_fields is required.');
  const unknown = fields.filter((field) => !WEBHOOK_FIELDS.includes(field));
  if (unknown.length > 0) {
    throw GraphError.invalid(
      `Param subscribed_fields must be one of {${WEBHOOK_FIELDS.join(', ')}} - got "${unknown[0]}"`,
    );
  }
  return fields;
}

function subscribedApp(ctx: SimContext, page: PageRecord) {
  return {
    category: 'Business',
    link: `https://pagewire.example/app/${ctx.settings.appId}`,
    name: ctx.settings.appName,
    id: ctx.settings.appId,
    subscribed_fields: page.subscribedFields ?? [],
  };
}

/** `GET /{page-id}?fields=...` with a Page token, an admin's user token or the app token. */
export function pageFields(ctx: SimContext, caller: Caller, page: PageRecord, fields: string[]) {
  const isAdmin = caller.kind === 'user' && page.adminUserIds.includes(caller.user.id);
  if (caller.kind === 'page' && caller.page.id !== page.id) throw GraphError.unsupported('get', page.id);
  const values: Record<string, unknown> = {
    id: page.id,
    name: page.name,
    category: page.category,
    category_list: CATEGORY_LIST,
    fan_count: page.fanCount,
    followers_count: page.fanCount,
    link: `https://www.facebook.com/${page.id}`,
    tasks: page.tasks,
  };
  const answer: Record<string, unknown> = {};
  for (const field of fields) {
    if (field === 'access_token') {
      if (caller.kind === 'user' && isAdmin)
        answer.access_token = ctx.state.pageTokenFor(page.id, caller.user).value;
      else if (caller.kind === 'page') answer.access_token = caller.token;
      continue;
    }
    if (!(field in values))
      throw GraphError.invalid(`Tried accessing nonexisting field (${field}) on node type (Page)`);
    answer[field] = values[field];
  }
  return { ...answer, id: page.id };
}
