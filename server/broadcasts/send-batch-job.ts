import { Types } from 'mongoose';
import { BroadcastModel, type BroadcastRecord } from '../../models/broadcast';
import { BroadcastLinkModel } from '../../models/broadcast-link';
import { BroadcastRecipientModel } from '../../models/broadcast-recipient';
import { PageModel } from '../../models/page';
import { SubscriberModel } from '../../models/subscriber';
import type { PageCredentials } from '../facebook/graph-types';
import type { JobDefinition } from '../jobs/job-registry';
import { decideSend } from '../policy/send-policy';
import { sendPurposeOf } from './audience';
import { broadcastContentSchema, toOutgoingMessage, type BroadcastContent } from './content';
import { outcomeOf, type SideEffect } from './outcomes';
import {
  claimRecipients,
  recordOutcomes,
  type ClaimedRecipient,
  type RecipientOutcome,
} from './recipient-claims';
import { sendBatchJobName, type BroadcastJobDeps } from './send-context';
import { completeIfDone, pauseBroadcast } from './transitions';

export interface SendBatchData {
  broadcastId: string;
  pageId: string;
}

interface PageRun {
  broadcast: BroadcastRecord;
  pageId: string;
  credentials: PageCredentials;
  content: BroadcastContent;
  linkIds: Map<string, string>;
  /** Set when the broadcast stops sending, so sends still queued in the governor are released unsent. */
  stopped: boolean;
}

/**
 * `broadcast:send-batch`: sends one broadcast on one Page until no recipient is left to claim. Safe to run twice or
 * in several processes at once: every send is preceded by a unique claim, and a crashed run's claims are taken over
 * once their lease ends.
 */
export function sendBatchJob(deps: BroadcastJobDeps): JobDefinition<SendBatchData> {
  return {
    name: sendBatchJobName,
    lockLifetimeMs: deps.tuning.leaseMs,
    concurrency: 20,
    handle: (data) => sendPage(deps, data),
  };
}

async function sendPage(deps: BroadcastJobDeps, { broadcastId, pageId }: SendBatchData): Promise<void> {
  const run = await prepareRun(deps, broadcastId, pageId);
  if (!run) return;
  deps.progress.track(broadcastId, run.broadcast.workspace.toString());
  const watch = setInterval(() => {
    BroadcastModel.findById(broadcastId)
      .select({ state: 1 })
      .lean()
      .then(
        (b) => (run.stopped = b?.state !== 'sending'),
        () => undefined,
      );
  }, 250);
  const inFlight: Promise<boolean>[] = [];
  let workerHealthy = true;
  while (workerHealthy && (await isStillSending(deps, run))) {
    const claimed = await claimRecipients({
      broadcastId,
      pageId,
      limit: deps.tuning.batchSize,
      worker: deps.worker,
      leaseMs: deps.tuning.leaseMs,
      now: deps.clock.now(),
    });
    if (claimed.length === 0) break;
    inFlight.push(sendClaimed(deps, run, claimed));
    if (inFlight.length >= deps.tuning.batchesInFlight) workerHealthy = (await inFlight.shift()) ?? true;
  }
  await Promise.all(inFlight).finally(() => clearInterval(watch));
  await followUp(deps, broadcastId, pageId);
}

async function prepareRun(
  deps: BroadcastJobDeps,
  broadcastId: string,
  pageId: string,
): Promise<PageRun | undefined> {
  const broadcast = await BroadcastModel.findById(broadcastId).lean();
  if (broadcast?.state !== 'sending') return undefined;
  const links = await BroadcastLinkModel.find({ broadcast: broadcast._id }).lean();
  try {
    const credentials = await deps.credentialsFor(broadcast.workspace.toString(), pageId);
    const content = broadcastContentSchema.parse(broadcast.content);
    const linkIds = new Map(links.map((link) => [link.url, link._id.toString()]));
    return { broadcast, pageId, credentials, content, linkIds, stopped: false };
  } catch (error) {
    deps.logger.warn({ err: error, broadcastId, pageId }, 'broadcast page cannot send; pausing');
    await pauseBroadcast(broadcastId, 'A Page of this broadcast is no longer connected.');
    return undefined;
  }
}

async function isStillSending(deps: BroadcastJobDeps, run: PageRun): Promise<boolean> {
  const [broadcast, page] = await Promise.all([
    BroadcastModel.findById(run.broadcast._id).select({ state: 1 }).lean(),
    PageModel.findById(run.pageId).select({ automatedSendsPaused: 1, connected: 1 }).lean(),
  ]);
  if (broadcast?.state !== 'sending') return false;
  if (page?.connected && !page.automatedSendsPaused) return true;
  await pauseBroadcast(
    run.broadcast._id.toString(),
    'A Page needs its admin to reconnect it before sending resumes.',
  );
  return false;
}

