import { Schema, model, type InferSchemaType } from 'mongoose';

/** What a capture did with one comment event: replied or skipped, and why. The capture's counters come from here. */
const captureOutcomeSchema = new Schema({
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  capture: { type: Schema.Types.ObjectId, ref: 'Capture', required: true },
  /** The webhook event key (`feed:comment:<id>:<verb>`): a redelivery finds its outcome already written. */
  eventKey: { type: String, required: true },
  commentId: { type: String, required: true },
  /** The commenter's name and words as the webhook gave them, so the log says whose comment and what it said. */
  authorName: { type: String, default: null },
  commentText: { type: String, default: null },
  result: { type: String, enum: ['replied', 'skipped'], required: true },
  reason: { type: String, default: null },
  basis: { type: String, required: true },
  at: { type: Date, required: true },
});

// One outcome per capture and comment event, so counters count each event once.
captureOutcomeSchema.index({ capture: 1, eventKey: 1 }, { unique: true });
// The outcome log: a capture's outcomes, newest first, paged by _id.
captureOutcomeSchema.index({ capture: 1, _id: -1 });
// Counters: a capture's outcomes by result and reason.
captureOutcomeSchema.index({ capture: 1, result: 1, reason: 1 });

export type CaptureOutcome = InferSchemaType<typeof captureOutcomeSchema>;
export const CaptureOutcomeModel = model('CaptureOutcome', captureOutcomeSchema);
