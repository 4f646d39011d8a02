import { Types, type AnyBulkWriteOperation } from 'mongoose';
import {
  BroadcastRecipientModel,
  type BroadcastRecipientRecord,
  type RecipientStatus,
} from '../../models/broadcast-recipient';
import { BroadcastSendClaimModel } from '../../models/broadcast-send-claim';
import { writeInChunks } from '../platform/database/bulk-write';

export interface ClaimedRecipient {
  id: string;
  subscriberId: string;
  psid: string;
  attempt: number;
  leaseUntil: Date;
}

export interface ClaimRequest {
  broadcastId: string;
  pageId: string;
  limit: number;
  worker: string;
  leaseMs: number;
  now: Date;
}

type RecipientWrite = AnyBulkWriteOperation<BroadcastRecipientRecord>;

const isDuplicateKey = (error: unknown) => (error as { code?: number }).code === 11000;

/** The claim ids an unordered insert stored; E11000s are other workers' claims, anything else is a real failure. */
async function insertClaims(claims: { _id: string; broadcast: string; worker: string; at: Date }[]) {
  if (claims.length === 0) return new Set<string>();
  try {
    await BroadcastSendClaimModel.insertMany(claims, { ordered: false, rawResult: true });
    return new Set(claims.map((claim) => claim._id));
  } catch (error) {
    const writeErrors = (
      error as { writeErrors?: { err?: { index: number; code: number }; index?: number; code?: number }[] }
    ).writeErrors;
    if (!writeErrors || !writeErrors.every((e) => (e.err?.code ?? e.code) === 11000)) throw error;
    const lost = new Set(writeErrors.map((e) => e.err?.index ?? e.index));
    return new Set(claims.filter((_, index) => !lost.has(index)).map((claim) => claim._id));
  }
}

/**
 * Takes up to `limit` recipients of one Page: pending ones, and ones whose worker's lease ran out (a dead worker).
 * The claim is the insert of `<recipient>:<attempt+1>`, atomic across processes; only the winner moves the recipient
 * to `sending`, so two workers never hold the same attempt.
 */
export async function claimRecipients(request: ClaimRequest): Promise<ClaimedRecipient[]> {
  const { broadcastId, pageId, limit, worker, leaseMs, now } = request;
  const candidates = await BroadcastRecipientModel.find({
    broadcast: new Types.ObjectId(broadcastId),
    page: new Types.ObjectId(pageId),
    $or: [{ status: 'pending' }, { status: 'sending', leaseUntil: { $lt: now } }],
  })
    .select({ _id: 1, subscriber: 1, psid: 1, attempt: 1 })
    .limit(limit)
    .lean();
  const claimId = (c: (typeof candidates)[number]) => `${c._id.toString()}:${c.attempt + 1}`;
  const won = await insertClaims(
    candidates.map((c) => ({ _id: claimId(c), broadcast: broadcastId, worker, at: now })),
  );
  const owned = candidates.filter((c) => won.has(claimId(c)));
  const leaseUntil = new Date(now.getTime() + leaseMs);
  if (owned.length > 0) {
    await writeInChunks<RecipientWrite>(
      owned.map((c) => ({
        updateOne: {
          filter: { _id: c._id, attempt: c.attempt },
          update: { $set: { status: 'sending', attempt: c.attempt + 1, leaseUntil } },
        },
      })),
      (chunk) => BroadcastRecipientModel.bulkWrite(chunk, { ordered: false }),
    );
  }
  return owned.map((c) => ({
    id: c._id.toString(),
    subscriberId: c.subscriber.toString(),
    psid: c.psid,
    attempt: c.attempt + 1,
    leaseUntil,
  }));
}

export interface RecipientOutcome {
  recipient: ClaimedRecipient;
  status: Exclude<RecipientStatus, 'sending' | 'delivered' | 'read' | 'clicked'>;
  code?: string;
  reason?: string;
  messageId?: string;
  sentAt?: Date;
}

/** Writes outcomes in a few round trips; each write is conditional on the attempt, so a stale worker changes nothing. */
export async function recordOutcomes(outcomes: RecipientOutcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await writeInChunks<RecipientWrite>(
    outcomes.map(({ recipient, status, code, reason, messageId, sentAt }) => ({
      updateOne: {
        filter: { _id: new Types.ObjectId(recipient.id), attempt: recipient.attempt, status: 'sending' },
        update: {
          $set: {
            status,
            ...(code ? { code } : {}),
            ...(reason ? { reason } : {}),
            ...(messageId ? { messageId } : {}),
            ...(sentAt ? { sentAt } : {}),
          },
          $unset: { leaseUntil: 1 },
        },
      },
    })),
    (chunk) => BroadcastRecipientModel.bulkWrite(chunk, { ordered: false }),
  );
}

export { isDuplicateKey };
