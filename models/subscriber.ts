import { Schema, model, type Types } from 'mongoose';
import { announceWrites } from './write-notices';

export const optInSources = [
  'message',
  'postback',
  'get_started',
  'referral',
  'optin',
  'reaction',
  'comment',
] as const;
export type OptInSource = (typeof optInSources)[number];

export const subscriberStatuses = ['subscribed', 'unsubscribed', 'blocked'] as const;
export type SubscriberStatus = (typeof subscriberStatuses)[number];

export const unsubscribeCauses = ['opt_out', 'unreachable', 'erased'] as const;
export type UnsubscribeCause = (typeof unsubscribeCauses)[number];

export interface SubscriberRecord {
  _id: Types.ObjectId;
  workspace: Types.ObjectId;
  page: Types.ObjectId;
  fbPageId: string;
  psid: string;
  firstName?: string;
  lastName?: string;
  /** Lower-case "first last", for search by name. */
  searchName: string;
  profilePic?: string;
  profile: { state: 'pending' | 'fetched' | 'unavailable'; fetchedAt?: Date };
  optIn: { source: OptInSource; at: Date; ref?: string };
  /** The clock of the 24-hour window: moved only by what Meta says opens it. */
  lastInteractionAt: Date;
  /** The clock of the 7-day HUMAN_AGENT window: the person's last message. */
  lastUserMessageAt?: Date;
  status: SubscriberStatus;
  /** Why sends stopped: the person opted out, or Meta answered 551 (the person blocked the Page or cannot be reached). */
  unsubscribed?: { at: Date; reason: string; cause?: UnsubscribeCause };
  tags: string[];
  customFields: Record<string, string>;
  createdAt: Date;
  updatedAt: Date;
}

/** A person who interacted with a Page. Created by their first interaction; never created by a comment alone. */
const subscriberSchema = new Schema<SubscriberRecord>(
  {
    workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
    page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
    fbPageId: { type: String, required: true },
    psid: { type: String, required: true },
    firstName: String,
    lastName: String,
    searchName: { type: String, default: '' },
    profilePic: String,
    profile: {
      state: { type: String, enum: ['pending', 'fetched', 'unavailable'], default: 'pending' },
      fetchedAt: Date,
    },
    optIn: {
      source: { type: String, enum: optInSources, required: true },
      at: { type: Date, required: true },
      ref: String,
    },
    lastInteractionAt: { type: Date, required: true },
    lastUserMessageAt: Date,
    status: { type: String, enum: subscriberStatuses, default: 'subscribed', required: true },
    unsubscribed: { at: Date, reason: String, cause: { type: String, enum: unsubscribeCauses } },
    tags: { type: [String], default: [] },
    customFields: { type: Schema.Types.Mixed, default: {} },
  },
  { timestamps: true, minimize: false },
);

// One subscriber per (Page, PSID): two simultaneous first messages upsert the same document.
subscriberSchema.index({ page: 1, psid: 1 }, { unique: true });
// Broadcast audiences and estimates: a Page's reachable subscribers by window clock.
subscriberSchema.index({ page: 1, status: 1, lastInteractionAt: -1 });
// The subscriber directory: a Page's subscribers in `_id` order, walked a page of the list at a time.
subscriberSchema.index({ page: 1, _id: 1 });
// Segments by tag within a workspace.
subscriberSchema.index({ workspace: 1, tags: 1 });
// The Overview: a Page's subscribers gained (first interaction) and lost (opted out or unreachable) in a date range.
subscriberSchema.index({ page: 1, 'optIn.at': 1 });
subscriberSchema.index({ page: 1, 'unsubscribed.at': 1 });

// Live chat keeps which subscriber a person is (server/livechat/inbound-messages.ts) until one is deleted.
announceWrites(subscriberSchema, 'subscribers', { deletesOnly: true });

export const SubscriberModel = model<SubscriberRecord>('Subscriber', subscriberSchema);
