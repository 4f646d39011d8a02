import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { autopostTargets } from './autopost-feed';

export const autopostDeliveryStatuses = ['sending', 'sent', 'skipped', 'failed'] as const;
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
  /** Why it was skipped or failed, or what allowed it. */
  detail: { type: String, default: null },
  basis: { type: String, default: null },
  at: { type: Date, required: true },
});

// The claim: an item goes to a target once, even if its poll runs again.
autopostDeliverySchema.index({ item: 1, target: 1 }, { unique: true });
// A feed's deliveries for the dashboard.
autopostDeliverySchema.index({ feed: 1 });

export type AutopostDelivery = InferSchemaType<typeof autopostDeliverySchema>;
export type AutopostDeliveryRecord = AutopostDelivery & { _id: Types.ObjectId };
export const AutopostDeliveryModel = model('AutopostDelivery', autopostDeliverySchema, 'autopostdeliveries');
