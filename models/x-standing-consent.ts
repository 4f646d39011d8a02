import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/**
 * An X account owner's standing consent that a feed's new items be shared on their account (server/autoposting/).
 * Who gave it and when, for which account; revoking sets `revokedAt`, and every share reads this record at the
 * moment it would post, so a revocation stops the next share.
 */
const xStandingConsentSchema = new Schema({
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  feed: { type: Schema.Types.ObjectId, ref: 'AutopostFeed', required: true },
  /** The X account, as X connections name it. */
  xAccountId: { type: String, required: true },
  grantedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  grantedAt: { type: Date, required: true },
  /** The words the owner agreed to, kept as they read them. */
  wording: { type: String, required: true },
  revokedAt: { type: Date, default: null },
  revokedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
});

// A feed's consents, the live one (revokedAt null) read before every share.
xStandingConsentSchema.index({ feed: 1 });

export type XStandingConsent = InferSchemaType<typeof xStandingConsentSchema>;
export type XStandingConsentRecord = XStandingConsent & { _id: Types.ObjectId };
export const XStandingConsentModel = model('XStandingConsent', xStandingConsentSchema, 'xstandingconsents');
