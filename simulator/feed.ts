import { createHash } from 'node:crypto';
import type { SimContext } from './context';
import { ControlError } from './control/errors';
import type { CommentRecord, PageRecord, PostRecord } from './records';

/** Posts and comments on Pages, and the `feed` webhooks they cause (docs/messenger-platform.md §1.5). */

export function createPost(
  ctx: SimContext,
  page: PageRecord,
  message: string | null,
  link: string | null,
): PostRecord {
  const post: PostRecord = {
    id: ctx.state.newPostId(page.id),
    pageId: page.id,
    message,
    link,
    createdAt: ctx.clock.now(),
    deleted: false,
  };
  ctx.state.posts.set(post.id, post);
  ctx.webhooks.feed(page.id, {
    from: { id: page.id, name: page.name },
    item: 'status',
    post_id: post.id,
    verb: 'add',
    published: 1,
    created_time: seconds(post.createdAt),
    ...(message !== null ? { message } : {}),
    ...(link !== null ? { link } : {}),
  });
  return post;
}

export type CommentAuthor = { kind: 'person'; personId: string } | { kind: 'page'; page: PageRecord };

export function addComment(
  ctx: SimContext,
  postOrCommentId: string,
  author: CommentAuthor,
  message: string,
): CommentRecord {
  const parent = ctx.state.comments.get(postOrCommentId);
  const post = ctx.state.posts.get(parent ? parent.postId : postOrCommentId);
  if (!post || post.deleted || parent?.removed)
    throw new ControlError(404, `unknown post or comment ${postOrCommentId}`);
  const from = authorOf(ctx, author);
  const comment: CommentRecord = {
    id: ctx.state.newCommentId(post.id),
    postId: post.id,
    parentId: parent ? parent.id : post.id,
    fromId: from.id,
    fromName: from.name,
    byPage: author.kind === 'page',
    personId: author.kind === 'person' ? author.personId : null,
    message,
    createdAt: ctx.clock.now(),
    hidden: false,
    removed: false,
    privatelyRepliedAt: null,
  };
  ctx.state.comments.set(comment.id, comment);
  emitCommentChange(ctx, comment, 'add');
  return comment;
}

export function editComment(ctx: SimContext, comment: CommentRecord, message: string): void {
  comment.message = message;
  emitCommentChange(ctx, comment, 'edited');
}

export function removeComment(ctx: SimContext, comment: CommentRecord): void {
  comment.removed = true;
  emitCommentChange(ctx, comment, 'remove');
}

export function hideComment(ctx: SimContext, comment: CommentRecord, hidden: boolean): void {
  comment.hidden = hidden;
  emitCommentChange(ctx, comment, hidden ? 'hide' : 'unhide');
}

export function commentOf(ctx: SimContext, commentId: string): CommentRecord {
  const comment = ctx.state.comments.get(commentId);
  if (!comment || comment.removed) throw new ControlError(404, `unknown comment ${commentId}`);
  return comment;
}

/** Feed webhooks name a commenter by an app-scoped user id, not by the PSID. */
export function appScopedUserId(appId: string, personId: string): string {
  const digest = createHash('sha256').update(`asid:${appId}:${personId}`).digest('hex');
  return `1${BigInt(`0x${digest.slice(0, 13)}`)
    .toString()
    .padStart(15, '0')
    .slice(0, 15)}`;
}

function authorOf(ctx: SimContext, author: CommentAuthor): { id: string; name: string } {
  if (author.kind === 'page') return { id: author.page.id, name: author.page.name };
  const person = ctx.state.people.get(author.personId);
  if (!person) throw new ControlError(404, `unknown person ${author.personId}`);
  return { id: appScopedUserId(ctx.settings.appId, person.id), name: person.name };
}

function emitCommentChange(ctx: SimContext, comment: CommentRecord, verb: string): void {
  const post = ctx.state.posts.get(comment.postId);
  if (!post) return;
  const removed = verb === 'remove';
  ctx.webhooks.feed(post.pageId, {
    // remove events carry no message and often no from.name.
    from: removed ? { id: comment.fromId } : { id: comment.fromId, name: comment.fromName },
    item: 'comment',
    comment_id: comment.id,
    post_id: post.id,
    parent_id: comment.parentId,
    verb,
    created_time: seconds(ctx.clock.now()),
    ...(removed ? {} : { message: comment.message }),
    post: {
      id: post.id,
      status_type: 'mobile_status_update',
      is_published: true,
      updated_time: new Date(post.createdAt)
        .toISOString()
        .replace('Z', '+0000')
        .replace(/\.\d{3}/, ''),
      permalink_url: `https://www.facebook.com/${post.id.replace('_', '/posts/')}`,
      promotion_status: 'inactive',
    },
  });
}

function seconds(ms: number): number {
  return Math.floor(ms / 1000);
}
