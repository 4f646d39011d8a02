import { Schema, model, type InferSchemaType } from 'mongoose';

export const sponsoredMessageStates = ['active', 'paused', 'failed'] as const;

/**
 * A sponsored message: a paid message Meta delivers to people who already messaged the Page, built in the creator's
 * ad account (docs/meta-marketing-and-phone.md §1). Meta's ids are kept so status and results can be read back.
 */
const sponsoredMessageSchema = new Schema({
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
  fbPageId: { type: String, required: true },
  /** Whose user token (and so whose ads_management grant) made it; pauses and reads use the same. */
  createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  adAccountId: { type: String, required: true },
  name: { type: String, required: true },
  text: { type: String, required: true },
  budget: {
    type: new Schema(
      {
        kind: { type: String, enum: ['daily', 'lifetime'], required: true },
        /** Minor units of the ad account's currency. */
        amount: { type: Number, required: true },
        currency: { type: String, required: true },
      },
      { _id: false },
    ),
    required: true,
  },
  startTime: { type: Date, required: true },
  endTime: Date,
  state: { type: String, enum: sponsoredMessageStates, required: true },
  /** Meta's refusal, in its words, when it could not be created (or a later read failed). */
  failure: String,
  campaignId: String,
  adSetId: String,
  creativeId: String,
  adId: String,
  effectiveStatus: String,
  results: {
    type: new Schema({ impressions: Number, reach: Number, spend: Number, pulledAt: Date }, { _id: false }),
  },
  createdAt: { type: Date, required: true },
});

// A workspace's sponsored messages, newest first; and the pull job's list of those still running.
sponsoredMessageSchema.index({ workspace: 1, createdAt: -1 });
sponsoredMessageSchema.index({ state: 1 });

export type SponsoredMessage = InferSchemaType<typeof sponsoredMessageSchema>;
export const SponsoredMessageModel = model('SponsoredMessage', sponsoredMessageSchema);
