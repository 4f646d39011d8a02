import type { SimContext } from '../context';
import type { PageRecord, ThreadRecord } from '../records';
import { GraphError } from './errors';
import type { SendRequest } from './send-validation';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Who a send reaches, and what to record once Meta accepts it. */
export interface Judgement {
  psid: string | null;
  thread: ThreadRecord | null;
  commit(): void;
}

/** Meta's messaging policy as the platform enforces it (MESSENGER-PLATFORM.md §3), on the simulated clock. */
export function judgeSend(ctx: SimContext, page: PageRecord, request: SendRequest): Judgement {
  const { recipient } = request;
  switch (recipient.kind) {
    case 'id':
      return judgeThreadSend(ctx, request, threadForPsid(ctx, page, recipient.value));
    case 'comment_id':
      return judgePrivateReply(ctx, page, recipient.value);
    case 'post_id':
      return judgePostReply(ctx, recipient.value);
    case 'notification_messages_token':
      return judgeMarketingMessage(ctx, page, recipient.value);
    case 'one_time_notif_token':
      return judgeOneTimeNotification(ctx, page, recipient.value);
    case 'user_ref':
      return judgeUserRef(ctx, page, recipient.value);
  }
}

function threadForPsid(ctx: SimContext, page: PageRecord, psid: string): ThreadRecord {
  const thread = ctx.state.thread(page.id, psid);
  if (!thread) throw GraphError.of('noMatchingUser');
  return thread;
}

function judgeThreadSend(ctx: SimContext, request: SendRequest, thread: ThreadRecord): Judgement {
  assertReachable(ctx, thread);
  const now = ctx.clock.now();
  const { policy } = ctx.settings;
  const withinWindow = since(thread.lastInteractionAt, now) <= policy.windowHours * HOUR_MS;
  if (request.messagingType === 'MESSAGE_TAG') {
    // HUMAN_AGENT (and the feedback tag) reach back at most 7 days after the person's last message.
    const sevenDayTag = request.tag === 'HUMAN_AGENT' || request.tag === 'CUSTOMER_FEEDBACK';
    if (sevenDayTag && since(thread.lastMessageAt, now) > policy.humanAgentDays * DAY_MS) {
      throw GraphError.of('outsideWindow');
    }
  } else if (request.messagingType !== 'UTILITY' && !withinWindow) {
    throw GraphError.of('outsideWindow');
  }
  return { psid: thread.psid, thread, commit: () => undefined };
}

function assertReachable(ctx: SimContext, thread: ThreadRecord): void {
  if (thread.blocked) throw GraphError.of('userUnavailable');
  if (thread.ownerAppId !== null && thread.ownerAppId !== ctx.settings.appId) {
    throw GraphError.of('threadOwnedByAnotherApp');
  }
}

function since(at: number | null, now: number): number {
  return at === null ? Infinity : now - at;
}

/** Private replies: one per comment (10900), within 7 days, never to a Page's own comment (10903). */
function judgePrivateReply(ctx: SimContext, page: PageRecord, commentId: string): Judgement {
  const comment = ctx.state.comments.get(commentId);
  const post = comment ? ctx.state.posts.get(comment.postId) : undefined;
  if (!comment || !post || comment.removed) throw GraphError.unsupported('post', commentId);
  if (post.pageId !== page.id || comment.byPage || !comment.personId)
    throw GraphError.of('cannotReplyToActivity');
  if (comment.privatelyRepliedAt !== null) throw GraphError.of('alreadyReplied');
  const now = ctx.clock.now();
  if (now - comment.createdAt > ctx.settings.policy.privateReplyDays * DAY_MS) {
    const { code, subcode } = ctx.settings.policy.privateReplyExpired;
    throw new GraphError(code, subcode ?? null, `(#${code}) This user cant reply to this activity`);
  }
  const thread = ctx.state.ensureThread(page.id, comment.personId);
  if (thread.blocked) throw GraphError.of('userUnavailable');
  return {
    psid: thread.psid,
    thread,
    commit: () => {
      comment.privatelyRepliedAt = now;
    },
  };
}

function judgePostReply(ctx: SimContext, postId: string): never {
  const post = ctx.state.posts.get(postId);
  if (!post || post.deleted) throw GraphError.unsupported('post', postId);
  // Only visitor posts can be answered privately; every post the simulator knows is a Page's own.
  throw GraphError.of('cannotReplyToActivity');
}

function judgeMarketingMessage(ctx: SimContext, page: PageRecord, token: string): Judgement {
  const record = ctx.state.notificationTokens.get(token);
  if (!record || record.pageId !== page.id)
    throw GraphError.invalid('The notification_messages_token is invalid');
  if (record.stopped) throw GraphError.of('notificationsStopped');
  const thread = threadForPsid(ctx, page, record.psid);
  assertReachable(ctx, thread);
  const now = ctx.clock.now();
  if (since(record.lastSentAt, now) < ctx.settings.policy.marketingMessageGapHours * HOUR_MS) {
    throw GraphError.of('marketingGap');
  }
  return {
    psid: thread.psid,
    thread,
    commit: () => {
      record.lastSentAt = now;
    },
  };
}

function judgeOneTimeNotification(ctx: SimContext, page: PageRecord, token: string): Judgement {
  const record = ctx.state.oneTimeTokens.get(token);
  if (!record || record.pageId !== page.id || record.used) {
    throw GraphError.invalid('The one_time_notif_token is invalid or has been used');
  }
  const thread = threadForPsid(ctx, page, record.psid);
  assertReachable(ctx, thread);
  return {
    psid: thread.psid,
    thread,
    commit: () => {
      record.used = true;
    },
  };
}

function judgeUserRef(ctx: SimContext, page: PageRecord, userRef: string): Judgement {
  const ref = ctx.state.userRefs.get(userRef);
  if (!ref || ref.pageId !== page.id) throw GraphError.of('noMatchingUser');
  const thread = ctx.state.ensureThread(page.id, ref.personId);
  if (thread.blocked) throw GraphError.of('userUnavailable');
  // Meta answers user_ref sends without a recipient_id.
  return { psid: null, thread, commit: () => undefined };
}
