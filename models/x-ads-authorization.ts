import { Schema, model, type InferSchemaType } from 'mongoose';
import { sharingScopes } from './page';
import { encryptedSecretSchema } from './user';

/**
 * An X Ads connection under way: the request token X issued (its secret sealed), who asked and what they chose,
 * until X sends the person back with the verifier. Used once; older ones are ignored.
 */
const xAdsAuthorizationSchema = new Schema(
  {
    requestToken: { type: String, required: true },
    requestTokenSecret: { type: encryptedSecretSchema, required: true },
    workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
    user: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    name: { type: String, required: true },
    sharing: {
      scope: { type: String, enum: sharingScopes, required: true },
      teamId: { type: String },
    },
    createdAt: { type: Date, required: true },
  },
  { timestamps: false },
);

// The callback finds its authorization by the token X hands back; the unique index makes the token usable once.
xAdsAuthorizationSchema.index({ requestToken: 1 }, { unique: true });

export type XAdsAuthorization = InferSchemaType<typeof xAdsAuthorizationSchema>;
export const XAdsAuthorizationModel = model('XAdsAuthorization', xAdsAuthorizationSchema);
