import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

export const xPostStatuses = ['scheduled', 'posting', 'posted', 'refused', 'failed', 'cancelled'] as const;
export type XPostStatus = (typeof xPostStatuses)[number];

const consentSchema = new Schema(
  {
    givenBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    givenAt: { type: Date, required: true },
    /** `standing_consent`: autoposting, on the owner's standing consent for a feed (models/x-standing-consent.ts). */
    action: { type: String, enum: ['share_now', 'schedule', 'standing_consent'], required: true },
    standingConsent: { type: Schema.Types.ObjectId, ref: 'XStandingConsent' },
    /** In plain words, for the audit log and the post's report (server/policy/consent-basis.ts). */
    basis: { type: String, required: true },
  },
  { _id: false },
);

/**
 * A share to X: what the owner wrote, their consent, when it goes, and what came of it. `posting` is the claim that
 * makes a post go at most once; a claim left behind by a stopped process ends as `failed`, never as a second post.
 * A post X refused for its rate limit goes back to `scheduled`, for just after the limit resets, on the same consent.
 */
const xPostSchema = new Schema(
  {
    workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
    account: { type: Schema.Types.ObjectId, ref: 'XAccount', required: true },
    /** As the owner wrote it; links are rewritten to tracked ones when it goes. */
    text: { type: String, required: true },
    /** The text compared for duplicates (server/x/duplicate-guard.ts). */
    comparableText: { type: String, required: true },
    status: { type: String, enum: xPostStatuses, required: true },
    scheduledFor: { type: Date, required: true },
    /** The owner's explicit action that allows this one post; nothing posts without it. */
    consent: { type: consentSchema, required: true },
    claimedAt: { type: Date },
    /** X's id of the post, once X accepted it. */
    xPostId: { type: String },
    sentText: { type: String },
    postedAt: { type: Date },
    /** The account's follower count when it posted: how many could see it (a number, never who). */
    reach: { type: Number },
    /** Why it did not go, or while it waits for X's rate limit, why it waits; in words the owner can act on. */
    reason: { type: String },
    /** How often X's rate limit (a 429: X did not take it) sent it back to wait, and until when it last waited. */
    rateLimitDeferrals: { type: Number, required: true, default: 0 },
    waitingUntil: { type: Date },
  },
  { timestamps: true },
);

// An account's history, newest first, and the recent posts the duplicate guard compares with.
xPostSchema.index({ account: 1, scheduledFor: -1 });
// The workspace's share history.
xPostSchema.index({ workspace: 1, scheduledFor: -1 });

export type XPostRecord = InferSchemaType<typeof xPostSchema> & { _id: Types.ObjectId };
export const XPostModel = model('XPost', xPostSchema);

/** A link in a post to X: the post carries `/r/x/<id>`, which counts the click and leads to `url`. */
const xPostLinkSchema = new Schema({
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  post: { type: Schema.Types.ObjectId, ref: 'XPost', required: true },
  /** The only place the tracked link may redirect to. */
  url: { type: String, required: true },
  /** One per click, and nothing about who clicked: X's readers are not our subscribers. */
  clicks: { type: Number, required: true, default: 0 },
});

// One tracked link per URL per post: preparing the post twice reuses it.
xPostLinkSchema.index({ post: 1, url: 1 }, { unique: true });

export type XPostLinkRecord = InferSchemaType<typeof xPostLinkSchema> & { _id: Types.ObjectId };
export const XPostLinkModel = model('XPostLink', xPostLinkSchema);
