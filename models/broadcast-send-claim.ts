import { Schema, model } from 'mongoose';

export interface BroadcastSendClaimRecord {
  /** `<batch id>:<attempt>`: inserting it is the claim; an E11000 means another worker owns that attempt. */
  _id: string;
  broadcast: string;
  worker: string;
  at: Date;
  /** Until then the batch is this worker's; after it, the next attempt may be claimed (the worker died or let go). */
  leaseUntil: Date;
  /** Its worker let it go after recording every answer: none of its intents (broadcast-send-intent.ts) is in doubt. */
  settled?: boolean;
}

export const claimIdOf = (batchId: string, attempt: number) => `${batchId}:${attempt}`;
export const batchOfClaim = (claimId: string) => claimId.slice(0, claimId.lastIndexOf(':'));

/**
 * Exactly-once across processes: a unique insert is atomic on MongoDB and FerretDB alike, where a conditional
 * update is not (see test/db/FERRETDB-NOTES.md). Only the worker whose insert succeeded may send; only it ever
 * writes its claim again (to let go early).
 */
const claimSchema = new Schema<BroadcastSendClaimRecord>(
  {
    _id: { type: String, required: true },
    broadcast: { type: String, required: true },
    worker: { type: String, required: true },
    at: { type: Date, required: true },
    leaseUntil: { type: Date, required: true },
    settled: Boolean,
  },
  { versionKey: false },
);

// Cleanup of a finished broadcast's claims.
claimSchema.index({ broadcast: 1 });

export const BroadcastSendClaimModel = model<BroadcastSendClaimRecord>(
  'BroadcastSendClaim',
  claimSchema,
  'broadcast_send_claims',
);
