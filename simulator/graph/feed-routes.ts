import { Router, type Request, type Response } from 'express';
import type { SimContext } from '../context';
import { addComment, createPost } from '../feed';
import { authenticate, requirePageToken, requirePermission, resolveId } from './auth';
import { GraphError } from './errors';
import { graphRoute, localsOf } from './handler';
import { listParam, pathParam, requireString, stringParam, type Params } from './params';

/** Page posts and comments: publish, list the Page's posts, public replies, list comments. */
export function feedRoutes(ctx: SimContext): Router {
  const router = Router();
  router.post(
    '/:id/feed',
    graphRoute(ctx, 'other', (req, res, params) => publish(ctx, req, res, params)),
  );
  router.get(
    '/:id/published_posts',
    graphRoute(ctx, 'other', (req, res, params) => listPublishedPosts(ctx, req, res, params)),
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

const POST_FIELDS = ['id', 'message', 'created_time', 'permalink_url'];
const DEFAULT_POST_FIELDS = ['id', 'message', 'created_time'];

/** The Page's own posts, newest first, `limit` (25, at most 100) at a time with an `after` cursor. */
function listPublishedPosts(ctx: SimContext, req: Request, res: Response, params: Params) {
  const caller = authenticate(ctx, req, params);
  const pageId = resolveId(caller, pathParam(req, 'id'));
  localsOf(res).pageId = pageId;
  requirePageToken(caller, pageId, 'get');
  requirePermission(ctx, caller, 'pages_read_engagement');
  const fields = listParam(params, 'fields') ?? DEFAULT_POST_FIELDS;
  const unknown = fields.find((field) => !POST_FIELDS.includes(field));
  if (unknown) throw GraphError.invalid(`Tried accessing nonexisting field (${unknown}) on node type (Page)`);
  const limit = Math.min(Number(stringParam(params, 'limit') ?? 25) || 25, 100);
  const after = stringParam(params, 'after');
  const start = after ? Number(Buffer.from(after, 'base64url').toString()) + 1 : 0;
  const posts = [...ctx.state.posts.values()]
    .filter((post) => post.pageId === pageId && !post.deleted)
    .sort((a, b) => b.createdAt - a.createdAt);
  const slice = posts.slice(start, start + limit);
  const cursor = (index: number) => Buffer.from(String(index)).toString('base64url');
  const data = slice.map((post) => {
    const all: Record<string, unknown> = {
      id: post.id,
      ...(post.message !== null ? { message: post.message } : {}),
      created_time: graphTime(post.createdAt),
      permalink_url: `https://www.facebook.com/${post.id.replace('_', '/posts/')}`,
    };
    return Object.fromEntries(fields.filter((field) => field in all).map((field) => [field, all[field]]));
  });
  if (slice.length === 0) return { data };
  const last = start + slice.length - 1;
  const next = last + 1 < posts.length ? { next: nextUrl(req, cursor(last)) } : {};
  return { data, paging: { cursors: { before: cursor(start), after: cursor(last) }, ...next } };
}

function nextUrl(req: Request, after: string): string {
  const url = new URL(req.originalUrl, `http://${req.get('host') ?? 'localhost'}`);
  url.searchParams.set('after', after);
  return url.toString();
}

/** Graph's time format: `2024-05-01T17:51:42+0000`. */
function graphTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
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
      created_time: graphTime(comment.createdAt),
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