/** Sends one claimed batch; false when a send could not start (the worker is stopping or fell behind its lease). */
async function sendClaimed(
  deps: BroadcastJobDeps,
  run: PageRun,
  claimed: ClaimedRecipient[],
): Promise<boolean> {
  // One lookup by _id each: the embedded FerretDB answers those from its index, but scans the whole collection for
  // `_id: {$in}` (800 ms at 20,000 subscribers, every batch).
  const subscribers = await Promise.all(
    claimed.map((r) =>
      SubscriberModel.findById(r.subscriberId)
        .select({ status: 1, lastInteractionAt: 1, lastUserMessageAt: 1 })
        .lean(),
    ),
  );
  const byId = new Map(subscribers.filter((s) => s !== null).map((s) => [s._id.toString(), s]));
  const purpose = sendPurposeOf(run.broadcast.purpose);
  const results = await Promise.all(
    claimed.map(async (recipient) => {
      const subscriber = byId.get(recipient.subscriberId);
      // The window may have closed or the person opted out since the fan-out: decide again, now.
      const decision = decideSend(
        purpose,
        {
          status: subscriber?.status ?? 'unsubscribed',
          lastInteractionAt: subscriber?.lastInteractionAt ?? null,
          lastUserMessageAt: subscriber?.lastUserMessageAt ?? null,
        },
        { automatedSendsPaused: false },
        deps.clock.now(),
      );
      if (!decision.allowed) {
        const outcome: RecipientOutcome = {
          recipient,
          status: 'skipped',
          code: decision.code,
          reason: decision.reason,
        };
        return { outcome, effect: undefined };
      }
      const answer = await deps.sender.send({
        page: run.credentials,
        psid: recipient.psid,
        messagingType: decision.messagingType,
        ...(decision.tag ? { tag: decision.tag } : {}),
        message: toOutgoingMessage(run.content, (url) => trackedUrl(deps, run, recipient, url)),
        startBy: recipient.leaseUntil.getTime() - deps.tuning.answerMarginMs,
        now: () => deps.clock.now().getTime(),
        mayStart: () => !run.stopped,
      });
      // Paused or cancelled: nothing left, so the recipient waits as pending. Otherwise its lease is another's to take.
      if (answer.kind === 'not_started' && run.stopped)
        return { outcome: released(recipient), effect: undefined };
      if (answer.kind === 'not_started') return undefined;
      return outcomeOf(recipient, answer, deps.clock.now(), deps.tuning.maxAttempts);
    }),
  );
  const settled = results.filter((r) => r !== undefined);
  await recordOutcomes(settled.map((r) => r.outcome));
  await applySideEffects(deps, run, settled);
  return settled.length === results.length || run.stopped;
}

const released = (recipient: ClaimedRecipient): RecipientOutcome => ({ recipient, status: 'pending' });

function trackedUrl(deps: BroadcastJobDeps, run: PageRun, recipient: ClaimedRecipient, url: string): string {
  const linkId = run.linkIds.get(url);
  return linkId ? `${deps.publicUrl}/r/${recipient.id}.${linkId}` : url;
}

async function applySideEffects(
  deps: BroadcastJobDeps,
  run: PageRun,
  settled: { outcome: RecipientOutcome; effect: SideEffect }[],
): Promise<void> {
  const workspaceId = run.broadcast.workspace.toString();
  for (const { outcome, effect } of settled) {
    if (effect === 'subscriber_unreachable')
      await deps.markUnreachable(
        workspaceId,
        outcome.recipient.subscriberId,
        outcome.reason ?? 'Messenger answered that this person cannot be reached (551).',
      );
  }
  if (settled.some((r) => r.effect === 'page_needs_reauth')) {
    await deps.markNeedsReauth(run.pageId, 'Facebook refused the Page token while sending a broadcast.');
    await pauseBroadcast(
      run.broadcast._id.toString(),
      'A Page needs its admin to reconnect it before sending resumes.',
    );
  }
  if (settled.some((r) => r.outcome.status === 'sent')) {
    await BroadcastModel.updateOne(
      { _id: run.broadcast._id, firstSentAt: { $exists: false } },
      { $set: { firstSentAt: deps.clock.now() } },
    );
  }
}

/** Claims another worker still holds are looked at again when their lease ends: that worker may have died. */
async function followUp(deps: BroadcastJobDeps, broadcastId: string, pageId: string): Promise<void> {
  const held = await BroadcastRecipientModel.findOne({
    broadcast: new Types.ObjectId(broadcastId),
    page: new Types.ObjectId(pageId),
    status: { $in: ['pending', 'sending'] },
  })
    .sort({ leaseUntil: -1 })
    .select({ leaseUntil: 1, status: 1 })
    .lean();
  if (!held) {
    await completeIfDone(broadcastId, deps.clock.now());
    return;
  }
  const state = (await BroadcastModel.findById(broadcastId).select({ state: 1 }).lean())?.state;
  if (state !== 'sending') return;
  // Agenda runs on real time; the lease is on the product's clock, so only the remaining span carries over.
  const leaseLeftMs = Math.max(0, (held.leaseUntil?.getTime() ?? 0) - deps.clock.now().getTime());
  await deps.agenda().schedule(new Date(Date.now() + leaseLeftMs + 1_000), sendBatchJobName, {
    broadcastId,
    pageId,
  });
}
