import { Router, type Request, type Response } from 'express';
import type { SimContext } from '../context';
import { hideComment, editComment, removeComment } from '../feed';
import type { CommentRecord, PostRecord, UserRecord } from '../records';
import { authenticate, requirePageToken, requirePermission, resolveId, type Caller } from './auth';
import { GraphError } from './errors';
import { graphRoute, localsOf } from './handler';
import { pageFields } from './pages';
import { listParam, pathParam, stringParam, type Params } from './params';

const PROFILE_FIELDS = ['id', 'name', 'first_name', 'last_name', 'profile_pic'];

/** `GET|POST|DELETE /{id}` for the node kinds the simulator knows: user, Page, PSID, post, comment. */
export function objectRoutes(ctx: SimContext): Router {
  const router = Router();
  router.get(
    '/:id',
    graphRoute(ctx, 'other', (req, res, params) => readNode(ctx, req, res, params)),
  );
  router.post(
    '/:id',
    graphRoute(ctx, 'other', (req, res, params) => updateNode(ctx, req, res, params)),
  );
  router.delete(
    '/:id',
    graphRoute(ctx, 'other', (req, res, params) => deleteNode(ctx, req, res, params)),
  );
  return router;
}

function readNode(ctx: SimContext, req: Request, res: Response, params: Params) {
  const caller = authenticate(ctx, req, params);
  const id = resolveId(caller, pathParam(req, 'id'));
  const fields = listParam(params, 'fields');
  const { state } = ctx;
  const user = state.users.get(id);
  if (user && caller.kind === 'user' && caller.user.id === id)
    return userFields(caller, user, fields ?? ['id', 'name']);
  const page = state.pages.get(id);
  if (page) return pageFields(ctx, caller, page, fields ?? ['id', 'name']);
  const psid = state.psids.get(id);
  if (psid) return profile(ctx, caller, res, id, fields ?? ['first_name', 'last_name', 'profile_pic']);
  const post = state.posts.get(id);
  if (post && !post.deleted) return postFields(caller, post);
  const comment = state.comments.get(id);
  if (comment && !comment.removed) return commentFields(ctx, caller, comment);
  throw GraphError.unsupported('get', id);
}

function userFields(caller: Caller, user: UserRecord, fields: string[]) {
  const [firstName, ...rest] = user.name.split(' ');
  const values: Record<string, unknown> = {
    id: user.id,
    name: user.name,
    first_name: firstName,
    last_name: rest.join(' '),
    picture: { data: { url: `https://platform-lookaside.fbsbx.com/platform/profilepic/?asid=${user.id}` } },
    ...(caller.scopes.has('email') ? { email: user.email } : {}),
  };
  const answer: Record<string, unknown> = {};
  for (const field of fields) {
    if (field === 'email' || field === 'middle_name') {
      if (values[field] !== undefined) answer[field] = values[field];
      continue;
    }
    if (!(field in values))
      throw GraphError.invalid(`Tried accessing nonexisting field (${field}) on node type (User)`);
    answer[field] = values[field];
  }
  return { ...answer, id: user.id };
}

/** Profiles are readable only after the person started the conversation (else 2018218). */
function profile(ctx: SimContext, caller: Caller, res: Response, psid: string, fields: string[]) {
  const owner = ctx.state.psids.get(psid);
  const thread = owner ? ctx.state.thread(owner.pageId, psid) : undefined;
  if (!owner || caller.kind !== 'page' || caller.page.id !== owner.pageId)
    throw GraphError.unsupported('get', psid);
  localsOf(res).pageId = owner.pageId;
  localsOf(res).psid = psid;
  const person = ctx.state.people.get(owner.personId);
  if (!thread?.userStarted || !person) throw GraphError.of('noProfile');
  const values: Record<string, unknown> = {
    id: psid,
    name: person.name,
    first_name: person.firstName,
    last_name: person.lastName,
    profile_pic: person.profilePic,
  };
  const unknown = fields.find((field) => !PROFILE_FIELDS.includes(field));
  if (unknown) throw GraphError.invalid(`Tried accessing nonexisting field (${unknown}) on node type (User)`);
  return { ...Object.fromEntries(fields.map((field) => [field, values[field]])), id: psid };
}

function postFields(caller: Caller, post: PostRecord) {
  assertPageAccess(caller, post.pageId, post.id);
  return {
    id: post.id,
    ...(post.message !== null ? { message: post.message } : {}),
    created_time: isoTime(post.createdAt),
  };
}

function commentFields(ctx: SimContext, caller: Caller, comment: CommentRecord) {
  const post = ctx.state.posts.get(comment.postId);
  assertPageAccess(caller, post?.pageId ?? '', comment.id);
  return {
    id: comment.id,
    message: comment.message,
    from: { id: comment.fromId, name: comment.fromName },
    created_time: isoTime(comment.createdAt),
    is_hidden: comment.hidden,
    can_reply_privately: !comment.byPage && comment.privatelyRepliedAt === null,
    ...(comment.parentId !== comment.postId ? { parent: { id: comment.parentId } } : {}),
  };
}

function assertPageAccess(caller: Caller, pageId: string, objectId: string): void {
  if (caller.kind === 'page' && caller.page.id === pageId) return;
  if (caller.kind === 'app') return;
  throw GraphError.unsupported('get', objectId);
}

function updateNode(ctx: SimContext, req: Request, res: Response, params: Params) {
  const caller = authenticate(ctx, req, params);
  const id = pathParam(req, 'id');
  const comment = ctx.state.comments.get(id);
  const post = comment ? ctx.state.posts.get(comment.postId) : undefined;
  if (!comment || comment.removed || !post) throw GraphError.unsupported('post', id);
  localsOf(res).pageId = post.pageId;
  requirePageToken(caller, post.pageId, 'post');
  requirePermission(ctx, caller, 'pages_manage_engagement');
  const hidden = stringParam(params, 'is_hidden');
  if (hidden !== undefined) hideComment(ctx, comment, hidden === 'true');
  const message = stringParam(params, 'message');
  if (message !== undefined) editComment(ctx, comment, message);
  return { success: true };
}

function deleteNode(ctx: SimContext, req: Request, res: Response, params: Params) {
  const caller = authenticate(ctx, req, params);
  const id = pathParam(req, 'id');
  const comment = ctx.state.comments.get(id);
  const post = ctx.state.posts.get(comment ? comment.postId : id);
  if (!post || post.deleted || comment?.removed) throw GraphError.unsupported('delete', id);
  localsOf(res).pageId = post.pageId;
  requirePageToken(caller, post.pageId, 'delete');
  if (comment) {
    requirePermission(ctx, caller, 'pages_manage_engagement');
    removeComment(ctx, comment);
  } else {
    requirePermission(ctx, caller, 'pages_manage_posts');
    post.deleted = true;
  }
  return { success: true };
}

function isoTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');
}
