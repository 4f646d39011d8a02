import { Types } from 'mongoose';
import {
  BroadcastBatchModel,
  BroadcastBatchResultModel,
  BroadcastLaneTallyModel,
  type BroadcastBatchMember,
  type OutcomeCounts,
} from '../../models/broadcast-batch';
import { BroadcastRecipientModel, type RecipientStatus } from '../../models/broadcast-recipient';
import { BroadcastSendClaimModel, claimIdOf } from '../../models/broadcast-send-claim';
import { isDuplicateKey, isOnlyDuplicateKeys } from '../platform/database/duplicate-key';
import { unansweredIntents } from './send-intents';

export interface ClaimRequest {
  broadcastId: string;
  batchId: string;
  worker: string;
  leaseMs: number;
  now: Date;
}

export type BatchClaim =
  | { kind: 'claimed'; claimId: string; attempt: number; leaseUntil: Date }
  /** Every member has its outcome. */
  | { kind: 'finished' }
  /** Another worker's lease runs until `until`; if that worker died, the batch is free after it. */
  | { kind: 'held'; until: Date };

const isFinished = async (batchId: string) =>
  (await BroadcastBatchResultModel.exists({ _id: batchId })) !== null;

/**
 * Takes one batch: the claim is the insert of `<batch>:<attempt>`, atomic across processes, so two workers never
 * hold the same batch. A claim whose lease ended (its worker died or let go) gives way to the next attempt.
 */
