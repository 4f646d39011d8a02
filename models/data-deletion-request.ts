import { Schema, model, type InferSchemaType } from 'mongoose';

export const dataDeletionStatuses = ['received', 'completed'] as const;

/**
 * A data deletion request Meta forwarded from a person; its confirmation code is the key of the status URL Meta shows
 * them. It names no one: after the deletion Pagewire keeps nothing of the person, not even their id.
 */
const dataDeletionRequestSchema = new Schema({
  confirmationCode: { type: String, required: true },
  status: { type: String, enum: dataDeletionStatuses, required: true },
  requestedAt: { type: Date, required: true },
  completedAt: { type: Date },
});

// The status URL reads one request by its code; unique so a code never names two.
dataDeletionRequestSchema.index({ confirmationCode: 1 }, { unique: true });

export type DataDeletionRequest = InferSchemaType<typeof dataDeletionRequestSchema>;
export const DataDeletionRequestModel = model('DataDeletionRequest', dataDeletionRequestSchema);
