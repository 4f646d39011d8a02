import { Types, type AnyBulkWriteOperation } from 'mongoose';
import {
  BroadcastBatchModel,
  BroadcastBatchResultModel,
  type BroadcastBatchMember,
} from '../../models/broadcast-batch';
import {
  BroadcastRecipientModel,
  type BroadcastRecipientRecord,
  type RecipientStatus,
} from '../../models/broadcast-recipient';
import { BroadcastSendClaimModel } from '../../models/broadcast-send-claim';
import { writeInChunks } from '../platform/database/bulk-write';

export const isDuplicateKey = (error: unknown) => (error as { code?: number } | null)?.code === 11000;

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
    const claimId = `${batchId}:${attempt}`;
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

/** Lets a batch go before its lease ends (paused, cancelled, or some members must wait): the next claim may start. */
export async function releaseClaim(claimId: string, now: Date): Promise<void> {
  await BroadcastSendClaimModel.updateOne({ _id: claimId }, { $set: { leaseUntil: now } });
}

/**
 * The members still without an outcome. A first claim has nobody before it; a later one skips whoever an earlier
 * worker recorded, one lookup by `_id` each.
 */
export async function membersToSend(batchId: string, attempt: number): Promise<BroadcastBatchMember[]> {
  const batch = await BroadcastBatchModel.findById(batchId).lean();
  if (!batch) return [];
  if (attempt === 1) return batch.members;
  const statuses = await Promise.all(
    batch.members.map((member) =>
      BroadcastRecipientModel.findById(member.recipient).select({ status: 1 }).lean(),
    ),
  );
  return batch.members.filter((_, index) => statuses[index]?.status === 'pending');
}

export interface RecipientOutcome {
  member: BroadcastBatchMember;
  status: Exclude<RecipientStatus, 'delivered' | 'read' | 'clicked'>;
  code?: string;
  reason?: string;
  messageId?: string;
  sentAt?: Date;
}

type RecipientWrite = AnyBulkWriteOperation<BroadcastRecipientRecord>;

/** Writes outcomes by `_id` in a few round trips; only a `pending` recipient takes one, so none is written twice. */
export async function recordOutcomes(outcomes: RecipientOutcome[]): Promise<void> {
  const settled = outcomes.filter((outcome) => outcome.status !== 'pending');
  if (settled.length === 0) return;
  await writeInChunks<RecipientWrite>(
    settled.map(({ member, status, code, reason, messageId, sentAt }) => ({
      updateOne: {
        filter: { _id: member.recipient, status: 'pending' },
        update: {
          $set: {
            status,
            ...(code ? { code } : {}),
            ...(reason ? { reason } : {}),
            ...(messageId ? { messageId } : {}),
            ...(sentAt ? { sentAt } : {}),
          },
        },
      },
    })),
    (chunk) => BroadcastRecipientModel.bulkWrite(chunk, { ordered: false }),
  );
}

/**
 * Marks a batch finished with its counts, once. A first claim counts what it recorded; a batch taken over is counted
 * from its members' recorded statuses, whichever worker recorded them.
 */
export async function finishBatch(
  broadcastId: string,
  pageId: string,
  batchId: string,
  attempt: number,
  outcomes: RecipientOutcome[],
  now: Date,
): Promise<void> {
  const counts = { sent: 0, skipped: 0, failed: 0, unknown: 0 };
  const tally = (status: RecipientStatus) => {
    if (status === 'sent' || status === 'delivered' || status === 'read' || status === 'clicked')
      counts.sent++;
    else if (status === 'skipped' || status === 'failed' || status === 'unknown') counts[status]++;
  };
  if (attempt === 1) {
    for (const outcome of outcomes) tally(outcome.status);
  } else {
    const batch = await BroadcastBatchModel.findById(batchId).lean();
    const statuses = await Promise.all(
      (batch?.members ?? []).map((member) =>
        BroadcastRecipientModel.findById(member.recipient).select({ status: 1 }).lean(),
      ),
    );
    for (const recipient of statuses) if (recipient) tally(recipient.status);
  }
  await BroadcastBatchResultModel.create({
    _id: batchId,
    broadcast: new Types.ObjectId(broadcastId),
    page: new Types.ObjectId(pageId),
    ...counts,
    at: now,
  }).catch((error: unknown) => {
    if (!isDuplicateKey(error)) throw error;
  });
}
