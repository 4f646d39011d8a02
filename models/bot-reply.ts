import { Schema, model, type InferSchemaType } from 'mongoose';

export const botReplyKinds = ['rule', 'fallback', 'follow_up', 'talk_to_human'] as const;

/**
 * One automated answer, reserved before it is sent. The two unique keys are the whole exactly-once story (an insert
 * against a unique key is atomic on any database, whatever the process): `eventKey` makes it one automated reply per inbound interaction,
 * whatever matched; `slot` makes the fallback once per 24 h (`fallback:<subscriber>:<previous fallback or first>`,
 * so two racing fallbacks collide) and a capture's follow-up once (`follow-up:<capture reply>`).
 */
const botReplySchema = new Schema({
  workspace: { type: Schema.Types.ObjectId, ref: 'Workspace', required: true },
  page: { type: Schema.Types.ObjectId, ref: 'Page', required: true },
  subscriber: { type: Schema.Types.ObjectId, ref: 'Subscriber', required: true },
  eventKey: { type: String, required: true },
  slot: { type: String, required: true },
  kind: { type: String, enum: botReplyKinds, required: true },
  rule: { type: Schema.Types.ObjectId, ref: 'BotRule', default: null },
  status: {
    type: String,
    enum: ['reserved', 'sent', 'refused', 'failed', 'unknown', 'nothing_to_send'],
    required: true,
  },
  reason: String,
  at: { type: Date, required: true },
});

// One automated reply per inbound interaction.
botReplySchema.index({ eventKey: 1 }, { unique: true });
// Once-only slots: the daily fallback chain and each capture follow-up.
botReplySchema.index({ slot: 1 }, { unique: true });
// The latest fallback of a subscriber, to start the next slot from.
botReplySchema.index({ subscriber: 1, kind: 1, at: -1 });

export type BotReply = InferSchemaType<typeof botReplySchema>;
export const BotReplyModel = model('BotReply', botReplySchema);
