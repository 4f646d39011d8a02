import { Schema, model, type Types } from 'mongoose';

export interface BroadcastSendIntentRecord {
  /** `<claim id>:<chunk>`: each chunk of a claim's members is written once. */
  _id: string;
  claim: string;
  /** The recipients whose sends the claim may have started: written before they go to Meta. */
  recipients: Types.ObjectId[];
}

/**
 * The intent to send, one document per chunk of a claim's members. An insert, not an update of the claim: on the
 * embedded FerretDB every update waits for the database's write lock (behind the webhook processor's writes, one per
 * echo Meta sends back), an insert does not, and the intent is written on the way of every send.
 */
const intentSchema = new Schema<BroadcastSendIntentRecord>(
  {
    _id: { type: String, required: true },
    claim: { type: String, required: true },
    recipients: { type: [Schema.Types.ObjectId], required: true },
  },
  { versionKey: false },
);

// A takeover reads the intents of the claims before it.
intentSchema.index({ claim: 1 });

export const BroadcastSendIntentModel = model<BroadcastSendIntentRecord>(
  'BroadcastSendIntent',
  intentSchema,
  'broadcast_send_intents',
);
