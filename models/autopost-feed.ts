import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

export const autopostTargets = ['page_feed', 'broadcast', 'x_share'] as const;
export type AutopostTarget = (typeof autopostTargets)[number];

/**
 * A feed (RSS, Atom or JSON Feed) an admin asked Pagewire to read on a schedule (server/autoposting/), for one Page,
 * with the targets each new item goes to. `baselineAt` is set once the first read has marked what the feed already
 * held as seen, so adding a feed never floods the Page with its back catalogue.
 */
const autopostFeedSchema = new Schema(
  {
    workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
    page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
    name: { type: String, required: true },
    url: { type: String, required: true },
    targets: { type: [String], enum: autopostTargets, required: true },
    /** Who chose the targets, and when: the consent basis of every Page post and broadcast the feed makes. */
    targetsChosenBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    targetsChosenAt: { type: Date, required: true },
    active: { type: Boolean, required: true, default: true },
    pollEveryMinutes: { type: Number, required: true },
    /** When the scheduled poll may next read it; a poll claims the feed by moving this forward. */
    nextPollAt: { type: Date, required: true },
    baselineAt: { type: Date, default: null },
    lastPolledAt: { type: Date, default: null },
    /** Why the last read failed, in words an admin can act on; null after a good read. */
    lastError: { type: String, default: null },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true },
);

// A workspace's feeds: the dashboard's list.
autopostFeedSchema.index({ workspace: 1 });
// The scheduled poll's question: which active feeds are due.
autopostFeedSchema.index({ active: 1, nextPollAt: 1 });

export type AutopostFeed = InferSchemaType<typeof autopostFeedSchema>;
export type AutopostFeedRecord = AutopostFeed & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };
export const AutopostFeedModel = model('AutopostFeed', autopostFeedSchema, 'autopostfeeds');
