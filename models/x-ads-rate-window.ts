import { Schema, model, type InferSchemaType } from 'mongoose';

/**
 * What X last said of one rate-limit window (an ads account and endpoint), shared by every process: the calls left
 * (less those taken since) and when the window resets. Taking a call is one conditional $inc.
 */
const xAdsRateWindowSchema = new Schema(
  {
    _id: { type: String, required: true },
    limit: { type: Number, required: true },
    remaining: { type: Number, required: true },
    resetAt: { type: Date, required: true },
  },
  { timestamps: false, versionKey: false },
);

export type XAdsRateWindow = InferSchemaType<typeof xAdsRateWindowSchema>;
export const XAdsRateWindowModel = model('XAdsRateWindow', xAdsRateWindowSchema);
