import { createHash } from 'node:crypto';
import { Schema, model, type Types } from 'mongoose';

/**
 * People erased at their request (server/subscribers/personal-data.ts), by Page and a hash of their PSID: all that is
 * kept of them, so that if they ever write again they come back opted out, and no automated message reaches them
 * unless they opt in anew.
 */
export interface SuppressionRecord {
  page: Types.ObjectId;
  psidHash: string;
  at: Date;
}

const suppressionSchema = new Schema<SuppressionRecord>(
  {
    page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
    psidHash: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);
suppressionSchema.index({ page: 1, psidHash: 1 }, { unique: true });

export const psidHashOf = (psid: string) => createHash('sha256').update(psid).digest('hex');

export const SuppressionModel = model<SuppressionRecord>('Suppression', suppressionSchema);
