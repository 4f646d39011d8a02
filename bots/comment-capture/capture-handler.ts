import type { Types } from 'mongoose';
import { CaptureModel, type Capture } from '../../models/capture';
import { CaptureOutcomeModel } from '../../models/capture-outcome';
import { CaptureReplyModel } from '../../models/capture-reply';
import { PageModel } from '../../models/page';
import { isAutomationPaused } from '../../server/pages/automation-pause';
import type { StoredPage } from '../../server/pages/page-view';
import { decidePrivateReply } from '../../server/policy/private-reply-policy';
import type { StoredPageEvent } from '../../webhooks/handler-registry';
import type { CaptureDeps } from './capture-deps';
import { contentSkipReason, targetsPost } from './capture-rules';
import { readCommentEvent, type CommentEvent } from './comment-event';
import { outcomeView } from './capture-outcomes';
import { sendCaptureReplies, type CaptureResult } from './capture-replies';
import { refusalReason } from '../../server/compliance/tallies';
import { isDuplicateKey } from '../../server/platform/database/duplicate-key';

export type StoredCapture = Capture & { _id: Types.ObjectId };
type Verdict =
  ({ skip: true } & Omit<CaptureResult, 'result'> & { reason: string }) | { skip: false; basis: string };

/**
 * Records what the capture did with a comment event once; audits and tells the Page's automation room only the
 * first time (not on redelivery).
 */
async function recordOutcome(
  deps: CaptureDeps,
  capture: StoredCapture,
  comment: CommentEvent,
  { refusal, ...outcome }: CaptureResult,
): Promise<void> {
  const at = deps.clock.now();
  let recorded;
  try {
    recorded = await CaptureOutcomeModel.create({
      workspace: capture.workspace,
      capture: capture._id,
      eventKey: comment.key,
      commentId: comment.commentId,
      authorName: comment.authorName,
      commentText: comment.message,
      ...outcome,
      at,
    });
  } catch (error) {
    if (isDuplicateKey(error)) return;
    throw error;
  }
  const pageId = capture.page.toString();
  deps.realtime.emitToAutomation(pageId, 'capture:outcome', {
    pageId,
    captureId: capture._id.toString(),
    outcome: outcomeView(recorded.toObject()),
  });
  await deps.audit.recordAfter({
    workspaceId: capture.workspace.toString(),
    pageId,
    actor: { kind: 'system', id: 'comment-capture' },
    action: outcome.result === 'replied' ? 'capture.replied' : 'capture.skipped',
    object: { kind: 'comment', id: comment.commentId },
    basis: outcome.basis,
    details: { captureId: capture._id.toString(), postId: comment.postId, reason: outcome.reason },
  });
  if (refusal)
    deps.tallies.countAfter({
      workspaceId: capture.workspace,
      pageId,
      measure: 'refusal',
      reason: refusalReason(refusal),
      source: 'capture',
      description: outcome.basis,
    });
}

/** The commenter's subscriber status, when an earlier private reply told us their PSID. */
async function commenterStatus(deps: CaptureDeps, page: StoredPage, comment: CommentEvent) {
  const earlier = await CaptureReplyModel.findOne({
    fbPageId: comment.fbPageId,
    authorId: comment.authorId,
    psid: { $ne: null },
  }).lean();
  if (!earlier?.psid) return null;
  return (await deps.subscribers.findByPsid(page._id.toString(), earlier.psid))?.status ?? null;
}

async function judge(
  deps: CaptureDeps,
  page: StoredPage,
  capture: StoredCapture,
  comment: CommentEvent,
): Promise<Verdict> {
  const isKnownPage =
    comment.authorId !== comment.fbPageId &&
    (await PageModel.exists({ fbPageId: comment.authorId })) !== null;
  const decision = decidePrivateReply(
    comment,
    {
      fbPageId: comment.fbPageId,
      isKnownPage,
      commenterStatus: await commenterStatus(deps, page, comment),
      automatedSendsPaused: isAutomationPaused(page),
    },
    deps.clock.now(),
  );
  if (!decision.allowed)
    return {
      skip: true,
      reason: decision.code,
      basis: decision.reason,
      refusal: { by: 'policy', code: decision.code },
    };
  const reason = contentSkipReason(capture, comment.message);
  if (reason) return { skip: true, reason, basis: `The comment's words: ${reason.replaceAll('_', ' ')}.` };
  return { skip: false, basis: 'A new comment matching the capture, within 7 days, by a person.' };
}

/** Reserves the private reply: the insert that succeeds may send, a duplicate means it was already reserved. */
async function reserve(deps: CaptureDeps, capture: StoredCapture, comment: CommentEvent) {
  try {
    return await CaptureReplyModel.create({
      workspace: capture.workspace,
      page: capture.page,
      capture: capture._id,
      fbPageId: comment.fbPageId,
      postId: comment.postId,
      commentId: comment.commentId,
      authorId: comment.authorId,
      personKey: capture.onePerPersonPerPost ? comment.authorId : comment.commentId,
      status: 'reserved',
      followUp: 'none',
      at: deps.clock.now(),
    });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    const sameComment = await CaptureReplyModel.exists({ commentId: comment.commentId });
    return sameComment ? 'already_replied' : 'already_replied_to_person';
  }
}

async function captureComment(
  deps: CaptureDeps,
  page: StoredPage,
  capture: StoredCapture,
  comment: CommentEvent,
) {
  const verdict = await judge(deps, page, capture, comment);
  if (verdict.skip) {
    const { skip: _skip, ...skipped } = verdict;
    await recordOutcome(deps, capture, comment, { result: 'skipped', ...skipped });
    return;
  }
  const reservation = await reserve(deps, capture, comment);
  if (typeof reservation === 'string') {
    const basis =
      reservation === 'already_replied'
        ? 'This comment already has its one private reply.'
        : 'This person already got a reply on this post.';
    await recordOutcome(deps, capture, comment, {
      result: 'skipped',
      reason: reservation,
      basis,
      refusal: { by: 'policy', code: reservation },
    });
    return;
  }
  const result = await sendCaptureReplies(deps, page, capture, reservation, comment.createdAt);
  await recordOutcome(deps, capture, comment, result);
}

/** `feed:comment` handler: every active capture of every connected copy of the Page looks at the comment. */
export function createCaptureHandler(deps: CaptureDeps) {
  return async (event: StoredPageEvent): Promise<void> => {
    if (event.source !== 'changes') return;
    const comment = readCommentEvent(event);
    if (!comment) return;
    const pages = await deps.pageAccess.findConnectedByFbPageId(comment.fbPageId);
    for (const page of pages) {
      const captures = await CaptureModel.find({ page: page._id.toString(), active: true })
        .sort({ createdAt: 1, _id: 1 })
        .lean<StoredCapture[]>();
      for (const capture of captures.filter((candidate) => targetsPost(candidate, comment.postId))) {
        await captureComment(deps, page, capture, comment);
      }
    }
  };
}
