import { setMaxListeners } from 'node:events';
import type { Job } from 'agenda';
import { Types } from 'mongoose';
import { BroadcastModel, type BroadcastRecord } from '../../models/broadcast';
import { BroadcastLaneModel, batchId, laneId, type BroadcastBatchMember } from '../../models/broadcast-batch';
import { AudienceChangeModel } from '../../models/audience-change';
import { BroadcastLinkModel } from '../../models/broadcast-link';
import { PageModel } from '../../models/page';
import { SubscriberModel } from '../../models/subscriber';
import type { PageCredentials } from '../facebook/graph-types';
import type { JobDefinition } from '../jobs/job-registry';
import { messageContentSchema, toOutgoingMessage, type MessageContent } from '../messaging/message-content';
import { countBroadcastRecipient } from '../platform/metrics';
import { isAutomationPaused } from '../pages/automation-pause';
import { decideSend } from '../policy/send-policy';
import { sendPurposeOf } from './audience';
import {
  claimBatch,
  createOutcomeRecorder,
  finishBatch,
  membersToSend,
  releaseClaim,
  type OutcomeRecorder,
  type RecipientOutcome,
} from './batch-claims';
import { outcomeOf, type Outcome } from './outcomes';
import { createSendIntents } from './send-intents';
import { sendBatchJobName, startJobName, type BroadcastJobDeps } from './send-context';
import { completeIfDone, pauseBroadcast } from './transitions';

export interface SendBatchData {
  broadcastId: string;
  pageId: string;
}

interface PageRun {
  broadcast: BroadcastRecord;
  broadcastId: string;
  pageId: string;
  credentials: PageCredentials;
  content: MessageContent;
  linkIds: Map<string, string>;
  /** Aborted when the broadcast stops sending or the worker stops: sends still queued in the governor leave unsent. */
  halt: AbortController;
  /** The latest lease end of a batch another worker holds: this Page is looked at again after it. */
  heldUntil: number;
  firstSentRecorded: boolean;
  recorder: OutcomeRecorder;
  /** The workspace's last reachability change, as of the last batch started (models/audience-change.ts). */
  audienceChangedAt: Date | undefined;
}

interface ClaimedBatch {
  batchId: string;
  claimId: string;
  attempt: number;
  leaseUntil: Date;
}

const reconnectReason = 'A Page needs its admin to reconnect it before sending resumes.';
const unansweredReason =
  'The worker sending this message stopped before Facebook answered, so we cannot tell whether it was sent; it is not sent again.';

/**
 * `broadcast:send-batch`: sends one broadcast on one Page, batch after batch in the order the fan-out writes them,
 * until every batch is finished or held by another worker. Safe to run twice or in several processes at once: a
 * batch is sent only under its claim, and a crashed worker's claims are taken over once their lease ends.
 */
export function sendBatchJob(deps: BroadcastJobDeps): JobDefinition<SendBatchData> {
  const runs = new Set<PageRun>();
  let interrupted = false;
  const stopForShutdown = (run: PageRun) => {
    run.halt.abort();
    // followUp schedules the Page again, for whichever worker is next.
    run.heldUntil = Math.max(run.heldUntil, deps.clock.now().getTime());
  };
  return {
    name: sendBatchJobName,
    lockLifetimeMs: deps.tuning.leaseMs,
    concurrency: 20,
    async handle(data, job) {
      const run = await prepareRun(deps, data);
      if (!run) return;
      if (interrupted) stopForShutdown(run);
      runs.add(run);
      try {
        await sendPage(deps, run, job);
      } finally {
        runs.delete(run);
      }
    },
    // Sends already with Meta are answered and recorded, the rest is left unsent, and every claim is let go.
    interrupt() {
      interrupted = true;
      for (const run of runs) stopForShutdown(run);
    },
  };
}

