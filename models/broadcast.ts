import { Schema, model, type Types } from 'mongoose';

export const broadcastStates = [
  'draft',
  'scheduled',
  'sending',
  'paused',
  'completed',
  'cancelled',
  'failed',
] as const;
export type BroadcastState = (typeof broadcastStates)[number];

export const broadcastPurposes = [
  'promotional',
  'CONFIRMED_EVENT_UPDATE',
  'POST_PURCHASE_UPDATE',
  'ACCOUNT_UPDATE',
] as const;
export type BroadcastPurpose = (typeof broadcastPurposes)[number];

export interface AudienceFilter {
  tags?: string[];
  customFields?: Record<string, string>;
  optInSources?: string[];
  lastInteractionAfter?: Date;
  lastInteractionBefore?: Date;
}

export interface BroadcastRecord {
  _id: Types.ObjectId;
  workspace: Types.ObjectId;
  name: string;
  pages: Types.ObjectId[];
  /** Validated by the broadcasts feature against Meta's Send API limits before it is stored. */
  content: Record<string, unknown>;
  audience: AudienceFilter;
  purpose: BroadcastPurpose;
  schedule: { kind: 'now' } | { kind: 'at'; localTime: string; timeZone: string; at: Date };
  state: BroadcastState;
  stateReason?: string;
  createdBy?: Types.ObjectId;
  /** Set once the audience has been written as recipients; the start job skips the fan-out after that. */
  fannedOutAt?: Date;
  /**
   * The reachable audience counted when sending started, while the fan-out writes it: progress's total until then
   * (the fan-out's own count may differ by whoever wrote or left in between).
   */
  expectedRecipients?: number;
  startedAt?: Date;
  firstSentAt?: Date;
  finishedAt?: Date;
  createdAt: Date;
  updatedAt: Date;
}

/** A message to many subscribers of one or more Pages. Counters are derived from its recipients, never `$inc`ed. */
const broadcastSchema = new Schema<BroadcastRecord>(
  {
    workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
    name: { type: String, required: true },
    pages: { type: [Schema.Types.ObjectId], ref: 'Page', required: true },
    content: { type: Schema.Types.Mixed, required: true },
    audience: { type: Schema.Types.Mixed, default: {} },
    purpose: { type: String, enum: broadcastPurposes, required: true },
    schedule: { type: Schema.Types.Mixed, required: true },
    state: { type: String, enum: broadcastStates, required: true, default: 'draft' },
    stateReason: String,
    createdBy: { type: Schema.Types.ObjectId, ref: 'User' },
    fannedOutAt: Date,
    expectedRecipients: Number,
    startedAt: Date,
    firstSentAt: Date,
    finishedAt: Date,
  },
  { timestamps: true, minimize: false },
);

// The broadcast list of a workspace, newest first.
broadcastSchema.index({ workspace: 1, createdAt: -1 });
// The Overview: a workspace's broadcasts sending or paused now.
broadcastSchema.index({ workspace: 1, state: 1 });

export const BroadcastModel = model<BroadcastRecord>('Broadcast', broadcastSchema);
