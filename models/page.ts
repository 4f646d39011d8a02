import { Schema, model, type InferSchemaType } from 'mongoose';
import { announceWrites } from './write-notices';
import { encryptedSecretSchema } from './user';

export const sharingScopes = ['workspace', 'team', 'private'] as const;
export type SharingScope = (typeof sharingScopes)[number];

export const pageHealthStatuses = ['ok', 'needs_reauth', 'permission_missing'] as const;
export type PageHealthStatus = (typeof pageHealthStatuses)[number];

/** Why a Page's automated sends are paused; each is added and lifted by its own event (server/pages/automation-pause.ts). */
export const automationPauseReasons = [
  'blocked_by_meta',
  'needs_reauth',
  'permission_missing',
  'paused_by_admin',
] as const;
export type AutomationPauseReason = (typeof automationPauseReasons)[number];

const automationPauseSchema = new Schema(
  {
    since: { type: Date, required: true },
    /** The words of whoever paused: Meta's reason, the failed check, the admin's note. */
    detail: { type: String },
  },
  { _id: false },
);

/**
 * A Facebook Page connected to a workspace. Disconnecting keeps the document (and the history that points at it);
 * reconnecting the same Page reuses it.
 */
const pageSchema = new Schema(
  {
    workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
    fbPageId: { type: String, required: true },
    name: { type: String, required: true },
    category: { type: String },
    /** The Page access token, encrypted; never selected unless asked for, never returned by an API. */
    accessToken: { type: encryptedSecretSchema, select: false },
    connectedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    sharing: {
      scope: { type: String, enum: sharingScopes, required: true, default: 'workspace' },
      teamId: { type: String },
      /** For `private`: the one agent (besides admins) who sees the Page. */
      ownerId: { type: Schema.Types.ObjectId, ref: 'User' },
    },
    subscription: {
      subscribed: { type: Boolean, required: true, default: false },
      fields: { type: [String], default: [] },
      at: { type: Date },
    },
    health: {
      status: { type: String, enum: pageHealthStatuses, required: true, default: 'ok' },
      reason: { type: String },
      at: { type: Date },
    },
    /** This Page's own Send API rate (calls/s) when it differs from PAGE_SEND_RATE_PER_SECOND; unset for the default. */
    sendRatePerSecond: { type: Number, min: 1 },
    /**
     * One entry per reason bots, captures and broadcasts must not send; absent when that reason does not hold.
     * Separate fields so each reason is set and unset atomically on its own, and lifting one never lifts another.
     */
    automationPauses: {
      blocked_by_meta: { type: automationPauseSchema },
      needs_reauth: { type: automationPauseSchema },
      permission_missing: { type: automationPauseSchema },
      paused_by_admin: { type: automationPauseSchema },
    },
    connected: { type: Boolean, required: true, default: true },
    connectedAt: { type: Date, required: true },
    disconnectedAt: { type: Date, default: null },
  },
  { timestamps: true },
);

// One document per Facebook Page per workspace: reconnecting finds the same one, history included.
pageSchema.index({ workspace: 1, fbPageId: 1 }, { unique: true });
// Webhook dispatch: every connected copy of a Facebook Page, across workspaces.
pageSchema.index({ fbPageId: 1, connected: 1 });
// A workspace's connected Pages, the list every visibility check starts from.
pageSchema.index({ workspace: 1, connected: 1 });

announceWrites(pageSchema, 'pages');

export type Page = InferSchemaType<typeof pageSchema>;
export const PageModel = model('Page', pageSchema);
