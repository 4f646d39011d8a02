import { CaptureModel } from '../../models/capture';
import { CaptureReplyModel } from '../../models/capture-reply';
import { fromAutomatedContent } from '../../server/messaging/message-content';
import type { StoredPage } from '../../server/pages/page-view';
import type { SubscriberRecord } from '../../server/subscribers/subscriber-service';
import type { StoredPageEvent } from '../../webhooks/handler-registry';
import { sendAutomated, type BotDeps } from '../engine/bot-deps';
import { reserveReply, settleReply } from '../engine/bot-replies';
import type { Inbound } from '../engine/inbound';

const waitingFor = (fbPageId: string, psid: string) =>
  CaptureReplyModel.findOne({ fbPageId, psid, followUp: 'waiting' }).sort({ at: 1 });

/**
 * Registered before live chat's `message` handler: a person answering a private reply becomes a subscriber whose
 * opt-in source is the comment (the answer itself then opens their window through live chat's own recording).
 */
export function createCommentOptInHandler(deps: Pick<BotDeps, 'subscribers' | 'pageAccess'>) {
  return async (event: StoredPageEvent): Promise<void> => {
    if (event.source !== 'messaging') return;
    const psid = (event.payload.sender as { id?: unknown } | undefined)?.id;
    if (typeof psid !== 'string') return;
    const waiting = await waitingFor(event.fbPageId, psid).lean();
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
): Promise<boolean> {
  const waiting = await waitingFor(inbound.fbPageId, inbound.psid);
  if (!waiting || waiting.page.toString() !== page._id.toString()) return false;
  const capture = await CaptureModel.findById(waiting.capture).lean();
  if (!capture?.followUp) {
    waiting.followUp = 'none';
    await waiting.save();
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
  );
  await settleReply(reservation._id, result);
  waiting.followUp = result.status === 'sent' ? 'sent' : 'refused';
  await waiting.save();
  return true;
}
