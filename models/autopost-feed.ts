import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

export const autopostTargets = ['page_feed', 'broadcast', 'x_share'] as const;
export type AutopostTarget = (typeof autopostTargets)[number];
/** Where a feed's items come from: a feed URL polled over HTTP, or a connected Page's own posts read from Graph. */
export const autopostSources = ['feed_url', 'page_posts'] as const;
export type AutopostSource = (typeof autopostSources)[number];

/**
 * A feed an admin asked Pagewire to read on a schedule (server/autoposting/), for one Page, with the targets each new
 * item goes to: an RSS, Atom or JSON Feed URL, or the posts a connected Page publishes. `baselineAt` is set once the first read has marked what the feed already
 * held as seen, so adding a feed never floods the Page with its back catalogue.
 */
const autopostFeedSchema = new Schema(
  {
    workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
    page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
    name: { type: String, required: true },
    /** Older feeds have no `source`: they are `feed_url`. */
    source: { type: String, enum: autopostSources, default: 'feed_url' },
    /** The feed's address when `source` is `feed_url`. */
    url: { type: String, default: null },
    /** The Page whose own new posts are the items when `source` is `page_posts`. */
    sourcePage: { type: Schema.Types.ObjectId, ref: 'Page', default: null },
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
