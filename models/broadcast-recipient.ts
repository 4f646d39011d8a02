import { Schema, model, type Types } from 'mongoose';

export const recipientStatuses = [
  'pending',
  'sending',
  'sent',
  'delivered',
  'read',
  'clicked',
  'skipped',
  'failed',
  'unknown',
] as const;
export type RecipientStatus = (typeof recipientStatuses)[number];

export interface BroadcastRecipientRecord {
  _id: Types.ObjectId;
  broadcast: Types.ObjectId;
  workspace: Types.ObjectId;
  page: Types.ObjectId;
  subscriber: Types.ObjectId;
  psid: string;
  status: RecipientStatus;
  /** Refusal or Graph outcome code (`outside_window`, `user_unavailable`, a Meta error code...). */
  code?: string;
  reason?: string;
  /** Which claim owns the send: the claim `_id` is `<recipient>:<attempt>`. */
  attempt: number;
  /** A worker that does not answer before this is presumed dead; its claim may be taken over. */
  leaseUntil?: Date;
  messageId?: string;
  sentAt?: Date;
  deliveredAt?: Date;
  readAt?: Date;
  clickedAt?: Date;
}

/** One subscriber of one broadcast: written by the fan-out, then moved along by exactly one claim at a time. */
const recipientSchema = new Schema<BroadcastRecipientRecord>({
  broadcast: { type: Schema.Types.ObjectId, ref: 'Broadcast', required: true },
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
  subscriber: { type: Schema.Types.ObjectId, ref: 'Subscriber', required: true },
  psid: { type: String, required: true },
  status: { type: String, enum: recipientStatuses, required: true, default: 'pending' },
  code: String,
  reason: String,
  attempt: { type: Number, required: true, default: 0 },
  leaseUntil: Date,
  messageId: String,
  sentAt: Date,
  deliveredAt: Date,
  readAt: Date,
  clickedAt: Date,
});

// A subscriber is in a broadcast once: a fan-out run twice writes no second recipient.
recipientSchema.index({ broadcast: 1, subscriber: 1 }, { unique: true });
// Claiming the next recipients of one Page, and the per-status counters of a broadcast's Page.
recipientSchema.index({ broadcast: 1, page: 1, status: 1 });
// Delivery and read watermarks: a person's sent broadcast messages on a Page.
recipientSchema.index({ page: 1, psid: 1, status: 1 });

export const BroadcastRecipientModel = model<BroadcastRecipientRecord>('BroadcastRecipient', recipientSchema);
