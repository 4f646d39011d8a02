import { Schema, model, type Types } from 'mongoose';

export interface BroadcastLinkRecord {
  _id: Types.ObjectId;
  broadcast: Types.ObjectId;
  workspace: Types.ObjectId;
  /** The only place a tracked link may redirect to. */
  url: string;
}

/** A URL of a broadcast's content; recipients get `/r/<recipient>.<link>` links that lead here. */
const linkSchema = new Schema<BroadcastLinkRecord>({
  broadcast: { type: Schema.Types.ObjectId, ref: 'Broadcast', required: true },
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  url: { type: String, required: true },
});

// One link per URL per broadcast: preparing the content twice reuses it.
linkSchema.index({ broadcast: 1, url: 1 }, { unique: true });

export const BroadcastLinkModel = model<BroadcastLinkRecord>('BroadcastLink', linkSchema);

export interface BroadcastClickRecord {
  _id: Types.ObjectId;
  broadcast: Types.ObjectId;
  page: Types.ObjectId;
  link: Types.ObjectId;
  recipient: Types.ObjectId;
  at: Date;
}

const clickSchema = new Schema<BroadcastClickRecord>({
  broadcast: { type: Schema.Types.ObjectId, ref: 'Broadcast', required: true },
  page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
  link: { type: Schema.Types.ObjectId, ref: 'BroadcastLink', required: true },
  recipient: { type: Schema.Types.ObjectId, ref: 'BroadcastRecipient', required: true },
  at: { type: Date, required: true },
});

// A click counts once per recipient and link: the second tap of the same link is an E11000.
clickSchema.index({ link: 1, recipient: 1 }, { unique: true });
// Click totals per broadcast and per Page.
clickSchema.index({ broadcast: 1, page: 1 });

export const BroadcastClickModel = model<BroadcastClickRecord>('BroadcastClick', clickSchema);
