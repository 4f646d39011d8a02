import { Router, type Request, type Response } from 'express';
import type { SimContext } from '../context';
import type { PageRecord, ThreadRecord } from '../records';
import { changeThreadOwner } from '../threads';
import { authenticate, requirePageToken, requirePermission, resolveId } from './auth';
import { GraphError } from './errors';
import { graphRoute, localsOf } from './handler';
import { isRecord, jsonParam, pathParam, requireString, stringParam, type Params } from './params';

/** Handover protocol at a basic level: our app is the Page's primary receiver. */
export function handoverRoutes(ctx: SimContext): Router {
  const router = Router();
  const route = (handle: (page: PageRecord, params: Params, res: Response) => unknown) =>
    graphRoute(ctx, 'other', (req, res, params) => handle(handoverPage(ctx, req, res, params), params, res));

  router.post(
    '/:id/pass_thread_control',
    route((page, params, res) => {
      const thread = threadOf(ctx, page, recipientPsid(params), res);
      assertOwnedByUsOrIdle(ctx, thread);
      changeThreadOwner(
        ctx,
        thread,
        requireString(params, 'target_app_id'),
        stringParam(params, 'metadata'),
        'us',
      );
      return { success: true };
    }),
  );
  router.post(
    '/:id/take_thread_control',
    route((page, params, res) => {
      const thread = threadOf(ctx, page, recipientPsid(params), res);
      changeThreadOwner(ctx, thread, ctx.settings.appId, stringParam(params, 'metadata'), 'us');
      return { success: true };
    }),
  );
  router.post(
    '/:id/release_thread_control',
    route((page, params, res) => {
      const thread = threadOf(ctx, page, recipientPsid(params), res);
      assertOwnedByUsOrIdle(ctx, thread);
      changeThreadOwner(ctx, thread, null, stringParam(params, 'metadata'), 'us');
      return { success: true };
    }),
  );
  router.get(
    '/:id/thread_owner',
    route((page, params, res) => {
      const thread = threadOf(ctx, page, requireString(params, 'recipient'), res);
      return { data: thread.ownerAppId ? [{ thread_owner: { app_id: thread.ownerAppId } }] : [] };
    }),
  );
  return router;
}

function handoverPage(ctx: SimContext, req: Request, res: Response, params: Params): PageRecord {
  const caller = authenticate(ctx, req, params);
  const pageId = resolveId(caller, pathParam(req, 'id'));
  localsOf(res).pageId = pageId;
  const page = requirePageToken(caller, pageId, req.method);
  requirePermission(ctx, caller, 'pages_messaging');
  return page;
}

function recipientPsid(params: Params): string {
  const recipient = jsonParam(params, 'recipient');
  if (!isRecord(recipient) || typeof recipient.id !== 'string') {
    throw GraphError.invalid('The parameter recipient is required');
  }
  return recipient.id;
}

function threadOf(ctx: SimContext, page: PageRecord, psid: string, res: Response): ThreadRecord {
  localsOf(res).psid = psid;
  const thread = ctx.state.thread(page.id, psid);
  if (!thread) throw GraphError.of('noMatchingUser');
  return thread;
}

function assertOwnedByUsOrIdle(ctx: SimContext, thread: ThreadRecord): void {
  if (thread.ownerAppId !== null && thread.ownerAppId !== ctx.settings.appId) {
    throw GraphError.of('threadOwnedByAnotherApp');
  }
}
