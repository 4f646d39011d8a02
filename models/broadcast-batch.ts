import { Schema, model, type Types } from 'mongoose';

export interface BroadcastBatchMember {
  /** The `_id` its BroadcastRecipient gets when its outcome is recorded. */
  recipient: Types.ObjectId;
  subscriber: Types.ObjectId;
  psid: string;
  /** The window clocks as the fan-out read them; they only ever move later. */
  lastInteractionAt: Date;
  lastUserMessageAt?: Date;
}

export interface BroadcastBatchRecord {
  /** `<broadcast>:<page>:<seq>`: the sender finds batch n of a Page by `_id`, never by a query. */
  _id: string;
  broadcast: Types.ObjectId;
  page: Types.ObjectId;
  seq: number;
  /** When the fan-out began reading these people: a reachability change after it means reading them again. */
  readAt: Date;
  members: BroadcastBatchMember[];
}

/**
 * A fixed slice of one Page's recipients, written once by the fan-out and never changed. Workers claim and send
 * whole batches, so a claim, a lease and a finished mark cost one write per batch instead of one per recipient.
 */
const batchSchema = new Schema<BroadcastBatchRecord>(
  {
    _id: { type: String, required: true },
    broadcast: { type: Schema.Types.ObjectId, ref: 'Broadcast', required: true },
    page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
    seq: { type: Number, required: true },
    readAt: { type: Date, required: true },
    members: {
      type: [
        new Schema<BroadcastBatchMember>(
          {
            recipient: { type: Schema.Types.ObjectId, required: true },
            subscriber: { type: Schema.Types.ObjectId, required: true },
            psid: { type: String, required: true },
            lastInteractionAt: { type: Date, required: true },
            lastUserMessageAt: Date,
          },
          { _id: false },
        ),
      ],
      required: true,
    },
  },
  { versionKey: false },
);

// Cleanup of a finished broadcast's batches.
batchSchema.index({ broadcast: 1 });

export const BroadcastBatchModel = model<BroadcastBatchRecord>(
  'BroadcastBatch',
  batchSchema,
  'broadcast_batches',
);

export interface BroadcastLaneRecord {
  /** `<broadcast>:<page>`. */
  _id: string;
  broadcast: Types.ObjectId;
  page: Types.ObjectId;
  /** Batches 0..batches-1 are complete (their recipients written): the sender may take them. */
  batches: number;
  recipients: number;
  /** The last subscriber written: a fan-out that starts again goes on after it. */
  after?: Types.ObjectId;
  fannedOutAt?: Date;
}

/** One Page of one broadcast: how far its fan-out got. Written only by the fan-out. */
const laneSchema = new Schema<BroadcastLaneRecord>(
  {
    _id: { type: String, required: true },
    broadcast: { type: Schema.Types.ObjectId, ref: 'Broadcast', required: true },
    page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
    batches: { type: Number, required: true, default: 0 },
    recipients: { type: Number, required: true, default: 0 },
    after: Schema.Types.ObjectId,
    fannedOutAt: Date,
  },
  { versionKey: false },
);

// Progress and completion read a broadcast's lanes.
laneSchema.index({ broadcast: 1 });

export const BroadcastLaneModel = model<BroadcastLaneRecord>('BroadcastLane', laneSchema, 'broadcast_lanes');

/** Recorded outcomes by kind; `sent` counts every message that went out, whatever happened to it after. */
export interface OutcomeCounts {
  sent: number;
  skipped: number;
  failed: number;
  unknown: number;
}

export interface BroadcastBatchResultRecord extends OutcomeCounts {
  /** The batch's `_id`: inserted once, when every member of the batch has its outcome. */
  _id: string;
  broadcast: Types.ObjectId;
  page: Types.ObjectId;
  at: Date;
}

/**
 * A finished batch and its counts. Progress sums these small documents instead of counting recipients, and no
 * counter is ever incremented (two writers cannot `$inc` one document safely on FerretDB).
 */
const resultSchema = new Schema<BroadcastBatchResultRecord>(
  {
    _id: { type: String, required: true },
    broadcast: { type: Schema.Types.ObjectId, ref: 'Broadcast', required: true },
    page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
    sent: { type: Number, required: true },
    skipped: { type: Number, required: true },
    failed: { type: Number, required: true },
    unknown: { type: Number, required: true },
    at: { type: Date, required: true },
  },
  { versionKey: false },
);

resultSchema.index({ broadcast: 1 });

export const BroadcastBatchResultModel = model<BroadcastBatchResultRecord>(
  'BroadcastBatchResult',
  resultSchema,
  'broadcast_batch_results',
);

export interface BroadcastLaneTallyRecord {
  /** The lane's `_id`: progress finds it by `_id`, never by a query. */
  _id: string;
  /** By claim id: what that claim has recorded of its batch so far. A finished batch's entry is removed. */
  claims: Record<string, OutcomeCounts>;
}

/**
 * What the claims of one Page's unfinished batches have recorded, written by their workers while they send, so
 * progress moves inside a batch and not only when a batch ends. Only progress reads it: a write lost between two
 * workers is corrected by the next one or by the batch's result.
 */
const laneTallySchema = new Schema<BroadcastLaneTallyRecord>(
  {
    _id: { type: String, required: true },
    claims: { type: Schema.Types.Mixed, default: {} },
  },
  { versionKey: false, minimize: false },
);

export const BroadcastLaneTallyModel = model<BroadcastLaneTallyRecord>(
  'BroadcastLaneTally',
  laneTallySchema,
  'broadcast_lane_tallies',
);

export const laneId = (broadcastId: string, pageId: string) => `${broadcastId}:${pageId}`;
export const batchId = (broadcastId: string, pageId: string, seq: number) =>
  `${broadcastId}:${pageId}:${seq}`;
