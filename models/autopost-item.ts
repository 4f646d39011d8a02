import { Schema, model, type InferSchemaType, type Types } from 'mongoose';

/**
 * An item seen in a feed. Inserted when first read: the poll whose insert succeeds owns the item's deliveries, a
 * duplicate-key error means it was seen before, by this poll's process or another.
 */
const autopostItemSchema = new Schema({
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  feed: { type: Schema.Types.ObjectId, ref: 'AutopostFeed', required: true },
  /** The item's guid (RSS), id (Atom, JSON Feed), or else its link. */
  key: { type: String, required: true },
  title: { type: String, default: '' },
  link: { type: String, default: null },
  /** What is sent besides the title and link: kept so that an item whose poll died can still be sent. */
  summary: { type: String, default: '' },
  publishedAt: { type: Date, default: null },
  /** Present in the feed when it was added: marked seen, sent nowhere. */
  baseline: { type: Boolean, required: true },
  seenAt: { type: Date, required: true },
  /** When every target had its outcome; null while a poll (or a process that died mid-way) has not finished it. */
  settledAt: { type: Date, default: null },
});

// Each item once per feed, however often or in whatever order the feed is read, by however many processes.
autopostItemSchema.index({ feed: 1, key: 1 }, { unique: true });
// Each poll's question: which of this feed's items a poll that died left unsent.
autopostItemSchema.index({ feed: 1, settledAt: 1 });

export type AutopostItem = InferSchemaType<typeof autopostItemSchema>;
export type AutopostItemRecord = AutopostItem & { _id: Types.ObjectId };
export const AutopostItemModel = model('AutopostItem', autopostItemSchema, 'autopostitems');
