import { Schema, model, type Types } from 'mongoose';

export const webhookEventStatuses = ['pending', 'processing', 'processed', 'dead'] as const;

export type WebhookEventStatus = (typeof webhookEventStatuses)[number];

export interface WebhookEventRecord {
  _id: Types.ObjectId;
  key: string;
  source: 'messaging' | 'standby' | 'changes';
  kind: string;
  fbPageId: string;
  conversationKey: string;
  occurredAt: Date;
  sequence: number;
  /** Absent when `payloadApart`: then it is the `WebhookPayload` whose `_id` is this event's `key`. */
  payload?: Record<string, unknown>;
  payloadApart?: boolean;
  status: WebhookEventStatus;
  attempts: number;
  nextAttemptAt: Date;
  lockedUntil: Date | null;
  lockedBy: string | null;
  lastError: string | null;
  processedAt: Date | null;
  receivedAt: Date;
}

/**
 * One Page event exactly as Meta delivered it, stored before we answer 200 and processed after.
 * `key` names the event (a message's `mid`, a comment id + verb, a read watermark per PSID, ...).
 */
const webhookEventSchema = new Schema<WebhookEventRecord>(
  {
    key: { type: String, required: true },
    source: { type: String, enum: ['messaging', 'standby', 'changes'], required: true },
    kind: { type: String, required: true },
    fbPageId: { type: String, required: true },
    /** Events of one conversation are processed in order: (page, PSID) for messaging, the post for feed changes. */
    conversationKey: { type: String, required: true },
    occurredAt: { type: Date, required: true },
    /** Arrival order, to break ties between events with the same timestamp. */
    sequence: { type: Number, required: true },
    payload: { type: Schema.Types.Mixed },
    payloadApart: { type: Boolean },
    status: { type: String, enum: webhookEventStatuses, default: 'pending', required: true },
    attempts: { type: Number, default: 0 },
    nextAttemptAt: { type: Date, required: true },
    lockedUntil: { type: Date, default: null },
    lockedBy: { type: String, default: null },
    lastError: { type: String, default: null },
    processedAt: { type: Date, default: null },
  },
  { timestamps: { createdAt: 'receivedAt', updatedAt: true }, minimize: false },
);

// A redelivered event (Meta retries, duplicates) hits this index and is dropped: each event is stored once.
webhookEventSchema.index({ key: 1 }, { unique: true });
// The sweep's due events, oldest first (`dueEvents`): walked in this order, a backlog is read no further than a batch.
webhookEventSchema.index({ status: 1, occurredAt: 1, sequence: 1 });
// "Is an earlier event of this conversation still unfinished?" — keeps per-conversation order.
webhookEventSchema.index({ conversationKey: 1, status: 1, occurredAt: 1, sequence: 1 });

export const WebhookEvent = model<WebhookEventRecord>('WebhookEvent', webhookEventSchema);

/**
 * A large event's payload, kept beside its event so the processor's queue stays small documents: FerretDB reads a
 * whole document to test a filter, so fifteen near-1 MB bodies in the queue would slow every sweep and claim (and the
 * next message behind them). Stored before its event and read by `_id`.
 */
const webhookPayloadSchema = new Schema(
  {
    _id: { type: String, required: true },
    payload: { type: Schema.Types.Mixed, required: true },
  },
  { timestamps: { createdAt: 'receivedAt', updatedAt: false }, minimize: false },
);

export const WebhookPayload = model('WebhookPayload', webhookPayloadSchema);