async function sendPage(deps: BroadcastJobDeps, run: PageRun, job: Job<SendBatchData>): Promise<void> {
  deps.progress.track(run.broadcastId, run.broadcast.workspace.toString());
  // A long broadcast outlives the job's lock: renewing it keeps a second runner of this Page from starting.
  const keepLock = setInterval(() => void job.touch().catch(() => undefined), deps.tuning.leaseMs / 3);
  // Pause and cancel reach sends already queued in the governor within a quarter second, not only between batches.
  const watch = setInterval(() => {
    BroadcastModel.findById(run.broadcastId)
      .select({ state: 1 })
      .lean()
      .then(
        (broadcast) => broadcast?.state !== 'sending' && run.halt.abort(),
        () => undefined,
      );
  }, 250);
  const inFlight: Promise<boolean>[] = [];
  const fanOut = fanOutWatch(deps, run);
  let healthy = true;
  try {
    for (let seq = 0; healthy;) {
      if (!(await isStillSending(run))) break;
      const lane = await BroadcastLaneModel.findById(laneId(run.broadcastId, run.pageId))
        .select({ batches: 1, fannedOutAt: 1 })
        .lean();
      if (!lane || seq >= lane.batches) {
        if (lane?.fannedOutAt) break;
        await fanOut.waitForMore(lane?.batches ?? 0);
        continue;
      }
      const id = batchId(run.broadcastId, run.pageId, seq++);
      const now = deps.clock.now();
      const claim = await claimBatch({
        broadcastId: run.broadcastId,
        batchId: id,
        worker: deps.worker,
        leaseMs: deps.tuning.leaseMs,
        now,
      });
      if (claim.kind === 'held') run.heldUntil = Math.max(run.heldUntil, claim.until.getTime());
      if (claim.kind !== 'claimed') continue;
      inFlight.push(sendBatch(deps, run, { batchId: id, ...claim }));
      if (inFlight.length >= deps.tuning.batchesInFlight) healthy = (await inFlight.shift()) ?? true;
    }
    await Promise.all(inFlight);
  } catch (error) {
    // A database error mid-Page must not leave the Page without a sender until the next restart: the claims this
    // run holds wait out their leases (their intents say who may have been sent) and the next run takes the rest.
    deps.logger.warn(
      { err: error, broadcastId: run.broadcastId, pageId: run.pageId },
      'broadcast page run failed; the Page is scheduled again',
    );
    run.halt.abort();
    await Promise.allSettled(inFlight);
    run.heldUntil = Math.max(run.heldUntil, deps.clock.now().getTime() + deps.tuning.retryDelayMs);
  } finally {
    clearInterval(keepLock);
    clearInterval(watch);
    run.halt.abort();
  }
  await followUp(deps, run);
}

/**
 * The sender takes batches as the fan-out (start-job.ts) writes them. A fan-out that stopped without finishing (its
 * job failed on a database error, or was given up by Agenda) would leave the sender polling forever: when the lane
 * has not grown for `fanOutStallMs`, the broadcast's start is queued again, which goes on where the lane stopped (a
 * fan-out still alive keeps the lane, and the second stops at its first write).
 */
function fanOutWatch(deps: BroadcastJobDeps, run: PageRun) {
  let seen = -1;
  let grewAt = Date.now();
  return {
    async waitForMore(batches: number): Promise<void> {
      if (batches !== seen) {
        seen = batches;
        grewAt = Date.now();
      } else if (Date.now() - grewAt >= deps.tuning.fanOutStallMs) {
        deps.logger.warn(
          { broadcastId: run.broadcastId, pageId: run.pageId, batches },
          'broadcast fan-out stalled; starting it again',
        );
        grewAt = Date.now();
        await deps.agenda().now(startJobName, { broadcastId: run.broadcastId });
      }
      await new Promise((resolve) => setTimeout(resolve, deps.tuning.fanOutPollMs));
    },
  };
}

/** Every send of a Page's batches in flight listens to it, up to `batchSize × batchesInFlight` at once. */
function haltable(): AbortController {
  const halt = new AbortController();
  setMaxListeners(0, halt.signal);
  return halt;
}

async function prepareRun(
  deps: BroadcastJobDeps,
  { broadcastId, pageId }: SendBatchData,
): Promise<PageRun | undefined> {
  const broadcast = await BroadcastModel.findById(broadcastId).lean();
  if (broadcast?.state !== 'sending') return undefined;
  const links = await BroadcastLinkModel.find({ broadcast: broadcast._id }).lean();
  try {
    const credentials = await deps.credentialsFor(broadcast.workspace.toString(), pageId);
    const content = messageContentSchema.parse(broadcast.content);
    const linkIds = new Map(links.map((link) => [link.url, link._id.toString()]));
    return {
      broadcast,
      broadcastId,
      pageId,
      credentials,
      content,
      linkIds,
      halt: haltable(),
      heldUntil: 0,
      firstSentRecorded: broadcast.firstSentAt !== undefined,
      recorder: createOutcomeRecorder(
        { broadcast: broadcast._id, workspace: broadcast.workspace, page: new Types.ObjectId(pageId) },
        deps.tuning.recordEveryMs,
      ),
      audienceChangedAt: undefined,
    };
  } catch (error) {
    deps.logger.warn({ err: error, broadcastId, pageId }, 'broadcast page cannot send; pausing');
    await pauseBroadcast(broadcastId, 'A Page of this broadcast is no longer connected.');
    return undefined;
  }
}

