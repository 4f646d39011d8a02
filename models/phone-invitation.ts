import { Schema, model, type InferSchemaType } from 'mongoose';

export const phoneInvitationStatuses = ['queued', 'sending', 'sent', 'refused', 'failed'] as const;
export type PhoneInvitationStatus = (typeof phoneInvitationStatuses)[number];

/** The uploader's attestation, word for word, when and by whom. */
const consentSchema = new Schema(
  {
    attestedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    attestedAt: { type: Date, required: true },
    statement: { type: String, required: true },
  },
  { _id: false },
);

/**
 * One invitation by phone number (the Send API's `phone_number` recipient) from a Page, with the consent it rests on:
 * the uploader's attestation that the person agreed to be contacted by the Page at this number.
 */
const phoneInvitationSchema = new Schema({
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
  fbPageId: { type: String, required: true },
  /** E.164, e.g. +12125552368. */
  phoneNumber: { type: String, required: true },
  message: { type: String, required: true },
  upload: { type: String, required: true },
  consent: { type: consentSchema, required: true },
  status: { type: String, enum: phoneInvitationStatuses, required: true },
  /** Why it was refused or failed, in plain words. */
  reason: String,
  messageId: String,
  sentAt: Date,
  createdAt: { type: Date, required: true },
});

// One invitation per number from a Facebook Page, ever: a second upload of the number, or the same Page connected in
// another workspace, is refused by this index rather than by a check that could race.
phoneInvitationSchema.index({ fbPageId: 1, phoneNumber: 1 }, { unique: true });
// The sender's queue: the invitations waiting to go.
phoneInvitationSchema.index({ status: 1 });
// A Page's invitations, newest first, for the screen.
phoneInvitationSchema.index({ page: 1, createdAt: -1 });

export type PhoneInvitation = InferSchemaType<typeof phoneInvitationSchema>;
export const PhoneInvitationModel = model('PhoneInvitation', phoneInvitationSchema);
