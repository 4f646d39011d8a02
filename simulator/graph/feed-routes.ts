import { Router, type Request, type Response } from 'express';
import type { SimContext } from '../context';
import { addComment, createPost } from '../feed';
import { authenticate, requirePageToken, requirePermission, resolveId } from './auth';
import { GraphError } from './errors';
import { graphRoute, localsOf } from './handler';
import { pathParam, requireString, stringParam, type Params } from './params';

/** Page posts and comments: publish, public replies, list comments. */
export function feedRoutes(ctx: SimContext): Router {
  const router = Router();
  router.post(
    '/:id/feed',
    graphRoute(ctx, 'other', (req, res, params) => publish(ctx, req, res, params)),
  );
  router.post(
    '/:id/comments',
    graphRoute(ctx, 'other', (req, res, params) => reply(ctx, req, res, params)),
  );
  router.get(
    '/:id/comments',
    graphRoute(ctx, 'other', (req, res, params) => listComments(ctx, req, res, params)),
  );
  return router;
}

function publish(ctx: SimContext, req: Request, res: Response, params: Params) {
  const caller = authenticate(ctx, req, params);
  const pageId = resolveId(caller, pathParam(req, 'id'));
  localsOf(res).pageId = pageId;
  const page = requirePageToken(caller, pageId, 'post');
  requirePermission(ctx, caller, 'pages_manage_posts');
  const message = stringParam(params, 'message') ?? null;
  const link = stringParam(params, 'link') ?? null;
  if (message === null && link === null) throw GraphError.invalid('Missing message or attachment.');
  return { id: createPost(ctx, page, message, link).id };
}

/** A public reply: `POST /{comment-id}/comments` (or a top-level comment on a post) written as the Page. */
function reply(ctx: SimContext, req: Request, res: Response, params: Params) {
  const caller = authenticate(ctx, req, params);
  const id = pathParam(req, 'id');
  const pageId = pageOfObject(ctx, id);
  localsOf(res).pageId = pageId;
  const page = requirePageToken(caller, pageId, 'post');
  requirePermission(ctx, caller, 'pages_manage_engagement');
  const comment = addComment(ctx, id, { kind: 'page', page }, requireString(params, 'message'));
  return { id: comment.id };
}

function listComments(ctx: SimContext, req: Request, res: Response, params: Params) {
  const caller = authenticate(ctx, req, params);
  const id = pathParam(req, 'id');
  const pageId = pageOfObject(ctx, id);
  localsOf(res).pageId = pageId;
  requirePageToken(caller, pageId, 'get');
  requirePermission(ctx, caller, 'pages_read_user_content');
  const data = [...ctx.state.comments.values()]
    .filter((comment) => comment.parentId === id && !comment.removed)
    .map((comment) => ({
      id: comment.id,
      message: comment.message,
      from: { id: comment.fromId, name: comment.fromName },
      created_time: new Date(comment.createdAt).toISOString().replace(/\.\d{3}Z$/, '+0000'),
      is_hidden: comment.hidden,
    }));
  return { data };
}

function pageOfObject(ctx: SimContext, id: string): string {
  const comment = ctx.state.comments.get(id);
  const post = ctx.state.posts.get(comment ? comment.postId : id);
  if (!post || post.deleted || comment?.removed) throw GraphError.unsupported('post', id);
  return post.pageId;
}
