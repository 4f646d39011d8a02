import { Schema, model, type InferSchemaType } from 'mongoose';
import { sharingScopes } from './page';
import { encryptedSecretSchema } from './user';

export const xAdsConnectionStatuses = ['active', 'needs_reconnect'] as const;
export type XAdsConnectionStatus = (typeof xAdsConnectionStatuses)[number];

const adsAccountSchema = new Schema(
  {
    accountId: { type: String, required: true },
    name: { type: String, required: true },
    currency: { type: String },
    /** The connecting person's permissions on this ads account, in X's names (ACCOUNT_ADMIN, TWEET_COMPOSER, ...). */
    permissions: { type: [String], default: [] },
  },
  { _id: false },
);

/**
 * An X user's Ads API access, connected to a workspace: the ads accounts it reaches with the person's role on each,
 * and the OAuth 1.0a token and secret, sealed (never selected unless asked for, never returned by an API).
 */
const xAdsConnectionSchema = new Schema(
  {
    workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
    name: { type: String, required: true },
    status: { type: String, enum: xAdsConnectionStatuses, required: true, default: 'active' },
    statusReason: { type: String },
    xUserId: { type: String, required: true },
    screenName: { type: String, required: true },
    accounts: { type: [adsAccountSchema], default: [] },
    accessToken: { type: encryptedSecretSchema, select: false },
    accessTokenSecret: { type: encryptedSecretSchema, select: false },
    connectedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    connectedAt: { type: Date, required: true },
    sharing: {
      scope: { type: String, enum: sharingScopes, required: true, default: 'workspace' },
      teamId: { type: String },
      ownerId: { type: Schema.Types.ObjectId, ref: 'User' },
    },
    lastPulledAt: { type: Date },
  },
  { timestamps: true },
);

// A workspace's connections, the list every visibility check starts from; the pull job reads every one.
xAdsConnectionSchema.index({ workspace: 1 });

export type XAdsConnection = InferSchemaType<typeof xAdsConnectionSchema>;
export const XAdsConnectionModel = model('XAdsConnection', xAdsConnectionSchema);
