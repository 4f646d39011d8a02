import { Schema, model, type InferSchemaType, type Types } from 'mongoose';
import { sharingScopes } from './page';
import { encryptedSecretSchema } from './user';

export const xAccountStatuses = ['connected', 'needs_reconnect', 'revoked'] as const;
export type XAccountStatus = (typeof xAccountStatuses)[number];

/**
 * An X account a member connected to Pagewire (server/x/). Only that member, its owner, may post through it; the
 * sharing setting decides who else sees it and its reports, by the same rules as a Page's.
 */
const xAccountSchema = new Schema(
  {
    workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
    /** The member who connected it: the only one whose action can post. */
    owner: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    xUserId: { type: String, required: true },
    username: { type: String, required: true },
    name: { type: String, required: true },
    /** What X granted, as its token answer said. */
    scopes: { type: [String], default: [] },
    /** Encrypted, never selected unless asked for, never returned by an API; removed on revoke. */
    accessToken: { type: encryptedSecretSchema, select: false },
    refreshToken: { type: encryptedSecretSchema, select: false },
    accessTokenExpiresAt: { type: Date, default: null },
    /** Refresh tokens rotate: one process at a time may spend one, so a refresh is claimed until this moment. */
    refreshClaimedUntil: { type: Date, required: true, default: () => new Date(0) },
    sharing: {
      scope: { type: String, enum: sharingScopes, required: true, default: 'private' },
      teamId: { type: String },
      ownerId: { type: Schema.Types.ObjectId, ref: 'User' },
    },
    status: { type: String, enum: xAccountStatuses, required: true, default: 'connected' },
    statusReason: { type: String },
    connectedAt: { type: Date, required: true },
    revokedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

// One connection per X account per workspace: connecting again replaces its tokens.
xAccountSchema.index({ workspace: 1, xUserId: 1 }, { unique: true });

export type XAccountRecord = InferSchemaType<typeof xAccountSchema> & { _id: Types.ObjectId };
export const XAccountModel = model('XAccount', xAccountSchema);
