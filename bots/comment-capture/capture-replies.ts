import type { HydratedDocument } from 'mongoose';
import type { CaptureReply } from '../../models/capture-reply';
import { CaptureReplyModel } from '../../models/capture-reply';
import type { PageCredentials } from '../../server/facebook/graph-types';
import type { Refusal } from '../../server/compliance/tallies';
import { isGraphError, reasonFor } from '../../server/facebook/graph-outcomes';
import { fromAutomatedContent, toOutgoingMessage } from '../../server/messaging/message-content';
import { publishDomainEvent } from '../../server/platform/domain-events';
import { privateReplyBasisOf } from '../../server/policy/consent-basis';
import type { StoredPage } from '../../server/pages/page-view';
import type { CaptureDeps } from './capture-deps';
import type { StoredCapture } from './capture-handler';

export interface CaptureResult {
  result: 'replied' | 'skipped';
  reason: string | null;
  basis: string;
  /** Why the reply may not or did not go, when a rule or Meta said no (not when the comment's words did not match). */
  refusal?: Refusal;
}

type Reservation = HydratedDocument<CaptureReply>;

async function sendPrivateReply(
  deps: CaptureDeps,
  credentials: PageCredentials,
  capture: StoredCapture,
  reservation: Reservation,
  commentCreatedAt: Date,
): Promise<CaptureResult> {
  try {
    const sent = await deps.governor.run(credentials.pageId, 'automation', () =>
      deps.graph.sendMessage(credentials, {
        recipient: { comment_id: reservation.commentId },
        messaging_type: 'RESPONSE',
        message: toOutgoingMessage(fromAutomatedContent(capture.privateReply)),
      }),
    );
    reservation.status = 'sent';
    reservation.psid = sent.recipientId ?? null;
    reservation.followUp = capture.followUp ? 'waiting' : 'none';
    await reservation.save();
    publishDomainEvent('capture.replied', String(capture.workspace), deps.clock.now(), {
      captureId: String(capture._id),
      pageId: String(capture.page),
      commentId: reservation.commentId,
      psid: reservation.psid,
    });
    return { result: 'replied', reason: null, basis: privateReplyBasisOf(commentCreatedAt) };
  } catch (error) {
    if (!isGraphError(error)) throw error;
    // A passing problem: give the reservation back so the webhook retry can send.
    if (error.outcome.kind === 'retry_later' || error.outcome.kind === 'rate_limited') {
      await CaptureReplyModel.deleteOne({ _id: reservation._id });
      throw error;
    }
    const kind = error.outcome.kind;
    const status = kind === 'already_replied' || kind === 'cannot_reply' ? kind : 'failed';
    reservation.status = kind === 'unknown_outcome' ? 'unknown' : status;
    reservation.failure = reasonFor(error.outcome);
    await reservation.save();
    const reason = status === 'failed' ? 'send_failed' : status;
    return {
      result: 'skipped',
      reason,
      basis: `Facebook: ${reasonFor(error.outcome)}`,
      refusal: { by: 'meta', outcome: kind, metaCode: error.code },
    };
  }
}

/** Rotates the public variants by how many public replies this capture already posted. */
async function sendPublicReply(
  deps: CaptureDeps,
  credentials: PageCredentials,
  capture: StoredCapture,
  reservation: Reservation,
): Promise<void> {
  const variants = capture.publicReplies;
  if (variants.length === 0) return;
  const posted = await CaptureReplyModel.countDocuments({
    capture: capture._id,
    'publicReply.status': 'sent',
  });
  const variant = posted % variants.length;
  try {
    const reply = await deps.governor.run(credentials.pageId, 'automation', () =>
      deps.graph.replyToComment(credentials, reservation.commentId, variants[variant] ?? ''),
    );
    reservation.publicReply = { status: 'sent', variant, commentId: reply.id };
    await deps.audit.recordAfter({
      workspaceId: capture.workspace.toString(),
      pageId: capture.page.toString(),
      actor: { kind: 'system', id: 'comment-capture' },
      action: 'capture.public_replied',
      object: { kind: 'comment', id: reservation.commentId },
      basis:
        'A public answer under the comment its private reply went to, as the Page; a comment thread is public, so no consent is asked.',
      details: { captureId: capture._id.toString(), replyCommentId: reply.id, variant },
    });
  } catch (error) {
    if (!isGraphError(error)) throw error;
    deps.logger.warn(
      { err: error, captureId: capture._id.toString(), commentId: reservation.commentId },
      'public reply to a comment failed',
    );
    reservation.publicReply = { status: 'failed', variant };
  }
  await reservation.save();
}

/** The private reply, then (only if it went) the public one under the comment. */
export async function sendCaptureReplies(
  deps: CaptureDeps,
  page: StoredPage,
  capture: StoredCapture,
  reservation: Reservation,
  commentCreatedAt: Date,
): Promise<CaptureResult> {
  const credentials = await deps.pageAccess.getSendCredentials(
    capture.workspace.toString(),
    page._id.toString(),
  );
  const result = await sendPrivateReply(deps, credentials, capture, reservation, commentCreatedAt);
  if (result.result !== 'replied') return result;
  if (await hasOptedOut(deps, page, reservation.psid)) {
    // A comment names an app-scoped id, never a PSID: only the private reply's answer told us who this is.
    reservation.followUp = 'none';
    await reservation.save();
    return {
      ...result,
      basis:
        `${result.basis} Its recipient turned out to have opted out, so no public reply and no follow-up, and ` +
        'their next comments are skipped.',
    };
  }
  await sendPublicReply(deps, credentials, capture, reservation);
  return result;
}

async function hasOptedOut(deps: CaptureDeps, page: StoredPage, psid: string | null | undefined) {
  if (!psid) return false;
  const status = (await deps.subscribers.findByPsid(page._id.toString(), psid))?.status;
  return status === 'unsubscribed' || status === 'blocked';
}
