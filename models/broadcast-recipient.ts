import { Schema, model, type Types } from 'mongoose';

export const recipientStatuses = [
  'pending',
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
  messageId?: string;
  sentAt?: Date;
  deliveredAt?: Date;
  readAt?: Date;
  clickedAt?: Date;
}

/**
 * One subscriber of one broadcast, written once its outcome is known (until then it is a `pending` member of one
 * batch, models/broadcast-batch.ts, whose claim says which worker may send); later only delivery, read and clicks
 * move it on.
 */
const recipientSchema = new Schema<BroadcastRecipientRecord>({
  broadcast: { type: Schema.Types.ObjectId, ref: 'Broadcast', required: true },
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
  subscriber: { type: Schema.Types.ObjectId, ref: 'Subscriber', required: true },
  psid: { type: String, required: true },
  status: { type: String, enum: recipientStatuses, required: true, default: 'pending' },
  code: String,
  reason: String,
  messageId: String,
  sentAt: Date,
  deliveredAt: Date,
  readAt: Date,
  clickedAt: Date,
});

// A subscriber is in a broadcast once: a fan-out run twice writes no second recipient.
recipientSchema.index({ broadcast: 1, subscriber: 1 }, { unique: true });
// The per-status totals of a broadcast's Pages.
recipientSchema.index({ broadcast: 1, page: 1, status: 1 });
// Delivery and read watermarks: a person's sent broadcast messages on a Page.
recipientSchema.index({ page: 1, psid: 1, status: 1 });

export const BroadcastRecipientModel = model<BroadcastRecipientRecord>('BroadcastRecipient', recipientSchema);
