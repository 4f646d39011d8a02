import { Schema, model, type InferSchemaType } from 'mongoose';

export const xAdsEntities = ['account', 'campaign'] as const;
export type XAdsEntity = (typeof xAdsEntities)[number];

/** One day of an ads account's or a campaign's numbers, as X reported them at the last pull. */
const xAdsMetricSchema = new Schema(
  {
    connection: { type: Schema.Types.ObjectId, ref: 'XAdsConnection', required: true },
    accountId: { type: String, required: true },
    entity: { type: String, enum: xAdsEntities, required: true },
    entityId: { type: String, required: true },
    entityName: { type: String },
    /** The UTC day, YYYY-MM-DD. */
    day: { type: String, required: true },
    impressions: { type: Number, required: true },
    engagements: { type: Number, required: true },
    clicks: { type: Number, required: true },
    billedChargeLocalMicro: { type: Number, required: true },
    pulledAt: { type: Date, required: true },
  },
  { timestamps: false },
);

// One row per connection, entity and day: a later pull overwrites the day X may still have been counting.
xAdsMetricSchema.index({ connection: 1, entity: 1, entityId: 1, day: 1 }, { unique: true });

export type XAdsMetric = InferSchemaType<typeof xAdsMetricSchema>;
export const XAdsMetricModel = model('XAdsMetric', xAdsMetricSchema);
