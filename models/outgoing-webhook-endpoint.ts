import { Schema, model, type InferSchemaType } from 'mongoose';
import { announceWrites } from './write-notices';
import { encryptedSecretSchema } from './user';

/**
 * A URL a workspace's admin subscribed to some of its events (server/outgoing-webhooks/). `failingSince` is the first
 * failed attempt of the current run of failures (null after any success); a day of it disables the endpoint.
 */
const outgoingWebhookEndpointSchema = new Schema(
  {
    workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
    url: { type: String, required: true },
    description: { type: String, default: '' },
    events: { type: [String], required: true },
    active: { type: Boolean, required: true, default: true },
    /** The signing secret, sealed with TOKEN_ENCRYPTION_KEYS and bound to this endpoint. */
    secret: { type: encryptedSecretSchema, required: true, select: false },
    secretRotatedAt: { type: Date, required: true },
    failingSince: { type: Date, default: null },
    disabledAt: { type: Date, default: null },
    disabledReason: { type: String, default: null },
    createdBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  },
  { timestamps: true },
);

// A workspace's endpoints: the screen's list and the event-time lookup of who subscribed.
outgoingWebhookEndpointSchema.index({ workspace: 1 });
// The subscribed events are kept in each process (server/outgoing-webhooks/subscriptions.ts).
announceWrites(outgoingWebhookEndpointSchema, 'outgoingwebhookendpoints');

export type OutgoingWebhookEndpoint = InferSchemaType<typeof outgoingWebhookEndpointSchema>;
export const OutgoingWebhookEndpointModel = model(
  'OutgoingWebhookEndpoint',
  outgoingWebhookEndpointSchema,
  'outgoingwebhookendpoints',
);
