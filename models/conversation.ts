import { Schema, model, type Types } from 'mongoose';
import { announceWrites } from './write-notices';

export const conversationStatuses = ['open', 'resolved'] as const;
export type ConversationStatus = (typeof conversationStatuses)[number];

export interface ConversationRecord {
  _id: Types.ObjectId;
  workspace: Types.ObjectId;
  page: Types.ObjectId;
  subscriber: Types.ObjectId;
  psid: string;
  /** Copied from the subscriber so the inbox can search and show names without a join (FerretDB has no $lookup). */
  subscriberName: string;
  status: ConversationStatus;
  assignee: Types.ObjectId | null;
  /** The agent answering right now; a second agent's claim is refused while this is set. */
  claimedBy: Types.ObjectId | null;
  claimedAt: Date | null;
  /** The bot stays quiet while a human owns the conversation, until this time. */
  humanActiveUntil: Date | null;
  unreadCount: number;
  /**
   * When the current episode began (the first message, or a reopening); null from a resolve until the conversation
   * is reopened. Absent, like `episodeMessageCount`, on conversations stored before episodes were recorded.
   */
  openedAt?: Date | null;
  /** Messages to and from the person since the last resolve: the episode's count when it is resolved. */
  episodeMessageCount?: number;
  lastMessage: { preview: string; at: Date; direction: 'inbound' | 'outbound' } | null;
  lastMessageAt: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** The thread between a Page and one subscriber. */
const conversationSchema = new Schema<ConversationRecord>(
  {
    workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
    page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
    subscriber: { type: Schema.Types.ObjectId, ref: 'Subscriber', required: true },
    psid: { type: String, required: true },
    subscriberName: { type: String, default: '' },
    status: { type: String, enum: conversationStatuses, default: 'open', required: true },
    assignee: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    claimedBy: { type: Schema.Types.ObjectId, ref: 'User', default: null },
    claimedAt: { type: Date, default: null },
    humanActiveUntil: { type: Date, default: null },
    unreadCount: { type: Number, default: 0 },
    openedAt: { type: Date, default: null },
    episodeMessageCount: { type: Number, default: 0 },
    lastMessage: {
      type: new Schema({ preview: String, at: Date, direction: String }, { _id: false }),
      default: null,
    },
    lastMessageAt: { type: Date, required: true },
  },
  { timestamps: true },
);

// One conversation per (Page, subscriber).
conversationSchema.index({ page: 1, subscriber: 1 }, { unique: true });
// The inbox: a Page's conversations by status, newest first, paged by (lastMessageAt, _id).
conversationSchema.index({ page: 1, status: 1, lastMessageAt: -1, _id: -1 });
// "Mine" and "unassigned" views across the Pages an agent sees.
conversationSchema.index({ workspace: 1, assignee: 1, status: 1, lastMessageAt: -1 });

// Readers keep which conversation is whose (never changes while it exists).
announceWrites(conversationSchema, 'conversations', { deletesOnly: true });

export const ConversationModel = model<ConversationRecord>('Conversation', conversationSchema);
