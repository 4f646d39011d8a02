import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { autopostTargets } from './autopost-feed';

/**
 * `accepted`: X connections took an X share that waits for X's rate limit and goes (or fails) on its own; its live
 * status is the share's (`xShareId`). `interrupted`: still `sending` when its process stopped, so whether it went is
 * unknown; it is never sent again on its own, only when an admin chooses to.
 */
export const autopostDeliveryStatuses = [
  'sending',
  'sent',
  'accepted',
  'skipped',
  'failed',
  'interrupted',
] as const;
export type AutopostDeliveryStatus = (typeof autopostDeliveryStatuses)[number];

/** What one feed item became on one target: a Page post, a broadcast, an X post, or why not. */
const autopostDeliverySchema = new Schema({
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  feed: { type: Schema.Types.ObjectId, ref: 'AutopostFeed', required: true },
  item: { type: Schema.Types.ObjectId, ref: 'AutopostItem', required: true },
  target: { type: String, enum: autopostTargets, required: true },
  status: { type: String, enum: autopostDeliveryStatuses, required: true },
  /** The Page post's id, the broadcast's id or the X post's id. */
  externalId: { type: String, default: null },
  /** An X share's id in Pagewire (models/x-post.ts), whose status is the live one. */
  xShareId: { type: String, default: null },
  /** Why it was skipped or failed, or what allowed it. */
  detail: { type: String, default: null },
  basis: { type: String, default: null },
  /** When it was claimed while `sending`, else when it got its outcome. */
  at: { type: Date, required: true },
});

// The claim: an item goes to a target once, even if its poll runs again.
autopostDeliverySchema.index({ item: 1, target: 1 }, { unique: true });
// A feed's deliveries for the dashboard.
autopostDeliverySchema.index({ feed: 1 });
// The sweep's question: which deliveries are still sending since long ago.
autopostDeliverySchema.index({ status: 1, at: 1 });

export type AutopostDelivery = InferSchemaType<typeof autopostDeliverySchema>;
export type AutopostDeliveryRecord = AutopostDelivery & { _id: Types.ObjectId };
export const AutopostDeliveryModel = model('AutopostDelivery', autopostDeliverySchema, 'autopostdeliveries');
