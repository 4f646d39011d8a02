import { Schema, model, type InferSchemaType } from 'mongoose';
import { roles } from './membership';

/** A single-use, expiring link that adds whoever logs in with it to a workspace. Only the token's hash is kept. */
const invitationSchema = new Schema(
  {
    workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
    tokenHash: { type: String, required: true },
    role: { type: String, enum: roles, required: true },
    invitedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    expiresAt: { type: Date, required: true },
    acceptedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    acceptedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

// Accepting looks the link up by its hash; unique so one link can never name two invitations.
invitationSchema.index({ tokenHash: 1 }, { unique: true });
// The admin's list of pending invitations.
invitationSchema.index({ workspace: 1, acceptedBy: 1, expiresAt: -1 });

export type Invitation = InferSchemaType<typeof invitationSchema>;
export const InvitationModel = model('Invitation', invitationSchema);
