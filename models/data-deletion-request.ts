import { Schema, model, type InferSchemaType } from 'mongoose';

export const dataDeletionStatuses = ['pending', 'completed', 'failed'] as const;
export type DataDeletionStatus = (typeof dataDeletionStatuses)[number];

/**
 * A data deletion request Meta forwarded from a person; its confirmation code is the key of the status URL Meta shows
 * them. The deletion runs as a job (`accounts:delete-user-data`); once it has completed the request names no one:
 * whose it was is kept only while it is pending (or failed, for an operator to finish).
 */
const dataDeletionRequestSchema = new Schema({
  confirmationCode: { type: String, required: true },
  status: { type: String, enum: dataDeletionStatuses, required: true },
  requestedAt: { type: Date, required: true },
  completedAt: { type: Date },
  facebookUserId: { type: String },
  /** Noted by the first attempt, so that the workspaces are told of the deletion after their memberships are gone. */
  erased: {
    type: new Schema(
      { user: { type: Schema.Types.ObjectId }, workspaces: { type: [Schema.Types.ObjectId] } },
      { _id: false },
    ),
  },
  /** Failed attempts, bounded by DATA_DELETION_MAX_ATTEMPTS; the last one's error. */
  attempts: { type: Number, required: true, default: 0 },
  lastError: { type: String },
});

// The status URL reads one request by its code; unique so a code never names two.
dataDeletionRequestSchema.index({ confirmationCode: 1 }, { unique: true });

export type DataDeletionRequest = InferSchemaType<typeof dataDeletionRequestSchema>;
export const DataDeletionRequestModel = model('DataDeletionRequest', dataDeletionRequestSchema);
