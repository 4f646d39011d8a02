import { Schema, model } from 'mongoose';

/**
 * The claim to send one phone invitation, `_id` the invitation's id. Inserting it is the claim: a unique insert is
 * atomic on MongoDB and FerretDB alike, so across processes and restarts exactly one worker ever sends a given
 * invitation; an E11000 means another did (or died trying, and the invitation is then left failed, not sent twice).
 */
const phoneInvitationSendSchema = new Schema(
  {
    _id: { type: String, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

export const PhoneInvitationSendModel = model('PhoneInvitationSend', phoneInvitationSendSchema);
