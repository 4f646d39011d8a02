import type { Types } from 'mongoose';
import { CaptureModel } from '../../models/capture';
import { CaptureReplyModel, type CaptureReply } from '../../models/capture-reply';
import { fromAutomatedContent } from '../../server/messaging/message-content';
import { createProcessCache } from '../../server/platform/process-cache';
import type { StoredPage } from '../../server/pages/page-view';
import type { SubscriberRecord } from '../../server/subscribers/subscriber-service';
import { scopeKey, type EventScope } from '../../webhooks/event-scope';
import type { StoredPageEvent } from '../../webhooks/handler-registry';
import { sendAutomated, type BotDeps } from '../engine/bot-deps';
import { reserveReply, settleReply } from '../engine/bot-replies';
import type { Inbound } from '../engine/inbound';

type WaitingReply = { _id: Types.ObjectId } & Pick<
  CaptureReply,
  'capture' | 'workspace' | 'page' | 'fbPageId' | 'at'
>;

/** Whether any follow-up waits on the Page: asked by every message, and mostly none does. */
const anyWaitingOn = createProcessCache<boolean>({
  ttlMs: 2_000,
  max: 10_000,
  forgetOnWritesTo: ['capturereplies'],
});

/** The private reply whose follow-up waits for this person's answer, read once per event (both handlers ask). */
const waitingFor = (scope: EventScope, fbPageId: string, psid: string) =>
  scope.once(scopeKey<WaitingReply | null>(`capture-follow-up:${fbPageId}:${psid}`), async () => {
    const anyWaiting = await anyWaitingOn.get(fbPageId, async () =>
      Boolean(await CaptureReplyModel.exists({ fbPageId, followUp: 'waiting' })),
    );
    if (!anyWaiting) return null;
    return CaptureReplyModel.findOne({ fbPageId, psid, followUp: 'waiting' })
      .sort({ at: 1 })
      .select({ capture: 1, workspace: 1, page: 1, fbPageId: 1, at: 1 })
      .lean<WaitingReply>();
  });

/** The follow-up's outcome, once: only a reply still waiting moves on. */
const settleFollowUp = (waiting: WaitingReply, followUp: 'none' | 'sent' | 'refused') =>
  CaptureReplyModel.updateOne({ _id: waiting._id, followUp: 'waiting' }, { $set: { followUp } });

/**
 * Registered before live chat's `message` handler: a person answering a private reply becomes a subscriber whose
 * opt-in source is the comment (the answer itself then opens their window through live chat's own recording).
 */
export function createCommentOptInHandler(deps: Pick<BotDeps, 'subscribers' | 'pageAccess'>) {
  return async (event: StoredPageEvent, scope: EventScope): Promise<void> => {
    if (event.source !== 'messaging') return;
    const psid = (event.payload.sender as { id?: unknown } | undefined)?.id;
    if (typeof psid !== 'string') return;
    const waiting = await waitingFor(scope, event.fbPageId, psid);
    if (!waiting) return;
    const page = { _id: waiting.page, workspace: waiting.workspace, fbPageId: waiting.fbPageId };
    await deps.subscribers.recordInteraction(page, psid, { kind: 'comment', at: waiting.at });
  };
}

/**
 * The capture's follow-up, once, when the commenter answers the private reply. True when this interaction belongs to
 * the follow-up (sent now or already), so the bot's rules stay quiet: one automated reply per interaction.
 */
export async function sendFollowUpIfWaiting(
  deps: BotDeps,
  page: StoredPage,
  subscriber: SubscriberRecord,
  inbound: Inbound,
  scope: EventScope,
): Promise<boolean> {
  const waiting = await waitingFor(scope, inbound.fbPageId, inbound.psid);
  if (!waiting || waiting.page.toString() !== page._id.toString()) return false;
  const capture = await CaptureModel.findById(waiting.capture).lean();
  if (!capture?.followUp) {
    await settleFollowUp(waiting, 'none');
    return false;
  }
  const reservation = await reserveReply(
    {
      workspace: waiting.workspace,
      page: waiting.page,
      subscriber: subscriber._id,
      eventKey: inbound.key,
      kind: 'follow_up',
      slot: `follow-up:${waiting._id.toString()}`,
    },
    deps.clock.now(),
  );
  if (!reservation) return true;
  const result = await sendAutomated(
    deps,
    page,
    subscriber,
    fromAutomatedContent(capture.followUp),
    'capture',
    { captureId: capture._id.toString() },
  );
  await settleReply(reservation._id, result);
  await settleFollowUp(waiting, result.status === 'sent' ? 'sent' : 'refused');
  return true;
}
