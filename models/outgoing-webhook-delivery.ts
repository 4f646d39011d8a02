import { Schema, model, type InferSchemaType } from 'mongoose';

export const deliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof deliveryStatuses)[number];

const attemptSchema = new Schema(
  {
    at: { type: Date, required: true },
    /** The receiver's HTTP status; absent when no answer came (refused address, timeout, connection error). */
    statusCode: { type: Number },
    latencyMs: { type: Number, required: true },
    error: { type: String },
  },
  { _id: false },
);

/** One event sent to one endpoint: the exact body signed and sent, and every attempt at it. */
const outgoingWebhookDeliverySchema = new Schema({
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  endpoint: { type: Schema.Types.ObjectId, ref: 'OutgoingWebhookEndpoint', required: true },
  eventId: { type: String, required: true },
  type: { type: String, required: true },
  body: { type: String, required: true },
  status: { type: String, enum: deliveryStatuses, required: true, default: 'pending' },
  /** Attempts in the current run (a replay starts a new run); bounded by OUTGOING_WEBHOOKS_MAX_ATTEMPTS. */
  runAttempts: { type: Number, required: true, default: 0 },
  attempts: { type: [attemptSchema], default: [] },
  nextAttemptAt: { type: Date, default: null },
  deliveredAt: { type: Date, default: null },
  /** When it stopped being pending (delivered or given up); the log keeps it OUTGOING_WEBHOOKS_LOG_RETENTION_DAYS. */
  settledAt: { type: Date, default: null },
  createdAt: { type: Date, required: true },
});

// Each event goes to each endpoint once, however many processes heard it.
outgoingWebhookDeliverySchema.index({ endpoint: 1, eventId: 1 }, { unique: true });
// An endpoint's delivery log, newest first, paged by _id.
outgoingWebhookDeliverySchema.index({ endpoint: 1, _id: -1 });
// The retention job's read: settled deliveries by age (FerretDB narrows by status, then reads the dates it leaves).
outgoingWebhookDeliverySchema.index({ status: 1, settledAt: 1 });

export type OutgoingWebhookDelivery = InferSchemaType<typeof outgoingWebhookDeliverySchema>;
export const OutgoingWebhookDeliveryModel = model(
  'OutgoingWebhookDelivery',
  outgoingWebhookDeliverySchema,
  'outgoingwebhookdeliveries',
);
