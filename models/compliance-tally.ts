import { Schema, model, type Types } from 'mongoose';

export const complianceMeasures = ['opt_out', 'opt_in', 'refusal'] as const;
export type ComplianceMeasure = (typeof complianceMeasures)[number];

export interface ComplianceTallyRecord {
  _id: Types.ObjectId;
  workspace: Types.ObjectId;
  measure: ComplianceMeasure;
  /** The UTC day, `YYYY-MM-DD`, so a range of days is a range of strings. */
  day: string;
  page: Types.ObjectId;
  /**
   * What was counted: an opt-out's way (`keyword`, `messenger_setting`), an opt-in's source (`message`, `start`, ...),
   * a refusal's `policy:<code>` or `meta:<outcome>[:<Meta code>]`.
   */
  reason: string;
  /** Which send was refused (`broadcast`, `bot`, `capture`, `agent`); `person` for opt-ins and opt-outs. */
  source: string;
  /** The reason in plain words, as last written. */
  description: string;
  count: number;
}

/**
 * How many opt-outs, opt-ins and refused sends a Page had on one day, counted with `$inc` when they happen, so the
 * compliance charts read a few small documents per day instead of every subscriber, message and recipient.
 */
const complianceTallySchema = new Schema<ComplianceTallyRecord>({
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  measure: { type: String, enum: complianceMeasures, required: true },
  day: { type: String, required: true },
  page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
  reason: { type: String, required: true },
  source: { type: String, required: true },
  description: { type: String, default: '' },
  count: { type: Number, default: 0 },
});

// One counter per workspace, measure, day, Page, reason and source (upserts of one counter meet here); the charts
// read a workspace's measure over a range of days by its leading fields.
complianceTallySchema.index(
  { workspace: 1, measure: 1, day: 1, page: 1, reason: 1, source: 1 },
  { unique: true },
);

export const ComplianceTallyModel = model<ComplianceTallyRecord>('ComplianceTally', complianceTallySchema);