export async function claimBatch({
  broadcastId,
  batchId,
  worker,
  leaseMs,
  now,
}: ClaimRequest): Promise<BatchClaim> {
  if (await isFinished(batchId)) return { kind: 'finished' };
  const leaseUntil = new Date(now.getTime() + leaseMs);
  for (let attempt = 1; ; attempt++) {
    const claimId = claimIdOf(batchId, attempt);
    try {
      await BroadcastSendClaimModel.create({
        _id: claimId,
        broadcast: broadcastId,
        worker,
        at: now,
        leaseUntil,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const held = await BroadcastSendClaimModel.findById(claimId).select({ leaseUntil: 1 }).lean();
      if (held && held.leaseUntil > now) return { kind: 'held', until: held.leaseUntil };
      continue;
    }
    // The worker before may have finished the batch just before its lease ended.
    if (attempt > 1 && (await isFinished(batchId))) return { kind: 'finished' };
    return { kind: 'claimed', claimId, attempt, leaseUntil };
  }
}

/**
 * Lets a batch go before its lease ends (paused, cancelled, or some members must wait), every answer recorded: the
 * next claim may start, and sends whoever this one intended but did not send.
 */
export async function releaseClaim(claimId: string, now: Date): Promise<void> {
  await BroadcastSendClaimModel.updateOne({ _id: claimId }, { $set: { leaseUntil: now, settled: true } });
}

/**
 * What one claim has recorded, written on its lane's tally at most once per `everyMs` while outcomes come: other
 * processes' progress moves inside a batch that sends for longer than that. A batch that ends sooner (a Page sending
 * at full speed) writes nothing there; its result counts. The process that sends reads `counts()` directly.
 */
export function createClaimTally(lane: string, claimId: string, everyMs: number, onDone: () => void) {
  const statuses: RecipientStatus[] = [];
  const field = `claims.${claimId}`;
  let writtenAt = Date.now();
  let written = false;
  let trailing: NodeJS.Timeout | undefined;
  let writing: Promise<unknown> = Promise.resolve();
  const update = (change: Record<string, unknown>) => {
    clearTimeout(trailing);
    trailing = undefined;
    writing = writing
      .then(() => BroadcastLaneTallyModel.updateOne({ _id: lane }, change, { upsert: true }))
      // Only progress reads the tally, and the next write or the batch's result corrects it.
      .catch(() => undefined);
    return writing;
  };
  const write = () => {
    writtenAt = Date.now();
    written = true;
    return update({ $set: { [field]: countOutcomes(statuses) } });
  };
  return {
    claimId,
    add(status: RecipientStatus): void {
      statuses.push(status);
      const dueIn = writtenAt + everyMs - Date.now();
      if (dueIn <= 0) void write();
      else trailing ??= setTimeout(() => void write(), dueIn).unref();
    },
    counts: (): OutcomeCounts => countOutcomes(statuses),
    /** The batch is finished: its result counts from now on. */
    finish(): void {
      clearTimeout(trailing);
      onDone();
      if (written) void update({ $unset: { [field]: '' } });
    },
    /** The batch is let go unfinished: what it recorded stays counted until a later claim finishes it. */
    async flush(): Promise<void> {
      if (statuses.length > 0) await write();
      onDone();
    },
  };
}

export type ClaimTally = ReturnType<typeof createClaimTally>;

export interface BatchToSend {
  members: BroadcastBatchMember[];
  /** Members an earlier claim may have sent without recording Meta's answer: `unknown`, never sent again. */
  unanswered: BroadcastBatchMember[];
  readAt: Date;
  /** The statuses earlier claims of this batch recorded, for its finished counts. */
  recordedBefore: RecipientStatus[];
}

/**
 * The members still without an outcome. A first claim has nobody before it; a later one skips whoever an earlier
 * worker recorded (a recipient document exists only once its outcome does), one lookup by `_id` each, and leaves
 * out whoever an earlier worker intended to send without recording an answer.
 */
export async function membersToSend(batchId: string, attempt: number): Promise<BatchToSend> {
  const batch = await BroadcastBatchModel.findById(batchId).lean();
  if (!batch) return { members: [], unanswered: [], readAt: new Date(0), recordedBefore: [] };
  if (attempt === 1)
    return { members: batch.members, unanswered: [], readAt: batch.readAt, recordedBefore: [] };
  const [recorded, intended] = await Promise.all([
    Promise.all(
      batch.members.map(
        async (member) =>
          (await BroadcastRecipientModel.findById(member.recipient).select({ status: 1 }).lean())?.status,
      ),
    ),
    unansweredIntents(batchId, attempt),
  ]);
  const unrecorded = batch.members.filter((_, index) => !recorded[index]);
  const wasIntended = (member: BroadcastBatchMember) => intended.has(member.recipient.toString());
  return {
    members: unrecorded.filter((member) => !wasIntended(member)),
    unanswered: unrecorded.filter(wasIntended),
    readAt: batch.readAt,
    recordedBefore: recorded.filter((status) => status !== undefined),
  };
}

export interface RecipientOutcome {
  member: BroadcastBatchMember;
  status: Exclude<RecipientStatus, 'delivered' | 'read' | 'clicked'>;
  code?: string;
  reason?: string;
  messageId?: string;
  sentAt?: Date;
}

export interface RecipientContext {
  broadcast: Types.ObjectId;
  workspace: Types.ObjectId;
  page: Types.ObjectId;
}

/**
 * Records outcomes as they come, as inserts of the recipients' documents: a few milliseconds for many on FerretDB,
 * where each update by `_id` costs about one. What arrives within `flushMs` goes in one `insertMany`, so a
 * recipient's document exists a moment after its answer (a tracked link clicked right away finds it). The unique
 * `_id` makes a second record of the same recipient a no-op.
 */
export function createOutcomeRecorder(context: RecipientContext, flushMs: number) {
  let queued: { outcome: RecipientOutcome; done: () => void; failed: (error: unknown) => void }[] = [];
  let timer: NodeJS.Timeout | undefined;
  const flush = async () => {
    timer = undefined;
    const taken = queued;
    queued = [];
    const write = () =>
      BroadcastRecipientModel.insertMany(
        taken.map(({ outcome }) => toRecipient(context, outcome)),
        // `lean`: built here from typed values, so mongoose's per-document hydration and validation is skipped.
        { ordered: false, lean: true },
      ).then(
        () => undefined,
        (error: unknown) => {
          if (!isOnlyDuplicateKeys(error)) throw error;
        },
      );
    // An outcome lost here would be sent again by the next claim: a database hiccup gets two more tries.
    for (let tries = 1; ; tries++) {
      try {
        await write();
        for (const entry of taken) entry.done();
        return;
      } catch (error) {
        if (tries >= 3) {
          for (const entry of taken) entry.failed(error);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * tries));
      }
    }
  };
  return {
    record(outcome: RecipientOutcome): Promise<void> {
      return new Promise<void>((done, failed) => {
        queued.push({ outcome, done, failed });
        timer ??= setTimeout(() => void flush(), flushMs);
      });
    },
  };
}

export type OutcomeRecorder = ReturnType<typeof createOutcomeRecorder>;

function toRecipient(
  context: RecipientContext,
  { member, status, code, reason, messageId, sentAt }: RecipientOutcome,
) {
  return {
    _id: member.recipient,
    ...context,
    subscriber: member.subscriber,
    psid: member.psid,
    status,
    ...(code ? { code } : {}),
    ...(reason ? { reason } : {}),
    ...(messageId ? { messageId } : {}),
    ...(sentAt ? { sentAt } : {}),
  };
}

/** Marks a batch finished, once, with the counts of every status its members were recorded with. */
export async function finishBatch(
  broadcastId: string,
  pageId: string,
  batchId: string,
  statuses: RecipientStatus[],
  now: Date,
): Promise<void> {
  const result = {
    _id: batchId,
    broadcast: new Types.ObjectId(broadcastId),
    page: new Types.ObjectId(pageId),
    ...countOutcomes(statuses),
    at: now,
  };
  await BroadcastBatchResultModel.insertMany([result], { lean: true }).catch((error: unknown) => {
    if (!isDuplicateKey(error)) throw error;
  });
}

function countOutcomes(statuses: RecipientStatus[]): OutcomeCounts {
  const counts = { sent: 0, skipped: 0, failed: 0, unknown: 0 };
  for (const status of statuses) {
    if (status === 'sent' || status === 'delivered' || status === 'read' || status === 'clicked')
      counts.sent++;
    else if (status === 'skipped' || status === 'failed' || status === 'unknown') counts[status]++;
  }
  return counts;
}
