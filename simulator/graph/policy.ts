import type { SimContext } from '../context';
import type { PageRecord, ThreadRecord } from '../records';
import { GraphError } from './errors';
import { isRecord } from './params';
import { promotionalWordIn } from './promotional';
import type { SendRequest } from './send-validation';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** The tags whose purpose is an update, never a promotion (docs/messenger-platform.md §3: no deals, coupons or cross-sell). */
const UPDATE_TAGS = ['CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE'];

/** Who a send reaches, and what to record once Meta accepts it. */
export interface Judgement {
  psid: string | null;
  thread: ThreadRecord | null;
  /** Accepted, but recorded as a violation (a promotional tagged send under `promotionalMisuse.action: 'record'`). */
  misuse?: GraphError;
  commit(): void;
}

/** Meta's messaging policy as the platform enforces it (docs/messenger-platform.md §3), on the simulated clock. */
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
    case 'phone_number':
      return judgePhoneNumber(ctx, recipient.value);
  }
}

/**
 * The phone-number recipient (customer matching): a beta for US numbers only. The number is written with `+` and its
 * country code, punctuation allowed (`+1 (212) 555-2368`). No thread is opened: the person sees a message request.
 */
function judgePhoneNumber(ctx: SimContext, raw: string): Judgement {
  const digits = raw.replace(/[\s().-]/g, '');
  if (!/^\+\d{8,15}$/.test(digits)) {
    throw GraphError.invalid(
      'param recipient[phone_number] must be a phone number with + and its country code',
    );
  }
  const { countryCallingCodes, outsideBeta } = ctx.settings.phoneNumbers;
  if (!countryCallingCodes.some((code) => digits.startsWith(`+${code}`))) {
    throw new GraphError(
      outsideBeta.code,
      outsideBeta.subcode,
      `(#${outsideBeta.code}) Sending to a phone number is only available for numbers in the United States`,
    );
  }
  return { psid: null, thread: null, commit: () => undefined };
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
    // HUMAN_AGENT: "a human reply within 7 days of the user's last message" — a message, not a postback or
    // reaction (the feedback tag has the same 7 days).
    const sevenDayTag = request.tag === 'HUMAN_AGENT' || request.tag === 'CUSTOMER_FEEDBACK';
    if (sevenDayTag && since(thread.lastMessageAt, now) > policy.humanAgentDays * DAY_MS) {
      throw GraphError.of('outsideWindow');
    }
  } else if (request.messagingType === 'UTILITY') {
    // The Send API lists UTILITY for utility templates, the template-based successor of the update tags that may
    // reach a person outside the window. Any other message under UTILITY would bypass the window, so it is refused
    // whether the window is open or not, as a send whose parameters do not fit together.
    if (!isUtilityTemplate(request.message)) throw GraphError.of('utilityNeedsTemplate');
  } else if (!withinWindow) {
    throw GraphError.of('outsideWindow');
  }
  const misuse = promotionalMisuse(ctx, request);
  return { psid: thread.psid, thread, ...(misuse ? { misuse } : {}), commit: () => undefined };
}

function isUtilityTemplate(message: Record<string, unknown> | null): boolean {
  const attachment = message?.attachment;
  return (
    isRecord(attachment) &&
    attachment.type === 'template' &&
    isRecord(attachment.payload) &&
    attachment.payload.template_type === 'utility'
  );
}

/**
 * Update tags and utility messages must not promote. A refusal is thrown; under 'record' the send goes through and
 * the error comes back to be recorded as a violation, the way Meta accepts a message and restricts the Page later.
 */
function promotionalMisuse(ctx: SimContext, request: SendRequest): GraphError | null {
  const purposeBound =
    request.messagingType === 'UTILITY' ||
    (request.messagingType === 'MESSAGE_TAG' && UPDATE_TAGS.includes(request.tag ?? ''));
  if (!purposeBound || !request.message) return null;
  const { promotionalWords, promotionalMisuse: misuse } = ctx.settings.policy;
  const word = promotionalWordIn(request.message, promotionalWords);
  if (word === null) return null;
  const purpose = request.tag ?? 'UTILITY';
  const error = new GraphError(
    misuse.code,
    misuse.subcode,
    `(#${misuse.code}) ${purpose} messages may not contain promotional content ("${word}")`,
  );
  if (misuse.action === 'refuse') throw error;
  return error;
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