/** The broadcast's own state is the watch's to follow (`run.halt`); the Page's is read before every batch. */
async function isStillSending(run: PageRun): Promise<boolean> {
  if (run.halt.signal.aborted) return false;
  const [page, audienceChange] = await Promise.all([
    PageModel.findById(run.pageId).select({ automationPauses: 1, connected: 1 }).lean(),
    AudienceChangeModel.findById(run.broadcast.workspace.toString()).lean(),
  ]);
  run.audienceChangedAt = audienceChange?.at;
  if (page?.connected && !isAutomationPaused(page)) return true;
  run.halt.abort();
  await pauseBroadcast(run.broadcastId, reconnectReason);
  return false;
}

/**
 * Sends one claimed batch and records every outcome; the batch is finished once each member has one. False when a
 * send could not start (the worker is stopping or fell behind its lease): the loop takes no more batches.
 */
async function sendBatch(deps: BroadcastJobDeps, run: PageRun, claim: ClaimedBatch): Promise<boolean> {
  const { members, unanswered, readAt, recordedBefore } = await membersToSend(claim.batchId, claim.attempt);
  const { states, fromFanOut } = await currentStates(run, members, readAt);
  const tally = deps.progress.claimTally(run.broadcastId, laneId(run.broadcastId, run.pageId), claim.claimId);
  const inDoubt = unanswered.map((member): Outcome => ({
    outcome: { member, status: 'unknown', code: 'unknown_outcome', reason: unansweredReason },
    effect: undefined,
  }));
  for (const { outcome } of inDoubt) {
    await run.recorder.record(outcome);
    tally.add(outcome.status);
    countBroadcastRecipient(outcome.status);
  }
  const intents = createSendIntents(claim.claimId, members);
  const purpose = sendPurposeOf(run.broadcast.purpose);
  const results = await Promise.all(
    members.map(async (member, index): Promise<Outcome | undefined> => {
      // The window may have closed or the person opted out since the fan-out: decide again, now.
      let decision = decideSend(purpose, states[index]!, { automatedSendsPaused: false }, deps.clock.now());
      // Refused by what the fan-out read: the person may have written since, which only the subscriber tells.
      if (!decision.allowed && fromFanOut) {
        const [subscriber] = await readSubscribers([member]);
        decision = decideSend(purpose, subscriber!, { automatedSendsPaused: false }, deps.clock.now());
      }
      let result: Outcome | undefined;
      if (!decision.allowed) {
        const outcome: RecipientOutcome = {
          member,
          status: 'skipped',
          code: decision.code,
          reason: decision.reason,
        };
        result = { outcome, effect: undefined };
      } else {
        result = await send(deps, run, claim, member, decision, () => intents.beforeSending(index));
      }
      // `pending`: nothing went out, so nothing is recorded and the next claim sends.
      if (result && result.outcome.status !== 'pending') {
        await run.recorder.record(result.outcome);
        tally.add(result.outcome.status);
        countBroadcastRecipient(result.outcome.status);
      }
      return result;
    }),
  );
  const settled = [...inDoubt, ...results.filter((result) => result !== undefined)];
  const outcomes = settled.map((result) => result.outcome);
  await applySideEffects(deps, run, settled);
  const complete =
    outcomes.length === inDoubt.length + members.length && outcomes.every((o) => o.status !== 'pending');
  if (complete) {
    tally.finish();
    const statuses = [...recordedBefore, ...outcomes.map((outcome) => outcome.status)];
    await finishBatch(run.broadcastId, run.pageId, claim.batchId, statuses, deps.clock.now());
  } else {
    await tally.flush();
    await releaseClaim(claim.claimId, deps.clock.now());
    // Some members must wait (a rate limit outlasted the governor's retries, a 190): look again after a while.
    run.heldUntil = Math.max(run.heldUntil, deps.clock.now().getTime() + deps.tuning.retryDelayMs);
  }
  return settled.length === inDoubt.length + results.length || run.halt.signal.aborted;
}

type SubscriberState = Parameters<typeof decideSend>[1];

/**
 * What the send policy needs about each member. The window clocks the fan-out read only ever move later and a
 * subscriber becomes unreachable only through `noteAudienceChange`, so when nothing changed in the workspace since
 * the batch was read, the batch's own copy may refuse too early but never allows wrongly, and nobody is read again.
 */
async function currentStates(
  run: PageRun,
  members: BroadcastBatchMember[],
  readAt: Date,
): Promise<{ states: SubscriberState[]; fromFanOut: boolean }> {
  if (run.audienceChangedAt && run.audienceChangedAt >= readAt) {
    return { states: await readSubscribers(members), fromFanOut: false };
  }
  const states = members.map((member) => ({
    status: 'subscribed' as const,
    lastInteractionAt: member.lastInteractionAt,
    lastUserMessageAt: member.lastUserMessageAt ?? null,
  }));
  return { states, fromFanOut: true };
}

/** One read for the members, from the `_id` index. A subscriber gone from the database is unreachable. */
async function readSubscribers(members: BroadcastBatchMember[]): Promise<SubscriberState[]> {
  const found = await SubscriberModel.find({ _id: { $in: members.map((member) => member.subscriber) } })
    .select({ status: 1, lastInteractionAt: 1, lastUserMessageAt: 1 })
    .lean();
  const byId = new Map(found.map((subscriber) => [String(subscriber._id), subscriber]));
  return members.map((member) => {
    const subscriber = byId.get(String(member.subscriber));
    return {
      status: subscriber?.status ?? 'unsubscribed',
      lastInteractionAt: subscriber?.lastInteractionAt ?? null,
      lastUserMessageAt: subscriber?.lastUserMessageAt ?? null,
    };
  });
}

/** One member's send, tried again after temporary Meta errors up to `maxAttempts`; undefined if it never started. */
async function send(
  deps: BroadcastJobDeps,
  run: PageRun,
  claim: ClaimedBatch,
  member: BroadcastBatchMember,
  decision: Extract<ReturnType<typeof decideSend>, { allowed: true }>,
  beforeStart: () => Promise<void>,
): Promise<Outcome | undefined> {
  const message = toOutgoingMessage(run.content, {
    trackedUrl: (url) => trackedUrl(deps, run, member, url),
  });
  for (let tries = 1; ; tries++) {
    const answer = await deps.sender.send({
      page: run.credentials,
      psid: member.psid,
      messagingType: decision.messagingType,
      ...(decision.tag ? { tag: decision.tag } : {}),
      message,
      startBy: claim.leaseUntil.getTime() - deps.tuning.answerMarginMs,
      now: () => deps.clock.now().getTime(),
      signal: run.halt.signal,
      beforeStart,
    });
    // Not started: the member stays pending for the next claim of this batch.
    if (answer.kind === 'not_started') return undefined;
    const result = outcomeOf(member, answer, deps.clock.now(), tries, deps.tuning.maxAttempts);
    if (!result.tryAgain || run.halt.signal.aborted) return result;
    await new Promise((resolve) => setTimeout(resolve, deps.tuning.retryDelayMs * tries));
  }
}

function trackedUrl(deps: BroadcastJobDeps, run: PageRun, member: BroadcastBatchMember, url: string): string {
  const linkId = run.linkIds.get(url);
  return linkId ? `${deps.publicUrl}/r/${member.recipient.toString()}.${linkId}` : url;
}

async function applySideEffects(deps: BroadcastJobDeps, run: PageRun, settled: Outcome[]): Promise<void> {
  const workspaceId = run.broadcast.workspace.toString();
  for (const { outcome, effect } of settled) {
    if (effect === 'subscriber_unreachable')
      await deps.markUnreachable(
        workspaceId,
        outcome.member.subscriber.toString(),
        outcome.reason ?? 'Messenger answered that this person cannot be reached (551).',
      );
  }
  if (settled.some((r) => r.effect === 'page_needs_reauth')) {
    run.halt.abort();
    await deps.markNeedsReauth(run.pageId, 'Facebook refused the Page token while sending a broadcast.');
    await pauseBroadcast(run.broadcastId, reconnectReason);
  }
  if (!run.firstSentRecorded && settled.some((r) => r.outcome.status === 'sent')) {
    run.firstSentRecorded = true;
    await BroadcastModel.updateOne(
      { _id: run.broadcast._id, firstSentAt: { $exists: false } },
      { $set: { firstSentAt: deps.clock.now() } },
    );
  }
}

/** Batches another worker still holds, or members that must wait, are looked at again once that time has passed. */
async function followUp(deps: BroadcastJobDeps, run: PageRun): Promise<void> {
  const state = (await BroadcastModel.findById(run.broadcastId).select({ state: 1 }).lean())?.state;
  if (state !== 'sending') return;
  if (run.heldUntil === 0) {
    await completeIfDone(deps, run.broadcastId);
    return;
  }
  // Agenda runs on real time; the lease is on the product's clock, so only the remaining span carries over.
  const leftMs = Math.max(0, run.heldUntil - deps.clock.now().getTime());
  await deps.agenda().schedule(new Date(Date.now() + leftMs + 1_000), sendBatchJobName, {
    broadcastId: run.broadcastId,
    pageId: run.pageId,
  });
}
